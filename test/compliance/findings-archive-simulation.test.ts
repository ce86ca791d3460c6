/**
 * D2 U6: the synthesized prod findings archive's bucket policy and the audit key's policy evaluated as AWS would
 * (@cloud-copilot/iam-simulate). Every IAM principal holds AdministratorAccess (the worst case), so what is denied is
 * denied by the resource-side policies alone: no workload principal, administrator, the deployment role or the root
 * user deletes an archived finding or weakens its lock; only the Firehose delivery role and GuardDuty (this account's
 * detectors) write; GuardDuty may use the audit key for its exports only.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { deploymentRoleArn, rootUserArn, taskRoleArns, validateConfig } from '../../lib/config';
import { findingsArchiveDeliveryRoleName, findingsArchiveExportRoleName } from '../../lib/config/names';
import { buildTestBlueprint, TEST_ACCOUNT, testConfig } from '../support/blueprint';
import { ADMINISTRATOR_ACCESS, Decision, PolicyDocument, simulate } from '../support/iam-simulation';
import { bucketNameOf, DeployTarget, keyArnOf, resolveIntrinsics } from '../support/resolve-intrinsics';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = TEST_ACCOUNT;
const role = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const config = validateConfig(testConfig('prod', { auditReaderRoleArns: [role('AuditReader')] }));
const { stage } = buildTestBlueprint(config);
const MAIN: DeployTarget = { account: A, region: 'us-east-1', partition: 'aws' };
const audit = Template.fromStack(stage.audit).toJSON();
const keys = Template.fromStack(stage.keys).toJSON();

const only = (template: Json, type: string, pick: (r: Json, id: string) => boolean): string => {
  const ids = Object.entries(template.Resources as Record<string, Json>)
    .filter(([id, r]) => r.Type === type && pick(r, id))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
};
const archiveId = only(audit, 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::FindingsArchive'] !== undefined);
const policyId = only(
  audit,
  'AWS::S3::BucketPolicy',
  (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: archiveId }),
);
const bucketPolicy = resolveIntrinsics(
  audit.Resources[policyId].Properties.PolicyDocument,
  audit,
  MAIN,
) as PolicyDocument;
const bucket = bucketNameOf(audit, archiveId);
const auditKeyId = only(keys, 'AWS::KMS::Key', (r) => r.Metadata?.['HipaaBlueprint::KeyDomain'] === 'audit');
const keyPolicy = resolveIntrinsics(keys.Resources[auditKeyId].Properties.KeyPolicy, keys, MAIN) as PolicyDocument;

const guardDutyObject = `AWSLogs/${A}/GuardDuty/us-east-1/2026/01/01/finding-0001.jsonl.gz`;
const securityHubObject = 'securityhub/date=2026-01-01/hipaa-prod-findings-archive-1-2026-01-01-00-00-00-0001.gz';
const detector = `arn:aws:guardduty:us-east-1:${A}:detector/0123456789abcdef0123456789abcdef`;
const WHO: Record<string, string> = {
  'account administrator': role('Administrator'),
  'deployment role': deploymentRoleArn(config, 'us-east-1'),
  'root user': rootUserArn(config),
  'task role': taskRoleArns(config)[0]!,
  'audit reader': role('AuditReader'),
  'findings archive delivery role': role(findingsArchiveDeliveryRoleName(config)),
  'findings archive export role': role(findingsArchiveExportRoleName(config)),
};

const onBucket = (principal: string, action: string, key: string | undefined, context: Record<string, string> = {}) =>
  simulate({
    principal,
    action,
    resource: `arn:aws:s3:::${bucket}${key === undefined ? '' : `/${key}`}`,
    resourceAccount: A,
    resourcePolicy: bucketPolicy,
    identityPolicies: principal.startsWith('arn:') ? [ADMINISTRATOR_ACCESS] : [],
    context: { 's3:TlsVersion': '1.3', ...context },
  });

describe('findings archive policy simulation', () => {
  test.each(
    Object.keys(WHO).flatMap((who) =>
      ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention'].map(
        (action) => [who, action] as const,
      ),
    ),
  )('D2 U6 %s: %s on an archived finding is denied', async (who, action) => {
    expect(await onBucket(WHO[who]!, action, securityHubObject)).toBe<Decision>('ExplicitlyDenied');
  });

  test.each(['account administrator', 'task role', 'findings archive export role', 'root user'])(
    'D2 U6 %s cannot write or overwrite a finding',
    async (who) => {
      expect(await onBucket(WHO[who]!, 's3:PutObject', guardDutyObject)).toBe<Decision>('ExplicitlyDenied');
    },
  );

  test('D2 U6 only the deployment role reconfigures the lock; an administrator cannot', async () => {
    expect(await onBucket(WHO['account administrator']!, 's3:PutBucketObjectLockConfiguration', undefined)).toBe(
      'ExplicitlyDenied',
    );
    expect(await onBucket(WHO['deployment role']!, 's3:PutBucketObjectLockConfiguration', undefined)).toBe('Allowed');
  });

  test('D2 the delivery role writes Security Hub findings; GuardDuty writes for this account detectors only', async () => {
    expect(await onBucket(WHO['findings archive delivery role']!, 's3:PutObject', securityHubObject)).toBe('Allowed');
    const guardDuty = (sourceArn: string, sourceAccount = A) =>
      onBucket('guardduty.amazonaws.com', 's3:PutObject', guardDutyObject, {
        'aws:SourceArn': sourceArn,
        'aws:SourceAccount': sourceAccount,
      });
    expect(await guardDuty(detector)).toBe('Allowed');
    expect(await guardDuty(`arn:aws:guardduty:us-east-1:999999999999:detector/abc`, '999999999999')).not.toBe(
      'Allowed',
    );
    // GuardDuty writes only under its prefix.
    expect(
      await onBucket('guardduty.amazonaws.com', 's3:PutObject', securityHubObject, {
        'aws:SourceArn': detector,
        'aws:SourceAccount': A,
      }),
    ).not.toBe('Allowed');
  });

  test('D2 E1 GuardDuty may GenerateDataKey with the audit key for this account detectors, nothing more', async () => {
    const kms = (action: string, sourceArn: string, sourceAccount = A) =>
      simulate({
        principal: 'guardduty.amazonaws.com',
        action,
        resource: keyArnOf(MAIN, auditKeyId),
        resourceAccount: A,
        resourcePolicy: keyPolicy,
        context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
      });
    expect(await kms('kms:GenerateDataKey', detector)).toBe('Allowed');
    expect(await kms('kms:Decrypt', detector)).not.toBe('Allowed');
    expect(
      await kms('kms:GenerateDataKey', 'arn:aws:guardduty:us-east-1:999999999999:detector/abc', '999999999999'),
    ).not.toBe('Allowed');
  });
});
