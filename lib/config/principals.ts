/**
 * Who may use what (E1, A3): the exact IAM principals each customer-managed key and each PHI bucket admits,
 * derived from the validated config and the names of lib/config/names.ts. Principals of stacks deployed after
 * the keys stack cannot be referenced from it (references flow keys -> data -> app), so they are named by ARN:
 * every role listed here has a fixed name.
 *
 * Why each principal is on a list (the AWS documentation that says the service needs it):
 * - CloudFormation execution role (CDK bootstrap `cfn-exec-role`): administers every key, because KMS refuses a
 *   key policy that does not let its creator call PutKeyPolicy ("Default key policy", AWS KMS Developer Guide:
 *   the policy lockout safety check), and CloudFormation updates the policy on deploy. It uses the PHI key through
 *   RDS ("When RDS uses a customer managed key ... it acts on behalf of the user who is creating or changing the
 *   RDS resource": kms:CreateGrant and kms:DescribeKey, Amazon RDS User Guide, "AWS KMS key management"), and the
 *   backup key through AWS Backup (creating a vault with a customer managed key needs kms:CreateGrant,
 *   kms:DescribeKey, kms:Decrypt, kms:GenerateDataKey, AWS Backup Developer Guide, "Backup vault creation").
 *   It describes the PHI key when it creates the ECS cluster with Fargate ephemeral storage encryption ("Allow
 *   describe key permission for cluster operator", Amazon ECS Developer Guide): DescribeKey is readable in the
 *   account (READ_ACTIONS of ManagedKey).
 * - Each service's task role: reads and writes its prefix of the PHI bucket; S3 calls KMS with the caller's
 *   credentials (kms:ViaService s3), so the role must be admitted on the PHI key through S3.
 * - The two S3 replication roles: replication reads source objects with the role (kms:Decrypt on the source
 *   key through S3) and writes replicas with it (kms:Encrypt on the destination key through S3)
 *   ("Replicating encrypted objects", Amazon S3 User Guide), and they read and write the PHI buckets' objects.
 * - The AWS Backup role: "Your IAM role must have access to the KMS key being used to back up and restore the
 *   object" ("Encryption for backups in AWS Backup"); its AWS managed S3 backup and restore policies use the
 *   source key through S3, and RDS snapshots and restores go through RDS on its behalf.
 * - Macie's service-linked role (AWSServiceRoleForAmazonMacie): kms:Decrypt on the PHI key to classify
 *   SSE-KMS objects ("Analyzing encrypted S3 objects", Amazon Macie User Guide), and read access to the bucket.
 * - Database administrators (config databaseAdminRoleArns): the PHI key through RDS, for snapshot copy and
 *   restore and instance changes (RDS acts on behalf of the user, as above).
 * - The access-audit delivery role (U5): Firehose writes the events to their bucket with it, SSE-KMS with the audit
 *   key ("Grant Firehose access to an Amazon S3 destination", Amazon Data Firehose Developer Guide).
 * - Each service's task role, on the audit key through Firehose only: a PutRecord caller of a stream encrypted with a
 *   customer-managed key needs kms:GenerateDataKey and kms:Decrypt (Firehose, from April 2026).
 * - The findings archive's delivery role (D2): Firehose writes Security Hub findings into the archive with it, SSE-KMS
 *   with the audit key (as the access-audit delivery role); the findings archive's export role: EventBridge puts the
 *   findings into the stream with it, and the stream is encrypted with the audit key (a PutRecord caller needs
 *   kms:GenerateDataKey and kms:Decrypt through Firehose). GuardDuty's own exports use the key as a service
 *   principal (KeyUsage guardDutyFindingsExport, constructs/managed-key.ts). EventBridge dead-letters the findings it
 *   could not put into the streams into an SQS queue under the audit key, as the service principal
 *   events.amazonaws.com (SQS uses the key on the sender's behalf: GenerateDataKey and Decrypt), only for the archive's
 *   two named rules (aws:SourceArn; ManagedKey deadLetterRuleArns).
 * - Audit readers (config auditReaderRoleArns): the audit key through S3 (reading the archive and the AWS
 *   Config delivery) and trail log file decryption.
 * - The root user (aws:PrincipalArn arn:<partition>:iam::<account>:root): administration only, the lockout
 *   path when the named administrators are gone; its every use raises the RootAccountUsage alarm.
 * Service principals (CloudWatch Logs, CloudTrail, AWS Config, Fargate) keep their own statements, scoped by
 * encryption context or source account (constructs/managed-key.ts).
 */
