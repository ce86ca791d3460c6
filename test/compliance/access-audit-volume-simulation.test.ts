/**
 * U5 D1: the access-audit volume check's role, with its own synthesized policies, evaluated with the
 * @cloud-copilot/iam-simulate policy simulator over the synthesized prod bucket and key policies: it reads the events
 * and the audit key through S3, and cannot write, delete or alter an event.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { accessAuditVolumeRoleArn, validateConfig } from '../../lib/config';
import { buildTestBlueprint, TEST_ACCOUNT, testConfig } from '../support/blueprint';
import { Decision, PolicyDocument, simulate } from '../support/iam-simulation';
import { bucketNameOf, DeployTarget, keyArnOf, resolveIntrinsics } from '../support/resolve-intrinsics';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = TEST_ACCOUNT;
const config = validateConfig(testConfig('prod'));
const { stage } = buildTestBlueprint(config);
const MAIN: DeployTarget = { account: A, region: 'us-east-1', partition: 'aws' };
const keys = Template.fromStack(stage.keys).toJSON();
const audit = Template.fromStack(stage.audit).toJSON();

function only(template: Json, type: string, pick: (r: Json) => boolean = () => true): string {
  const ids = Object.entries(template.Resources as Record<string, Json>)
    .filter(([, r]) => r.Type === type && pick(r))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
}

const bucketId = only(audit, 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::AccessAuditBucket'] !== undefined);
const bucketArn = `arn:aws:s3:::${bucketNameOf(audit, bucketId)}`;
const event = `${bucketArn}/events/service=api/date=2026-03-04/hipaa-prod-api-access-audit-1-2026-03-04-05-06-07-rec`;
const bucketPolicy: PolicyDocument = resolveIntrinsics(
  audit.Resources[
    only(
      audit,
      'AWS::S3::BucketPolicy',
      (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    )
  ].Properties.PolicyDocument,
  audit,
  MAIN,
);
const auditKeyId = only(keys, 'AWS::KMS::Key', (r) => r.Metadata?.['HipaaBlueprint::KeyDomain'] === 'audit');
const auditKeyArn = keyArnOf(MAIN, auditKeyId);
const keyPolicy: PolicyDocument = resolveIntrinsics(keys.Resources[auditKeyId].Properties.KeyPolicy, keys, MAIN);
/** The dead-letter queue and log group ARNs (which the resolver does not know) as fixed ARNs of their type. */
function placeholders(document: Json): Json {
  return JSON.parse(JSON.stringify(document), (_k, v) => {
    const getAtt = v?.['Fn::GetAtt'];
    const type = Array.isArray(getAtt) ? audit.Resources[getAtt[0]]?.Type : undefined;
    if (type === 'AWS::SQS::Queue') return `arn:aws:sqs:us-east-1:${A}:${getAtt[0]}`;
    if (type === 'AWS::Logs::LogGroup') return `arn:aws:logs:us-east-1:${A}:log-group:${getAtt[0]}:*`;
    return v;
  });
}

const volumePolicies: PolicyDocument[] = Object.values(audit.Resources as Record<string, Json>)
  .filter(
    (r) =>
      r.Type === 'AWS::IAM::ManagedPolicy' && String(r.Properties.Description).startsWith('Access-audit volume check'),
  )
  .map((r) =>
    JSON.parse(
      JSON.stringify(resolveIntrinsics(placeholders(r.Properties.PolicyDocument), audit, MAIN)).replace(
        /<ImportValue[^>]*AuditKey[^>]*>|<[^>]*AuditKey[^>]*>/g,
        auditKeyArn,
      ),
    ),
  );
const VOLUME = accessAuditVolumeRoleArn(config);

const s3 = (action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> =>
  simulate({
    principal: VOLUME,
    action,
    resource,
    resourceAccount: A,
    identityPolicies: volumePolicies,
    resourcePolicy: bucketPolicy,
    context,
  });

describe('U5 D1 the access-audit volume check role evaluated with the IAM policy simulator (prod)', () => {
  test('the simulation reads the synthesized policies (scoped and network)', () => {
    expect(volumePolicies).toHaveLength(2);
    expect(JSON.stringify(volumePolicies)).toContain(`${bucketArn}/events/*`);
  });

  test('U5 D1 it reads and lists the events', async () => {
    expect(await s3('s3:GetObject', event)).toBe('Allowed');
    expect(await s3('s3:ListBucket', bucketArn, { 's3:prefix': 'events/service=api/' })).toBe('Allowed');
    expect(await s3('s3:ListBucket', bucketArn, { 's3:prefix': 'errors/' })).toBe('ImplicitlyDenied');
  });

  test('U5 D1 it cannot write, delete or alter an event, nor reconfigure the bucket', async () => {
    const decisions: Record<string, Decision> = {};
    for (const action of [
      's3:PutObject',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      's3:PutObjectAcl',
      's3:PutObjectTagging',
    ]) {
      decisions[action] = await s3(action, event);
    }
    for (const action of [
      's3:PutBucketPolicy',
      's3:PutBucketObjectLockConfiguration',
      's3:PutLifecycleConfiguration',
    ]) {
      decisions[action] = await s3(action, bucketArn);
    }
    expect(Object.values(decisions).every((d) => d !== 'Allowed')).toBe(true);
    expect(Object.keys(decisions)).toHaveLength(10);
  });

  test('U5 D1 it uses the audit key through S3 only', async () => {
    const kms = (action: string, via?: string) =>
      simulate({
        principal: VOLUME,
        action,
        resource: auditKeyArn,
        resourceAccount: A,
        identityPolicies: volumePolicies,
        resourcePolicy: keyPolicy,
        context: via ? { 'kms:ViaService': `${via}.us-east-1.amazonaws.com` } : {},
      });
    expect(await kms('kms:Decrypt', 's3')).toBe('Allowed');
    expect(await kms('kms:GenerateDataKey', 's3')).toBe('Allowed');
    expect(await kms('kms:Decrypt')).not.toBe('Allowed');
    expect(await kms('kms:Decrypt', 'firehose')).not.toBe('Allowed');
  });
});
