import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, IAlarmAction, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { PhiBucketReplication } from './phi-bucket-replication';
import { addAuditArchiveTamperDenies, auditArchiveBucketProps } from './audit-archive-bucket';
import { retainOnReplace } from './bucket-safeguards';
import { assertRetention, RetentionPolicy, tagSafeguards } from './core';

/** Props of a FindingsArchive. */
export interface FindingsArchiveProps {
  /** The retention policy: Object Lock mode auditLockMode and default retention auditRetentionDays (>= 2192). */
  readonly retention: RetentionPolicy;
  /** Whether the environment holds production PHI: GOVERNANCE mode is refused when true (D2). */
  readonly production: boolean;
  /**
   * The audit-domain customer-managed key: the bucket's SSE-KMS and the stream's server-side encryption. Its policy
   * must admit the delivery role through S3, the export role through Firehose and GuardDuty (guardDutyFindingsExport).
   */
  readonly encryptionKey: IKey;
  /** Where the bucket's S3 server access logs go. */
  readonly accessLogs: AccessLogBucket;
  /** Exact role ARNs that may change the bucket's lock configuration, versioning, lifecycle and policy (a deploy). */
  readonly configurationAdministratorArns: readonly string[];
  /** Fixed name of the role Firehose assumes to write Security Hub findings into the bucket (on the audit key). */
  readonly deliveryRoleName: string;
  /** Fixed name of the role EventBridge assumes to put findings into the stream (on the audit key through Firehose). */
  readonly exportRoleName: string;
  /** Physical name of the Firehose stream (the alarms name it). */
  readonly streamName: string;
  /** What the delivery alarms do (the stage passes the alert formatter, D3). */
  readonly alarmAction: IAlarmAction;
  /**
   * Cross-region replication of the bucket (D2, I2): the audit archive's replication (one named role, allow-listed on
   * the audit key and the audit replica key), which carries this bucket too into the object-locked audit replica
   * bucket of the replica region under the audit replica key, Object Lock retention replicated, delete markers not.
   * @default - no replication (the packs' S3BucketReplicationEnabled then reports the bucket)
   */
  readonly replication?: PhiBucketReplication;
  /**
   * Seconds Firehose buffers before it writes an object (60-900).
   * @default 300
   */
  readonly bufferingSeconds?: number;
}

/** Template metadata key that marks the findings archive bucket (read by the assembly rule FindingsArchivePresent). */
export const FINDINGS_ARCHIVE_METADATA = 'HipaaBlueprint::FindingsArchive';

/**
 * Where GuardDuty's publishing destination writes in the archive: it is the bucket itself (no folder: GuardDuty
 * requires a destination folder to exist as an object, which the archive's write deny would keep anyone from
 * creating), and GuardDuty writes under `AWSLogs/<account>/GuardDuty/<region>/<yyyy>/<mm>/<dd>/`.
 */
export function guardDutyFindingsPrefix(account: string): string {
  return `AWSLogs/${account}/GuardDuty`;
}

/** Where Security Hub findings land (date partitions), and where Firehose writes records it could not deliver. */
export const SECURITY_HUB_FINDINGS_PREFIX = 'securityhub/';
export const SECURITY_HUB_ERRORS_PREFIX = 'securityhub-errors/';

/** The EventBridge pattern of every finding Security Hub imports (new and updated, any product, any severity). */
export const SECURITY_HUB_IMPORTED_PATTERN = {
  source: ['aws.securityhub'],
  detailType: ['Security Hub Findings - Imported'],
} as const;

/** Prefix of this bucket's server access logs in the access log bucket. */
export const FINDINGS_ARCHIVE_ACCESS_LOG_PREFIX = 'findings-archive/';

/** Seconds the oldest finding may wait in the stream before the delivery alarm fires. */
export const FINDINGS_ARCHIVE_MAX_FRESHNESS_SECONDS = 1800;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const STREAM = /^[a-zA-Z0-9_.-]{1,64}$/;

