/**
 * E1 A3 U2 U3 U6 N3: the synthesized prod key, bucket, endpoint and service control policies evaluated as AWS
 * would, with the @cloud-copilot/iam-simulate policy simulator. Every principal holds AdministratorAccess in
 * IAM (the worst case), so what a row shows is what the resource-side policies (key policy, bucket policy,
 * endpoint policy, SCPs) admit; the task role is also evaluated with its own synthesized policy.
 *
 * The results table is in the README (between the tamper-simulation markers); this test fails when it is stale.
 * Regenerate it with `UPDATE_TAMPER_TABLE=1 npx jest test/compliance/tamper-policy-simulation.test.ts`.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildScpSet } from '../../lib/compliance/gate/scps/scp-set';
import {
  auditReplicationRoleArn,
  backupRoleArn,
  deploymentRoleArn,
  macieServiceLinkedRoleArn,
  phiDataBucketName,
  phiReplicaBucketName,
  replicationRoleArn,
  rootUserArn,
  taskRoleArns,
  trailName,
  validateConfig,
} from '../../lib/config';
import { buildTestBlueprint, TEST_ACCOUNT, testConfig } from '../support/blueprint';
import { ADMINISTRATOR_ACCESS, Decision, PolicyDocument, simulate, SimulatedRequest } from '../support/iam-simulation';
import { bucketNameOf, DeployTarget, keyArnOf, resolveIntrinsics } from '../support/resolve-intrinsics';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = TEST_ACCOUNT;
const OTHER_ACCOUNT = '999999999999';
const role = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const config = validateConfig(
  testConfig('prod', {
    keyAdminRoleArns: [role('KeyAdmin')],
    databaseAdminRoleArns: [role('DatabaseAdmin')],
    auditReaderRoleArns: [role('AuditReader')],
  }),
);
const { stage } = buildTestBlueprint(config);
const MAIN: DeployTarget = { account: A, region: 'us-east-1', partition: 'aws' };
const REPLICA: DeployTarget = { ...MAIN, region: 'us-west-2' };

const templates = {
  keys: Template.fromStack(stage.keys).toJSON(),
  data: Template.fromStack(stage.data).toJSON(),
  audit: Template.fromStack(stage.audit).toJSON(),
  replica: Template.fromStack(stage.phiReplica).toJSON(),
  network: Template.fromStack(stage.network).toJSON(),
  app: Template.fromStack(stage.app).toJSON(),
};

/** The logical id of the one resource of `type` in `template` that `pick` selects. */
function only(template: Json, type: string, pick: (r: Json) => boolean = () => true): string {
  const ids = Object.entries(template.Resources as Record<string, Json>)
    .filter(([, r]) => r.Type === type && pick(r))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
}
const sids = (r: Json): string[] => (r.Properties.KeyPolicy?.Statement ?? []).map((s: Json) => s.Sid);
const keyPolicy = (template: Json, target: DeployTarget, id: string): PolicyDocument =>
  resolveIntrinsics(template.Resources[id].Properties.KeyPolicy, template, target);
