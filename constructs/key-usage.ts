/**
 * Who may use a customer-managed key (safeguard E1): the AWS services that need it, nothing else.
 * Kept as data so a reviewer sees every key's users in one place.
 */
export interface KeyUsage {
  /**
   * Services that may use the key on behalf of principals in this account only
   * (kms:ViaService + kms:CallerAccount), e.g. 's3', 'rds'. The principal still needs an IAM grant.
   */
  readonly viaServices: readonly string[];
  /** CloudWatch Logs may encrypt log groups of this account and region with the key. */
  readonly cloudWatchLogs?: boolean;
  /**
   * With cloudWatchLogs: only log groups whose name starts with this prefix (no wildcards), e.g.
   * '/aws/rds/' for the PHI key, whose only log groups are the database's exports (they may hold PHI).
   * @default '' - every log group of this account and region (`log-group:*`)
   */
  readonly cloudWatchLogGroupPrefix?: string;
  /** CloudTrail may encrypt trails of this account with the key. */
  readonly cloudTrail?: boolean;
  /** CloudWatch alarms and EventBridge may publish to SNS topics encrypted with the key; SNS may dead-letter into queues under it. */
  readonly alarmPublishers?: boolean;
  /** AWS Config may deliver configuration snapshots encrypted with the key. */
  readonly awsConfig?: boolean;
  /**
   * GuardDuty may encrypt the findings it exports to an S3 publishing destination with the key (D2): GenerateDataKey
   * only, for this account's detectors of this region (aws:SourceAccount, aws:SourceArn).
   */
  readonly guardDutyFindingsExport?: boolean;
  /**
   * Macie's service-linked role may decrypt objects encrypted with the key, to classify them (D2).
   * Decrypt only, through the account principal conditioned on the role's ARN (the role need not exist yet).
   */
  readonly macieDiscovery?: boolean;
  /**
   * AWS Fargate may encrypt the ephemeral storage (container images, /tmp) of tasks in this account's
   * ECS clusters with the key (GenerateDataKeyWithoutPlaintext, and grants for Decrypt only).
   */
  readonly fargateEphemeralStorage?: boolean;
  /**
   * Session Manager sessions (and ECS Exec, which runs on them) may encrypt session data with the key:
   * the operator's client (session-manager-plugin) calls kms:GenerateDataKey and the SSM agent on the
   * node or in the task calls kms:Decrypt, both directly (no kms:ViaService), with the encryption
   * context {aws:ssm:SessionId, aws:ssm:TargetId}. Principals of this account only, only with that
   * context; IAM policies still decide who (task roles, operator roles).
   */
  readonly ssmSessions?: boolean;
  /**
   * Use only by named principals (E1): every use through `viaServices` is limited to the exact IAM
   * principal ARNs the ManagedKey is given per service (`users`), never to every principal of the account
   * that IAM allows; the key carries the NamedKeyUsers template marker, which the project rule
   * KeyUseByNamedPrincipals checks.
   * @default false - use through viaServices by any principal of this account that IAM allows
   */
  readonly namedUsersOnly?: boolean;
}

/** The key domains of the blueprint: one customer-managed key each. */
export type KeyDomain = 'phi' | 'audit' | 'backup' | 'operations';

/** What each domain's key protects and which services may use it. */
export const KEY_DOMAINS: Readonly<Record<KeyDomain, { readonly description: string; readonly usage: KeyUsage }>> = {
  phi: {
    description:
      'PHI data at rest: database storage, Performance Insights, database log groups, PHI buckets, Fargate task storage',
    usage: {
      viaServices: ['s3', 'rds', 'backup'],
      cloudWatchLogs: true,
      cloudWatchLogGroupPrefix: '/aws/rds/',
      macieDiscovery: true,
      fargateEphemeralStorage: true,
      namedUsersOnly: true,
    },
  },
  audit: {
    description: 'Audit evidence: CloudTrail, its log group, the audit archive, AWS Config delivery',
    // firehose: the access-audit streams' server-side encryption (U5).
    usage: {
      viaServices: ['s3', 'firehose'],
      cloudWatchLogs: true,
      cloudTrail: true,
      awsConfig: true,
      namedUsersOnly: true,
    },
  },
  backup: {
    description: 'AWS Backup vaults and recovery points',
    usage: { viaServices: ['backup'], namedUsersOnly: true },
  },
  operations: {
    description:
      'Operational logs, secrets, alert topics and queues, container images, Session Manager and ECS Exec sessions',
    usage: {
      viaServices: ['secretsmanager', 'sns', 'sqs', 'lambda', 'ecr', 's3', 'ssm'],
      cloudWatchLogs: true,
      alarmPublishers: true,
      ssmSessions: true,
    },
  },
};

/**
 * The PHI replica key (PhiReplicaStack, in the replica region): the replica of the PHI bucket, used
 * by S3 (replication in both directions) and AWS Backup in that region only.
 */
export const PHI_REPLICA_KEY: { readonly description: string; readonly usage: KeyUsage } = {
  description: 'PHI data at rest in the replica region: the PHI replica bucket',
  usage: { viaServices: ['s3', 'backup'], namedUsersOnly: true },
};

/**
 * The audit replica key (PhiReplicaStack, in the replica region): the replica of the audit archive, written by S3
 * replication only.
 */
export const AUDIT_REPLICA_KEY: { readonly description: string; readonly usage: KeyUsage } = {
  description: 'Audit evidence at rest in the replica region: the audit archive replica, AWS Config delivery',
  // awsConfig: the replica region's AWS Config deliveries (ReplicaDetectionStack).
  usage: { viaServices: ['s3'], awsConfig: true, namedUsersOnly: true },
};

/**
 * The backup replica key (PhiReplicaStack, in the replica region): the AWS Backup vault the PHI backup plan copies
 * its recovery points to (I1), used by AWS Backup (S3 recovery points) and RDS (snapshot copies) in that region only.
 */
export const BACKUP_REPLICA_KEY: { readonly description: string; readonly usage: KeyUsage } = {
  description: 'Backup copies in the replica region: the replica backup vault and its recovery points',
  usage: { viaServices: ['backup', 'rds'], namedUsersOnly: true },
};
