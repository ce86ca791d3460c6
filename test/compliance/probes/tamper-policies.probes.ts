/**
 * Probes of the tamper policies (issue 12): each removes or weakens one allow-list or tamper deny in a
 * synthesized template and names the finding that must appear. Written per resource (type, select?, mutate,
 * caughtBy) and exported as PROBES in the probe set's shape, which run-probes.test.ts collects.
 */
import { SafeguardId } from '../../../constructs/core/safeguard-ids';
import { one, Probe, Templates } from './probe';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A template as the probes edit it. */
export interface ProbeTemplate {
  Resources: Record<string, Json>;
  [k: string]: unknown;
}

/** One probe: the resource it edits (first match of `type` and `select`), the edit, the finding that must catch it. */
export interface TamperPolicyProbe {
  /** Named after the safeguard it removes. */
  readonly name: string;
  readonly type: string;
  readonly select?: (r: Json) => boolean;
  readonly mutate: (t: ProbeTemplate, logicalId: string) => void;
  /** A new finding whose rule id matches this expression kills the probe. */
  readonly caughtBy: RegExp;
}

const statementsOf = (r: Json): Json[] =>
  r.Properties?.KeyPolicy?.Statement ?? r.Properties?.PolicyDocument?.Statement ?? [];
const sid = (r: Json, id: string): Json | undefined => statementsOf(r).find((s) => s.Sid === id);
const isNamedKey = (r: Json): boolean => r.Metadata?.['HipaaBlueprint::NamedKeyUsers'] !== undefined;
const isPhiBucket = (r: Json): boolean => r.Metadata?.['HipaaBlueprint::PhiStore'] === true;
const isArchive = (r: Json): boolean => r.Metadata?.['HipaaBlueprint::AuditArchive'] !== undefined;
const isAccessLogBucket = (r: Json): boolean =>
  r.Metadata?.['HipaaBlueprint::LogBucket'] !== undefined &&
  !isArchive(r) &&
  r.Properties?.BucketName === undefined &&
  r.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault
    ?.SSEAlgorithm === 'AES256';
const isInterfaceEndpoint = (r: Json): boolean => r.Properties?.VpcEndpointType === 'Interface';

/** The bucket policy of bucket `logicalId` in the template. */
function policyOf(t: ProbeTemplate, logicalId: string): Json {
  const policy = Object.values(t.Resources).find(
    (r) =>
      r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: logicalId }),
  );
  if (!policy) throw new Error(`no bucket policy for ${logicalId}`);
  return policy;
}

/** Removes statement `id` from the policy of bucket `logicalId` (throws when it is not there). */
function removeBucketStatement(t: ProbeTemplate, logicalId: string, id: string): void {
  const doc = policyOf(t, logicalId).Properties.PolicyDocument;
  const before = doc.Statement.length;
  doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== id);
  if (doc.Statement.length === before) throw new Error(`no statement ${id} on ${logicalId}`);
}

/** Statement `id` of the policy of bucket `logicalId` (throws when it is not there). */
function bucketStatement(t: ProbeTemplate, logicalId: string, id: string): Json {
  const statement = statementsOf(policyOf(t, logicalId)).find((s) => s.Sid === id);
  if (!statement) throw new Error(`no statement ${id} on ${logicalId}`);
  return statement;
}

/** Statement `id` of the resource's key policy (throws when it is not there). */
function keyStatement(t: ProbeTemplate, logicalId: string, id: string): Json {
  const s = sid(t.Resources[logicalId]!, id);
  if (!s) throw new Error(`no statement ${id} on ${logicalId}`);
  return s;
}