function bucketPolicy(template: Json, target: DeployTarget, bucketId: string): PolicyDocument {
  const policyId = only(
    template,
    'AWS::S3::BucketPolicy',
    (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
  );
  return resolveIntrinsics(template.Resources[policyId].Properties.PolicyDocument, template, target);
}
function endpointPolicy(service: string): PolicyDocument {
  const id = only(
    templates.network,
    'AWS::EC2::VPCEndpoint',
    (r) =>
      JSON.stringify(r.Properties.ServiceName).endsWith(`.${service}"`) && r.Properties.PolicyDocument !== undefined,
  );
  return resolveIntrinsics(templates.network.Resources[id].Properties.PolicyDocument, templates.network, MAIN);
}

// Keys.
const phiKeyId = only(templates.keys, 'AWS::KMS::Key', (r) =>
  sids(r).includes('MacieServiceLinkedRoleDecryptsForDiscovery'),
);
const auditKeyId = only(templates.keys, 'AWS::KMS::Key', (r) =>
  sids(r).includes('CloudTrailEncryptsThisAccountsTrails'),
);
const backupKeyId = only(
  templates.keys,
  'AWS::KMS::Key',
  (r) => sids(r).includes('UseThroughBackupByNamedPrincipals') && !sids(r).includes('UseThroughS3ByNamedPrincipals'),
);
const keyOfDomain = (domain: string) => (r: Json) => r.Metadata?.['HipaaBlueprint::KeyDomain'] === domain;
const replicaKeyId = only(templates.replica, 'AWS::KMS::Key', keyOfDomain('phi-replica'));
const auditReplicaKeyId = only(templates.replica, 'AWS::KMS::Key', keyOfDomain('audit-replica'));
const keys = {
  phi: { arn: keyArnOf(MAIN, phiKeyId), policy: keyPolicy(templates.keys, MAIN, phiKeyId) },
  audit: { arn: keyArnOf(MAIN, auditKeyId), policy: keyPolicy(templates.keys, MAIN, auditKeyId) },
  backup: { arn: keyArnOf(MAIN, backupKeyId), policy: keyPolicy(templates.keys, MAIN, backupKeyId) },
  replica: { arn: keyArnOf(REPLICA, replicaKeyId), policy: keyPolicy(templates.replica, REPLICA, replicaKeyId) },
  auditReplica: {
    arn: keyArnOf(REPLICA, auditReplicaKeyId),
    policy: keyPolicy(templates.replica, REPLICA, auditReplicaKeyId),
  },
};

// Buckets.
const isPhi = (r: Json): boolean => r.Metadata?.['HipaaBlueprint::PhiStore'] === true;
const phiBucketId = only(templates.data, 'AWS::S3::Bucket', isPhi);
const replicaBucketId = only(templates.replica, 'AWS::S3::Bucket', isPhi);
const archiveReplicaId = only(
  templates.replica,
  'AWS::S3::Bucket',
  (r) => r.Metadata?.['HipaaBlueprint::AuditArchive'] !== undefined,
);
const archiveId = only(
  templates.audit,
  'AWS::S3::Bucket',
  (r) => r.Metadata?.['HipaaBlueprint::AuditArchive'] !== undefined,
);
const appLogsId = only(templates.app, 'AWS::S3::Bucket');
const buckets = {
  phi: { name: phiDataBucketName(config), policy: bucketPolicy(templates.data, MAIN, phiBucketId) },
  replica: { name: phiReplicaBucketName(config), policy: bucketPolicy(templates.replica, REPLICA, replicaBucketId) },
  archive: { name: bucketNameOf(templates.audit, archiveId), policy: bucketPolicy(templates.audit, MAIN, archiveId) },
  archiveReplica: {
    name: bucketNameOf(templates.replica, archiveReplicaId),
    policy: bucketPolicy(templates.replica, REPLICA, archiveReplicaId),
  },
  accessLogs: { name: bucketNameOf(templates.app, appLogsId), policy: bucketPolicy(templates.app, MAIN, appLogsId) },
};

/** The PHI VPC id as the PHI bucket policy names it (a cross-stack value, resolved to a stand-in). */
const phiVpc = (buckets.phi.policy.Statement as Json[]).find((s) => s.Sid === 'DenyVpcOnlyPrincipalsOutsideTheirVpc')
  .Condition.StringNotEquals['aws:SourceVpc'] as string;

/** The task role's own synthesized policy (PhiAccessPolicy), for the realistic rows. */
const taskPolicyId = only(templates.app, 'AWS::IAM::ManagedPolicy', (r) =>
  JSON.stringify(r.Properties.Description ?? '').includes('the PHI this workload may read and write'),
);
const taskOwnPolicy = resolveIntrinsics(
  templates.app.Resources[taskPolicyId].Properties.PolicyDocument,
  templates.app,
  MAIN,
);

const principals: Record<string, string> = {
  'account administrator': role('Administrator'),
  'key administrator': role('KeyAdmin'),
  'database administrator': role('DatabaseAdmin'),
  'audit reader': role('AuditReader'),
  'api task role': taskRoleArns(config)[0]!,
  'PHI data replication role': replicationRoleArn(config, 'data'),
  'PHI replica replication role': replicationRoleArn(config, 'replica'),
  'audit archive replication role': auditReplicationRoleArn(config),
  'AWS Backup role': backupRoleArn(config),
  'deployment role': deploymentRoleArn(config, config.region),
  'root user': rootUserArn(config),
  'Macie service-linked role': macieServiceLinkedRoleArn(config),
  CloudTrail: 'cloudtrail.amazonaws.com',
  'another account': `arn:aws:iam::${OTHER_ACCOUNT}:role/Outsider`,
};

/** One row of the table: who, what, on what, how (the path of the request), and the decision AWS must take. */
interface Row {
  readonly who: keyof typeof principals;
  readonly action: string;
  readonly on: string;
  readonly how: string;
  readonly expect: 'allowed' | 'denied';
  readonly request: Omit<SimulatedRequest, 'principal' | 'action'>;
}

const via = (service: string, region = 'us-east-1'): Record<string, string> => ({
  'kms:ViaService': `${service}.${region}.amazonaws.com`,
});
const kms = (key: keyof typeof keys, context: Record<string, string> = {}): Row['request'] => ({
  resource: keys[key].arn,
  resourceAccount: A,
  resourcePolicy: keys[key].policy,
  identityPolicies: [ADMINISTRATOR_ACCESS],
  context,
  region: key === 'replica' || key === 'auditReplica' ? 'us-west-2' : 'us-east-1',
});
const s3 = (bucket: keyof typeof buckets, key?: string, context: Record<string, string> = {}): Row['request'] => ({
  resource: `arn:aws:s3:::${buckets[bucket].name}${key === undefined ? '' : `/${key}`}`,
  resourceAccount: A,
  resourcePolicy: buckets[bucket].policy,
  identityPolicies: [ADMINISTRATOR_ACCESS],
  context: { 's3:TlsVersion': '1.3', ...context },
  region: bucket === 'replica' || bucket === 'archiveReplica' ? 'us-west-2' : 'us-east-1',
});
const inVpc = { 'aws:SourceVpc': phiVpc };
/** The default key policy (the account root, all of KMS): SCP rows on keys use it, so only the SCPs can deny. */
const DEFAULT_KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' }],
};
const trailArn = `arn:aws:cloudtrail:us-east-1:${A}:trail/${trailName(config)}`;
const phiObject = 'api/rec-0001.json';
const archiveObject = `AWSLogs/${A}/CloudTrail/us-east-1/2026/01/01/${A}_CloudTrail_us-east-1_0001.json.gz`;
const auditContext = { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn };
const scps = buildScpSet(config).map((s) => s.document as unknown as PolicyDocument);
const scp = (
  resource: string,
  context: Record<string, string> = {},
  region = 'us-east-1',
  resourcePolicy?: PolicyDocument,
): Row['request'] => ({
  resource,
  resourceAccount: A,
  identityPolicies: [ADMINISTRATOR_ACCESS],
  scps,
  context,
  region,
  resourcePolicy,
});
const endpoint = (service: string, resource: string, resourceAccount = A, context: Record<string, string> = {}) => ({
  resource,
  resourceAccount,
  identityPolicies: [ADMINISTRATOR_ACCESS],
  // The other side admits the request (e.g. a topic or secret of another account open to writes): only the
  // endpoint policy stands between.
  resourcePolicy: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  },
  endpointPolicies: [endpointPolicy(service)],
  context: resource === '*' ? context : { 'aws:ResourceAccount': resourceAccount, ...context },
});