import type { KeyDomain } from '../../constructs/key-usage';
import { BACKUP_SERVICE_LINKED_ROLE } from '../../constructs/managed-key';
import {
  accessAuditDeliveryRoleName,
  accessAuditVolumeRoleName,
  backupRoleName,
  cdkExecutionRoleName,
  findingsArchiveDeliveryRoleName,
  findingsArchiveExportRoleName,
  findingsArchiveRuleName,
  malwareProtectionRoleName,
  replicaForwardRuleKeys,
  replicaForwardRuleName,
  NamingInput,
  phiReplicationRoleName,
  auditReplicationRoleName,
  breakGlassRoleName,
  serviceTaskRoleName,
  phiDataBucketName,
  phiReplicaBucketName,
  signInRedirects,
} from './names';
import { partitionOf } from './rules';
import { BlueprintConfig } from './schema';

/** What principals.ts reads of the config. */
export type PrincipalsInput = NamingInput &
  Pick<BlueprintConfig, 'keyAdminRoleArns' | 'databaseAdminRoleArns' | 'auditReaderRoleArns'> &
  Partial<Pick<BlueprintConfig, 'breakGlassPrincipalArns' | 'domain'>> & {
    /** Its isolatedCopyVaultArn: a vault of another account gets the PHI key's copy grant (isolatedCopyAccounts). */
    readonly backup?: { readonly isolatedCopyVaultArn?: string };
    readonly services: readonly { readonly name: string }[];
    /**
     * Malware Protection for S3 on (malwareProtection not false): its role scans the PHI data bucket (allow-listed
     * on the PHI key and bucket).
     * @default - on
     */
    readonly detection?: Pick<
      BlueprintConfig['detection'],
      'guardDuty' | 'findingsArchive' | 'malwareProtection' | 'config' | 'securityHub'
    >;
  };

/**
 * The keys whose use is limited to named principals: the PHI, audit and backup keys, the PHI replica key and the
 * audit replica key.
 */
export type NamedKeyDomain = Exclude<KeyDomain, 'operations'> | ReplicaKeyDomain;

/** The keys of the replica region (PhiReplicaStack). */
export type ReplicaKeyDomain = 'phi-replica' | 'audit-replica' | 'backup-replica';

/** Administrators and per-service users of one key (ManagedKeyProps.administratorArns and users). */
export interface KeyPrincipals {
  readonly administratorArns: readonly string[];
  readonly users?: Readonly<Record<string, readonly string[]>>;
  /** EventBridge rules that dead-letter into queues under the key (ManagedKeyProps.deadLetterRuleArns). */
  readonly deadLetterRuleArns?: readonly string[];
}

/** Who may reach the objects of one PHI bucket (PhiBucketProps.access, without the VPC id). */
export interface PhiBucketPrincipals {
  /** Every principal that may read or write objects (or list them); everyone else is denied. */
  readonly objectPrincipalArns: readonly string[];
  /** Those of them that may do so only from the PHI VPC (the task roles). */
  readonly vpcOnlyPrincipalArns: readonly string[];
  /** Who may still change the bucket policy: the CloudFormation execution role. */
  readonly policyAdministratorArns: readonly string[];
}

/** ARN of a role of the environment's account, in the partition of `region`. */
export function roleArn(config: Pick<NamingInput, 'account'>, region: string, name: string): string {
  return `arn:${partitionOf(region)}:iam::${config.account}:role/${name}`;
}

/** The account's root user, as aws:PrincipalArn names it. */
export function rootUserArn(config: Pick<NamingInput, 'account' | 'region'>): string {
  return `arn:${partitionOf(config.region)}:iam::${config.account}:root`;
}

