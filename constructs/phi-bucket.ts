import { Duration, Tags, Token } from 'aws-cdk-lib';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, IBucket, LifecycleRule, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bucketSafeguards, objectEncryptionUpdatesDeny, retainOnReplace } from './bucket-safeguards';
import { HIPAA_MIN_RETENTION_DAYS, markPhiObjectAccess, markPhiStore, tagSafeguards } from './core';
import { AccessLogBucket } from './access-log-bucket';
import { PHI_BACKUP_TAG } from './phi-backup';
import { PhiBucketReplication, PhiReplicationDestination } from './phi-bucket-replication';

/** Who may reach a PHI bucket's objects (E1, A3). */
export interface PhiBucketAccess {
  /**
   * Exact IAM principal ARNs that may read, write and list objects (task roles, replication roles, the AWS
   * Backup role, Macie's service-linked role): every other principal, an account administrator and any AWS
   * service principal included, is denied by the bucket policy, whatever IAM allows it.
   */
  readonly objectPrincipalArns: readonly string[];
  /**
   * Principals of objectPrincipalArns that may reach the bucket only from one VPC (the task roles): a request
   * of theirs without that `aws:SourceVpc` (S3 sees it on requests through the VPC's gateway endpoint) is
   * denied, so their credentials used elsewhere read nothing.
   * @default - none
   */
  readonly vpcOnly?: { readonly principalArns: readonly string[]; readonly vpcId: string };
  /**
   * Exact IAM principal ARNs that may still change or delete the bucket policy: the CloudFormation execution
   * role. Everyone else is denied; the account's root user always keeps that right (Amazon S3 User Guide),
   * the lockout path.
   */
  readonly policyAdministratorArns: readonly string[];
}

/** Object-level actions (reads, writes, deletes, listings of keys) the allow-list governs. */
export const PHI_OBJECT_ACTIONS: readonly string[] = [
  's3:AbortMultipartUpload',
  's3:DeleteObject*',
  's3:GetObject*',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:ListBucketVersions',
  's3:ListMultipartUploadParts',
  's3:PutObject*',
  's3:Replicate*',
  's3:RestoreObject',
];

/**
 * Bucket configuration only the deployment role may change (the IAM actions of the APIs that change it): default
 * encryption, versioning, replication, lifecycle, public access block, object ownership, ACLs, inventory (a daily list
 * of every key, size and encryption, delivered to any bucket the configuration names) and S3 Metadata tables (every key
 * and its metadata kept in a table outside this policy: one IAM action creates a V1 or V2 configuration, one deletes
 * either, two more turn its inventory table on or off and change its journal's expiry). Not notifications: AWS Backup and
 * GuardDuty Malware Protection turn on EventBridge notifications with their own roles (TamperDetection alerts on a
 * principal changing them itself).
 */
export const PHI_BUCKET_CONFIGURATION_ACTIONS: readonly string[] = [
  's3:CreateBucketMetadataTableConfiguration',
  's3:DeleteBucketMetadataTableConfiguration',
  's3:PutBucketAcl',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketVersioning',
  's3:PutEncryptionConfiguration',
  's3:PutInventoryConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:UpdateBucketMetadataInventoryTableConfiguration',
  's3:UpdateBucketMetadataJournalTableConfiguration',
];

const PRINCIPAL_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * The object tag GuardDuty Malware Protection for S3 writes with each scan result, and the value it writes on a
 * malicious object ("Monitoring S3 object scans with GuardDuty managed tags", GuardDuty User Guide).
 */
export const MALWARE_SCAN_TAG = { key: 'GuardDutyMalwareScanStatus', threatsFound: 'THREATS_FOUND' } as const;

