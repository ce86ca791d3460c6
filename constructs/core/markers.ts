import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { AuditLockMode } from './retention';

/**
 * Markers the compliance code reads: which constructs are PHI stores (no acknowledgement may touch
 * them), which buckets are log buckets, which is the audit archive. Only the blueprint's own
 * constructs set them. Bucket markers are CloudFormation Metadata entries on the AWS::S3::Bucket, so
 * a reviewer (and the template checker) sees them in the template too.
 */

/** Construct metadata type that marks a construct as a store of PHI; no acknowledgement may match it. */
export const PHI_STORE_METADATA = 'hipaa-blueprint:phi-store';

/**
 * Template metadata key that marks a CloudFormation resource as a PHI store, so that a reviewer, the asset
 * inventory and the template checker (which refuses acknowledgements on PHI stores) see it in the template.
 */
export const PHI_STORE_TEMPLATE_METADATA = 'HipaaBlueprint::PhiStore';

/**
 * Marks a construct as a PHI store (database, PHI bucket, backup vault): in the construct tree (no
 * acknowledgement may match it or anything above it) and, on a CloudFormation resource, in its template metadata.
 */
export function markPhiStore(construct: IConstruct): void {
  construct.node.addMetadata(PHI_STORE_METADATA, true);
  if (CfnResource.isCfnResource(construct)) construct.addMetadata(PHI_STORE_TEMPLATE_METADATA, true);
}

/** Whether `construct` or anything below it is marked a PHI store. */
export function holdsPhiStore(construct: IConstruct): boolean {
  return construct.node.findAll().some((c) => c.node.metadata.some((m) => m.type === PHI_STORE_METADATA));
}

/** Template metadata key of a log bucket (its lifecycle must keep objects >= 2192 days). */
export const LOG_BUCKET_METADATA = 'HipaaBlueprint::LogBucket';
/** Template metadata key of the audit archive (CloudTrail delivery) bucket. AWS Config delivers to a log-marked bucket of its own. */
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

/**
 * Template metadata key of a customer-managed key whose use is limited to named principals (the PHI, audit,
 * backup and PHI replica keys, E1): the project rule KeyUseByNamedPrincipals refuses any statement on it that
 * gives use or administration to every principal of the account.
 */
export const NAMED_KEY_USERS_METADATA = 'HipaaBlueprint::NamedKeyUsers';

/** Value of the named-key-users marker. */
export interface NamedKeyUsersMarker {
  readonly safeguards: readonly string[];
}

/** Marks a key as usable by named principals only. */
export function markNamedKeyUsers(key: CfnResource, marker: NamedKeyUsersMarker): void {
  key.addMetadata(NAMED_KEY_USERS_METADATA, marker);
}

/**
 * Template metadata key of a PHI bucket's object access allow-list (E1, A3): whether some allow-listed
 * principals (the task roles) may reach objects only from the VPC, which the project rule
 * PhiBucketPrincipalAllowList then requires as a deny in the bucket policy.
 */
export const PHI_OBJECT_ACCESS_METADATA = 'HipaaBlueprint::PhiObjectAccess';

/** Value of the PHI object access marker. */
export interface PhiObjectAccessMarker {
  /** Whether the bucket policy must deny VPC-only principals outside the VPC (aws:SourceVpc). */
  readonly vpcOnlyPrincipals: boolean;
}

/** Records on a PHI bucket what its object access allow-list must hold. */
export function markPhiObjectAccess(bucket: CfnBucket, marker: PhiObjectAccessMarker): void {
  bucket.addMetadata(PHI_OBJECT_ACCESS_METADATA, marker);
}
