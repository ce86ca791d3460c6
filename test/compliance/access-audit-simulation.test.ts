/**
 * U5: no principal of the workload can delete or alter an access-audit event, evaluated as AWS would with the
 * @cloud-copilot/iam-simulate policy simulator over the synthesized prod bucket, key and identity policies.
 * Worst-case rows give the principal AdministratorAccess in IAM, so what they show is what the bucket policy admits;
 * realistic rows evaluate the task role with its own synthesized policies (PHI access + access-audit append).
 */
import {
  accessAuditDeliveryRoleArn,
  accessAuditStreamName,
  accessAuditVolumeRoleArn,
  deploymentRoleArn,
  rootUserArn,
  taskRoleArns,
  validateConfig,
} from '../../lib/config';
import { TEST_ACCOUNT, testConfig } from '../support/blueprint';
import { ADMINISTRATOR_ACCESS, Decision, PolicyDocument, simulate } from '../support/iam-simulation';
import { bucketNameOf, DeployTarget, keyArnOf, resolveIntrinsics } from '../support/resolve-intrinsics';
import { templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = TEST_ACCOUNT;
const config = validateConfig(testConfig('prod'));
const MAIN: DeployTarget = { account: A, region: 'us-east-1', partition: 'aws' };
// testConfig('prod') as the globalSetup synthesized it once for the run.
const keys = templateJson('prod', 'Keys') as Json;
const audit = templateJson('prod', 'Audit') as Json;
const app = templateJson('prod', 'App') as Json;

function only(template: Json, type: string, pick: (r: Json) => boolean = () => true): string {
  const ids = Object.entries(template.Resources as Record<string, Json>)
    .filter(([, r]) => r.Type === type && pick(r))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
}

const bucketId = only(audit, 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::AccessAuditBucket'] !== undefined);
const bucketName = bucketNameOf(audit, bucketId);
const bucketArn = `arn:aws:s3:::${bucketName}`;
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

/** The task role's own synthesized policies, with the cross-stack audit key reference replaced by its ARN. */
const taskRoleRef = JSON.stringify({
  Ref: only(app, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'hipaa-prod-api-task'),
});
const taskPolicies: PolicyDocument[] = Object.values(app.Resources as Record<string, Json>)
  .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties.Roles ?? []).includes(taskRoleRef))
  .map((r) =>
    JSON.parse(
      JSON.stringify(resolveIntrinsics(r.Properties.PolicyDocument, app, MAIN)).replace(
        /<PublishOutput[^>]*AuditKey[^>]*>/g,
        auditKeyArn,
      ),
    ),
  );
const deliveryPolicy: PolicyDocument = resolveIntrinsics(
  audit.Resources[
    only(audit, 'AWS::IAM::ManagedPolicy', (r) =>
      JSON.stringify(r.Properties.Description).includes('Access-audit delivery'),
    )
  ].Properties.PolicyDocument,
  audit,
  MAIN,
);

const TASK = taskRoleArns(config)[0]!;
const DELIVERY = accessAuditDeliveryRoleArn(config);
const ADMIN = `arn:aws:iam::${A}:role/Administrator`;
const ROOT = rootUserArn(config);
const DEPLOYMENT = deploymentRoleArn(config, config.region);
const STREAM = `arn:aws:firehose:us-east-1:${A}:deliverystream/${accessAuditStreamName(config, 'api')}`;

/** Object changes that would delete or alter an event. */
const TAMPER_OBJECT_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  's3:PutObjectTagging',
  's3:PutObjectAcl',
];
/** Bucket changes that would let a later request delete or alter events. */
const TAMPER_BUCKET_ACTIONS = [
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
];

const s3 = (principal: string, action: string, resource: string, identityPolicies: PolicyDocument[]) =>
  simulate({ principal, action, resource, resourceAccount: A, identityPolicies, resourcePolicy: bucketPolicy });

