/**
 * Service control policies that deny the tamper actions of issue 12 to every principal of the environment's
 * account but the deployment role (the CDK bootstrap CloudFormation execution role, in any region of the
 * account), and, where AWS Backup acts with it, the backup role. Service-linked roles are not affected by SCPs
 * (AWS Organizations User Guide), so AWS Config, Security Hub, Macie and the others keep working. Each policy
 * stays under the 5,120-character limit (renderScp checks it).
 *
 * What they protect, by policy:
 * - audit: the trail and its event selectors; the protection of the environment's buckets (policy, Object
 *   Lock, versioning, lifecycle, logging, replication, encryption, public access, ownership, inventory, deletion)
 *   and of their objects (retention, legal hold, GOVERNANCE bypass, version deletes, encryption changed in place); log groups (deletion, retention,
 *   key, metric filters, data protection, subscriptions); the alarms, EventBridge rules, alert functions and
 *   topics of the environment.
 * - keys and detection: key policies, deletion, disabling, rotation, aliases, grant revocation and grants not
 *   made by an AWS service for a resource; GuardDuty, Security Hub, Macie, AWS Config and Inspector being
 *   disabled, paused or suppressed; the backup plan, selection, vault, vault lock and recovery points; database
 *   snapshot sharing and copying, parameter groups and instance changes (master password, deletion protection);
 *   the environment's roles' trust, policies and passing.
 *
 * The root user of a member account is subject to SCPs too: while these are attached, the key lockout path
 * (RootUserLockoutPath) needs the organization's management account to detach them first.
 */
import { partitionOf } from '../../../config/rules';
import { backupRoleName, cdkExecutionRoleName, namePrefix, NamingInput, trailName } from '../../../config/names';
import { ScpDocument } from './allowed-regions-scp';

/** One statement of a tamper SCP, before the principal exemption is added. */
interface TamperStatement {
  readonly Sid: string;
  readonly Action: readonly string[];
  readonly Resource: readonly string[] | '*';
  /** Also exempt the AWS Backup role (it copies, shares and expires recovery points with these actions). */
  readonly backupRoleExempt?: boolean;
  readonly Condition?: Record<string, Record<string, string>>;
}

/** The principals every tamper SCP exempts: the deployment role of every region of the account (and the backup role). */
export function tamperExemptions(config: NamingInput, withBackupRole: boolean): string[] {
  const p = partitionOf(config.region);
  const deploy = `arn:${p}:iam::${config.account}:role/${cdkExecutionRoleName(config, '*')}`;
  return withBackupRole ? [deploy, `arn:${p}:iam::${config.account}:role/${backupRoleName(config)}`] : [deploy];
}

function document(config: NamingInput, statements: readonly TamperStatement[]): ScpDocument {
  return {
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Sid: s.Sid,
      Effect: 'Deny',
      Action: [...s.Action],
      Resource: s.Resource === '*' ? '*' : [...s.Resource],
      Condition: {
        ...s.Condition,
        ArnNotLike: { 'aws:PrincipalArn': tamperExemptions(config, s.backupRoleExempt === true) },
      },
    })),
  };
}

/** The audit trail, log and alert path SCP. */
export function buildAuditTamperScp(config: NamingInput): ScpDocument {
  const p = partitionOf(config.region);
  const a = config.account;
  const prefix = namePrefix(config);
  return document(config, [
    {
      Sid: 'DenyTrailChanges',
      Action: [
        'cloudtrail:DeleteTrail',
        'cloudtrail:PutEventSelectors',
        'cloudtrail:PutInsightSelectors',
        'cloudtrail:StopLogging',
        'cloudtrail:UpdateTrail',
      ],
      Resource: [`arn:${p}:cloudtrail:*:${a}:trail/${trailName(config)}`],
    },
    {
      Sid: 'DenyBucketProtectionChanges',
      Action: [
        's3:CreateBucketMetadataTableConfiguration',
        's3:DeleteBucket',
        's3:DeleteBucketMetadataTableConfiguration',
        's3:DeleteBucketPolicy',
        's3:PutBucketAcl',
        's3:PutBucketLogging',
        's3:PutBucketNotification',
        's3:PutBucketObjectLockConfiguration',
        's3:PutBucketOwnershipControls',
        's3:PutBucketPolicy',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketVersioning',
        's3:PutEncryptionConfiguration',
        's3:PutInventoryConfiguration',
        's3:PutLifecycleConfiguration',
        's3:PutReplicationConfiguration',
        's3:UpdateBucketMetadataInventoryTableConfiguration',
        's3:UpdateBucketMetadataJournalTableConfiguration',
      ],
      Resource: [`arn:${p}:s3:::${prefix}-*`],
    },
    {
      Sid: 'DenyObjectProtectionChanges',
      Action: [
        's3:BypassGovernanceRetention',
        's3:DeleteObjectVersion',
        's3:PutObjectLegalHold',
        's3:PutObjectRetention',
        's3:UpdateObjectEncryption',
      ],
      Resource: [`arn:${p}:s3:::${prefix}-*/*`],
    },
    {
      Sid: 'DenyLogTampering',
      Action: [
        'logs:DeleteDataProtectionPolicy',
        'logs:DeleteLogGroup',
        'logs:DeleteLogStream',
        'logs:DeleteMetricFilter',
        'logs:DeleteRetentionPolicy',
        'logs:DeleteSubscriptionFilter',
        'logs:DisassociateKmsKey',
        'logs:PutDataProtectionPolicy',
        'logs:PutMetricFilter',
        'logs:PutRetentionPolicy',
        'logs:PutSubscriptionFilter',
      ],
      Resource: '*',
    },
    {
      Sid: 'DenyAlarmAndRuleChanges',
      Action: [
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DisableAlarmActions',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:SetAlarmState',
        'events:DeleteRule',
        'events:DisableRule',
        'events:PutRule',
        'events:PutTargets',
        'events:RemoveTargets',
      ],
      Resource: [`arn:${p}:cloudwatch:*:${a}:alarm:${prefix}-*`, `arn:${p}:events:*:${a}:rule/${prefix}-*`],
    },
    {
      Sid: 'DenyAlertPathChanges',
      Action: [
        'lambda:AddPermission',
        'lambda:DeleteFunction',
        'lambda:DeleteFunctionConcurrency',
        'lambda:DeleteFunctionEventInvokeConfig',
        'lambda:PutFunctionConcurrency',
        'lambda:PutFunctionEventInvokeConfig',
        'lambda:RemovePermission',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:UpdateFunctionEventInvokeConfig',
        'sns:AddPermission',
        'sns:DeleteTopic',
        'sns:RemovePermission',
        'sns:SetTopicAttributes',
        'sns:Unsubscribe',
      ],
      Resource: [`arn:${p}:lambda:*:${a}:function:${prefix}-*`, `arn:${p}:sns:*:${a}:${prefix}-*`],
    },
  ]);
}