const ROWS: readonly Row[] = [
  // The PHI key (E1).
  ...(
    [
      ['account administrator', 'denied'],
      ['key administrator', 'denied'],
      ['database administrator', 'denied'],
      ['deployment role', 'denied'],
      ['root user', 'denied'],
      ['api task role', 'allowed'],
      ['PHI data replication role', 'allowed'],
      ['AWS Backup role', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:Decrypt',
    on: 'PHI key',
    how: 'through S3',
    expect,
    request: kms('phi', via('s3')),
  })),
  {
    who: 'account administrator',
    action: 'kms:Decrypt',
    on: 'PHI key',
    how: 'directly',
    expect: 'denied',
    request: kms('phi'),
  },
  {
    who: 'Macie service-linked role',
    action: 'kms:Decrypt',
    on: 'PHI key',
    how: 'directly',
    expect: 'allowed',
    request: kms('phi'),
  },
  ...(
    [
      ['account administrator', 'denied'],
      ['deployment role', 'allowed'],
      ['database administrator', 'allowed'],
      ['AWS Backup role', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:CreateGrant',
    on: 'PHI key',
    how: 'through RDS, for an AWS resource',
    expect,
    request: kms('phi', { ...via('rds'), 'kms:GrantIsForAWSResource': 'true' }),
  })),
  ...(
    [
      ['account administrator', 'denied'],
      ['database administrator', 'denied'],
      ['api task role', 'denied'],
      ['key administrator', 'allowed'],
      ['deployment role', 'allowed'],
      ['root user', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:PutKeyPolicy',
    on: 'PHI key',
    how: 'directly',
    expect,
    request: kms('phi'),
  })),
  {
    who: 'account administrator',
    action: 'kms:ScheduleKeyDeletion',
    on: 'PHI key',
    how: 'directly',
    expect: 'denied',
    request: kms('phi'),
  },
  {
    who: 'account administrator',
    action: 'kms:DescribeKey',
    on: 'PHI key',
    how: 'directly',
    expect: 'allowed',
    request: kms('phi'),
  },
  // The audit key (E1, U2).
  ...(
    [
      ['account administrator', 'denied'],
      ['key administrator', 'denied'],
      ['audit reader', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:Decrypt',
    on: 'audit key',
    how: 'through S3, a trail log file',
    expect,
    request: kms('audit', { ...via('s3'), ...auditContext }),
  })),
  {
    who: 'account administrator',
    action: 'kms:Decrypt',
    on: 'audit key',
    how: 'directly, a trail log file',
    expect: 'denied',
    request: kms('audit', auditContext),
  },
  {
    who: 'account administrator',
    action: 'kms:PutKeyPolicy',
    on: 'audit key',
    how: 'directly',
    expect: 'denied',
    request: kms('audit'),
  },
  // The backup key (E1, I1).
  ...(
    [
      ['account administrator', 'denied'],
      ['AWS Backup role', 'allowed'],
      ['deployment role', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:Decrypt',
    on: 'backup key',
    how: 'through AWS Backup',
    expect,
    request: kms('backup', via('backup')),
  })),
  // The PHI replica key (E1), in the replica region.
  ...(
    [
      ['account administrator', 'denied'],
      ['PHI data replication role', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:Encrypt',
    on: 'PHI replica key',
    how: 'through S3 (us-west-2)',
    expect,
    request: kms('replica', via('s3', 'us-west-2')),
  })),
  // The PHI bucket (E1, A3).
  ...(
    [
      ['account administrator', 'denied'],
      ['key administrator', 'denied'],
      ['deployment role', 'denied'],
      ['root user', 'denied'],
      ['PHI data replication role', 'allowed'],
      ['AWS Backup role', 'allowed'],
      ['Macie service-linked role', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 's3:GetObject',
    on: 'PHI bucket object',
    how: 'from anywhere',
    expect,
    request: s3('phi', phiObject),
  })),
  {
    who: 'api task role',
    action: 's3:GetObject',
    on: 'PHI bucket object',
    how: 'through the PHI VPC',
    expect: 'allowed',
    request: s3('phi', phiObject, inVpc),
  },
  {
    who: 'api task role',
    action: 's3:GetObject',
    on: 'PHI bucket object',
    how: 'from outside the VPC',
    expect: 'denied',
    request: s3('phi', phiObject),
  },
  {
    who: 'api task role',
    action: 's3:GetObject',
    on: 'PHI bucket object',
    how: 'through the PHI VPC, with its own policy only',
    expect: 'allowed',
    request: { ...s3('phi', phiObject, inVpc), identityPolicies: [taskOwnPolicy] },
  },
  {
    who: 'api task role',
    action: 's3:GetObject',
    on: "another service's prefix",
    how: 'through the PHI VPC, with its own policy only',
    expect: 'denied',
    request: { ...s3('phi', 'billing/rec-0001.json', inVpc), identityPolicies: [taskOwnPolicy] },
  },
  {
    who: 'account administrator',
    action: 's3:ListBucket',
    on: 'PHI bucket',
    how: 'from anywhere',
    expect: 'denied',
    request: s3('phi'),
  },
  {
    who: 'account administrator',
    action: 's3:PutBucketPolicy',
    on: 'PHI bucket',
    how: 'directly',
    expect: 'denied',
    request: s3('phi'),
  },
  {
    who: 'deployment role',
    action: 's3:PutBucketPolicy',
    on: 'PHI bucket',
    how: 'directly',
    expect: 'allowed',
    request: s3('phi'),
  },
  {
    who: 'account administrator',
    action: 's3:GetObject',
    on: 'PHI replica bucket object',
    how: 'from anywhere',
    expect: 'denied',
    request: s3('replica', phiObject),
  },
  {
    who: 'PHI data replication role',
    action: 's3:ReplicateObject',
    on: 'PHI replica bucket object',
    how: 'S3 replication',
    expect: 'allowed',
    request: s3('replica', phiObject),
  },
  // The audit archive (U2, U6).
  ...(
    [
      ['account administrator', 'denied'],
      ['deployment role', 'denied'],
      ['root user', 'denied'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 's3:DeleteObjectVersion',
    on: 'audit archive object',
    how: 'directly',
    expect,
    request: s3('archive', archiveObject),
  })),
  {
    who: 'account administrator',
    action: 's3:DeleteObject',
    on: 'audit archive object',
    how: 'directly',
    expect: 'denied',
    request: s3('archive', archiveObject),
  },
  {
    who: 'account administrator',
    action: 's3:BypassGovernanceRetention',
    on: 'audit archive object',
    how: 'directly',
    expect: 'denied',
    request: s3('archive', archiveObject),
  },
  {
    who: 'deployment role',
    action: 's3:PutObjectRetention',
    on: 'audit archive object',
    how: 'directly',
    expect: 'denied',
    request: s3('archive', archiveObject),
  },
  {
    who: 'account administrator',
    action: 's3:PutBucketObjectLockConfiguration',
    on: 'audit archive',
    how: 'directly',
    expect: 'denied',
    request: s3('archive'),
  },
  {
    who: 'account administrator',
    action: 's3:PutBucketVersioning',
    on: 'audit archive',
    how: 'directly',
    expect: 'denied',
    request: s3('archive'),
  },
  {
    who: 'deployment role',
    action: 's3:PutBucketObjectLockConfiguration',
    on: 'audit archive',
    how: 'a deploy',
    expect: 'allowed',
    request: s3('archive'),
  },
  {
    who: 'account administrator',
    action: 's3:PutObject',
    on: 'audit archive object',
    how: 'directly',
    expect: 'denied',
    request: s3('archive', archiveObject),
  },
  {
    who: 'CloudTrail',
    action: 's3:PutObject',
    on: 'audit archive object',
    how: 'delivery for this trail',
    expect: 'allowed',
    request: {
      ...s3('archive', archiveObject, {
        'aws:SourceArn': trailArn,
        'aws:SourceAccount': A,
        's3:x-amz-acl': 'bucket-owner-full-control',
      }),
      identityPolicies: [],
    },
  },
  {
    who: 'CloudTrail',
    action: 's3:PutObject',
    on: 'audit archive object',
    how: 'delivery for another trail',
    expect: 'denied',
    request: {
      ...s3('archive', archiveObject, {
        'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${A}:trail/other`,
        'aws:SourceAccount': A,
        's3:x-amz-acl': 'bucket-owner-full-control',
      }),
      identityPolicies: [],
    },
  },
  // The audit archive's replication (U2, U6): only its role reads the archive's keys and writes the replica.
  ...(
    [
      ['audit archive replication role', 'allowed'],
      ['audit reader', 'allowed'],
      ['account administrator', 'denied'],
      ['PHI data replication role', 'denied'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:Decrypt',
    on: 'audit key',
    how: 'through S3',
    expect,
    request: kms('audit', via('s3')),
  })),
  ...(
    [
      ['audit archive replication role', 'allowed'],
      ['account administrator', 'denied'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:GenerateDataKey',
    on: 'audit replica key',
    how: 'through S3',
    expect,
    request: kms('auditReplica', via('s3', 'us-west-2')),
  })),
  ...(
    [
      ['audit archive replication role', 'allowed'],
      ['account administrator', 'denied'],
      ['PHI data replication role', 'denied'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 's3:ReplicateObject',
    on: 'audit archive replica object',
    how: 'replication',
    expect,
    request: s3('archiveReplica', archiveObject),
  })),
  ...(
    [
      ['account administrator', 's3:PutObject'],
      ['audit archive replication role', 's3:PutObject'],
      ['account administrator', 's3:DeleteObjectVersion'],
      ['root user', 's3:DeleteObjectVersion'],
      ['deployment role', 's3:PutObjectRetention'],
      ['audit archive replication role', 's3:ReplicateDelete'],
    ] as const
  ).map(([who, action]): Row => ({
    who,
    action,
    on: 'audit archive replica object',
    how: 'directly',
    expect: 'denied',
    request: s3('archiveReplica', archiveObject),
  })),
  {
    who: 'account administrator',
    action: 's3:PutBucketObjectLockConfiguration',
    on: 'audit archive replica',
    how: 'directly',
    expect: 'denied',
    request: s3('archiveReplica'),
  },
  // Access logs (U3).
  {
    who: 'account administrator',
    action: 's3:DeleteObjectVersion',
    on: 'access log object',
    how: 'directly',
    expect: 'denied',
    request: s3('accessLogs', 'alb/AWSLogs/x.log.gz'),
  },
  // Interface endpoints (N3).
  {
    who: 'api task role',
    action: 'sns:Publish',
    on: 'topic of this account',
    how: 'sns endpoint',
    expect: 'allowed',
    request: endpoint('sns', `arn:aws:sns:us-east-1:${A}:hipaa-prod-alerting-topic`),
  },
  {
    who: 'api task role',
    action: 'sns:Publish',
    on: 'topic of another account',
    how: 'sns endpoint',
    expect: 'denied',
    request: endpoint('sns', `arn:aws:sns:us-east-1:${OTHER_ACCOUNT}:drop`, OTHER_ACCOUNT),
  },
  {
    who: 'api task role',
    action: 'secretsmanager:PutSecretValue',
    on: 'secret of another account',
    how: 'secretsmanager endpoint',
    expect: 'denied',
    request: endpoint(
      'secretsmanager',
      `arn:aws:secretsmanager:us-east-1:${OTHER_ACCOUNT}:secret:drop-AbCdEf`,
      OTHER_ACCOUNT,
    ),
  },
  {
    who: 'another account',
    action: 'sns:Publish',
    on: 'topic of this account',
    how: 'sns endpoint',
    expect: 'denied',
    request: endpoint('sns', `arn:aws:sns:us-east-1:${A}:hipaa-prod-alerting-topic`),
  },
  {
    who: 'api task role',
    action: 'ecr:GetAuthorizationToken',
    on: '*',
    how: 'ecr.api endpoint',
    expect: 'allowed',
    request: endpoint('ecr.api', '*'),
  },
  // Service control policies (V1, U6), with FullAWSAccess above them.
  {
    who: 'account administrator',
    action: 'cloudtrail:StopLogging',
    on: 'the trail',
    how: 'SCP',
    expect: 'denied',
    request: scp(trailArn),
  },
  {
    who: 'deployment role',
    action: 'cloudtrail:StopLogging',
    on: 'the trail',
    how: 'SCP',
    expect: 'allowed',
    request: scp(trailArn),
  },
  {
    who: 'account administrator',
    action: 'cloudtrail:PutEventSelectors',
    on: 'the trail',
    how: 'SCP',
    expect: 'denied',
    request: scp(trailArn),
  },
  {
    who: 'account administrator',
    action: 's3:PutBucketPolicy',
    on: 'PHI bucket',
    how: 'SCP',
    expect: 'denied',
    request: scp(`arn:aws:s3:::${buckets.phi.name}`),
  },
  {
    who: 'account administrator',
    action: 's3:PutBucketPolicy',
    on: "another team's bucket",
    how: 'SCP',
    expect: 'allowed',
    request: scp('arn:aws:s3:::other-team-bucket'),
  },
  ...(
    [
      ['account administrator', 'denied'],
      ['key administrator', 'denied'],
      ['deployment role', 'allowed'],
    ] as const
  ).map(([who, expect]): Row => ({
    who,
    action: 'kms:PutKeyPolicy',
    on: 'PHI key',
    how: 'SCP, under the default key policy',
    expect,
    request: scp(keys.phi.arn, {}, 'us-east-1', DEFAULT_KEY_POLICY),
  })),
  {
    who: 'account administrator',
    action: 'kms:CreateGrant',
    on: 'PHI key',
    how: 'SCP, a grant for itself, under the default key policy',
    expect: 'denied',
    request: scp(keys.phi.arn, { 'kms:GrantIsForAWSResource': 'false' }, 'us-east-1', DEFAULT_KEY_POLICY),
  },
  {
    who: 'database administrator',
    action: 'kms:CreateGrant',
    on: 'PHI key',
    how: 'SCP, a grant RDS makes, under the default key policy',
    expect: 'allowed',
    request: scp(keys.phi.arn, { ...via('rds'), 'kms:GrantIsForAWSResource': 'true' }, 'us-east-1', DEFAULT_KEY_POLICY),
  },
  {
    who: 'account administrator',
    action: 'guardduty:DeleteDetector',
    on: 'detector',
    how: 'SCP',
    expect: 'denied',
    request: scp(`arn:aws:guardduty:us-east-1:${A}:detector/0123456789abcdef0123456789abcdef`),
  },
  {
    who: 'account administrator',
    action: 'securityhub:DisableSecurityHub',
    on: 'hub',
    how: 'SCP',
    expect: 'denied',
    request: scp(`arn:aws:securityhub:us-east-1:${A}:hub/default`),
  },
  {
    who: 'account administrator',
    action: 'macie2:UpdateMacieSession',
    on: 'Macie',
    how: 'SCP',
    expect: 'denied',
    request: scp('*'),
  },
  {
    who: 'account administrator',
    action: 'config:StopConfigurationRecorder',
    on: 'recorder',
    how: 'SCP',
    expect: 'denied',
    request: scp('*'),
  },
  {
    who: 'account administrator',
    action: 'logs:DeleteLogGroup',
    on: 'trail log group',
    how: 'SCP',
    expect: 'denied',
    request: scp(`arn:aws:logs:us-east-1:${A}:log-group:trail`),
  },
  {
    who: 'account administrator',
    action: 'lambda:PutFunctionConcurrency',
    on: 'alert formatter',
    how: 'SCP',
    expect: 'denied',
    request: scp(`arn:aws:lambda:us-east-1:${A}:function:hipaa-prod-alerting-formatter`),
  },
  {
    who: 'account administrator',
    action: 'backup:DeleteBackupPlan',
    on: 'backup plan',
    how: 'SCP',
    expect: 'denied',
    request: scp(`arn:aws:backup:us-east-1:${A}:backup-plan:plan-id`),
  },
  {
    who: 'AWS Backup role',
    action: 'backup:DeleteRecoveryPoint',
    on: 'recovery point',
    how: 'SCP, lifecycle',
    expect: 'allowed',
    request: scp(`arn:aws:backup:us-east-1:${A}:recovery-point:rp-1`),
  },
  {
    who: 'account administrator',
    action: 'rds:ModifyDBSnapshotAttribute',
    on: 'database snapshot',
    how: 'SCP, share',
    expect: 'denied',
    request: scp(`arn:aws:rds:us-east-1:${A}:snapshot:phi-snap`),
  },
  {
    who: 'account administrator',
    action: 'iam:UpdateAssumeRolePolicy',
    on: 'api task role',
    how: 'SCP',
    expect: 'denied',
    request: scp(taskRoleArns(config)[0]!),
  },
  {
    who: 'account administrator',
    action: 'iam:PassRole',
    on: 'api task role',
    how: 'SCP',
    expect: 'denied',
    request: scp(taskRoleArns(config)[0]!),
  },
  {
    who: 'account administrator',
    action: 'ec2:DescribeInstances',
    on: '*',
    how: 'SCP, eu-central-1',
    expect: 'denied',
    request: scp('*', {}, 'eu-central-1'),
  },
  {
    who: 'account administrator',
    action: 'ec2:DescribeInstances',
    on: '*',
    how: 'SCP, us-west-2',
    expect: 'allowed',
    request: scp('*', {}, 'us-west-2'),
  },
  {
    who: 'account administrator',
    action: 'iam:ListRoles',
    on: '*',
    how: 'SCP, global service',
    expect: 'allowed',
    request: scp('*', {}, 'eu-central-1'),
  },
  {
    who: 'account administrator',
    action: 'lightsail:CreateInstances',
    on: '*',
    how: 'SCP, not HIPAA eligible',
    expect: 'denied',
    request: scp('*'),
  },
];

