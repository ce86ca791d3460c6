import { CfnOutput } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { AUDIT_REPLICA_KEY, BACKUP_REPLICA_KEY, PHI_REPLICA_KEY } from '../../constructs/key-usage';
import { BackupCopyVault } from '../../constructs/backup-copy-vault';
import { AuditArchiveReplicaBucket } from '../../constructs/audit-archive-replica-bucket';
import { ManagedKey } from '../../constructs/managed-key';
import { PhiBucket } from '../../constructs/phi-bucket';
import { ReplicationStallAlarm } from '../../constructs/replication-stall-alarm';
import {
  auditArchiveReplicaBucketName,
  auditReplicaKeyAlias,
  stallForwardRuleName,
  backupReplicaKeyAlias,
  backupReplicaVaultName,
  BlueprintConfig,
  describedAs,
  keyAliasArn,
  phiDataBucketNameCrossRegionRef,
  phiKeyAlias,
  phiReplicaBucketName,
  phiReplicaKeyAlias,
  stackName,
} from '../config';
import { auditReplicationRoleArn, deploymentRoleArn, keyPrincipals, phiBucketPrincipals } from '../config/principals';
import { phiReplicationRoleName } from '../config/names';
import { assertDeploymentRole, BlueprintStack, BlueprintStackProps } from './blueprint-stack';

/** Props of the PHI replica stack. */
export interface PhiReplicaStackProps extends Omit<BlueprintStackProps, 'region'> {
  /**
   * First deploy only (`-c phiReplicaBootstrap=true`): the PHI bucket does not exist yet, so the
   * replica bucket is created without replication, empty and unwritable, and not marked a PHI store
   * (PhiBucket `replicationPending`). The next normal deploy replicates it back to the PHI bucket.
   * @default false
   */
  readonly bootstrap?: boolean;
}

/**
 * The PHI replica (safeguards I1, I2, E2) in config.phiBucket.replicaRegion: its own PHI key, the
 * PHI replica bucket, which the data stack's PHI bucket replicates to and which replicates back
 * (two-way, for failover), and the replica's server access log bucket. Both directions name the
 * other region's bucket and key alias (lib/config/names.ts): no cross-region reference. Stateful:
 * termination protection, everything retained.
 */
export class PhiReplicaStack extends BlueprintStack {
  /** Construct id in the stage (HipaaStage and PhiReplicaBootstrapStage use the same one). */
  public static readonly ID = 'PhiReplica';

  /** Stack name, description and termination protection: the same in normal and bootstrap mode. */
  public static stackProps(config: BlueprintConfig): PhiReplicaStackProps {
    return {
      config,
      stackName: stackName(config, 'phiReplica'),
      description: `HIPAA blueprint: PHI replica bucket and key in ${config.phiBucket.replicaRegion}, two-way replication with the PHI bucket (I1, I2, E2)`,
      terminationProtection: true,
    };
  }

  public readonly replicaKey: IKey;
  public readonly accessLogs: AccessLogBucket;
  public readonly replicaBucket: PhiBucket;
  /** The audit replica key (this region) and the audit archive's object-locked replica bucket. */
  public readonly auditReplicaKey: IKey;
  public readonly auditArchiveReplica: AuditArchiveReplicaBucket;
  /** The backup key of this region and the locked vault the PHI backup plan copies to (I1). */
  public readonly backupReplicaKey: IKey;
  public readonly backupCopyVault: BackupCopyVault;
  /**
   * I2 D1: replication into the PHI replica and into the audit archive replica stalled (S3 publishes ReplicationLatency
   * in the destination's region, here); their state changes are forwarded to the primary region's alert pipeline.
   * Absent in bootstrap mode (nothing replicates yet).
   */
  public readonly stallAlarms: readonly ReplicationStallAlarm[];

