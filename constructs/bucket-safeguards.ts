import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  BucketProps,
  CfnBucket,
  IBucket,
  LifecycleRule,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';

/**
 * The safeguards every bucket of the blueprint carries, spread LAST into its BucketProps so nothing
 * before them can override them (E2, E3, I2): SSE-KMS with the given customer-managed key and a bucket
 * key (or SSE-S3 where AWS cannot deliver into SSE-KMS: pass `'S3_MANAGED'`, an acknowledged exception),
 * versioning, public access blocked, TLS 1.2+ only (both deny statements), bucket owner owns every
 * object, retained on deletion.
 */
export function bucketSafeguards(encryption: IKey | 'S3_MANAGED'): BucketProps {
  const atRest: BucketProps =
    encryption === 'S3_MANAGED'
      ? { encryption: BucketEncryption.S3_MANAGED }
      : { encryption: BucketEncryption.KMS, encryptionKey: encryption, bucketKeyEnabled: true };
  return {
    ...atRest,
    versioned: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/** Retains the bucket on replacement too (RETAIN above covers deletion only); returns its L1. */
export function retainOnReplace(bucket: Bucket): CfnBucket {
  const cfn = bucket.node.defaultChild as CfnBucket;
  cfn.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
  return cfn;
}

/** Storage-class steps of a log store's lifecycle. */
export interface ColdStorageSteps {
  /** First transition of current objects. */
  readonly first: { readonly storageClass: StorageClass; readonly days: number };
  /** Days after which current and noncurrent objects move to Deep Archive. */
  readonly deepArchiveDays: number;
}

/**
 * Lifecycle of a log or audit store (U3): colder storage over time, and neither current objects nor
 * replaced or deleted versions expire before `retentionDays` (the project rule LogBucketRetention
 * checks the result).
 */
export function noExpiryBeforeRetention(retentionDays: number, steps: ColdStorageSteps): LifecycleRule {
  return {
    id: 'ColderStorageNoExpirationBeforeRetention',
    enabled: true,
    transitions: [
      { storageClass: steps.first.storageClass, transitionAfter: Duration.days(steps.first.days) },
      { storageClass: StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(steps.deepArchiveDays) },
    ],
    noncurrentVersionTransitions: [
      { storageClass: StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(steps.deepArchiveDays) },
    ],
    expiration: Duration.days(retentionDays),
    noncurrentVersionExpiration: Duration.days(retentionDays),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  };
}

/** Sid of the statement that denies changing an object's encryption in place. */
export const DENY_OBJECT_ENCRYPTION_UPDATES_SID = 'DenyObjectEncryptionUpdates';

/**
 * The IAM action of S3's UpdateObjectEncryption: it re-encrypts an existing object's data key under another KMS key of
 * the account (or moves an SSE-S3 object to one), in place, keeping the version. Nothing in the blueprint calls it.
 */
export const UPDATE_OBJECT_ENCRYPTION_ACTION = 's3:UpdateObjectEncryption';

/**
 * E2 U2 U6: no principal (account administrators included, whatever IAM allows) may change the encryption of an
 * object already stored. UpdateObjectEncryption puts an object under any KMS key of the account in place: a PHI
 * object moved to a key its reader controls leaves the PHI key's policy behind; a log or audit object moved to a key
 * that is then disabled or deleted is as good as deleted, which no delete deny or Object Lock stops.
 */
export function denyObjectEncryptionUpdates(bucket: IBucket): void {
  bucket.addToResourcePolicy(objectEncryptionUpdatesDeny(bucket));
}

/** The statement denyObjectEncryptionUpdates adds (for constructs that collect their statements first). */
export function objectEncryptionUpdatesDeny(bucket: IBucket): PolicyStatement {
  return new PolicyStatement({
    sid: DENY_OBJECT_ENCRYPTION_UPDATES_SID,
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: [UPDATE_OBJECT_ENCRYPTION_ACTION],
    resources: [bucket.arnForObjects('*')],
  });
}

/** Sid of the statement that denies object version deletes in a log bucket. */
export const DENY_VERSION_DELETES_SID = 'DenyObjectVersionDeletes';

/**
 * U3 U6: no principal (account administrators included, whatever IAM allows) may delete an object version of
 * a log bucket; a delete only adds a delete marker, which versioning keeps behind, and the lifecycle still
 * expires versions after the retention (expiration is not a request, no policy applies to it).
 */
export function denyObjectVersionDeletes(bucket: Bucket): void {
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: DENY_VERSION_DELETES_SID,
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:DeleteObjectVersion'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
}
