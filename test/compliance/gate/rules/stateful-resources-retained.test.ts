import { CfnDeletionPolicy, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnDBCluster, CfnDBInstance } from 'aws-cdk-lib/aws-rds';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { NagRuleCompliance } from 'cdk-nag';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import {
  STATEFUL_TYPES,
  StatefulResourcesRetained,
} from '../../../../lib/compliance/gate/rules/stateful-resources-retained';
import { resetTemplateViews } from '../../../../lib/compliance/gate/rules/template-view';
import { fixtureStack } from '../../../support/rule-fixtures';
import { phiBucket } from './phi-bucket-fixture';

const retained = <T extends CfnResource>(r: T, policy = CfnDeletionPolicy.RETAIN): T => {
  r.cfnOptions.deletionPolicy = policy;
  r.cfnOptions.updateReplacePolicy = policy;
  return r;
};

/** The rule on `r`, its stack's template rendered afresh (several resources join one stack between checks). */
const judge = (r: CfnResource) => {
  resetTemplateViews();
  return StatefulResourcesRetained(r);
};

describe('I2 project rule StatefulResourcesRetained', () => {
  test('I2 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === StatefulResourcesRetained)?.safeguards).toEqual(['I2']);
  });

  test('I2 passes on a PhiBucket and on retained stores; a database or volume may be snapshotted instead', () => {
    const phi = phiBucket();
    expect(judge(phi.bucket.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.COMPLIANT);
    const s = fixtureStack();
    expect(judge(retained(new CfnQueue(s, 'Q')))).toBe(NagRuleCompliance.COMPLIANT);
    const db = retained(new CfnDBInstance(s, 'Db', { dbInstanceClass: 'db.t4g.micro' }), CfnDeletionPolicy.SNAPSHOT);
    expect(judge(db)).toBe(NagRuleCompliance.COMPLIANT);
    for (const type of ['AWS::EC2::Volume', 'AWS::DocDB::DBCluster']) {
      const r = retained(new CfnResource(s, type.replace(/\W/g, ''), { type }), CfnDeletionPolicy.SNAPSHOT);
      expect(judge(r)).toBe(NagRuleCompliance.COMPLIANT);
    }
    expect(judge(new CfnResource(s, 'Topic', { type: 'AWS::SNS::Topic' }))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test.each<[string, (s: Stack) => CfnResource, string[]]>([
    [
      'the PHI bucket deleted with its stack (an override, what a hand edit does)',
      () => {
        const b = phiBucket().bucket;
        (b.node.defaultChild as CfnResource).addOverride('DeletionPolicy', 'Delete');
        return b.node.defaultChild as CfnResource;
      },
      ['DeletionPolicy::Delete'],
    ],
    [
      'the PHI bucket replaced without keeping the old one (RemovalPolicy.DESTROY)',
      () => {
        const b = phiBucket().bucket;
        b.applyRemovalPolicy(RemovalPolicy.DESTROY);
        return b.node.defaultChild as CfnResource;
      },
      ['DeletionPolicy::Delete', 'UpdateReplacePolicy::Delete'],
    ],
    [
      'a bucket with no policies (CloudFormation deletes it)',
      (s) => new CfnBucket(s, 'B'),
      ['DeletionPolicy::absent', 'UpdateReplacePolicy::absent'],
    ],
    [
      'a bucket snapshotted (S3 has no snapshots: deleted)',
      (s) => retained(new CfnBucket(s, 'B'), CfnDeletionPolicy.SNAPSHOT),
      ['DeletionPolicy::Snapshot', 'UpdateReplacePolicy::Snapshot'],
    ],
    [
      'a database kept on deletion but deleted on replacement',
      (s) => {
        const db = retained(
          new CfnDBInstance(s, 'Db', { dbInstanceClass: 'db.t4g.micro' }),
          CfnDeletionPolicy.SNAPSHOT,
        );
        db.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.DELETE;
        return db;
      },
      ['UpdateReplacePolicy::Delete'],
    ],
    [
      'a queue kept except on update (its creation rolled back deletes it)',
      (s) => {
        const q = retained(new CfnQueue(s, 'Q'));
        q.addOverride('DeletionPolicy', 'RetainExceptOnUpdate');
        return q;
      },
      ['DeletionPolicy::RetainExceptOnUpdate'],
    ],
    [
      'a policy only deploy resolves',
      (s) => {
        const c = retained(new CfnDBCluster(s, 'C', { engine: 'aurora-postgresql' }));
        c.addOverride('DeletionPolicy', { 'Fn::If': ['Keep', 'Retain', 'Delete'] });
        return c;
      },
      ['DeletionPolicy::{"Fn::If":["Keep","Retain","Delete"]}'],
    ],
    [
      'a DynamoDB table with no policies',
      (s) => new CfnResource(s, 'T', { type: 'AWS::DynamoDB::Table' }),
      ['DeletionPolicy::absent', 'UpdateReplacePolicy::absent'],
    ],
  ])('I2 %s is a finding', (_name, build, expected) => {
    expect(judge(build(fixtureStack()))).toEqual(expected);
  });

  test('I2 every stateful type without policies is a finding', () => {
    const s = fixtureStack();
    for (const type of Object.keys(STATEFUL_TYPES)) {
      const r = new CfnResource(s, type.replace(/\W/g, ''), { type });
      expect({ type, findings: judge(r) }).toEqual({
        type,
        findings: ['DeletionPolicy::absent', 'UpdateReplacePolicy::absent'],
      });
    }
  });

  test("I2 an Aurora cluster's member instance holds no data of its own: the cluster is judged, the member is not", () => {
    const s = fixtureStack();
    const cluster = retained(new CfnDBCluster(s, 'C', { engine: 'aurora-postgresql' }), CfnDeletionPolicy.SNAPSHOT);
    const member = new CfnDBInstance(s, 'M', { dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
    expect(judge(member)).toBe(NagRuleCompliance.NOT_APPLICABLE);
    expect(judge(cluster)).toBe(NagRuleCompliance.COMPLIANT);
    // A member of a cluster the template does not hold is judged itself (that cluster cannot be).
    const outside = new CfnDBInstance(s, 'O', { dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'elsewhere' });
    expect(judge(outside)).toEqual(['DeletionPolicy::absent', 'UpdateReplacePolicy::absent']);
  });
});
