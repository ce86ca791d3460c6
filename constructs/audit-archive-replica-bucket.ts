import { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { retainOnReplace } from './bucket-safeguards';
import { assertRetention, markAuditArchive, markLogBucket, RetentionPolicy, tagSafeguards } from './core';
import { AccessLogBucket } from './access-log-bucket';
import { addAuditArchiveTamperDenies, auditArchiveBucketProps } from './audit-archive-bucket';

/** Props of an AuditArchiveReplicaBucket. */
export interface AuditArchiveReplicaBucketProps {
  /** Physical name: the audit archive's replication names it (no cross-region reference). */
  readonly bucketName: string;
  /** The same retention policy as the audit archive: Object Lock mode and default retention (>= 2192 days). */
  readonly retention: RetentionPolicy;
  /** Whether the environment holds production PHI: GOVERNANCE mode is refused when true (U2). */
  readonly production: boolean;
  /** A customer-managed key of this (the replica) region; S3 replication encrypts the replicas with it. */
  readonly encryptionKey: IKey;
  /** Where this bucket's S3 server access logs go (the replica region's access log bucket). */
  readonly accessLogs: AccessLogBucket;
  /**
   * Exact role ARNs that may change the Object Lock configuration, versioning, lifecycle and policy: the
   * CloudFormation execution role of this region (U2 U6).
   */
  readonly configurationAdministratorArns: readonly string[];
  /**
   * The audit archive's replication role, which also replicates the findings archive and the access-audit bucket
   * here (under their own key prefixes): the only principal that may write here, by S3 replication.
   */
  readonly replicationRoleArn: string;
}

/** Prefix of this bucket's access logs in the replica region's access log bucket. */
export const AUDIT_ARCHIVE_REPLICA_ACCESS_LOG_PREFIX = 'audit-archive-replica/';

/**
 * The audit archive's replica in a second region (safeguards U2, I1, I2): the destination of the audit archive's
 * cross-region replication, so the audit trail survives the loss of a region; also the destination of the findings
 * archive's (D2) and the access-audit bucket's (U5) replication, through the same role, under their own key prefixes
 * (one replica for the audit domain: same key, lock and readers). Like the archive: S3 Object Lock with
 * the same mode and default retention (COMPLIANCE in production; S3 requires Object Lock on a replication
 * destination whose source has it), versioned, SSE-KMS with a customer-managed key of its region and a bucket key,
 * TLS 1.2+ only, public access blocked, a lifecycle to colder storage that never expires an object before the
 * retention, retained. Only S3 replication writes here, as the archive's replication role: the bucket policy denies
 * every other write, every delete, lock weakening and (but to the deployment role) reconfiguration (U6).
 */
export class AuditArchiveReplicaBucket extends Construct {
  public readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AuditArchiveReplicaBucketProps) {
    super(scope, id);
    const where = `AuditArchiveReplicaBucket ${this.node.path}`;
    assertRetention(props.retention, where);
    if (props.production && props.retention.auditLockMode !== 'COMPLIANCE') {
      throw new Error(
        `${where}: retention.auditLockMode = '${props.retention.auditLockMode}': must be COMPLIANCE in a production environment (safeguard U2)`,
      );
    }
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      throw new Error(`${where}: bucketName = '${props.bucketName}': must be an S3 bucket name`);
    }
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      // The archive's lifecycle, Object Lock (same mode and retention) and bucket safeguards.
      ...auditArchiveBucketProps(props.retention, props.encryptionKey),
    });
    const cfn = retainOnReplace(this.bucket);
    markAuditArchive(cfn, {
      safeguards: ['U2', 'E2', 'E3', 'I1', 'I2'],
      governanceAllowed: !props.production && props.retention.auditLockMode === 'GOVERNANCE',
      lockMode: props.retention.auditLockMode,
    });
    markLogBucket(cfn, { safeguards: ['U3'] });
    props.accessLogs.receiveServerAccessLogsFrom(this.bucket, AUDIT_ARCHIVE_REPLICA_ACCESS_LOG_PREFIX);
    addAuditArchiveTamperDenies(this.bucket, where, props.configurationAdministratorArns, {
      replicationRoleArn: props.replicationRoleArn,
    });
    tagSafeguards(this, ['U2', 'I1', 'I2']);
  }
}