const label = (d: Decision): string =>
  d === 'Allowed' ? 'allowed' : d === 'ExplicitlyDenied' ? 'denied (explicit deny)' : 'denied (no allow)';

let table = '';
const results: { row: Row; decision: Decision }[] = [];

beforeAll(async () => {
  for (const row of ROWS) {
    const decision = await simulate({ ...row.request, principal: principals[row.who]!, action: row.action });
    results.push({ row, decision });
  }
  table = [
    '| Principal | Action | Resource | How | Result |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      ({ row, decision }) => `| ${row.who} | \`${row.action}\` | ${row.on} | ${row.how} | ${label(decision)} |`,
    ),
  ].join('\n');
});

describe('tamper policies evaluated with the IAM policy simulator (prod)', () => {
  test('the PHI buckets are the ones named in lib/config/names.ts', () => {
    expect(bucketNameOf(templates.data, phiBucketId)).toBe(buckets.phi.name);
    expect(bucketNameOf(templates.replica, replicaBucketId)).toBe(buckets.replica.name);
  });

  test('E1 no account administrator outside the allow-lists can decrypt PHI or audit data, or change a key policy', () => {
    const admin = results.filter(
      ({ row }) => row.who === 'account administrator' && /^kms:(Decrypt|PutKeyPolicy|CreateGrant)$/.test(row.action),
    );
    expect(admin.length).toBeGreaterThanOrEqual(6);
    expect(
      admin.filter(({ decision }) => decision === 'Allowed').map(({ row }) => `${row.action} ${row.on} ${row.how}`),
    ).toEqual([]);
  });

  test('E1 A3 U2 U3 N3 U6 V1 every row is decided as expected', () => {
    const wrong = results
      .filter(({ row, decision }) => (decision === 'Allowed') !== (row.expect === 'allowed'))
      .map(
        ({ row, decision }) =>
          `${row.who} ${row.action} ${row.on} (${row.how}): expected ${row.expect}, got ${decision}`,
      );
    expect(wrong).toEqual([]);
  });

  test('the README results table is the one this test produces', () => {
    const readmePath = join(__dirname, '..', '..', 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const begin = '<!-- tamper-simulation:begin -->';
    const end = '<!-- tamper-simulation:end -->';
    const section = `${begin}\n${table}\n${end}`;
    const current = readme.slice(readme.indexOf(begin), readme.indexOf(end) + end.length);
    if (process.env.UPDATE_TAMPER_TABLE === '1' && readme.includes(begin)) {
      writeFileSync(readmePath, readme.replace(current, section));
      return;
    }
    expect(current).toBe(section);
  });
});
