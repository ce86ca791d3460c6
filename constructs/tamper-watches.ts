/**
 * The tamper watch list (safeguard U6): the CloudTrail management events that switch off the audit trail, weaken
 * the audit archive or a PHI bucket, hand out or destroy a key, blind a detection service, or silence the alert
 * path. TamperDetection builds one EventBridge rule per entry; the gate (TamperDetectionPresent) requires each of
 * them, with its targets, in the assembly. Data only: no construct here.
 *
 * Event names are CloudTrail's `eventName` (the API operation) for the `eventSource`; the rules match the
 * "AWS API Call via CloudTrail" events EventBridge receives on the default bus of the region the call was made
 * in. Lambda records its operations with an API version suffix (`UpdateFunctionCode20150331v2`), so its names
 * are matched as prefixes.
 */

import { SecurityMetricFilter } from './security-metric-filters';

/** The detail-type of CloudTrail management events on the default event bus. */
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';

/** One watched group of actions: one EventBridge rule. */
export interface TamperWatch {
  /** PascalCase id; the rule's construct id is `Tamper<id>` and the gate's finding id starts with it. */
  readonly id: string;
  /** What the actions do to the safeguards, as an alert reader would say it. */
  readonly what: string;
  /** CloudTrail eventSource of the actions, e.g. 'cloudtrail.amazonaws.com'. */
  readonly eventSource: string;
  /** The watched eventNames (prefixes when `matchPrefix`). */
  readonly eventNames: readonly string[];
  /**
   * Match `eventNames` as prefixes (Lambda appends the API version to its event names).
   * @default false
   */
  readonly matchPrefix?: boolean;
  /**
   * Only calls a principal made itself, not those an AWS service made on its behalf (`userIdentity.invokedBy`
   * absent): S3, RDS and Backup create KMS grants on every encrypted write; AWS Backup and GuardDuty Malware
   * Protection turn on a bucket's EventBridge notifications.
   * @default false
   */
  readonly directCallsOnly?: boolean;
  /**
   * The action silences the alert path itself (the formatter, the topic, alarms, EventBridge rules): its rule
   * also publishes to the topic directly (metadata-only input transformer), so the formatter is not a single
   * point of silence.
   * @default false
   */
  readonly alertPath?: boolean;
  /**
   * The request parameter naming the resource (a scalar: a name or an ARN), quoted in the direct alert.
   * @default - none: the direct alert gives the CloudTrail event id instead
   */
  readonly resourceParameter?: string;
}

