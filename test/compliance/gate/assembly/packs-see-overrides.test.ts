/**
 * PacksSeeOverrides: a resource the rule packs did not judge as it deploys (a raw property override, or a plain
 * CfnResource of an AWS type) is checked again by the packs as its template renders it, at synth.
 */
import { rmSync } from 'fs';
import { App, CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnFlowLog, CfnVPC } from 'aws-cdk-lib/aws-ec2';
import * as eksV2 from 'aws-cdk-lib/aws-eks-v2';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { CfnDBInstance } from 'aws-cdk-lib/aws-rds';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AssemblyContext, OverriddenResources } from '../../../../lib/compliance/gate/assembly';
import { PacksSeeOverrides } from '../../../../lib/compliance/gate/assembly/packs-see-overrides';
import { unjudgedBecause } from '../../../../lib/compliance/gate/assembly-plugin';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { buildTestBlueprint } from '../../../support/blueprint';
import { scratchDir } from '../../../support/scratch';

const STACK: AssemblyStack = {
  stackName: 'hipaa-dev-data',
  file: 'DevData.template.json',
  path: 'Dev/Data',
  template: { Resources: { Db: { Type: 'AWS::RDS::DBInstance' }, Other: { Type: 'AWS::SNS::Topic' } } },
};

describe('PacksSeeOverrides', () => {
  test('V2 each pack finding on a stack with a rechecked resource is a finding naming the pack rule, the resource and why', () => {
    const asked: string[] = [];
    const overrides: OverriddenResources = {
      byStack: new Map([['Dev/Data', new Map([['Db', 'a raw override of Properties']])]]),
      checkWithPacks: (stack) => {
        asked.push(stack.path!);
        return [
          { ruleId: 'HIPAA.Security-RDSStorageEncrypted', logicalId: 'Db', description: 'not encrypted' },
          // A finding on a sibling of the rechecked resource stands too.
          { ruleId: 'HIPAA.Security-SNSEncryptedKMS', logicalId: 'Other', description: 'no key' },
        ];
      },
    };
    const result = PacksSeeOverrides.check([STACK], { overrides });
    expect(asked).toEqual(['Dev/Data']);
    expect(result.evaluated).toBe(1);
    expect(result.findings.map((f) => [f.ruleId, f.logicalId])).toEqual([
      ['Blueprint-PacksSeeOverrides[HIPAA.Security-RDSStorageEncrypted]', 'Db'],
      ['Blueprint-PacksSeeOverrides[HIPAA.Security-SNSEncryptedKMS]', 'Other'],
    ]);
    expect(result.findings[0]!.description).toMatch(/Db \(a raw override of Properties\).*not encrypted/);
  });

  test('V2 a rechecked resource in a nested stack (a template the gate does not read) is a finding on its parent', () => {
    const overrides: OverriddenResources = {
      byStack: new Map([['Dev/Data/Nested', new Map([['Key', 'a raw override of Properties']])]]),
      checkWithPacks: () => {
        throw new Error('not called for a stack the gate does not read');
      },
    };
    const result = PacksSeeOverrides.check([STACK], { overrides });
    expect(result.findings.map((f) => [f.ruleId, f.stack.path])).toEqual([
      ['Blueprint-PacksSeeOverrides[unreadable-stack]', 'Dev/Data'],
    ]);
  });

  test('without the construct tree (the template checker, which runs the packs on every template) it judges nothing', () => {
    const context: AssemblyContext = {};
    expect(PacksSeeOverrides.check([STACK], context)).toEqual({ findings: [], evaluated: 0 });
  });
});

