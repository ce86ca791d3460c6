import { Duration, Tags } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, IBucket, LifecycleRule, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bucketSafeguards, retainOnReplace } from './bucket-safeguards';
import { HIPAA_MIN_RETENTION_DAYS, markPhiStore, tagSafeguards } from './core';
import { AccessLogBucket } from './access-log-bucket';
import { PHI_BACKUP_TAG } from './phi-backup';
import { PhiBucketReplication, PhiReplicationDestination } from './phi-bucket-replication';

/** Props of a PhiBucket. */
export interface PhiBucketProps {
  /** Physical name: one of phiBucketNames(config), the names the audit stack records data events for (U1). */
  readonly bucketName: string;
  /** PHI key (SSE-KMS with bucket keys, E2). */
  readonly encryptionKey: IKey;
  /** Where the server access logs go (U3). */
  readonly accessLogs: AccessLogBucket;
  /** Prefix of this bucket's access logs in the log bucket, e.g. 'phi-data/'. */
  readonly accessLogPrefix: string;
  /** Days a noncurrent version is kept before it expires; at least 2192. */
  readonly noncurrentVersionExpirationDays: number;
  /**
   * Cross-region replication to the other PHI bucket (I1, I2; HIPAA/NIST S3BucketReplicationEnabled).
   * Required unless replicationPending is true.
   * @default - none: then replicationPending must be true
   */
  readonly replication?: PhiReplicationDestination;
  /**
   * First deploy of a replica bucket only (PhiReplicaStack in bootstrap mode): the destination does not
   * exist yet, so the bucket is created without replication, denies every object write to everyone,
   * and is NOT marked a PHI store (it holds nothing and nothing can write to it) so that the register's
   * bootstrap entry can acknowledge S3BucketReplicationEnabled. The next deploy sets `replication`.
   * @default false
   */
  readonly replicationPending?: boolean;
}

/** Noncurrent versions move to Glacier Instant Retrieval after this many days (still millisecond reads). */
export const PHI_NONCURRENT_TRANSITION_DAYS = 30;

/**
 * A PHI bucket with the blueprint's safeguards built in: SSE-KMS with the PHI key and bucket
 * keys, and a bucket policy refusing object writes under any other encryption or key (E2), TLS-only and TLS >= 1.2 bucket policy (E3), versioning and Retain (I2), blocked public
 * access and ACLs off, server access logs (U3), noncurrent versions kept at least six years,
 * EventBridge notifications on for AWS Backup (I1), and cross-region replication to the other PHI
 * bucket (PhiBucketReplication). The whole construct is a PHI store (except while replicationPending).
 */
export class PhiBucket extends Construct {
  /**
   * E2: object writes must end up under `key`. A PutObject (also CopyObject and CreateMultipartUpload,
   * which S3 authorizes as s3:PutObject) that sends NO encryption header is allowed: the bucket default
   * (SSE-KMS with `key`, bucket keys) applies. That is how the SDK default, the console, CopyObject and
   * AWS Backup restores write. A writer that sends a header may not pick another encryption; deny when
   * the request
   * - names an algorithm other than aws:kms (SSE-S3 AES256, DSSE-KMS aws:kms:dsse),
   * - names a KMS key other than `key`'s ARN (e.g. aws/s3, another key, or this key by id or alias:
   *   callers that send the key header must send the key ARN),
   * - says aws:kms without a key id: S3 would then use the AWS managed aws/s3 key, not the bucket's, or
   * - asks for SSE-C (a customer-provided key S3 does not keep, not the PHI key).
   * IAM semantics: a negated operator (StringNotEquals) is TRUE when the key is absent from the request,
   * and so is any ...IfExists operator. So each "other value" deny pairs StringNotEquals with
   * `Null: false` (header present): without the header it never applies. (With StringNotEqualsIfExists
   * alone every header-less PutObject was denied.)
   * s3:ReplicateObject is not s3:PutObject: replicas arrive encrypted with the key the source's
   * replication configuration names (the other region's PHI key, by alias), unaffected here.
   */
  public static encryptionDenies(bucket: IBucket, key: IKey): PolicyStatement[] {
    const deny = (sid: string, conditions: Record<string, Record<string, string>>): PolicyStatement =>
      new PolicyStatement({
        sid,
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions,
      });
    const SSE = 's3:x-amz-server-side-encryption';
    const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
    const SSE_C = 's3:x-amz-server-side-encryption-customer-algorithm';
    return [
      deny('DenyObjectWritesNotSseKms', {
        Null: { [SSE]: 'false' },
        StringNotEquals: { [SSE]: 'aws:kms' },
      }),
      deny('DenyObjectWritesWithAnotherKey', {
        Null: { [KEY_ID]: 'false' },
        StringNotEquals: { [KEY_ID]: key.keyArn },
      }),
      deny('DenyObjectWritesSseKmsWithoutKeyId', {
        StringEquals: { [SSE]: 'aws:kms' },
        Null: { [KEY_ID]: 'true' },
      }),
      deny('DenyObjectWritesSseC', {
        Null: { [SSE_C]: 'false' },
      }),
    ];
  }