/**
 * The six-year findings archive (safeguard D2, 164.316(b)(2)(i)): GuardDuty and Security Hub keep findings 90 days;
 * the archive keeps them as long as the audit record.
 *
 * The bucket: the audit archive's properties (auditArchiveBucketProps: S3 Object Lock with the retention's mode and
 * days, COMPLIANCE in production, versioned, SSE-KMS with the audit key and a bucket key, TLS 1.2+ only, public
 * access blocked, owner-enforced, lifecycle to Glacier and Deep Archive with no expiration before the retention,
 * retained), server access logs, and its tamper denies (addAuditArchiveTamperDenies): nobody deletes an object or a
 * version, weakens a retention or legal hold, or reconfigures the bucket but a deploy; nobody writes but the
 * Firehose delivery role and GuardDuty for this account's detectors of this region (aws:SourceArn).
 *
 * GuardDuty writes under `AWSLogs/<account>/GuardDuty/` through its publishing destination (GuardDutyFindingsExport, in the detection
 * stack); the bucket policy statements here are the ones "Exporting findings" (Amazon GuardDuty User Guide) asks
 * for, scoped to this account's detectors. Security Hub findings: an EventBridge rule on every
 * `Security Hub Findings - Imported` event of the default bus (this region's, and those the replica region forwards)
 * puts each into a Firehose stream (encrypted with the audit key) that writes them under `securityhub/date=.../`,
 * failed records under `securityhub-errors/`. Alarms: the stream's DeliveryToS3.DataFreshness over 30 minutes and
 * any failed invocation of the rule's target.
 */