/** Every watched action (issue 12 item 1). Order is the order of the rules and of the README table. */
export const TAMPER_WATCHES: readonly TamperWatch[] = [
  {
    id: 'Trail',
    what: 'the audit trail stopped, deleted or its event selectors changed (U1, U2)',
    eventSource: 'cloudtrail.amazonaws.com',
    eventNames: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'],
    resourceParameter: 'name',
  },
  {
    id: 'BucketProtection',
    what: 'Object Lock, versioning, policy, default encryption, public access block, ACL or object ownership, lifecycle, replication, inventory or metadata tables of a bucket changed (U2, I1, E1, E2, A3)',
    eventSource: 's3.amazonaws.com',
    eventNames: [
      'PutObjectLockConfiguration',
      'PutBucketObjectLockConfiguration',
      'PutBucketVersioning',
      'PutBucketPolicy',
      'DeleteBucketPolicy',
      // Default encryption: a header-less write (the SDK default) takes the bucket's default, so a PHI bucket switched
      // to SSE-S3 stores new objects outside the PHI key while every write deny of its policy still holds (E2).
      'PutBucketEncryption',
      'DeleteBucketEncryption',
      // Public access block, ACLs and object ownership: the bucket's ACLs come back into force with them (A3).
      'PutBucketPublicAccessBlock',
      'DeleteBucketPublicAccessBlock',
      'PutBucketAcl',
      'PutBucketOwnershipControls',
      'DeleteBucketOwnershipControls',
      'PutBucketLifecycle',
      'PutBucketLifecycleConfiguration',
      'DeleteBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketReplication',
      'PutBucketLogging',
      // Inventory: a daily list of every key, with size, dates and encryption, delivered to any bucket it names.
      'PutBucketInventoryConfiguration',
      // S3 Metadata: every key and its metadata in a table outside the bucket's policy (V2 and V1 creates and deletes;
      // the inventory table turned on or off, the journal's expiry changed).
      'CreateBucketMetadataConfiguration',
      'CreateBucketMetadataTableConfiguration',
      'DeleteBucketMetadataConfiguration',
      'DeleteBucketMetadataTableConfiguration',
      'UpdateBucketMetadataInventoryTableConfiguration',
      'UpdateBucketMetadataJournalTableConfiguration',
      'DeleteBucket',
    ],
    resourceParameter: 'bucketName',
  },
  {
    id: 'BucketNotifications',
    what: "a bucket's event notifications changed by a principal itself (not by AWS Backup or GuardDuty on their own behalf): EventBridge notifications off (AWS Backup and GuardDuty Malware Protection no longer see new objects) or object keys sent to another destination (I1, D2)",
    eventSource: 's3.amazonaws.com',
    // PutBucketNotificationConfiguration is recorded under this name too.
    eventNames: ['PutBucketNotification'],
    directCallsOnly: true,
    resourceParameter: 'bucketName',
  },
  {
    id: 'KeyPolicy',
    what: 'a KMS key policy changed, a grant revoked, a key disabled or scheduled for deletion, rotation or an alias changed (E1)',
    eventSource: 'kms.amazonaws.com',
    eventNames: [
      'PutKeyPolicy',
      'RevokeGrant',
      'DisableKey',
      'ScheduleKeyDeletion',
      'DisableKeyRotation',
      'DeleteAlias',
      'UpdateAlias',
    ],
    resourceParameter: 'keyId',
  },
  {
    id: 'KeyGrant',
    what: 'a KMS grant created by a principal itself (not by an AWS service on its behalf) (E1)',
    eventSource: 'kms.amazonaws.com',
    eventNames: ['CreateGrant'],
    directCallsOnly: true,
    resourceParameter: 'keyId',
  },
  {
    id: 'GuardDuty',
    what: "GuardDuty deleted, suspended, its findings archived, suppressed or trusted, their export changed, or the PHI bucket's Malware Protection plan deleted or changed (uploads unscanned, results untagged: no quarantine) (D2)",
    eventSource: 'guardduty.amazonaws.com',
    eventNames: [
      'DeleteDetector',
      'UpdateDetector',
      'CreateFilter',
      'UpdateFilter',
      'CreateIPSet',
      'UpdateIPSet',
      'DisassociateFromMasterAccount',
      'DisassociateFromAdministratorAccount',
      'DeletePublishingDestination',
      'UpdatePublishingDestination',
      'ArchiveFindings',
      'DeleteMalwareProtectionPlan',
      'UpdateMalwareProtectionPlan',
    ],
    resourceParameter: 'detectorId',
  },
  {
    id: 'SecurityHub',
    what: 'Security Hub disabled, standards or controls disabled, findings suppressed, resolved or re-rated by hand or by automation rules (D2, V2)',
    eventSource: 'securityhub.amazonaws.com',
    eventNames: [
      'DisableSecurityHub',
      'BatchDisableStandards',
      'CreateAutomationRule',
      'BatchUpdateAutomationRules',
      'DisableImportFindingsForProduct',
      'DeleteInsight',
      'DisassociateFromAdministratorAccount',
      // A finding's workflow status or severity changed by hand: the critical findings age check (V2) counts only
      // NEW and NOTIFIED CRITICAL findings, so every such change is reported.
      'BatchUpdateFindings',
      'UpdateStandardsControl',
      'BatchUpdateStandardsControlAssociations',
      'UpdateSecurityControl',
    ],
  },
  {
    id: 'Inspector',
    what: 'Amazon Inspector disabled, its findings suppressed by a filter, or its scan configuration changed (V2)',
    eventSource: 'inspector2.amazonaws.com',
    eventNames: ['Disable', 'CreateFilter', 'UpdateFilter', 'UpdateConfiguration', 'DisableDelegatedAdminAccount'],
  },
  {
    id: 'RegistryScanning',
    what: 'the ECR registry scanning configuration changed (enhanced continuous scanning switched off) (V2)',
    eventSource: 'ecr.amazonaws.com',
    eventNames: ['PutRegistryScanningConfiguration'],
  },
  {
    id: 'Macie',
    what: 'Macie disabled or paused, its discovery job or findings filters changed (D2)',
    eventSource: 'macie2.amazonaws.com',
    eventNames: [
      'DisableMacie',
      'UpdateMacieSession',
      'UpdateClassificationJob',
      'CreateFindingsFilter',
      'UpdateFindingsFilter',
      'DisassociateFromAdministratorAccount',
    ],
  },
  {
    id: 'Config',
    what: 'the AWS Config recorder stopped or deleted, its delivery channel or rules changed (D2)',
    eventSource: 'config.amazonaws.com',
    eventNames: [
      'StopConfigurationRecorder',
      'DeleteConfigurationRecorder',
      'PutConfigurationRecorder',
      'DeleteDeliveryChannel',
      'PutDeliveryChannel',
      'DeleteConfigRule',
      'PutConfigRule',
      'DeleteConformancePack',
    ],
    resourceParameter: 'configRuleName',
  },
  {
    id: 'Backup',
    what: 'a backup plan, selection, vault, vault lock or recovery point changed or deleted, a restore started, or a restore testing plan or selection changed or deleted (I1, I2, I3)',
    eventSource: 'backup.amazonaws.com',
    eventNames: [
      'DeleteBackupPlan',
      'UpdateBackupPlan',
      'DeleteBackupSelection',
      'DeleteBackupVault',
      'DeleteBackupVaultLockConfiguration',
      'PutBackupVaultAccessPolicy',
      'DeleteBackupVaultAccessPolicy',
      'DeleteBackupVaultNotifications',
      'DeleteRecoveryPoint',
      'StartRestoreJob',
      // Restore testing (I1): pointing a selection at another store, or exposing the restored copy.
      'UpdateRestoreTestingPlan',
      'DeleteRestoreTestingPlan',
      'UpdateRestoreTestingSelection',
      'DeleteRestoreTestingSelection',
    ],
    resourceParameter: 'backupVaultName',
  },
  {
    id: 'LogGroups',
    what: 'a log group (the trail six-year log group included) deleted, its retention, masking, key or metric filters changed (U3, D1)',
    eventSource: 'logs.amazonaws.com',
    eventNames: [
      'DeleteLogGroup',
      'PutRetentionPolicy',
      'DeleteRetentionPolicy',
      'DeleteMetricFilter',
      'PutMetricFilter',
      'DeleteDataProtectionPolicy',
      'PutDataProtectionPolicy',
      'DisassociateKmsKey',
      'DeleteSubscriptionFilter',
    ],
    resourceParameter: 'logGroupName',
  },
  {
    id: 'AuditStreams',
    what: 'a Firehose stream into an object-locked audit store (access audit, findings archive) deleted, redirected or its encryption changed (U5, D2)',
    eventSource: 'firehose.amazonaws.com',
    eventNames: [
      'DeleteDeliveryStream',
      'UpdateDestination',
      'StopDeliveryStreamEncryption',
      'StartDeliveryStreamEncryption',
    ],
    resourceParameter: 'deliveryStreamName',
  },
  {
    id: 'Database',
    what: 'the PHI database master password, parameters or snapshot sharing changed, a snapshot copied or exported, an instance deleted or restored (A3, E2)',
    eventSource: 'rds.amazonaws.com',
    eventNames: [
      'ModifyDBInstance',
      'DeleteDBInstance',
      'CopyDBSnapshot',
      'ModifyDBSnapshotAttribute',
      'CopyDBClusterSnapshot',
      'ModifyDBClusterSnapshotAttribute',
      'ModifyDBParameterGroup',
      'ResetDBParameterGroup',
      'RestoreDBInstanceFromDBSnapshot',
      'StartExportTask',
    ],
    resourceParameter: 'dBInstanceIdentifier',
  },
  {
    id: 'RoleTrust',
    what: 'a role trust policy changed (another account could be trusted) (A3)',
    eventSource: 'iam.amazonaws.com',
    eventNames: ['UpdateAssumeRolePolicy'],
    resourceParameter: 'roleName',
  },
  {
    id: 'Alarms',
    what: 'a CloudWatch alarm deleted, its actions disabled or its definition changed (D1, D3)',
    eventSource: 'monitoring.amazonaws.com',
    eventNames: ['DeleteAlarms', 'DisableAlarmActions', 'PutMetricAlarm', 'PutCompositeAlarm'],
    alertPath: true,
  },
  {
    id: 'EventRules',
    what: 'an EventBridge rule deleted, disabled, changed or its targets changed (D3)',
    eventSource: 'events.amazonaws.com',
    eventNames: ['DeleteRule', 'DisableRule', 'PutRule', 'RemoveTargets', 'PutTargets'],
    alertPath: true,
  },
  {
    id: 'Functions',
    what: 'a Lambda function (the alert formatter, the restore validation, the findings age and access volume checks, the database users provisioner, any other) changed, throttled to zero, its permissions removed or deleted (D3, I1, V2, U5)',
    eventSource: 'lambda.amazonaws.com',
    eventNames: [
      'UpdateFunctionCode',
      'UpdateFunctionConfiguration',
      'PutFunctionConcurrency',
      'DeleteFunctionConcurrency',
      'DeleteFunction',
      'RemovePermission',
      'PutFunctionEventInvokeConfig',
    ],
    matchPrefix: true,
    // The formatter's own changes are among them: the rule also publishes to the topic directly.
    alertPath: true,
    resourceParameter: 'functionName',
  },
  {
    id: 'AlertTopic',
    what: 'an SNS subscription removed, or a topic deleted, its attributes or permissions changed (D3)',
    eventSource: 'sns.amazonaws.com',
    eventNames: ['Unsubscribe', 'DeleteTopic', 'SetTopicAttributes', 'RemovePermission', 'SetSubscriptionAttributes'],
    alertPath: true,
    resourceParameter: 'topicArn',
  },
];