  public readonly bucket: Bucket;
  /**
   * The replication role, policy and configuration, created beside this construct as `<id>Replication`
   * (so no acknowledgement sits inside a PHI store); absent while replicationPending.
   */
  public readonly replication?: PhiBucketReplication;

  constructor(scope: Construct, id: string, props: PhiBucketProps) {
    super(scope, id);
    const where = `PhiBucket ${this.node.path}`;
    const pending = props.replicationPending ?? false;
    if (pending && props.replication !== undefined) {
      throw new Error(
        `${where}: replicationPending = true with replication set: replicationPending is only for a bucket whose destination does not exist yet`,
      );
    }
    if (!pending && props.replication === undefined) {
      throw new Error(
        `${where}: replication = undefined: required: a PHI bucket must replicate to a second region (HIPAA/NIST S3BucketReplicationEnabled; no acknowledgement may sit on a PHI store)`,
      );
    }
    if (
      !Number.isInteger(props.noncurrentVersionExpirationDays) ||
      props.noncurrentVersionExpirationDays < HIPAA_MIN_RETENTION_DAYS
    ) {
      throw new Error(
        `${where}: noncurrentVersionExpirationDays = ${props.noncurrentVersionExpirationDays}: must be at least ${HIPAA_MIN_RETENTION_DAYS}`,
      );
    }

    const lifecycle: LifecycleRule = {
      id: 'NoncurrentVersionsColderThenExpire',
      enabled: true,
      noncurrentVersionTransitions: [
        {
          storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
          transitionAfter: Duration.days(PHI_NONCURRENT_TRANSITION_DAYS),
        },
      ],
      noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    };

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      lifecycleRules: [lifecycle],
      // Safeguards last: nothing above can override them.
      ...bucketSafeguards(props.encryptionKey),
    });
    const cfn = retainOnReplace(this.bucket);
    // AWS Backup for S3 needs EventBridge notifications; set on the bucket itself (no notifications custom resource).
    cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    props.accessLogs.receiveServerAccessLogsFrom(this.bucket, props.accessLogPrefix);
    Tags.of(this.bucket).add(PHI_BACKUP_TAG.key, PHI_BACKUP_TAG.value);
    tagSafeguards(this, ['E2', 'E3', 'I1', 'I2']);
    for (const statement of PhiBucket.encryptionDenies(this.bucket, props.encryptionKey)) {
      this.bucket.addToResourcePolicy(statement);
    }

    if (props.replication !== undefined) {
      // Next to this construct (`<id>Replication`), not inside it: the PHI store's subtree carries no
      // acknowledgement, while the register's IAM5 entries sit on the replication policy.
      this.replication = new PhiBucketReplication(scope, `${id}Replication`, {
        ...props.replication,
        source: this.bucket,
        sourceKey: props.encryptionKey,
      });
      cfn.replicationConfiguration = this.replication.configuration;
      markPhiStore(this);
      markPhiStore(cfn);
    } else {
      // Bootstrap only: empty and unwritable until the next deploy configures replication.
      this.bucket.addToResourcePolicy(
        new PolicyStatement({
          sid: 'DenyObjectWritesUntilReplicationIsConfigured',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['s3:PutObject', 's3:ReplicateObject', 's3:RestoreObject'],
          resources: [this.bucket.arnForObjects('*')],
        }),
      );
    }
  }
}