describe('U5 access-audit events evaluated with the IAM policy simulator (prod)', () => {
  test('the simulation reads the synthesized policies (the bucket, the task role policies, the delivery policy)', () => {
    expect(bucketPolicy.Statement.length).toBeGreaterThan(3);
    expect(taskPolicies).toHaveLength(2);
    expect(JSON.stringify(taskPolicies)).toContain(STREAM);
  });

  const workload: [string, string][] = [
    ['api task role', TASK],
    ['access-audit delivery role', DELIVERY],
    ['account administrator', ADMIN],
    ['root user', ROOT],
  ];
  test.each(workload)(
    'U5 %s, even with AdministratorAccess, cannot delete or alter an event',
    async (_who, principal) => {
      const decisions: Record<string, Decision> = {};
      for (const action of TAMPER_OBJECT_ACTIONS) {
        decisions[action] = await s3(principal, action, event, [ADMINISTRATOR_ACCESS]);
      }
      expect(decisions).toEqual(Object.fromEntries(TAMPER_OBJECT_ACTIONS.map((a) => [a, 'ExplicitlyDenied'])));
    },
  );

  test.each(workload)(
    'U5 %s, even with AdministratorAccess, cannot weaken the lock, lifecycle or policy',
    async (_who, principal) => {
      const decisions: Record<string, Decision> = {};
      for (const action of TAMPER_BUCKET_ACTIONS) {
        decisions[action] = await s3(principal, action, bucketArn, [ADMINISTRATOR_ACCESS]);
      }
      expect(decisions).toEqual(Object.fromEntries(TAMPER_BUCKET_ACTIONS.map((a) => [a, 'ExplicitlyDenied'])));
    },
  );

  test('U5 only the delivery role writes events; the task role and an administrator cannot overwrite one', async () => {
    expect(await s3(DELIVERY, 's3:PutObject', event, [deliveryPolicy])).toBe('Allowed');
    expect(await s3(TASK, 's3:PutObject', event, [ADMINISTRATOR_ACCESS])).toBe('ExplicitlyDenied');
    expect(await s3(ADMIN, 's3:PutObject', event, [ADMINISTRATOR_ACCESS])).toBe('ExplicitlyDenied');
  });

  test('U5 the deployment role alone may still reconfigure the bucket (a deploy raises the retention)', async () => {
    expect(await s3(DEPLOYMENT, 's3:PutBucketObjectLockConfiguration', bucketArn, [ADMINISTRATOR_ACCESS])).toBe(
      'Allowed',
    );
    expect(await s3(DEPLOYMENT, 's3:DeleteObjectVersion', event, [ADMINISTRATOR_ACCESS])).toBe('ExplicitlyDenied');
  });

  test('U5 the task role with its own policies appends to its stream and does nothing else on the channel', async () => {
    const firehose = (action: string, resource = STREAM) =>
      simulate({ principal: TASK, action, resource, resourceAccount: A, identityPolicies: taskPolicies });
    expect(await firehose('firehose:PutRecord')).toBe('Allowed');
    expect(await firehose('firehose:PutRecordBatch')).toBe('Allowed');
    for (const action of [
      'firehose:DeleteDeliveryStream',
      'firehose:UpdateDestination',
      'firehose:StopDeliveryStreamEncryption',
      'firehose:DescribeDeliveryStream',
    ]) {
      expect(`${action}: ${await firehose(action)}`).toBe(`${action}: ImplicitlyDenied`);
    }
    // Another service's stream.
    expect(await firehose('firehose:PutRecord', STREAM.replace('-api-', '-billing-'))).toBe('ImplicitlyDenied');
    // Nothing on the bucket: no read, no list.
    expect(await s3(TASK, 's3:GetObject', event, taskPolicies)).toBe('ImplicitlyDenied');
    expect(await s3(TASK, 's3:ListBucket', bucketArn, taskPolicies)).toBe('ImplicitlyDenied');
  });

  test('U5 the task role uses the audit key through Firehose only (the stream encryption), never directly or through S3', async () => {
    const kms = (action: string, via?: string) =>
      simulate({
        principal: TASK,
        action,
        resource: auditKeyArn,
        resourceAccount: A,
        identityPolicies: taskPolicies,
        resourcePolicy: keyPolicy,
        context: via ? { 'kms:ViaService': `${via}.us-east-1.amazonaws.com` } : {},
      });
    expect(await kms('kms:GenerateDataKey', 'firehose')).toBe('Allowed');
    expect(await kms('kms:Decrypt', 'firehose')).toBe('Allowed');
    expect(await kms('kms:Decrypt')).not.toBe('Allowed');
    expect(await kms('kms:Decrypt', 's3')).not.toBe('Allowed');
  });
});

// The access-audit volume check's role (U5 D1), over the same synthesized bucket and key policies: it reads the
// events and the audit key through S3, and cannot write, delete or alter an event.
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

const volumeS3 = (action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> =>
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
    expect(await volumeS3('s3:GetObject', event)).toBe('Allowed');
    expect(await volumeS3('s3:ListBucket', bucketArn, { 's3:prefix': 'events/service=api/' })).toBe('Allowed');
    expect(await volumeS3('s3:ListBucket', bucketArn, { 's3:prefix': 'errors/' })).toBe('ImplicitlyDenied');
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
      decisions[action] = await volumeS3(action, event);
    }
    for (const action of [
      's3:PutBucketPolicy',
      's3:PutBucketObjectLockConfiguration',
      's3:PutLifecycleConfiguration',
    ]) {
      decisions[action] = await volumeS3(action, bucketArn);
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
