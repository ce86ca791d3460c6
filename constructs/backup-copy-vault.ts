import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupVault, CfnBackupVault } from 'aws-cdk-lib/aws-backup';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { markPhiStore, MIN_PITR_DAYS, tagSafeguards } from './core';

/** Props of a BackupCopyVault. */
export interface BackupCopyVaultProps {
  /** Physical vault name: fixed, because the backup plan of another region names it by ARN. */
  readonly vaultName: string;
  /** The backup key of this vault's region (E2). */
  readonly encryptionKey: IKey;
  /** Vault lock minimum retention in days: at least 35 (I1), at most the copies' retention. */
  readonly minRetentionDays: number;
  /**
   * Production: the lock becomes immutable after its grace period (compliance mode); otherwise it stays in
   * governance mode.
   */
  readonly immutableLock: boolean;
  /**
   * Grace period in days before a production lock becomes immutable (AWS minimum: 3).
   * @default 3
   */
  readonly lockGraceDays?: number;
  /**
   * Step 1 of a first deploy: nothing copies to the vault yet (the backup plan that does is created in step 2), so
   * it is not marked a PHI store, like the replica bucket created before replication (PhiBucket replicationPending).
   * @default false
   */
  readonly copiesPending?: boolean;
}

/**
 * The destination of the PHI backup plan's copy actions (safeguard I1: recovery points in a second region, locked
 * like the main vault): a vault encrypted with the backup key of its region, locked against deletion of recovery
 * points younger than `minRetentionDays` and retained with its stack. A PHI store (recovery points are PHI).
 */
export class BackupCopyVault extends Construct {
  public readonly vault: BackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyVaultProps) {
    super(scope, id);
    const where = `BackupCopyVault ${this.node.path}`;
    if (!Number.isInteger(props.minRetentionDays) || props.minRetentionDays < MIN_PITR_DAYS) {
      throw new Error(`${where}: minRetentionDays = ${props.minRetentionDays}: must be at least ${MIN_PITR_DAYS} (I1)`);
    }
    const grace = props.lockGraceDays ?? 3;
    if (!Number.isInteger(grace) || grace < 3) {
      throw new Error(`${where}: lockGraceDays = ${grace}: must be a whole number of at least 3 (the AWS minimum)`);
    }
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      // Safeguards last.
      encryptionKey: props.encryptionKey,
      lockConfiguration: {
        minRetention: Duration.days(props.minRetentionDays),
        changeableFor: props.immutableLock ? Duration.days(grace) : undefined,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cfn = this.vault.node.defaultChild as CfnBackupVault;
    cfn.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    if (!props.copiesPending) markPhiStore(cfn);
    tagSafeguards(this, ['I1', 'E2']);
  }
}