describe('unjudgedBecause: what the packs did not see in the construct tree', () => {
  const stack = new Stack(new App(), 'S');
  class ForkResource extends CfnResource {}
  /** A fork's subclass of the bucket L1 that renders no encryption, whatever its typed properties say. */
  class UnencryptedBucket extends CfnBucket {
    protected override renderProperties(props: Record<string, unknown>): Record<string, unknown> {
      const rendered = super.renderProperties(props);
      delete rendered.BucketEncryption;
      return rendered;
    }
  }
  /** A subclass of CfnResource that claims an L1 class's type name (the packs' `instanceof CfnKey` is false). */
  class ClaimsToBeKey extends CfnResource {
    public static readonly CFN_RESOURCE_TYPE_NAME = 'AWS::KMS::Key';
  }
  /** A bucket L1 with `change` applied. */
  const bucket = (id: string, change: (b: CfnBucket) => void) => (): CfnBucket => {
    const b = new CfnBucket(stack, id);
    change(b);
    return b;
  };
  test.each([
    [
      'an L1 with a property override',
      bucket('Overridden', (b) => b.addPropertyOverride('VersioningConfiguration.Status', 'Suspended')),
      'a raw override of Properties',
    ],
    [
      'an L1 with a property deletion override',
      bucket('Deleted', (b) => b.addPropertyDeletionOverride('BucketEncryption')),
      'a raw override of Properties',
    ],
    [
      'an L1 whose Properties are deleted whole',
      bucket('NoProperties', (b) => b.addDeletionOverride('Properties')),
      'a raw override of Properties',
    ],
    [
      'an L1 whose Type is overridden',
      bucket('Retyped', (b) => b.addOverride('Type', 'AWS::KMS::Key')),
      'a raw override of Type',
    ],
    [
      'an L1 with an override of its DeletionPolicy',
      bucket('Policy', (b) => b.addOverride('DeletionPolicy', 'Retain')),
      'a raw override of DeletionPolicy',
    ],
    ['an L1 without overrides', bucket('Typed', () => undefined), undefined],
    [
      'a plain CfnResource of an AWS type',
      () => new CfnResource(stack, 'Plain', { type: 'AWS::S3::Bucket' }),
      "not its type's L1 class",
    ],
    [
      'a subclass of CfnResource',
      () => new ForkResource(stack, 'Fork', { type: 'AWS::KMS::Key' }),
      "not its type's L1 class",
    ],
    [
      "a subclass of its type's L1 class (it can render other properties than the ones the rules read)",
      () => new UnencryptedBucket(stack, 'Sub', { bucketEncryption: { serverSideEncryptionConfiguration: [] } }),
      "a subclass of its type's L1 class (aws-cdk-lib.aws_s3.CfnBucket)",
    ],
    [
      "a subclass of CfnResource naming an L1 class's type",
      () => new ClaimsToBeKey(stack, 'Claims', { type: 'AWS::KMS::Key' }),
      'another L1 class of its type than the template checker builds (aws-cdk-lib.aws_kms.CfnKey)',
    ],
    ['a custom resource', () => new CfnResource(stack, 'Custom', { type: 'Custom::Thing' }), undefined],
    [
      "CDK's version-reporting resource",
      () => new CfnResource(stack, 'CdkMeta', { type: 'AWS::CDK::Metadata' }),
      undefined,
    ],
  ])('%s', (_name, make, why) => {
    expect(unjudgedBecause(make())).toBe(why);
  });
});

describe("the tree's construct paths, not the template's metadata, decide acknowledgements on the recheck", () => {
  // A topic without a key, acknowledged for the construct path its metadata claims (an override can write any).
  const entry = { ruleIds: ['AwsSolutions-SNS2'], path: 'Dev/Claimed/Topic', reason: 'r', compensatingControl: 'c' };
  const template = {
    Resources: {
      Topic: {
        Type: 'AWS::SNS::Topic',
        Metadata: {
          'aws:cdk:path': 'Dev/Claimed/Topic',
          cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-SNS2', reason: 'r Compensating control: c' }] },
        },
      },
    },
  };
  const sns2 = (r: ReturnType<typeof checkTemplate>): string[] =>
    r.findings.map((f) => f.ruleId).filter((id) => id.includes('AwsSolutions-SNS2'));

  test('V2 the metadata path is honoured when no tree is known (check-template)', () => {
    const r = checkTemplate(template, 't.json', { register: [entry] });
    expect(r.acknowledgements).toBe(1);
    expect(sns2(r)).toEqual([]);
  });

  test('V2 with the tree, the real path decides: the forged acknowledgement is not honoured', () => {
    const r = checkTemplate(template, 't.json', {
      register: [entry],
      constructPaths: new Map([['Topic', 'Dev/Real/Topic']]),
    });
    expect(r.acknowledgements).toBe(0);
    expect(sns2(r)).toContain('Blueprint-UnregisteredAcknowledgement[AwsSolutions-SNS2]');
  });
});

