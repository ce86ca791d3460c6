import { App, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { PHI_OBJECT_ACCESS_METADATA, PHI_STORE_TEMPLATE_METADATA } from '../../../../constructs/core';
import { PhiBucket } from '../../../../constructs/phi-bucket';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { PhiBucketPrincipalAllowList } from '../../../../lib/compliance/gate/rules/phi-bucket-principal-allow-list';
import { ACCOUNT, DEPLOYMENT_ROLE, phiBucket, TASK } from './phi-bucket-fixture';
import { editStatement, overrideBucketStatements, Statement, without } from '../../../support/policy-overrides';

const check = (phi: PhiBucket) => PhiBucketPrincipalAllowList(phi.bucket.node.defaultChild as CfnBucket);

/** The rule's findings after one edit of the PHI bucket's policy. */
function after(edit: (statements: Statement[]) => Statement[], vpcOnly = true) {
  const phi = phiBucket(vpcOnly);
  overrideBucketStatements(phi.bucket, edit);
  return check(phi);
}

describe('PhiBucketPrincipalAllowList', () => {
  test('E1 A3 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === PhiBucketPrincipalAllowList)?.safeguards).toEqual(['E1', 'A3']);
  });

  test('E1 A3 passes on a PhiBucket, with and without VPC-only principals', () => {
    expect(check(phiBucket())).toBe(NagRuleCompliance.COMPLIANT);
    expect(check(phiBucket(false))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('E1 A3 does not apply to a bucket that is not a PHI store', () => {
    const stack = new Stack(new App(), 'S');
    expect(PhiBucketPrincipalAllowList(new CfnBucket(stack, 'B'))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('E1 A3 fires when the allow-list deny is removed, widened with a wildcard, narrowed to a prefix, or conditioned', () => {
    const finding = ['ObjectAccess::no-exact-allow-list'];
    expect(after(without('DenyObjectAccessOutsideTheAllowList'))).toEqual(finding);
    const edit = (f: (s: Statement) => Statement) => after(editStatement('DenyObjectAccessOutsideTheAllowList', f));
    expect(
      edit((s) => ({
        ...s,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [TASK, `arn:aws:iam::${ACCOUNT}:role/*`] } },
      })),
    ).toEqual(finding);
    expect(edit((s) => ({ ...s, Resource: [(s.Resource as unknown[])[0], 'arn:aws:s3:::x/records/*'] }))).toEqual(
      finding,
    );
    expect(edit((s) => ({ ...s, Condition: { ...s.Condition, Bool: { 'aws:SecureTransport': 'false' } } }))).toEqual(
      finding,
    );
    expect(edit((s) => ({ ...s, Action: ['s3:GetObject', 's3:ListBucket'] }))).toEqual(finding);
    // Replication into the bucket is s3:ReplicateObject, which the write actions do not cover.
    expect(
      edit((s) => ({ ...s, Action: (s.Action as string[]).filter((a) => !a.startsWith('s3:Replicate')) })),
    ).toEqual(finding);
  });

  test('E1 A3 fires when the allow-list names a policy variable (it excepts whoever asks), also with the PHI marker deleted', () => {
    const everyone = after(
      editStatement('DenyObjectAccessOutsideTheAllowList', (s) => ({
        ...s,
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [TASK, '${aws:PrincipalArn}'] } },
      })),
    );
    expect(everyone).toEqual(['ObjectAccess::no-exact-allow-list']);
    const phi = phiBucket();
    const cfn = phi.bucket.node.defaultChild as CfnBucket;
    cfn.cfnOptions.metadata = { ...cfn.cfnOptions.metadata, [PHI_STORE_TEMPLATE_METADATA]: undefined };
    overrideBucketStatements(phi.bucket, without('DenyBucketPolicyChangesExceptDeployment'));
    expect(check(phi)).toEqual(['PolicyChanges::not-denied']);
  });

  test('E1 A3 fires when the VPC-only principals may reach the bucket from anywhere', () => {
    expect(after(without('DenyVpcOnlyPrincipalsOutsideTheirVpc'))).toEqual(['VpcOnly::not-denied']);
    expect(
      after(
        editStatement('DenyVpcOnlyPrincipalsOutsideTheirVpc', (s) => ({
          ...s,
          Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } },
        })),
      ),
    ).toEqual(['VpcOnly::not-denied']);
  });

  test('E1 fires when anyone may change the bucket policy, or anyone but the deployment role', () => {
    expect(after(without('DenyBucketPolicyChangesExceptDeployment'))).toEqual(['PolicyChanges::not-denied']);
    // A role the templates create (its function's code, which no rule reads, could replace the policy), by token or
    // by ARN, or a policy variable, beside the deployment role.
    const excepting = (extra: unknown) =>
      after(
        editStatement('DenyBucketPolicyChangesExceptDeployment', (s) => ({
          ...s,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': [DEPLOYMENT_ROLE, extra] } },
        })),
      );
    expect(excepting({ 'Fn::GetAtt': ['DatabaseUsersRole', 'Arn'] })).toEqual(['PolicyChanges::not-denied']);
    expect(excepting(`arn:aws:iam::${ACCOUNT}:role/app-env-database-users`)).toEqual(['PolicyChanges::not-denied']);
    expect(excepting(`arn:aws:iam::${ACCOUNT}:role/cdk-other-cfn-exec-role-${ACCOUNT}-us-east-1`)).toEqual([
      'PolicyChanges::not-denied',
    ]);
    // The bootstrap role's name in a region the stack is not in (a template could create that role where the
    // bootstrap never ran), or of another account.
    expect(excepting(DEPLOYMENT_ROLE.replace(/us-east-1$/, 'ap-south-2'))).toEqual(['PolicyChanges::not-denied']);
    expect(excepting(DEPLOYMENT_ROLE.replace(/123456789012/g, '999999999999'))).toEqual(['PolicyChanges::not-denied']);
  });

  test('E1 A3 fires when anyone but the deployment role may change versioning, replication, lifecycle, public access, ACLs, inventory or metadata tables', () => {
    expect(after(without('DenyConfigurationChangesExceptDeployment'))).toEqual(['Configuration::not-denied']);
    const withoutReplication = (s: Statement) => ({
      ...s,
      Action: (s.Action as string[]).filter((a) => a !== 's3:PutReplicationConfiguration'),
    });
    expect(after(editStatement('DenyConfigurationChangesExceptDeployment', withoutReplication))).toEqual([
      'Configuration::not-denied',
    ]);
    // Inventory: a daily list of every key, delivered to a bucket the configuration names.
    const withoutInventory = (s: Statement) => ({
      ...s,
      Action: (s.Action as string[]).filter((a) => a !== 's3:PutInventoryConfiguration'),
    });
    expect(after(editStatement('DenyConfigurationChangesExceptDeployment', withoutInventory))).toEqual([
      'Configuration::not-denied',
    ]);
    // S3 Metadata tables: every key in a table outside this policy (created, its inventory table turned on, or its
    // journal's expiry changed), each action on its own.
    for (const action of [
      's3:CreateBucketMetadataTableConfiguration',
      's3:DeleteBucketMetadataTableConfiguration',
      's3:UpdateBucketMetadataInventoryTableConfiguration',
      's3:UpdateBucketMetadataJournalTableConfiguration',
    ]) {
      const withoutMetadata = (s: Statement) => ({
        ...s,
        Action: (s.Action as string[]).filter((a) => a !== action),
      });
      expect([action, after(editStatement('DenyConfigurationChangesExceptDeployment', withoutMetadata))]).toEqual([
        action,
        ['Configuration::not-denied'],
      ]);
    }
  });

  test('E1 A3 fires when the allow-list deny is narrowed to some object actions (versions, attributes, tags, listings left)', () => {
    const six = [
      's3:GetObject',
      's3:GetObjectVersion',
      's3:PutObject',
      's3:ReplicateObject',
      's3:DeleteObject',
      's3:ListBucket',
    ];
    expect(after(editStatement('DenyObjectAccessOutsideTheAllowList', (s) => ({ ...s, Action: six })))).toEqual([
      'ObjectAccess::no-exact-allow-list',
    ]);
    for (const dropped of ['s3:ListBucketVersions', 's3:DeleteObject*', 's3:GetObject*']) {
      const without = (s: Statement) => ({ ...s, Action: (s.Action as string[]).filter((a) => a !== dropped) });
      expect([dropped, after(editStatement('DenyObjectAccessOutsideTheAllowList', without))]).toEqual([
        dropped,
        ['ObjectAccess::no-exact-allow-list'],
      ]);
    }
  });

  test('E1 A3 fires when another operator narrows a deny: Null, a positive operator or IfExists on the same key', () => {
    const narrowed = (sid: string, extra: Record<string, Record<string, unknown>>) =>
      after(editStatement(sid, (s) => ({ ...s, Condition: { ...s.Condition, ...extra } })));
    expect(narrowed('DenyObjectAccessOutsideTheAllowList', { Null: { 'aws:PrincipalArn': 'true' } })).toEqual([
      'ObjectAccess::no-exact-allow-list',
    ]);
    expect(
      narrowed('DenyBucketPolicyChangesExceptDeployment', {
        ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/x' },
      }),
    ).toEqual(['PolicyChanges::not-denied']);
    expect(
      narrowed('DenyObjectAccessOutsideTheAllowList', { ArnNotLikeIfExists: { 'aws:PrincipalArn': TASK } }),
    ).toEqual(['ObjectAccess::no-exact-allow-list']);
    // Requests from outside any VPC carry no aws:SourceVpc: a Null "false" test on it lets them all through.
    expect(narrowed('DenyVpcOnlyPrincipalsOutsideTheirVpc', { Null: { 'aws:SourceVpc': 'false' } })).toEqual([
      'VpcOnly::not-denied',
    ]);
  });

  test('E1 fires on a PHI bucket without a policy, or without its object access marker', () => {
    const phi = phiBucket();
    phi.bucket.policy!.node.tryRemoveChild('Resource');
    expect(check(phi)).toEqual(['BucketPolicy::none']);
    const unmarked = phiBucket();
    const cfn = unmarked.bucket.node.defaultChild as CfnBucket;
    cfn.cfnOptions.metadata = { ...cfn.cfnOptions.metadata, [PHI_OBJECT_ACCESS_METADATA]: undefined };
    expect(check(unmarked)).toEqual(['PhiObjectAccess::marker-missing']);
  });
});