/** Reads of an object's content: denied on a quarantined object. */
export const QUARANTINE_READ_ACTIONS: readonly string[] = ['s3:GetObject', 's3:GetObjectVersion'];
/** Tag changes that would lift the quarantine (remove or overwrite the scan result): denied on a quarantined object. */
export const QUARANTINE_TAG_ACTIONS: readonly string[] = [
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
];

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
  /** Who may reach the objects and change the bucket policy (E1, A3). */
  readonly access: PhiBucketAccess;
  /**
   * Physical name of the replication role (lib/config/names.ts phiReplicationRoleName), so that the keys and
   * bucket policies can name it.
   * @default - generated by CloudFormation
   */
  readonly replicationRoleName?: string;
  /**
   * Where the alarm on failed replication of this bucket goes (I2, D1; PhiBucketReplication alarmAction).
   * @default - no alarm: only for the failover direction of a two-way pair (the replica region has no alert path)
   */
  readonly replicationAlarmAction?: IAlarmAction;
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
   * And no one may change a stored object's encryption in place (s3:UpdateObjectEncryption, no condition).
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
      // Nor may anyone move a stored object to another key in place (UpdateObjectEncryption).
      objectEncryptionUpdatesDeny(bucket),
    ];
  }

  /**
   * E1 A3: the bucket policy's allow-list. Deny object access (PHI_OBJECT_ACTIONS) to every principal whose
   * aws:PrincipalArn is not on `objectPrincipalArns` (ArnNotEquals is true when the key is absent, so AWS
   * service principals are denied too: every service that reads PHI here does so with a named role); deny
   * everything to the VPC-only principals outside their VPC; deny bucket policy changes to all but the
   * policy administrators.
   * @throws Error naming the field when a list is empty, holds a wildcard, or vpcOnly names a principal
   *   outside objectPrincipalArns.
   */
  public static accessDenies(bucket: IBucket, access: PhiBucketAccess, where = 'PhiBucket'): PolicyStatement[] {
    const check = (field: string, arns: readonly string[]): void => {
      if (arns.length === 0) throw new Error(`${where}: access.${field} = []: must name at least one principal`);
      arns.forEach((arn, i) => {
        if (!Token.isUnresolved(arn) && (!PRINCIPAL_ARN.test(arn) || /[*?]/.test(arn))) {
          throw new Error(
            `${where}: access.${field}[${i}] = '${arn}': must be an exact IAM role ARN (arn:<partition>:iam::<account>:role/<name>), no wildcards`,
          );
        }
      });
    };
    check('objectPrincipalArns', access.objectPrincipalArns);
    check('policyAdministratorArns', access.policyAdministratorArns);
    const vpcOnly = access.vpcOnly?.principalArns ?? [];
    vpcOnly.forEach((arn, i) => {
      if (!access.objectPrincipalArns.includes(arn)) {
        throw new Error(
          `${where}: access.vpcOnly.principalArns[${i}] = '${arn}': must also be in access.objectPrincipalArns`,
        );
      }
    });
    const everything = [bucket.bucketArn, bucket.arnForObjects('*')];
    const statements = [
      new PolicyStatement({
        sid: 'DenyObjectAccessOutsideTheAllowList',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...PHI_OBJECT_ACTIONS],
        resources: everything,
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...access.objectPrincipalArns] } },
      }),
      new PolicyStatement({
        sid: 'DenyBucketPolicyChangesExceptDeployment',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:DeleteBucketPolicy', 's3:PutBucketPolicy'],
        resources: [bucket.bucketArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...access.policyAdministratorArns] } },
      }),
      // E2 E1 I1: the configuration the rest rests on, changed only by a deploy: the default encryption (a header-less
      // write takes it: switched to SSE-S3, new objects would leave the PHI key), versioning, replication, lifecycle,
      // public access block, ACLs, object ownership, and inventory (a daily list of every key, to any bucket).
      new PolicyStatement({
        sid: 'DenyConfigurationChangesExceptDeployment',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...PHI_BUCKET_CONFIGURATION_ACTIONS],
        resources: [bucket.bucketArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...access.policyAdministratorArns] } },
      }),
    ];
    if (vpcOnly.length > 0) {
      statements.push(
        new PolicyStatement({
          sid: 'DenyVpcOnlyPrincipalsOutsideTheirVpc',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['s3:*'],
          resources: everything,
          conditions: {
            ArnEquals: { 'aws:PrincipalArn': [...vpcOnly] },
            StringNotEquals: { 'aws:SourceVpc': access.vpcOnly!.vpcId },
          },
        }),
      );
    }
    return statements;
  }

  /**
   * D2 quarantine (164.308(a)(5)(ii)(B)): objects GuardDuty Malware Protection tagged THREATS_FOUND cannot be read,
   * by anyone (task roles, the backup and replication roles, administrators, the account root), nor can that tag be
   * removed or overwritten, so a malicious upload is never served. s3:ExistingObjectTag/<key> with StringEquals is
   * false when the object has no such tag, so objects not yet scanned (or clean: NO_THREATS_FOUND, or UNSUPPORTED,
   * ACCESS_DENIED, FAILED, which alert instead) stay readable. Object tags replicate, so the replica of a
   * quarantined object is quarantined too. An incident responder works from the GuardDuty finding and the scan
   * result event (threat name, bucket, version, no content); releasing an object (a false positive) is a reviewed
   * change to this bucket policy through the deployment role; deleting it (allowed to the writers) leaves a
   * noncurrent version that stays quarantined until its expiry.
   */
  public static quarantineDenies(bucket: IBucket): PolicyStatement[] {
    const tagged = {
      StringEquals: { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG.key}`]: MALWARE_SCAN_TAG.threatsFound },
    };
    return [
      new PolicyStatement({
        sid: 'DenyReadsOfObjectsWithThreatsFound',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...QUARANTINE_READ_ACTIONS],
        resources: [bucket.arnForObjects('*')],
        conditions: tagged,
      }),
      new PolicyStatement({
        sid: 'DenyLiftingTheMalwareQuarantine',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...QUARANTINE_TAG_ACTIONS],
        resources: [bucket.arnForObjects('*')],
        conditions: tagged,
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
    tagSafeguards(this, ['E2', 'E3', 'A3', 'I1', 'I2']);
    for (const statement of PhiBucket.encryptionDenies(this.bucket, props.encryptionKey)) {
      this.bucket.addToResourcePolicy(statement);
    }
    for (const statement of PhiBucket.accessDenies(this.bucket, props.access, where)) {
      this.bucket.addToResourcePolicy(statement);
    }
    for (const statement of PhiBucket.quarantineDenies(this.bucket)) this.bucket.addToResourcePolicy(statement);
    markPhiObjectAccess(cfn, { vpcOnlyPrincipals: (props.access.vpcOnly?.principalArns.length ?? 0) > 0 });

    if (props.replication !== undefined) {
      // Next to this construct (`<id>Replication`), not inside it: the PHI store's subtree carries no
      // acknowledgement, while the register's IAM5 entries sit on the replication policy.
      this.replication = new PhiBucketReplication(scope, `${id}Replication`, {
        ...props.replication,
        source: this.bucket,
        sourceKey: props.encryptionKey,
        roleName: props.replicationRoleName,
        alarmAction: props.replicationAlarmAction,
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