export const TAMPER_POLICY_PROBES: readonly TamperPolicyProbe[] = [
  {
    name: 'E1 PHI key usable through S3 by every principal of the account (allow-list condition removed)',
    type: 'AWS::KMS::Key',
    select: (r) => isNamedKey(r) && sid(r, 'MacieServiceLinkedRoleDecryptsForDiscovery') !== undefined,
    mutate: (t, id) => delete keyStatement(t, id, 'UseThroughS3ByNamedPrincipals').Condition.ArnEquals,
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::Statement\d+-whole-account-use\]/,
  },
  {
    name: 'E1 PHI key grants through RDS for every principal of the account',
    type: 'AWS::KMS::Key',
    select: (r) => isNamedKey(r) && sid(r, 'GrantsThroughRdsByNamedPrincipalsForAwsResources') !== undefined,
    mutate: (t, id) =>
      delete keyStatement(t, id, 'GrantsThroughRdsByNamedPrincipalsForAwsResources').Condition.ArnEquals,
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::Statement\d+-whole-account-use\]/,
  },
  {
    name: 'E1 PHI key allow-list widened to every role of the account (role/*)',
    type: 'AWS::KMS::Key',
    select: (r) => isNamedKey(r) && sid(r, 'UseThroughS3ByNamedPrincipals') !== undefined,
    mutate: (t, id) => {
      const s = keyStatement(t, id, 'UseThroughS3ByNamedPrincipals');
      const arns: string[] = s.Condition.ArnEquals['aws:PrincipalArn'];
      delete s.Condition.ArnEquals;
      s.Condition.ArnLike = { 'aws:PrincipalArn': arns[0]!.replace(/role\/.*$/, 'role/*') };
    },
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::Statement\d+-principal-arn-wildcard\]/,
  },
  {
    name: 'E1 audit key decryptable by every principal of the account (the former trail-log statement)',
    type: 'AWS::KMS::Key',
    select: (r) => isNamedKey(r) && sid(r, 'CloudTrailEncryptsThisAccountsTrails') !== undefined,
    mutate: (t, id) =>
      t.Resources[id]!.Properties.KeyPolicy.Statement.push({
        Sid: 'ThisAccountDecryptsTrailLogs',
        Effect: 'Allow',
        Principal: { AWS: keyStatement(t, id, 'KeyAdministrationByNamedRoles').Principal.AWS },
        Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': '123456789012' },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': '*' },
        },
      }),
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::Statement\d+-whole-account-use\]/,
  },
  {
    name: 'E1 backup key administered by every principal of the account (PutKeyPolicy delegated to IAM)',
    type: 'AWS::KMS::Key',
    select: (r) =>
      isNamedKey(r) &&
      sid(r, 'UseThroughBackupByNamedPrincipals') !== undefined &&
      sid(r, 'UseThroughS3ByNamedPrincipals') === undefined,
    mutate: (t, id) => delete keyStatement(t, id, 'KeyAdministrationByNamedRoles').Condition,
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::Statement\d+-whole-account-administration\]/,
  },
  {
    name: 'E1 root lockout path widened to the whole account',
    type: 'AWS::KMS::Key',
    select: isNamedKey,
    mutate: (t, id) => delete keyStatement(t, id, 'RootUserLockoutPath').Condition,
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::Statement\d+-whole-account-administration\]/,
  },
  {
    name: 'E1 A3 PHI bucket without its object access allow-list',
    type: 'AWS::S3::Bucket',
    select: isPhiBucket,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyObjectAccessOutsideTheAllowList'),
    caughtBy: /PhiBucketPrincipalAllowList\[ObjectAccess::no-exact-allow-list\]/,
  },
  {
    name: 'E1 A3 PHI bucket allow-list widened to every role of the account',
    type: 'AWS::S3::Bucket',
    select: isPhiBucket,
    mutate: (t, id) => {
      const s = policyOf(t, id).Properties.PolicyDocument.Statement.find(
        (x: Json) => x.Sid === 'DenyObjectAccessOutsideTheAllowList',
      );
      s.Condition = { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } };
    },
    caughtBy: /PhiBucketPrincipalAllowList\[ObjectAccess::no-exact-allow-list\]/,
  },
  {
    name: 'A3 task roles reach the PHI bucket from outside the VPC',
    type: 'AWS::S3::Bucket',
    select: (r) => isPhiBucket(r) && r.Metadata?.['HipaaBlueprint::PhiObjectAccess']?.vpcOnlyPrincipals === true,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyVpcOnlyPrincipalsOutsideTheirVpc'),
    caughtBy: /PhiBucketPrincipalAllowList\[VpcOnly::not-denied\]/,
  },
  {
    name: 'E1 PHI bucket policy replaceable by any administrator',
    type: 'AWS::S3::Bucket',
    select: isPhiBucket,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyBucketPolicyChangesExceptDeployment'),
    caughtBy: /PhiBucketPrincipalAllowList\[PolicyChanges::not-denied\]/,
  },
  {
    name: 'U2 audit archive object and version deletes allowed',
    type: 'AWS::S3::Bucket',
    select: isArchive,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyObjectDeletes'),
    caughtBy: /AuditArchiveTamperDenies\[ObjectDeletes::not-denied\]/,
  },
  {
    name: 'U2 audit archive Object Lock configuration and versioning changeable by anyone',
    type: 'AWS::S3::Bucket',
    select: isArchive,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyConfigurationChangesExceptDeployment'),
    caughtBy: /AuditArchiveTamperDenies\[LockConfiguration::not-denied\]/,
  },
  {
    name: 'U2 audit archive retention shortened, legal holds lifted, GOVERNANCE bypassed',
    type: 'AWS::S3::Bucket',
    select: isArchive,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyRetentionWeakening'),
    caughtBy: /AuditArchiveTamperDenies\[Retention::not-denied\]/,
  },
  {
    name: 'U2 audit archive writable by anything but the trail',
    type: 'AWS::S3::Bucket',
    select: isArchive,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyWritesExceptTheTrail'),
    caughtBy: /AuditArchiveTamperDenies\[Writes::not-limited-to-the-trail\]/,
  },
  {
    name: 'E1 PHI bucket inventory configurable by any administrator (a daily list of its keys sent to any bucket)',
    type: 'AWS::S3::Bucket',
    select: isPhiBucket,
    mutate: (t, id) => {
      const deny = bucketStatement(t, id, 'DenyConfigurationChangesExceptDeployment');
      deny.Action = deny.Action.filter((a: string) => a !== 's3:PutInventoryConfiguration');
    },
    caughtBy: /PhiBucketPrincipalAllowList\[Configuration::not-denied\]/,
  },
  {
    name: 'E1 A3 PHI bucket allow-list deny narrowed to six object actions (versions listed and deleted, tags and sizes read)',
    type: 'AWS::S3::Bucket',
    select: isPhiBucket,
    mutate: (t, id) => {
      bucketStatement(t, id, 'DenyObjectAccessOutsideTheAllowList').Action = [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
        's3:ReplicateObject',
        's3:DeleteObject',
        's3:ListBucket',
      ];
    },
    caughtBy: /PhiBucketPrincipalAllowList\[ObjectAccess::no-exact-allow-list\]/,
  },
  {
    name: 'E1 PHI bucket S3 Metadata tables configurable by any administrator (every key in a table outside its policy)',
    type: 'AWS::S3::Bucket',
    select: isPhiBucket,
    mutate: (t, id) => {
      const deny = bucketStatement(t, id, 'DenyConfigurationChangesExceptDeployment');
      deny.Action = deny.Action.filter((a: string) => a !== 's3:CreateBucketMetadataTableConfiguration');
    },
    caughtBy: /PhiBucketPrincipalAllowList\[Configuration::not-denied\]/,
  },
  {
    name: 'E2 PHI bucket objects movable to another KMS key in place (UpdateObjectEncryption)',
    type: 'AWS::S3::Bucket',
    select: isPhiBucket,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyObjectEncryptionUpdates'),
    caughtBy: /ObjectEncryptionUpdatesDenied\[ObjectEncryption::updates-not-denied\]/,
  },
  {
    name: 'U2 U6 audit archive objects movable to a key that can then be deleted (UpdateObjectEncryption)',
    type: 'AWS::S3::Bucket',
    select: isArchive,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyObjectEncryptionUpdates'),
    caughtBy: /ObjectEncryptionUpdatesDenied\[ObjectEncryption::updates-not-denied\]/,
  },
  {
    name: 'U3 U6 access log bucket objects movable to a key that can then be deleted (UpdateObjectEncryption)',
    type: 'AWS::S3::Bucket',
    select: isAccessLogBucket,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyObjectEncryptionUpdates'),
    caughtBy: /ObjectEncryptionUpdatesDenied\[ObjectEncryption::updates-not-denied\]/,
  },
  {
    name: 'U3 access log bucket versions deletable',
    type: 'AWS::S3::Bucket',
    select: isAccessLogBucket,
    mutate: (t, id) => removeBucketStatement(t, id, 'DenyObjectVersionDeletes'),
    caughtBy: /LogBucketVersionDeleteDeny\[VersionDeletes::not-denied\]/,
  },
  {
    name: 'N3 interface endpoint without a policy (the default admits any principal and resource)',
    type: 'AWS::EC2::VPCEndpoint',
    select: isInterfaceEndpoint,
    mutate: (t, id) => delete t.Resources[id]!.Properties.PolicyDocument,
    caughtBy: /VpcEndpointPolicyThisAccount\[PolicyDocument::none\]/,
  },
  {
    name: "N3 interface endpoint admitting other accounts' principals",
    type: 'AWS::EC2::VPCEndpoint',
    select: isInterfaceEndpoint,
    mutate: (t, id) => {
      for (const s of t.Resources[id]!.Properties.PolicyDocument.Statement)
        delete s.Condition.StringEquals['aws:PrincipalAccount'];
    },
    caughtBy: /VpcEndpointPolicyThisAccount\[Statement\d+-any-principal-account\]/,
  },
  {
    name: 'U2 trail no longer records deletes in the audit archive',
    type: 'AWS::CloudTrail::Trail',
    mutate: (t, id) => {
      const p = t.Resources[id]!.Properties;
      p.AdvancedEventSelectors = p.AdvancedEventSelectors.filter((s: Json) => s.Name !== 'AuditArchiveDeletes');
    },
    caughtBy: /TrailRecordsArchiveDeletes\[ArchiveDeletes::not-recorded\]/,
  },
  {
    name: 'U2 trail records every write in the audit archive (its own deliveries: a logging loop)',
    type: 'AWS::CloudTrail::Trail',
    mutate: (t, id) => {
      const s = t.Resources[id]!.Properties.AdvancedEventSelectors.find((x: Json) => x.Name === 'AuditArchiveDeletes');
      s.FieldSelectors = s.FieldSelectors.filter((f: Json) => f.Field !== 'eventName');
    },
    caughtBy: /TrailRecordsArchiveDeletes\[ArchiveDeletes::selects-deliveries\]/,
  },
  {
    name: "U2 trail records the deletes of another bucket whose logical id contains the audit archive's",
    type: 'AWS::CloudTrail::Trail',
    mutate: (t, id) => {
      const p = t.Resources[id]!.Properties;
      const copy = `${p.S3BucketName.Ref}Copy`;
      t.Resources[copy] = { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: {} };
      const s = p.AdvancedEventSelectors.find((x: Json) => x.Name === 'AuditArchiveDeletes');
      s.FieldSelectors.find((f: Json) => f.Field === 'resources.ARN').StartsWith = [
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [copy, 'Arn'] }, '/']] },
      ];
    },
    caughtBy: /TrailRecordsArchiveDeletes\[ArchiveDeletes::not-recorded\]/,
  },
];