/** The keys, detection, backup, database and role SCP. */
export function buildKeysAndDetectionTamperScp(config: NamingInput): ScpDocument {
  const p = partitionOf(config.region);
  const prefix = namePrefix(config);
  return document(config, [
    {
      Sid: 'DenyKeyPolicyStateAndAliasChanges',
      Action: [
        'kms:DeleteAlias',
        'kms:DisableKey',
        'kms:DisableKeyRotation',
        'kms:PutKeyPolicy',
        'kms:RevokeGrant',
        'kms:ScheduleKeyDeletion',
        'kms:UpdateAlias',
      ],
      Resource: '*',
    },
    {
      Sid: 'DenyGrantsNotMadeByAwsServices',
      Action: ['kms:CreateGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } },
    },
    {
      Sid: 'DenyDetectionBlinding',
      Action: [
        'config:DeleteConfigRule',
        'config:DeleteConfigurationRecorder',
        'config:DeleteConformancePack',
        'config:DeleteDeliveryChannel',
        'config:PutConfigurationRecorder',
        'config:StopConfigurationRecorder',
        'guardduty:CreateFilter',
        'guardduty:CreateIPSet',
        'guardduty:DeleteDetector',
        'guardduty:DeletePublishingDestination',
        'guardduty:DisassociateFromAdministratorAccount',
        'guardduty:UpdateDetector',
        'guardduty:UpdateFilter',
        'guardduty:UpdateIPSet',
        'inspector2:Disable',
        'macie2:CreateFindingsFilter',
        'macie2:DisableMacie',
        'macie2:UpdateFindingsFilter',
        'macie2:UpdateMacieSession',
        'securityhub:BatchDisableStandards',
        'securityhub:CreateAutomationRule',
        'securityhub:BatchUpdateAutomationRules',
        'securityhub:DisableSecurityHub',
        'securityhub:UpdateStandardsControl',
      ],
      Resource: '*',
    },
    {
      Sid: 'DenyBackupTampering',
      Action: [
        'backup:DeleteBackupPlan',
        'backup:DeleteBackupSelection',
        'backup:DeleteBackupVault',
        'backup:DeleteBackupVaultAccessPolicy',
        'backup:DeleteBackupVaultLockConfiguration',
        'backup:DeleteRecoveryPoint',
        'backup:PutBackupVaultAccessPolicy',
        'backup:PutBackupVaultLockConfiguration',
        'backup:UpdateBackupPlan',
        'backup:UpdateRecoveryPointLifecycle',
      ],
      Resource: '*',
      backupRoleExempt: true,
    },
    {
      Sid: 'DenyDatabaseSnapshotShareCopyAndChanges',
      Action: [
        'rds:CopyDBClusterSnapshot',
        'rds:CopyDBSnapshot',
        'rds:ModifyDBCluster',
        'rds:ModifyDBClusterParameterGroup',
        'rds:ModifyDBClusterSnapshotAttribute',
        'rds:ModifyDBInstance',
        'rds:ModifyDBParameterGroup',
        'rds:ModifyDBSnapshotAttribute',
        'rds:ResetDBClusterParameterGroup',
        'rds:ResetDBParameterGroup',
      ],
      Resource: '*',
      backupRoleExempt: true,
    },
    {
      Sid: 'DenyEnvironmentRoleChanges',
      Action: [
        'iam:AttachRolePolicy',
        'iam:DeleteRolePermissionsBoundary',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PassRole',
        'iam:PutRolePermissionsBoundary',
        'iam:PutRolePolicy',
        'iam:UpdateAssumeRolePolicy',
      ],
      Resource: [`arn:${p}:iam::${config.account}:role/${prefix}-*`],
    },
  ]);
}
