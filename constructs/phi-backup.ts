import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  BackupSelection,
  BackupVault,
  CfnBackupVault,
} from 'aws-cdk-lib/aws-backup';
import { Alarm, ComparisonOperator, IAlarmAction, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  markPhiStore,
  MAX_CONTINUOUS_BACKUP_DAYS,
  MIN_MONTHLY_BACKUP_DAYS,
  MIN_PITR_DAYS,
  tagSafeguards,
} from './core';

/** Props of a PhiBackup. */
export interface PhiBackupProps {
  /** Backup key: the vault and its recovery points (E2). */
  readonly encryptionKey: IKey;
  /** Physical vault name. */
  readonly vaultName: string;
  /** ARNs of the PHI stores to back up (database cluster or instance, PHI buckets). */
  readonly resourceArns: readonly string[];
  /** Resources carrying this tag are backed up too (stores added later by tag only). */
  readonly tag: { readonly key: string; readonly value: string };
  /** Days a daily (continuous) recovery point is kept: 35. */
  readonly dailyRetentionDays: number;
  /** Days a monthly recovery point is kept: at least 365. */
  readonly monthlyRetentionDays: number;
  /** Vault lock minimum retention, 35 to dailyRetentionDays. */
  readonly vaultMinRetentionDays: number;
  /**
   * Production: the vault lock becomes immutable after its grace period (compliance mode). Otherwise
   * it stays in governance mode (an authorised admin can remove it, e.g. to tear down a dev account).
   */
  readonly immutableLock: boolean;
  /** Where failed and aborted backup job alarms go (D1, D3). */
  readonly alarmAction: IAlarmAction;
}

/** Tag that puts a store in the PHI backup selection (in addition to its ARN). */
export const PHI_BACKUP_TAG = { key: 'Backup', value: 'phi' } as const;

/** The grace period before a production vault lock becomes immutable (AWS minimum: 3 days). */
export const VAULT_LOCK_GRACE_DAYS = 3;

/**
 * AWS Backup of the PHI stores (safeguard I1): a vault encrypted with the backup key and locked
 * against deletion, a plan with daily continuous backups (point-in-time restore for RDS and S3) and
 * monthly recovery points, a selection by ARN and by tag, and alarms on failed or aborted jobs.
 * The vault is a PHI store (recovery points are PHI).
 */
export class PhiBackup extends Construct {
  public readonly vault: BackupVault;
  public readonly plan: BackupPlan;
  public readonly selection: BackupSelection;
  /** The role AWS Backup assumes to back up and restore the selected stores. */
  public readonly role: Role;
  public readonly failedJobsAlarm: Alarm;
  public readonly abortedJobsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PhiBackupProps) {
    super(scope, id);
    const where = `PhiBackup ${this.node.path}`;
    const daily = props.dailyRetentionDays;
    if (!Number.isInteger(daily) || daily < MIN_PITR_DAYS || daily > MAX_CONTINUOUS_BACKUP_DAYS) {
      throw new Error(`${where}: dailyRetentionDays = ${daily}: must be ${MIN_PITR_DAYS} (I1; continuous backups)`);
    }
    if (!Number.isInteger(props.monthlyRetentionDays) || props.monthlyRetentionDays < MIN_MONTHLY_BACKUP_DAYS) {
      throw new Error(
        `${where}: monthlyRetentionDays = ${props.monthlyRetentionDays}: must be at least ${MIN_MONTHLY_BACKUP_DAYS}`,
      );
    }
    const lock = props.vaultMinRetentionDays;
    if (!Number.isInteger(lock) || lock < MIN_PITR_DAYS || lock > daily) {
      throw new Error(`${where}: vaultMinRetentionDays = ${lock}: must be ${MIN_PITR_DAYS} to ${daily}`);
    }
    if (props.resourceArns.length === 0) {
      throw new Error(`${where}: resourceArns = []: must name at least one PHI store`);
    }

    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      // Safeguards last.
      encryptionKey: props.encryptionKey,
      lockConfiguration: {
        minRetention: Duration.days(lock),
        changeableFor: props.immutableLock ? Duration.days(VAULT_LOCK_GRACE_DAYS) : undefined,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.vault.node.defaultChild as CfnBackupVault).applyRemovalPolicy(RemovalPolicy.RETAIN, {
      applyToUpdateReplacePolicy: true,
    });
    markPhiStore(this.vault);
    tagSafeguards(this, ['I1', 'E2']);
    markPhiStore(this.vault.node.defaultChild as CfnBackupVault);

    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: `${props.vaultName}-plan`,
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'DailyContinuous',
          scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }),
          enableContinuousBackup: true,
          deleteAfter: Duration.days(daily),
        }),
        new BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: Schedule.cron({ day: '1', hour: '6', minute: '0' }),
          deleteAfter: Duration.days(props.monthlyRetentionDays),
        }),
      ],
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('backup.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'AWS Backup: back up and restore the PHI database and PHI buckets',
      managedPolicies: [
        'service-role/AWSBackupServiceRolePolicyForBackup',
        'service-role/AWSBackupServiceRolePolicyForRestores',
        'AWSBackupServiceRolePolicyForS3Backup',
        'AWSBackupServiceRolePolicyForS3Restore',
      ].map((name) => ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    this.selection = new BackupSelection(this, 'Selection', {
      backupPlan: this.plan,
      role: this.role,
      disableDefaultBackupPolicy: true,
      allowRestores: false,
      resources: [
        ...props.resourceArns.map((arn) => BackupResource.fromArn(arn)),
        BackupResource.fromTag(props.tag.key, props.tag.value),
      ],
    });

    const metric = (name: string): Metric =>
      new Metric({
        namespace: 'AWS/Backup',
        metricName: name,
        dimensionsMap: { BackupVaultName: this.vault.backupVaultName },
        statistic: 'Sum',
        period: Duration.hours(1),
      });
    const alarm = (alarmId: string, metricName: string, what: string): Alarm => {
      const a = new Alarm(this, alarmId, {
        metric: metric(metricName),
        alarmDescription: `A backup job of the PHI vault ${what} (safeguard I1). See AWS Backup > Jobs.`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(props.alarmAction);
      return a;
    };
    this.failedJobsAlarm = alarm('FailedJobsAlarm', 'NumberOfBackupJobsFailed', 'failed');
    this.abortedJobsAlarm = alarm('AbortedJobsAlarm', 'NumberOfBackupJobsAborted', 'was aborted');
  }
}
