import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, CfnBucket, ObjectLockRetention, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { PhiBucketReplication } from './phi-bucket-replication';
import { addAuditArchiveTamperDenies } from './audit-archive-bucket';
import { bucketSafeguards, retainOnReplace } from './bucket-safeguards';
import { ACCESS_AUDIT_BUCKET_METADATA, assertRetention, RetentionPolicy, tagSafeguards } from './core';

/** One service's delivery stream. */
export interface AccessAuditStream {
  /** The service (lower-case kebab-case): its events land under `events/service=<service>/`. */
  readonly service: string;
  /** Physical name of the Firehose stream (the service's AUDIT_STREAM_NAME). */
  readonly streamName: string;
}

/** Props of an AccessAuditChannel. */
export interface AccessAuditChannelProps {
  /** The retention policy: Object Lock mode auditLockMode and default retention auditRetentionDays (>= 2192). */
  readonly retention: RetentionPolicy;
  /** Whether the environment holds production PHI: GOVERNANCE mode is refused when true (U5). */
  readonly production: boolean;
  /**
   * The audit-domain customer-managed key: the streams' server-side encryption and the bucket's SSE-KMS. Its
   * policy must admit the delivery role through S3 and each task role through Firehose (named key users).
   */
  readonly encryptionKey: IKey;
  /** Where the bucket's S3 server access logs go. */
  readonly accessLogs: AccessLogBucket;
  /** Exact role ARNs that may change the bucket's lock configuration, versioning, lifecycle and policy (a deploy). */
  readonly configurationAdministratorArns: readonly string[];
  /**
   * Fixed physical name of the role Firehose assumes to write to the bucket: the audit key allow-lists it by ARN
   * before it exists, and the bucket policy admits writes by it only.
   */
  readonly deliveryRoleName: string;
  /** One stream per service; may be empty (no services: only the bucket). */
  readonly streams: readonly AccessAuditStream[];
  /**
   * Cross-region replication of the bucket (U5, I2): the audit archive's replication (one named role, allow-listed on
   * the audit key and the audit replica key), which carries this bucket too into the object-locked audit replica
   * bucket of the replica region under the audit replica key, Object Lock retention replicated, delete markers not.
   * @default - no replication (the packs' S3BucketReplicationEnabled then reports the bucket)
   */
  readonly replication?: PhiBucketReplication;
  /**
   * Seconds Firehose buffers before it writes an object (60-900).
   * @default 60
   */
  readonly bufferingSeconds?: number;
}

/** Template metadata key that marks the access-audit bucket (constructs/core/markers). */
export { ACCESS_AUDIT_BUCKET_METADATA };

/** Prefix of this bucket's server access logs in the access log bucket. */
export const ACCESS_AUDIT_ACCESS_LOG_PREFIX = 'access-audit/';

/** Where one service's events land (Hive-style partitions service= and date=, read by the Glue table). */
export const ACCESS_AUDIT_EVENTS_PREFIX = 'events/';

/** Days after which events move to S3 Glacier Instant Retrieval (still readable by Athena). */
export const ACCESS_AUDIT_COLD_DAYS = 90;

/** Object ACL and tag writes nobody may make on an event. */
export const ACCESS_AUDIT_METADATA_WRITE_ACTIONS: readonly string[] = [
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:PutObjectAcl',
  's3:PutObjectTagging',
  's3:PutObjectVersionAcl',
  's3:PutObjectVersionTagging',
];

/** What a task role may do on its stream: append, nothing else (no describe, no update, no delete). */
export const ACCESS_AUDIT_APPEND_ACTIONS: readonly string[] = ['firehose:PutRecord', 'firehose:PutRecordBatch'];

/** The key actions Firehose requires of a PutRecord caller on a stream encrypted with a customer-managed key. */
export const ACCESS_AUDIT_APPEND_KEY_ACTIONS: readonly string[] = ['kms:GenerateDataKey', 'kms:Decrypt'];