/** The CloudFormation execution role of the CDK bootstrap in `region` (the deployment role). */
export function deploymentRoleArn(config: Pick<NamingInput, 'account'>, region: string): string {
  return roleArn(config, region, cdkExecutionRoleName(config, region));
}

/** The deployment roles of every region the environment deploys to (main and replica). */
export function deploymentRoleArns(config: NamingInput): string[] {
  return [config.region, config.phiBucket.replicaRegion].map((r) => deploymentRoleArn(config, r));
}

/** Macie's service-linked role of the account. */
export function macieServiceLinkedRoleArn(config: Pick<NamingInput, 'account' | 'region'>): string {
  return roleArn(config, config.region, 'aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie');
}

/** Every service's task role. */
export function taskRoleArns(config: PrincipalsInput): string[] {
  return config.services.map((s) => roleArn(config, config.region, serviceTaskRoleName(config, s.name)));
}

/** The replication role of the PHI data bucket (`data`) or of its replica (`replica`). */
export function replicationRoleArn(config: NamingInput, source: 'data' | 'replica'): string {
  return roleArn(config, config.region, phiReplicationRoleName(config, source));
}

/** The replication role of the audit archive. */
export function auditReplicationRoleArn(config: NamingInput): string {
  return roleArn(config, config.region, auditReplicationRoleName(config));
}

/** The role of the access-audit volume check (U5, D1): reads the events and writes Athena results through S3. */
export function accessAuditVolumeRoleArn(config: NamingInput): string {
  return roleArn(config, config.region, accessAuditVolumeRoleName(config));
}

/** The role Firehose assumes to deliver the access-audit events (U5). */
export function accessAuditDeliveryRoleArn(config: NamingInput): string {
  return roleArn(config, config.region, accessAuditDeliveryRoleName(config));
}

/** The AWS Backup role of the PHI stores. */
export function backupRoleArn(config: NamingInput): string {
  return roleArn(config, config.region, backupRoleName(config));
}

/**
 * The GuardDuty Malware Protection role of the PHI data bucket (none when detection.malwareProtection is false; the
 * plan is per bucket and independent of the detector, so GuardDuty off does not remove it).
 */
export function malwareProtectionRoleArns(config: PrincipalsInput): string[] {
  return config.detection?.malwareProtection === false
    ? []
    : [roleArn(config, config.region, malwareProtectionRoleName(config))];
}

/**
 * The roles of the findings archive (D2), none when config switches it off (detection.findingsArchive false): the
 * Firehose delivery role (writes through S3) and the EventBridge role that puts findings into the stream (Firehose).
 */
export function findingsArchiveRoleArns(config: PrincipalsInput): { delivery: string[]; export: string[] } {
  if (config.detection?.findingsArchive === false) return { delivery: [], export: [] };
  return {
    delivery: [roleArn(config, config.region, findingsArchiveDeliveryRoleName(config))],
    export: [roleArn(config, config.region, findingsArchiveExportRoleName(config))],
  };
}

/**
 * The EventBridge rules of the findings archive (D2), none when config switches it off: the Security Hub export and,
 * with GuardDuty on, the forwarded GuardDuty findings' export. They dead-letter into a queue under the audit key.
 */
export function findingsArchiveRuleArns(config: PrincipalsInput): string[] {
  if (config.detection?.findingsArchive === false) return [];
  const arn = (name: string) =>
    `arn:${partitionOf(config.region)}:events:${config.region}:${config.account}:rule/${name}`;
  return [
    arn(findingsArchiveRuleName(config, 'securityhub')),
    ...(config.detection?.guardDuty !== false ? [arn(findingsArchiveRuleName(config, 'guardduty-forwarded'))] : []),
  ];
}

/**
 * ARNs of the replica region's forwarding rules (FindingForwarder of ReplicaDetectionStack): they dead-letter into a
 * queue under the audit replica key (D2, D3). Every detection switch defaults to on when the input omits it.
 */