/** The safeguards a tamper probe removes: the ids its name starts with, and U6 when its rule protects evidence. */
function safeguardsOf(probe: TamperPolicyProbe): SafeguardId[] {
  const named = (probe.name.match(/^(?:[A-Z]\d )+/)?.[0] ?? '').trim().split(' ') as SafeguardId[];
  const evidence = /AuditArchiveTamperDenies|LogBucketVersionDeleteDeny|VpcEndpointPolicyThisAccount|TrailRecords/;
  return evidence.test(probe.caughtBy.source) ? [...named, 'U6'] : named;
}

/**
 * The tamper probes in the probe set's shape (probe.ts), for run-probes.test.ts: each applies to the first stack
 * of the prod assembly, in deploy order, holding a matching resource.
 */
export const PROBES: readonly Probe[] = [
  ...TAMPER_POLICY_PROBES.map((probe): Probe => ({
    name: probe.name,
    safeguards: safeguardsOf(probe),
    caughtBy: probe.caughtBy,
    mutate: (t: Templates) => {
      for (const stack of ['keys', 'network', 'alerting', 'audit', 'detection', 'data', 'phiReplica', 'app']) {
        const template = t[stack];
        if (template === undefined) continue;
        const hit = Object.entries(template.Resources).find(
          ([, r]) => r.Type === probe.type && (probe.select?.(r) ?? true),
        );
        if (hit) return probe.mutate(template as ProbeTemplate, hit[0]);
      }
      throw new Error(`probe: no ${probe.type} matches`);
    },
  })),
  {
    name: 'U2 U6 audit archive replica writable by anyone (its write deny removed)',
    safeguards: ['U2', 'U6'],
    caughtBy: /AuditArchiveTamperDenies/,
    mutate: (t: Templates) => {
      const [id] = one(t, 'phiReplica', 'AWS::S3::Bucket', isArchive);
      removeBucketStatement(t.phiReplica as ProbeTemplate, id, 'DenyWritesExceptReplication');
    },
  },
  {
    name: 'U2 U6 audit archive replica object versions deletable',
    safeguards: ['U2', 'U6'],
    caughtBy: /AuditArchiveTamperDenies/,
    mutate: (t: Templates) => {
      const [id] = one(t, 'phiReplica', 'AWS::S3::Bucket', isArchive);
      removeBucketStatement(t.phiReplica as ProbeTemplate, id, 'DenyObjectDeletes');
    },
  },
];