/** The term the formatter logs when the scheduled heartbeat reaches it (the heartbeat metric filter counts it). */
export const HEARTBEAT_LOG_TERM = 'alert-path-heartbeat';

/** Source and detail-type of the heartbeat event the scheduled rule sends to the formatter. */
export const HEARTBEAT_EVENT = { source: 'hipaa-blueprint.alert-path', detailType: 'Alert Path Heartbeat' } as const;

/**
 * IAM is a global service: its CloudTrail events reach EventBridge only in us-east-1, so the RoleTrust rule sees
 * them only when the environment's region is us-east-1. The multi-region trail delivers them to its log group in
 * every case: this filter and its alarm (SecurityAlarms additionalFilters in the audit stack) watch them there.
 */
export const ROLE_TRUST_METRIC_FILTER: SecurityMetricFilter = {
  id: 'RoleTrustPolicyChanges',
  metricName: 'RoleTrustPolicyChanges',
  description: 'A role trust policy changed (UpdateAssumeRolePolicy): another account or principal may now assume it',
  filterPattern: '{ ($.eventSource = "iam.amazonaws.com") && ($.eventName = "UpdateAssumeRolePolicy") }',
  safeguard: 'U6',
  hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)'],
};

/**
 * The watches the PHI replica region forwards to the main region's default event bus, where the tamper rules (which
 * do not pin the region) alert on them: every watch but the main region's topic and its Lambda functions (the replica
 * region runs none of the blueprint's).
 */
export const REPLICA_FORWARDED_WATCHES: readonly TamperWatch[] = TAMPER_WATCHES.filter(
  (w) => w.id !== 'Functions' && w.id !== 'AlertTopic',
);

/** The EventBridge pattern (CloudFormation shape keys of aws-events EventPattern) selecting a watch's API calls. */
export function watchPattern(watch: TamperWatch): {
  detailType: string[];
  detail: Record<string, unknown>;
} {
  const names = watch.matchPrefix ? watch.eventNames.map((prefix) => ({ prefix })) : [...watch.eventNames];
  const detail: Record<string, unknown> = { eventSource: [watch.eventSource], eventName: names };
  if (watch.directCallsOnly) detail.userIdentity = { invokedBy: [{ exists: false }] };
  return { detailType: [CLOUDTRAIL_API_CALL], detail };
}