export class FindingsArchive extends Construct {
  public readonly bucket: Bucket;
  public readonly deliveryRole: Role;
  public readonly deliveryPolicy: ManagedPolicy;
  public readonly exportRole: Role;
  public readonly stream: CfnDeliveryStream;
  public readonly rule: Rule;
  /** The delivery alarm (stream freshness) and the export alarm (failed invocations of the rule's target). */
  public readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: FindingsArchiveProps) {
    super(scope, id);
    const where = `FindingsArchive ${this.node.path}`;
    assertRetention(props.retention, where);
    if (props.production && props.retention.auditLockMode !== 'COMPLIANCE') {
      throw new Error(
        `${where}: retention.auditLockMode = '${props.retention.auditLockMode}': must be COMPLIANCE in a production environment (safeguard D2)`,
      );
    }
    for (const field of ['deliveryRoleName', 'exportRoleName'] as const) {
      if (!ROLE_NAME.test(props[field])) {
        throw new Error(
          `${where}: ${field} = '${props[field]}': must be an IAM role name (1-64 of letters, digits and +=,.@_-)`,
        );
      }
    }
    if (!STREAM.test(props.streamName)) {
      throw new Error(`${where}: streamName = '${props.streamName}': must be 1-64 of [a-zA-Z0-9_.-]`);
    }
    const seconds = props.bufferingSeconds ?? 300;
    if (!Number.isInteger(seconds) || seconds < 60 || seconds > 900) {
      throw new Error(`${where}: bufferingSeconds = ${seconds}: must be an integer from 60 to 900`);
    }
    const { account, region } = Stack.of(this);
    const detectors = `arn:${Aws.PARTITION}:guardduty:${region}:${account}:detector/*`;

    this.bucket = new Bucket(this, 'Bucket', auditArchiveBucketProps(props.retention, props.encryptionKey));
    const cfn: CfnBucket = retainOnReplace(this.bucket);
    cfn.addMetadata(FINDINGS_ARCHIVE_METADATA, {
      safeguards: ['D2', 'E2', 'E3'],
      lockMode: props.retention.auditLockMode,
      retentionDays: props.retention.auditRetentionDays,
      governanceAllowed: !props.production && props.retention.auditLockMode === 'GOVERNANCE',
    });
    props.accessLogs.receiveServerAccessLogsFrom(this.bucket, FINDINGS_ARCHIVE_ACCESS_LOG_PREFIX);
    // I2: into the audit replica bucket, through the audit archive's replication role (its keys stay distinct).
    if (props.replication !== undefined) {
      cfn.replicationConfiguration = props.replication.addSource(this.bucket, props.encryptionKey);
    }

    // GuardDuty's publishing destination ("Exporting findings"): locate the bucket, put objects under its prefix.
    const guardDuty = new ServicePrincipal('guardduty.amazonaws.com');
    const fromThisAccountsDetectors = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': detectors },
    };
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'GuardDutyLocatesBucket',
        principals: [guardDuty],
        actions: ['s3:GetBucketLocation'],
        resources: [this.bucket.bucketArn],
        conditions: fromThisAccountsDetectors,
      }),
    );
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'GuardDutyWritesFindings',
        principals: [guardDuty],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${guardDutyFindingsPrefix(account)}/*`)],
        conditions: fromThisAccountsDetectors,
      }),
    );

    const deliveryRoleArn = `arn:${Aws.PARTITION}:iam::${account}:role/${props.deliveryRoleName}`;
    this.deliveryRole = new Role(this, 'DeliveryRole', {
      roleName: props.deliveryRoleName,
      description:
        'Amazon Data Firehose delivery of Security Hub findings into the object-locked findings archive (D2)',
      assumedBy: new ServicePrincipal('firehose.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
      }),
    });
    const objects = [
      this.bucket.arnForObjects(`${SECURITY_HUB_FINDINGS_PREFIX}*`),
      this.bucket.arnForObjects(`${SECURITY_HUB_ERRORS_PREFIX}*`),
    ];
    this.deliveryPolicy = new ManagedPolicy(this, 'DeliveryPolicy', {
      description:
        'Findings archive delivery: write Security Hub findings to the archive with the audit key, nothing else',
      roles: [this.deliveryRole],
      statements: [
        new PolicyStatement({
          sid: 'LocateBucket',
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [this.bucket.bucketArn],
        }),
        new PolicyStatement({
          sid: 'WriteFindings',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
          resources: objects,
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
    // D2 U6: nobody deletes, weakens the lock, reconfigures but a deploy, or writes but Firehose's role and GuardDuty.
    addAuditArchiveTamperDenies(this.bucket, where, props.configurationAdministratorArns, {
      ArnNotEquals: { 'aws:PrincipalArn': deliveryRoleArn },
      ArnNotLike: { 'aws:SourceArn': detectors },
    });

    this.stream = new CfnDeliveryStream(this, 'Stream', {
      deliveryStreamName: props.streamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: {
        keyType: 'CUSTOMER_MANAGED_CMK',
        keyArn: props.encryptionKey.keyArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: this.deliveryRole.roleArn,
        prefix: `${SECURITY_HUB_FINDINGS_PREFIX}date=!{timestamp:yyyy-MM-dd}/`,
        errorOutputPrefix: `${SECURITY_HUB_ERRORS_PREFIX}!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/`,
        bufferingHints: { intervalInSeconds: seconds, sizeInMBs: 5 },
        compressionFormat: 'GZIP',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.encryptionKey.keyArn } },
      },
    });
    this.stream.node.addDependency(this.deliveryPolicy);
    this.stream.addMetadata(FINDINGS_ARCHIVE_METADATA, { safeguards: ['D2'], source: 'aws.securityhub' });

    this.exportRole = new Role(this, 'ExportRole', {
      roleName: props.exportRoleName,
      description: 'EventBridge puts Security Hub findings into the findings archive stream (D2)',
      assumedBy: new ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
      }),
    });
    new ManagedPolicy(this, 'ExportPolicy', {
      description: 'Findings archive export: append to the findings archive stream, nothing else',
      roles: [this.exportRole],
      statements: [
        new PolicyStatement({
          sid: 'AppendToTheStream',
          actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          resources: [this.stream.attrArn],
        }),
        new PolicyStatement({
          sid: 'AuditKeyThroughFirehose',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `firehose.${region}.amazonaws.com` } },
        }),
      ],
    });
    this.rule = new Rule(this, 'SecurityHubFindings', {
      description: 'D2: every Security Hub finding imported (new or updated) into the six-year findings archive',
      eventPattern: {
        source: [...SECURITY_HUB_IMPORTED_PATTERN.source],
        detailType: [...SECURITY_HUB_IMPORTED_PATTERN.detailType],
      },
    });
    const stream = this.stream;
    const role = this.exportRole;
    this.rule.addTarget({ bind: () => ({ arn: stream.attrArn, role }) });

    const metric = (namespace: string, metricName: string, dimensionsMap: Record<string, string>, statistic: string) =>
      new Metric({ namespace, metricName, dimensionsMap, statistic, period: Duration.minutes(5) });
    const delivery = new Alarm(this, 'DeliveryAlarm', {
      alarmDescription: `D2: Security Hub findings wait more than ${FINDINGS_ARCHIVE_MAX_FRESHNESS_SECONDS / 60} minutes in ${props.streamName}: Firehose cannot write them to the findings archive.`,
      metric: metric('AWS/Firehose', 'DeliveryToS3.DataFreshness', { DeliveryStreamName: props.streamName }, 'Maximum'),
      threshold: FINDINGS_ARCHIVE_MAX_FRESHNESS_SECONDS,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const exportFailed = new Alarm(this, 'ExportAlarm', {
      alarmDescription: `D2: EventBridge failed to put Security Hub findings into ${props.streamName} (the findings archive misses them).`,
      metric: metric('AWS/Events', 'FailedInvocations', { RuleName: this.rule.ruleName }, 'Sum'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarms = [delivery, exportFailed];
    for (const alarm of this.alarms) alarm.addAlarmAction(props.alarmAction);
    tagSafeguards(this, ['D2']);
  }
}