export function replicaForwardRuleArns(config: PrincipalsInput): string[] {
  const d = config.detection;
  const keys = replicaForwardRuleKeys({
    config: d?.config !== false,
    guardDuty: d?.guardDuty !== false,
    securityHub: d?.securityHub !== false,
  });
  const region = config.phiBucket.replicaRegion;
  return keys.map(
    (k) => `arn:${partitionOf(region)}:events:${region}:${config.account}:rule/${replicaForwardRuleName(config, k)}`,
  );
}

/**
 * Administrators and users of one key. `operations` keeps use by every principal of the account through its
 * services (its users are not named: see the README), but is administered like the others.
 */
export function keyPrincipals(config: PrincipalsInput, domain: KeyDomain | ReplicaKeyDomain): KeyPrincipals {
  const inReplicaRegion = domain === 'phi-replica' || domain === 'audit-replica' || domain === 'backup-replica';
  const region = inReplicaRegion ? config.phiBucket.replicaRegion : config.region;
  const administratorArns = [...(config.keyAdminRoleArns ?? []), deploymentRoleArn(config, region)];
  const deployment = deploymentRoleArn(config, region);
  const backup = backupRoleArn(config);
  const replication = [replicationRoleArn(config, 'data'), replicationRoleArn(config, 'replica')];
  const users: Record<NamedKeyDomain, Record<string, string[]>> = {
    phi: {
      s3: [...taskRoleArns(config), ...replication, backup, ...malwareProtectionRoleArns(config)],
      rds: [deployment, ...(config.databaseAdminRoleArns ?? []), backup],
      backup: [backup],
    },
    // The audit replication role reads the objects of the audit archive, the findings archive and the access-audit bucket
    // (decrypts) and writes the replicas (encrypts, with the audit replica key).
    // U5: the access-audit delivery role writes the events through S3; the task roles append to their streams
    // through Firehose (it requires GenerateDataKey and Decrypt of PutRecord callers on a customer-managed key), and
    // the deployment role creates the streams (Firehose creates its grant with the caller's credentials). The volume
    // check's role reads the events and writes its query results (SSE-KMS with this key) through S3 when services run.
    audit: {
      s3: [
        ...(config.auditReaderRoleArns ?? []),
        auditReplicationRoleArn(config),
        // Both exist only when services run (no stream, no delivery role: constructs/access-audit-channel.ts).
        ...(config.services.length > 0 ? [accessAuditDeliveryRoleArn(config), accessAuditVolumeRoleArn(config)] : []),
        ...findingsArchiveRoleArns(config).delivery,
      ],
      firehose: [...taskRoleArns(config), deployment, ...findingsArchiveRoleArns(config).export],
    },
    'audit-replica': { s3: [...(config.auditReaderRoleArns ?? []), auditReplicationRoleArn(config)] },
    backup: { backup: [backup, deployment] },
    'phi-replica': { s3: [...replication, backup], backup: [backup] },
    // I1: the backup plan's copies land in the replica region's vault (S3 recovery points through AWS Backup, RDS
    // snapshot copies through RDS, both on behalf of the backup role); the deployment role creates the vault.
    'backup-replica': { backup: [backup, deployment], rds: [backup] },
  };
  if (domain === 'operations') return { administratorArns };
  // D2: EventBridge dead-letters the findings archive's undeliverable findings into a queue under the audit key.
  // D2 D3: the replica region's forwarding rules dead-letter into a queue under the audit replica key.
  const deadLetterRuleArns =
    domain === 'audit'
      ? findingsArchiveRuleArns(config)
      : domain === 'audit-replica'
        ? replicaForwardRuleArns(config)
        : [];
  return {
    administratorArns,
    users: users[domain],
    ...(deadLetterRuleArns.length > 0 ? { deadLetterRuleArns } : {}),
  };
}

/** Who may reach the objects of the PHI data bucket (`data`) or of its replica (`replica`). */
export function phiBucketPrincipals(config: PrincipalsInput, bucket: 'data' | 'replica'): PhiBucketPrincipals {
  const replication = [replicationRoleArn(config, 'data'), replicationRoleArn(config, 'replica')];
  const tasks = bucket === 'data' ? taskRoleArns(config) : [];
  const macie = bucket === 'data' ? [macieServiceLinkedRoleArn(config)] : [];
  const malware = bucket === 'data' ? malwareProtectionRoleArns(config) : [];
  const region = bucket === 'data' ? config.region : config.phiBucket.replicaRegion;
  return {
    objectPrincipalArns: [...tasks, ...replication, backupRoleArn(config), ...macie, ...malware],
    vpcOnlyPrincipalArns: tasks,
    policyAdministratorArns: [deploymentRoleArn(config, region)],
  };
}

