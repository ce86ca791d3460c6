import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AuditLockMode } from '../config/retention';

/**
 * Markers on S3 buckets that the project rules read (AuditBucketObjectLock, LogBucketRetention).
 * They are CloudFormation Metadata entries on the AWS::S3::Bucket, so a reviewer sees them in the
 * template too. Only the blueprint's own bucket constructs set them.
 */
export const LOG_BUCKET_METADATA = 'HipaaBlueprint::LogBucket';
/** Marks the audit archive (CloudTrail delivery) bucket. AWS Config delivers to a log-marked bucket of its own. */
export const AUDIT_ARCHIVE_METADATA = 'HipaaBlueprint::AuditArchive';

/** Value of the log bucket marker. */
export interface LogBucketMarker {
  /** Safeguards the bucket implements, e.g. ['U3', 'I2']. */
  readonly safeguards: readonly string[];
}

/** Value of the audit archive marker. */
export interface AuditArchiveMarker {
  readonly safeguards: readonly string[];
  /** Whether the environment explicitly allows GOVERNANCE mode (non-production only). */
  readonly governanceAllowed: boolean;
  /** The lock mode the environment asked for (for the evidence report). */
  readonly lockMode: AuditLockMode;
}

/** Marks a bucket as a log bucket (its lifecycle must keep objects >= 2192 days). */
export function markLogBucket(bucket: CfnBucket, marker: LogBucketMarker): void {
  bucket.addMetadata(LOG_BUCKET_METADATA, marker);
}

/** Marks a bucket as the audit archive (Object Lock, >= 2192 days, COMPLIANCE unless allowed). */
export function markAuditArchive(bucket: CfnBucket, marker: AuditArchiveMarker): void {
  bucket.addMetadata(AUDIT_ARCHIVE_METADATA, marker);
}

/** The marker of a resource, if it carries one. */
export function markerOf<T>(node: CfnResource, key: string): T | undefined {
  return node.getMetadata(key) as T | undefined;
}
