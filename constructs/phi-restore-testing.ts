import { Stack } from 'aws-cdk-lib';
import { CfnRestoreTestingPlan, CfnRestoreTestingSelection, IBackupVault } from 'aws-cdk-lib/aws-backup';
import { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { IRole } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { SubnetGroup } from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';

/** Props of a PhiRestoreTesting. */
export interface PhiRestoreTestingProps {
  /** Physical name of the restore testing plan: 1-50 letters, digits and underscores. */
  readonly planName: string;
  /** The vault whose recovery points are restored (PhiBackup.vault). */
  readonly vault: IBackupVault;
  /** The role AWS Backup restores with (PhiBackup.role: allow-listed on the PHI and backup keys and PHI buckets). */
  readonly role: IRole;
  /** ARN of the PHI database instance (or cluster) to restore. */
  readonly databaseArn: string;
  /** Whether `databaseArn` is an Aurora cluster (restore testing type 'Aurora') or an RDS instance ('RDS'). */
  readonly databaseIsCluster: boolean;
  /** ARN of the PHI bucket to restore. */
  readonly bucketArn: string;
  /** The PHI VPC: the restored database lands in `subnets` of it. */
  readonly vpc: IVpc;
  /** The data tier's subnets. */
  readonly subnets: SubnetSelection;
  /** Security group of the restored database (no ingress but from what validates it). */
  readonly securityGroup: ISecurityGroup;
  /** The PHI key: the restored bucket is encrypted with it (the restored database keeps its snapshot's key). */
  readonly phiKey: IKey;
  /**
   * When the tests run (an AWS Backup cron expression, UTC).
   * @default 'cron(0 7 ? * SUN *)' - weekly, Sunday 07:00 UTC
   */
  readonly scheduleExpression?: string;
  /**
   * Hours the restored copies are kept for validation before AWS Backup deletes them (1-168).
   * @default 24
   */
  readonly validationWindowHours?: number;
  /**
   * Days back a recovery point is chosen from (the latest in the window is restored), 1-365.
   * @default 7
   */
  readonly selectionWindowDays?: number;
}

/** Restore testing resource types of AWS Backup for the stores the blueprint backs up. */
export type RestoreTestedType = 'RDS' | 'Aurora' | 'S3';

/**
 * Restore testing of the PHI backups (safeguard I1, 164.308(a)(7)(ii)(D) testing and revision): an AWS Backup restore
 * testing plan that, on a schedule, restores the latest recovery point of the PHI database and of the PHI bucket from
 * the PHI vault into the data tier, with the blueprint's keys and a security group without ingress, keeps each for the
 * validation window and deletes it. Each restore job's status and duration are in AWS Backup > Restore testing and
 * the restore job history (the evidence that backups restore).
 */
export class PhiRestoreTesting extends Construct {
  public readonly plan: CfnRestoreTestingPlan;
  /** One selection per restored store type. */
  public readonly selections: Readonly<Record<'database' | 'bucket', CfnRestoreTestingSelection>>;
  /** The DB subnet group of the data tier the database is restored into. */
  public readonly subnetGroup: SubnetGroup;

  constructor(scope: Construct, id: string, props: PhiRestoreTestingProps) {
    super(scope, id);
    const where = `PhiRestoreTesting ${this.node.path}`;
    if (!/^[A-Za-z0-9_]{1,50}$/.test(props.planName)) {
      throw new Error(`${where}: planName = '${props.planName}': must be 1-50 letters, digits and underscores`);
    }
    const hours = props.validationWindowHours ?? 24;
    if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
      throw new Error(`${where}: validationWindowHours = ${hours}: must be a whole number of hours from 1 to 168`);
    }
    const days = props.selectionWindowDays ?? 7;
    if (!Number.isInteger(days) || days < 1 || days > 365) {
      throw new Error(`${where}: selectionWindowDays = ${days}: must be a whole number of days from 1 to 365`);
    }

    this.plan = new CfnRestoreTestingPlan(this, 'Plan', {
      restoreTestingPlanName: props.planName,
      scheduleExpression: props.scheduleExpression ?? 'cron(0 7 ? * SUN *)',
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vault.backupVaultArn],
        recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        selectionWindowDays: days,
      },
    });

    this.subnetGroup = new SubnetGroup(this, 'SubnetGroup', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      description: 'Restore testing: the PHI database is restored into the data tier',
    });
    const selection = (
      selectionId: string,
      type: RestoreTestedType,
      arn: string,
      overrides: Record<string, string>,
    ) => {
      const s = new CfnRestoreTestingSelection(this, selectionId, {
        restoreTestingPlanName: this.plan.restoreTestingPlanName,
        restoreTestingSelectionName: `${selectionId}`,
        protectedResourceType: type,
        protectedResourceArns: [arn],
        iamRoleArn: props.role.roleArn,
        validationWindowHours: hours,
        restoreMetadataOverrides: overrides,
      });
      s.addResourceDependency(this.plan);
      return s;
    };
    this.selections = {
      database: selection('Database', props.databaseIsCluster ? 'Aurora' : 'RDS', props.databaseArn, {
        // Keys of "Restore testing inferred metadata" (AWS Backup Developer Guide); not case sensitive.
        dbsubnetgroupname: this.subnetGroup.subnetGroupName,
        vpcsecuritygroupids: Stack.of(this).toJsonString([props.securityGroup.securityGroupId]),
        publiclyaccessible: 'false',
      }),
      bucket: selection('Bucket', 'S3', props.bucketArn, {
        encryptiontype: 'SSE-KMS',
        kmskey: props.phiKey.keyArn,
      }),
    };
    tagSafeguards(this, ['I1']);
  }
}