  constructor(scope: Construct, id: string, props: PhiReplicaStackProps) {
    super(scope, id, { ...props, region: props.config.phiBucket.replicaRegion });
    const { config } = props;
    if (props.bootstrap) this.declare({ phiReplicaBootstrap: true });

    const principals = keyPrincipals(config, 'phi-replica');
    assertDeploymentRole(this, principals.administratorArns);
    this.replicaKey = new ManagedKey(this, 'PhiReplicaKey', {
      alias: phiReplicaKeyAlias(config),
      description: describedAs(config, PHI_REPLICA_KEY.description),
      usage: PHI_REPLICA_KEY.usage,
      ...principals,
      domain: 'phi-replica',
    }).key;
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', { retention: config.retention });
    const access = phiBucketPrincipals(config, 'replica');
    assertDeploymentRole(this, access.policyAdministratorArns);
    this.replicaBucket = new PhiBucket(this, 'PhiReplicaBucket', {
      access: {
        objectPrincipalArns: access.objectPrincipalArns,
        policyAdministratorArns: access.policyAdministratorArns,
      },
      replicationRoleName: phiReplicationRoleName(config, 'replica'),
      bucketName: phiReplicaBucketName(config),
      encryptionKey: this.replicaKey,
      accessLogs: this.accessLogs,
      accessLogPrefix: 'phi-replica/',
      noncurrentVersionExpirationDays: config.phiBucket.noncurrentVersionExpirationDays,
      ...(props.bootstrap
        ? { replicationPending: true }
        : {
            replication: {
              destinationBucketName: phiDataBucketNameCrossRegionRef(config),
              destinationRegion: config.region,
              destinationKeyAliasArn: keyAliasArn(config.region, phiKeyAlias(config)),
            },
          }),
    });

    // The audit archive's replica (the audit stack's archive, findings archive and access-audit bucket replicate here,
    // through the audit archive's replication role): its own key of this region. Created
    // in the bootstrap step too, so it exists before the audit archive's replication names it.
    const auditReplicaPrincipals = keyPrincipals(config, 'audit-replica');
    assertDeploymentRole(this, auditReplicaPrincipals.administratorArns);
    this.auditReplicaKey = new ManagedKey(this, 'AuditReplicaKey', {
      alias: auditReplicaKeyAlias(config),
      description: describedAs(config, AUDIT_REPLICA_KEY.description),
      usage: AUDIT_REPLICA_KEY.usage,
      // E1: like the audit key, used only by the audit readers and the archive's replication role.
      ...auditReplicaPrincipals,
      domain: 'audit-replica',
    }).key;
    this.auditArchiveReplica = new AuditArchiveReplicaBucket(this, 'AuditArchiveReplica', {
      bucketName: auditArchiveReplicaBucketName(config),
      retention: config.retention,
      production: config.production,
      encryptionKey: this.auditReplicaKey,
      accessLogs: this.accessLogs,
      // U2 U6: only a deploy reconfigures it; only the archive's replication writes to it.
      configurationAdministratorArns: [deploymentRoleArn(config, config.phiBucket.replicaRegion)],
      replicationRoleArn: auditReplicationRoleArn(config),
    });

    // I1: the destination of the PHI backup plan's copies (named by ARN from the data stack). Created in the
    // bootstrap step too, so it exists before the first backup is copied.
    const backupReplicaPrincipals = keyPrincipals(config, 'backup-replica');
    assertDeploymentRole(this, backupReplicaPrincipals.administratorArns);
    this.backupReplicaKey = new ManagedKey(this, 'BackupReplicaKey', {
      alias: backupReplicaKeyAlias(config),
      description: describedAs(config, BACKUP_REPLICA_KEY.description),
      usage: BACKUP_REPLICA_KEY.usage,
      ...backupReplicaPrincipals,
      domain: 'backup',
    }).key;
    this.backupCopyVault = new BackupCopyVault(this, 'BackupCopyVault', {
      vaultName: backupReplicaVaultName(config),
      encryptionKey: this.backupReplicaKey,
      minRetentionDays: config.backup.vaultMinRetentionDays,
      immutableLock: config.production,
      copiesPending: props.bootstrap === true,
    });

    // I2 D1: no alert path in this region: the stall alarms' state changes go to the primary region's default bus,
    // where the alert pipeline routes this region's alarm state changes to the formatter (AlertingStack).
    this.stallAlarms = props.bootstrap
      ? []
      : [
          new ReplicationStallAlarm(this, 'PhiReplicaReplicationStall', {
            destinationBucketName: this.replicaBucket.bucket.bucketName,
            forwardToRegion: config.region,
            forwardRuleName: stallForwardRuleName(config, 'phi-replica'),
          }),
          new ReplicationStallAlarm(this, 'AuditArchiveReplicaReplicationStall', {
            destinationBucketName: this.auditArchiveReplica.bucket.bucketName,
            forwardToRegion: config.region,
            forwardRuleName: stallForwardRuleName(config, 'audit-archive-replica'),
          }),
        ];

    new CfnOutput(this, 'PhiReplicaBucketName', { value: this.replicaBucket.bucket.bucketName });
    new CfnOutput(this, 'PhiReplicaKeyArn', { value: this.replicaKey.keyArn });
  }
}