describe('at synth (the real gate)', () => {
  test('V2 a database storage-encryption override, a plain bucket resource, an aws-eks-v2 cluster, an L1 subclass and an own renderProperties that render no key, a stack that renders its own template and a CfnElement rendering a resource of its own fail synth through the packs', () => {
    const outdir = scratchDir('packs-see-overrides-');
    try {
      const { app, stage } = buildTestBlueprint(undefined, { compliance: true, outdir });
      const data = stage.data;
      const db = data.node.findAll().find((c): c is CfnDBInstance => c instanceof CfnDBInstance)!;
      // What the packs read in the tree stays encrypted; what deploys is not.
      db.addPropertyOverride('StorageEncrypted', false);
      new CfnResource(data, 'PlainBucket', { type: 'AWS::S3::Bucket' });
      // An EKS cluster as aws-eks-v2 makes it (a class cdk-nag's rules do not test), with a public API endpoint.
      new eksV2.CfnCluster(data, 'Cluster', {
        roleArn: 'arn:aws:iam::123456789012:role/cluster',
        resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d4e5f60001'], endpointPublicAccess: true },
      });
      // A log group whose class renders no key, whatever its typed properties say, in a stack nothing else rechecks.
      class KeylessLogGroup extends CfnLogGroup {
        protected override renderProperties(props: Record<string, unknown>): Record<string, unknown> {
          const rendered = super.renderProperties(props);
          delete rendered.KmsKeyId;
          return rendered;
        }
      }
      new KeylessLogGroup(stage.app, 'KeylessLogs', {
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000',
        retentionInDays: 2192,
      });
      // The keys stack renders its template its own way: its keys without rotation.
      const keys = stage.keys as unknown as {
        _toCloudFormation(): { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
      };
      keys._toCloudFormation = () => {
        const t = (Stack.prototype as unknown as typeof keys)._toCloudFormation.call(stage.keys) as ReturnType<
          typeof keys._toCloudFormation
        >;
        for (const r of Object.values(t.Resources))
          if (r.Type === 'AWS::KMS::Key') r.Properties.EnableKeyRotation = false;
        return t;
      };
      // An alert topic whose own renderProperties (over its class's) drops its key.
      const topic = stage.alerting.node.findAll().find((c): c is CfnTopic => c instanceof CfnTopic)!;
      Object.defineProperty(topic, 'renderProperties', {
        value: (props: Record<string, unknown>): Record<string, unknown> => {
          const rendered = (
            CfnTopic.prototype as unknown as { renderProperties(p: unknown): Record<string, unknown> }
          ).renderProperties.call(topic, props);
          delete rendered.KmsMasterKeyId;
          return rendered;
        },
      });
      // A CfnElement of a fork's own that renders a resource of its own: a log group kept one day, without a key.
      class RawFragment extends CfnElement {
        public override _toCloudFormation(): object {
          return { Resources: { RawLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 1 } } } };
        }
      }
      new RawFragment(stage.detection!, 'RawFragment');
      // The PHI VPC's flow log pointed at the other VPC: the finding lands on the PHI VPC, a sibling.
      const network = stage.network;
      const flowLog = network.node
        .findAll()
        .find((c): c is CfnFlowLog => c instanceof CfnFlowLog && c.node.path.includes('PhiVpc'))!;
      const other = network.node
        .findAll()
        .find((c): c is CfnVPC => c instanceof CfnVPC && c.node.path.includes('NonPhiVpc'))!;
      flowLog.addPropertyOverride('ResourceId', other.ref);
      let message = '';
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
      for (const id of [
        'HIPAA.Security-RDSStorageEncrypted',
        'HIPAA.Security-S3BucketVersioningEnabled',
        'HIPAA.Security-VPCFlowLogsEnabled',
        'AwsSolutions-EKS1',
        'HIPAA.Security-CloudWatchLogGroupEncrypted',
        'NIST.800.53.R5-KMSBackingKeyRotationEnabled',
        'NIST.800.53.R5-SNSEncryptedKMS',
        'Blueprint-LogGroupSixYearRetention[RetentionInDays::1]',
      ]) {
        expect(message).toContain(`Blueprint-PacksSeeOverrides[${id}]`);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