const SERVICE = /^[a-z][a-z0-9-]{0,63}$/;
const STREAM = /^[a-zA-Z0-9_.-]{1,64}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * The application access-audit channel (safeguard U5): one Amazon Data Firehose stream per service, DirectPut,
 * server-side encrypted with the audit key, delivering JSON lines into one object-locked bucket.
 *
 * The bucket: S3 Object Lock with a default retention from the retention policy (COMPLIANCE, or GOVERNANCE only in
 * a non-production environment that asks for it), versioned, SSE-KMS with the audit key and a bucket key, TLS only,
 * public access blocked, objects owned by the bucket owner, a lifecycle to colder storage that never expires an
 * object before the retention, server access logs, retained. Its policy denies to everyone object deletes, lock
 * weakening and writes by anyone but the delivery role, and reconfiguration to all but the deployment role (the
 * audit archive's tamper denies, addAuditArchiveTamperDenies).
 *
 * The delivery role (fixed name): assumed by Firehose for this account only; may put objects in this bucket and
 * use the audit key through S3 for this bucket's objects. Nothing else. Task roles get append-only rights on their
 * own stream through AccessAuditAppendPolicy; nobody of the workload gets anything on the bucket.
 */
export class AccessAuditChannel extends Construct {
  public readonly bucket: Bucket;
  /** The streams' delivery role and its policy: none without streams (a role nothing uses is a role to misuse). */
  public readonly deliveryRole?: Role;
  public readonly deliveryPolicy?: ManagedPolicy;
  /** Each service's stream, by service name. */
  public readonly streams: Readonly<Record<string, CfnDeliveryStream>>;

  constructor(scope: Construct, id: string, props: AccessAuditChannelProps) {
    super(scope, id);
    const where = `AccessAuditChannel ${this.node.path}`;
    assertRetention(props.retention, where);
    if (props.production && props.retention.auditLockMode !== 'COMPLIANCE') {
      throw new Error(
        `${where}: retention.auditLockMode = '${props.retention.auditLockMode}': must be COMPLIANCE in a production environment (safeguard U5)`,
      );
    }
    if (!ROLE_NAME.test(props.deliveryRoleName)) {
      throw new Error(
        `${where}: deliveryRoleName = '${props.deliveryRoleName}': must be an IAM role name (1-64 of letters, digits and +=,.@_-)`,
      );
    }
    const seconds = props.bufferingSeconds ?? 60;
    if (!Number.isInteger(seconds) || seconds < 60 || seconds > 900) {
      throw new Error(`${where}: bufferingSeconds = ${seconds}: must be an integer from 60 to 900`);
    }
    const seen = new Set<string>();
    props.streams.forEach((s, i) => {
      if (!SERVICE.test(s.service)) {
        throw new Error(`${where}: streams[${i}].service = '${s.service}': must be lower-case kebab-case, max 64`);
      }
      if (!STREAM.test(s.streamName)) {
        throw new Error(`${where}: streams[${i}].streamName = '${s.streamName}': must be 1-64 of [a-zA-Z0-9_.-]`);
      }
      if (seen.has(s.service)) {
        throw new Error(`${where}: streams[${i}].service = '${s.service}': must be unique`);
      }
      seen.add(s.service);
    });
    const { account, region } = Stack.of(this);
    const days = props.retention.auditRetentionDays;

    this.bucket = new Bucket(this, 'Bucket', {
      // Glacier Instant Retrieval only: Athena cannot read Glacier Flexible Retrieval or Deep Archive, and the
      // events must stay searchable for the whole retention. Nothing expires before the retention.
      lifecycleRules: [
        {
          id: 'InstantRetrievalNoExpirationBeforeRetention',
          enabled: true,
          transitions: [
            {
              storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(ACCESS_AUDIT_COLD_DAYS),
            },
          ],
          noncurrentVersionTransitions: [
            {
              storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(ACCESS_AUDIT_COLD_DAYS),
            },
          ],
          expiration: Duration.days(days),
          noncurrentVersionExpiration: Duration.days(days),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      // Safeguards last: nothing above can override them.
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.retention.auditLockMode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(days))
          : ObjectLockRetention.governance(Duration.days(days)),
      ...bucketSafeguards(props.encryptionKey),
    });
    const cfn: CfnBucket = retainOnReplace(this.bucket);
    cfn.addMetadata(ACCESS_AUDIT_BUCKET_METADATA, {
      safeguards: ['U5', 'E2', 'E3'],
      lockMode: props.retention.auditLockMode,
      retentionDays: days,
      governanceAllowed: !props.production && props.retention.auditLockMode === 'GOVERNANCE',
    });
    props.accessLogs.receiveServerAccessLogsFrom(this.bucket, ACCESS_AUDIT_ACCESS_LOG_PREFIX);
    // I2: into the audit replica bucket, through the audit archive's replication role (its keys stay distinct).
    if (props.replication !== undefined) {
      cfn.replicationConfiguration = props.replication.addSource(this.bucket, props.encryptionKey);
    }

    const deliveryRoleArn = `arn:${Aws.PARTITION}:iam::${account}:role/${props.deliveryRoleName}`;
    // Without services there is no stream: no role for Firehose to assume (the config review of 2026-12-04: with
    // `services: []` the unused role failed the gate's allow-list rule).
    const delivery = props.streams.length > 0 ? this.createDeliveryRole(props, account, region) : undefined;
    this.deliveryRole = delivery?.role;
    this.deliveryPolicy = delivery?.policy;
    // U5 U6: nobody deletes, weakens the lock, writes but the delivery role, or reconfigures but a deploy.
    addAuditArchiveTamperDenies(this.bucket, where, props.configurationAdministratorArns, {
      ArnNotEquals: { 'aws:PrincipalArn': deliveryRoleArn },
    });
    // Firehose only puts objects: nobody (the delivery role included) changes an event's ACL or tags.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyObjectAclAndTagWrites',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...ACCESS_AUDIT_METADATA_WRITE_ACTIONS],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );

    const streams: Record<string, CfnDeliveryStream> = {};
    for (const s of props.streams) {
      const stream = new CfnDeliveryStream(this, `${pascalCase(s.service)}Stream`, {
        deliveryStreamName: s.streamName,
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: {
          keyType: 'CUSTOMER_MANAGED_CMK',
          keyArn: props.encryptionKey.keyArn,
        },
        extendedS3DestinationConfiguration: {
          bucketArn: this.bucket.bucketArn,
          roleArn: delivery!.role.roleArn,
          prefix: `${ACCESS_AUDIT_EVENTS_PREFIX}service=${s.service}/date=!{timestamp:yyyy-MM-dd}/`,
          errorOutputPrefix: `errors/service=${s.service}/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/`,
          bufferingHints: { intervalInSeconds: seconds, sizeInMBs: 5 },
          compressionFormat: 'UNCOMPRESSED',
          encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.encryptionKey.keyArn } },
        },
      });
      stream.node.addDependency(delivery!.policy);
      stream.addMetadata(ACCESS_AUDIT_BUCKET_METADATA, { service: s.service, safeguards: ['U5'] });
      streams[s.service] = stream;
    }
    this.streams = streams;
    tagSafeguards(this, ['U5']);
  }

  /** The role Firehose assumes to deliver the events into the bucket, and its policy: put objects, the key through S3. */
  private createDeliveryRole(
    props: AccessAuditChannelProps,
    account: string,
    region: string,
  ): { role: Role; policy: ManagedPolicy } {
    const role = new Role(this, 'DeliveryRole', {
      roleName: props.deliveryRoleName,
      description: 'Amazon Data Firehose delivery of the access-audit events into their object-locked bucket (U5)',
      assumedBy: new ServicePrincipal('firehose.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
      }),
    });
    const policy = new ManagedPolicy(this, 'DeliveryPolicy', {
      description: 'Access-audit delivery: write objects to the access-audit bucket with the audit key, nothing else',
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'LocateBucket',
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [this.bucket.bucketArn],
        }),
        new PolicyStatement({
          sid: 'WriteObjects',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects('*')],
        }),
        new PolicyStatement({
          sid: 'AuditKeyThroughS3ForThisBucket',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [this.bucket.bucketArn, this.bucket.arnForObjects('*')] },
          },
        }),
      ],
    });
    return { role, policy };
  }
}

function pascalCase(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