/**
 * The named principals each allow-list of the environment may hold, as the gate compares them with the templates
 * (AllowListsAsConfigured): per PHI bucket (by name) who may reach its objects and who may change its policy; per region
 * and key domain marker (HipaaBlueprint::KeyDomain) every principal its key policy may name (administrators, users of
 * every usage, the root user's lockout path, Macie's service-linked role on the PHI key).
 */
export interface ConfiguredAllowLists {
  readonly buckets: Readonly<Record<string, PhiBucketPrincipals>>;
  readonly keys: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /**
   * The roles people assume that the templates create: the break-glass role, when config names its users
   * (breakGlassPrincipalArns). RolesMayNotTamper exempts these alone from its judgement of the templates' roles.
   * @default - not compared: any role only AWS principals assume is read as a person's
   */
  readonly peopleRoleArns?: readonly string[];
  /**
   * Where Cognito may send a user after sign-in and sign-out (names.ts signInRedirects): every user pool client's
   * callback and logout URLs are among these (AllowListsAsConfigured).
   * @default - not compared
   */
  readonly signInRedirects?: ReturnType<typeof signInRedirects>;
}

/** The account of config.backup.isolatedCopyVaultArn when it is not config.account (a cross-account copy). */
export function isolatedCopyAccounts(config: Pick<PrincipalsInput, 'account' | 'backup'>): string[] {
  const account = /^arn:[^:]+:backup:[^:]+:(\d{12}):backup-vault:/.exec(config.backup?.isolatedCopyVaultArn ?? '')?.[1];
  return account !== undefined && account !== config.account ? [account] : [];
}

/** The allow-lists config derives (ConfiguredAllowLists). */
export function configuredAllowLists(config: PrincipalsInput): ConfiguredAllowLists {
  const principals = (domain: KeyDomain | ReplicaKeyDomain): string[] => {
    const p = keyPrincipals(config, domain);
    return [
      ...new Set([
        ...p.administratorArns,
        ...Object.values(p.users ?? {}).flat(),
        rootUserArn(config),
        ...(domain === 'phi' ? [macieServiceLinkedRoleArn(config)] : []),
        // The PHI key's copy grant to the isolated vault's account (constructs/managed-key.ts CrossAccountBackupCopy):
        // its root, conditioned on its AWS Backup service-linked role (the config review of 2026-12-04 found a
        // documented cross-account vault failing the gate on this allow-list).
        ...(domain === 'phi'
          ? isolatedCopyAccounts(config).flatMap((a) => [
              `arn:${partitionOf(config.region)}:iam::${a}:root`,
              `arn:${partitionOf(config.region)}:iam::${a}:role/${BACKUP_SERVICE_LINKED_ROLE}`,
            ])
          : []),
      ]),
    ];
  };
  return {
    buckets: {
      [phiDataBucketName(config)]: phiBucketPrincipals(config, 'data'),
      [phiReplicaBucketName(config)]: phiBucketPrincipals(config, 'replica'),
    },
    keys: {
      [config.region]: {
        phi: principals('phi'),
        audit: principals('audit'),
        backup: principals('backup'),
        operations: principals('operations'),
      },
      // The replica region's keys carry the markers phi-replica, audit-replica and backup (its copy vault's key).
      [config.phiBucket.replicaRegion]: {
        'phi-replica': principals('phi-replica'),
        'audit-replica': principals('audit-replica'),
        backup: principals('backup-replica'),
      },
    },
    peopleRoleArns:
      (config.breakGlassPrincipalArns ?? []).length > 0
        ? [roleArn(config, config.region, breakGlassRoleName(config))]
        : [],
    signInRedirects: signInRedirects(config),
  };
}
