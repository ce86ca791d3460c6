import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, IAlarmAction, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogStream } from 'aws-cdk-lib/aws-logs';
import { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { EncryptedLogGroup } from './encrypted-log-group';
import { PhiBucketReplication } from './phi-bucket-replication';
import { addAuditArchiveTamperDenies, auditArchiveBucketProps } from './audit-archive-bucket';
import { retainOnReplace } from './bucket-safeguards';
import { assertRetention, FINDINGS_ARCHIVE_METADATA, RetentionPolicy, tagSafeguards } from './core';
import {
  deadLetterDepthAlarm,
  denyDeadLetterReadsOutsideAccount,
  retainedDeadLetterQueue,
  ruleFailedInvocationsAlarm,
} from './vpc-function-parts';

/** The replica region's GuardDuty findings, forwarded to this region's default bus and archived here (D2). */
export interface ForwardedGuardDutyArchive {
  /** The region whose forwarded GuardDuty findings are archived (the PHI replica region): the rule matches it only. */
  readonly region: string;
  /** Fixed name of the EventBridge rule (the export role's trust and the audit key pin its ARN). */
  readonly ruleName: string;
  /** Physical name of the second Firehose stream (its own prefix; the delivery role's trust pins its ARN). */
  readonly streamName: string;
}

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
  /** Physical name of the Firehose stream (the alarms name it; the delivery role's trust pins its ARN). */
  readonly streamName: string;
  /**
   * Fixed name of the EventBridge rule that exports every imported Security Hub finding: the export role's trust
   * (aws:SourceArn), the dead-letter queue's policy and the audit key's dead-letter statement pin its ARN.
   */
  readonly securityHubRuleName: string;
  /**
   * The replica region's GuardDuty findings (forwarded to this region's default bus by its FindingForwarder): a second
   * rule (`source` aws.guardduty, `region` the replica region, any severity) into a second stream writing under
   * `guardduty-forwarded/region=<region>/date=.../`. This region's own GuardDuty findings are exported by its
   * publishing destination (GuardDutyFindingsExport), so the rule does not match them.
   * @default - no forwarded GuardDuty findings archived (no replica region detection with GuardDuty)
   */
  readonly forwardedGuardDuty?: ForwardedGuardDutyArchive;
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

/** Template metadata key that marks the findings archive bucket (constructs/core/markers). */
export { FINDINGS_ARCHIVE_METADATA };

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

/** Where the replica region's forwarded GuardDuty findings land (`region=<r>/date=...`), and their failed records. */
export const FORWARDED_GUARDDUTY_PREFIX = 'guardduty-forwarded/';
export const FORWARDED_GUARDDUTY_ERRORS_PREFIX = 'guardduty-forwarded-errors/';

/** The EventBridge pattern of every GuardDuty finding (any severity): what the replica region forwards. */
export const GUARDDUTY_FINDING_PATTERN = {
  source: ['aws.guardduty'],
  detailType: ['GuardDuty Finding'],
} as const;

/** How long and how often EventBridge retries a finding before it dead-letters it (the service maximums). */
export const FINDINGS_EXPORT_RETRY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 } as const;

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
const RULE_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The ARN of an EventBridge rule of the default bus of this stack's account and region, from its name. */
export function eventRuleArn(scope: Construct, name: string): string {
  const { account, region } = Stack.of(scope);
  return `arn:${Aws.PARTITION}:events:${region}:${account}:rule/${name}`;
}

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
 * GuardDuty writes under `AWSLogs/<account>/GuardDuty/` through its publishing destination (GuardDutyFindingsExport,
 * in the detection stack); the bucket policy statements here are the ones "Exporting findings" (Amazon GuardDuty User
 * Guide) asks for, scoped to this account's detectors. Security Hub findings: a named EventBridge rule on every
 * `Security Hub Findings - Imported` event of the default bus (this region's, and those the replica region forwards)
 * puts each into a Firehose stream (encrypted with the audit key) that writes them, one JSON record a line
 * (AppendDelimiterToRecord), under `securityhub/date=.../`, failed records under `securityhub-errors/`. With
 * `forwardedGuardDuty`, a second named rule puts the replica region's forwarded GuardDuty findings (any severity) into
 * a second stream writing under `guardduty-forwarded/region=<r>/date=.../` (a second stream, not dynamic
 * partitioning: a fixed prefix per stream costs nothing more idle and needs no per-record parsing).
 *
 * The export path: each rule's target retries (185 attempts over 24 hours) and then dead-letters into an SQS queue
 * under the audit key (retained, 14 days, readable only inside the account; EventBridge may send to it only for these
 * rules, aws:SourceArn), whose depth alarms. The streams log delivery errors into a retained log group under the audit
 * key. The roles' trusts pin their callers: the export role `aws:SourceArn` = the rules' ARNs (fixed names), the
 * delivery role `aws:SourceArn` = the streams' ARNs (fixed names). Alarms (each with props.alarmAction): every
 * stream's DeliveryToS3.DataFreshness (Maximum over 5 minutes > 30 minutes), every rule's FailedInvocations (Sum over
 * 5 minutes >= 1), the dead-letter queue's ApproximateNumberOfMessagesVisible (Maximum over 5 minutes > 0).
 */
export class FindingsArchive extends Construct {
  public readonly bucket: Bucket;
  public readonly deliveryRole: Role;
  public readonly deliveryPolicy: ManagedPolicy;
  public readonly exportRole: Role;
  /** The Security Hub stream. */
  public readonly stream: CfnDeliveryStream;
  /** The Security Hub rule. */
  public readonly rule: Rule;
  /** The forwarded GuardDuty stream (with forwardedGuardDuty). */
  public readonly forwardedStream?: CfnDeliveryStream;
  /** The forwarded GuardDuty rule (with forwardedGuardDuty). */
  public readonly forwardedRule?: Rule;
  /** Where EventBridge puts findings it could not put into a stream after its retries. */
  public readonly deadLetterQueue: Queue;
  /** Where the streams log delivery errors. */
  public readonly logGroup: EncryptedLogGroup;
  /**
   * The alarms: per stream its freshness, per rule its failed invocations, and the dead-letter queue's depth (each
   * with props.alarmAction).
   */
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
    const forwarded = props.forwardedGuardDuty;
    const streams: Array<[string, string]> = [['streamName', props.streamName]];
    const rules: Array<[string, string]> = [['securityHubRuleName', props.securityHubRuleName]];
    if (forwarded !== undefined) {
      streams.push(['forwardedGuardDuty.streamName', forwarded.streamName]);
      rules.push(['forwardedGuardDuty.ruleName', forwarded.ruleName]);
      if (!REGION.test(forwarded.region)) {
        throw new Error(
          `${where}: forwardedGuardDuty.region = '${forwarded.region}': must be an AWS region name such as us-west-2`,
        );
      }
      if (forwarded.streamName === props.streamName || forwarded.ruleName === props.securityHubRuleName) {
        throw new Error(
          `${where}: forwardedGuardDuty = ${JSON.stringify(forwarded)}: its stream and rule names must differ from streamName and securityHubRuleName`,
        );
      }
    }
    for (const [field, value] of streams) {
      if (!STREAM.test(value)) throw new Error(`${where}: ${field} = '${value}': must be 1-64 of [a-zA-Z0-9_.-]`);
    }
    for (const [field, value] of rules) {
      if (!RULE_NAME.test(value)) {
        throw new Error(`${where}: ${field} = '${value}': must be an EventBridge rule name (1-64 of [a-zA-Z0-9_.-])`);
      }
    }
    const seconds = props.bufferingSeconds ?? 300;
    if (!Number.isInteger(seconds) || seconds < 60 || seconds > 900) {
      throw new Error(`${where}: bufferingSeconds = ${seconds}: must be an integer from 60 to 900`);
    }
    const { account, region } = Stack.of(this);
    const detectors = `arn:${Aws.PARTITION}:guardduty:${region}:${account}:detector/*`;
    const streamArn = (name: string) => `arn:${Aws.PARTITION}:firehose:${region}:${account}:deliverystream/${name}`;
    const ruleArns = rules.map(([, name]) => eventRuleArn(this, name));

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

    // Delivery errors of the streams (Firehose CloudWatch error logging), retained, under the audit key. Generated
    // name: a retained log group with a fixed name would block a redeploy after the stack is deleted.
    this.logGroup = new EncryptedLogGroup(this, 'DeliveryLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });

    const deliveryRoleArn = `arn:${Aws.PARTITION}:iam::${account}:role/${props.deliveryRoleName}`;
    this.deliveryRole = new Role(this, 'DeliveryRole', {
      roleName: props.deliveryRoleName,
      description: 'Amazon Data Firehose delivery of findings into the object-locked findings archive (D2)',
      // Only these streams (fixed names, so no reference back to them) may act with the role.
      assumedBy: new ServicePrincipal('firehose.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
        ArnEquals: { 'aws:SourceArn': streams.map(([, name]) => streamArn(name)) },
      }),
    });
    const objects = [
      this.bucket.arnForObjects(`${SECURITY_HUB_FINDINGS_PREFIX}*`),
      this.bucket.arnForObjects(`${SECURITY_HUB_ERRORS_PREFIX}*`),
      ...(forwarded !== undefined
        ? [
            this.bucket.arnForObjects(`${FORWARDED_GUARDDUTY_PREFIX}*`),
            this.bucket.arnForObjects(`${FORWARDED_GUARDDUTY_ERRORS_PREFIX}*`),
          ]
        : []),
    ];
    this.deliveryPolicy = new ManagedPolicy(this, 'DeliveryPolicy', {
      description:
        'Findings archive delivery: write findings to the archive with the audit key, log errors, nothing else',
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
        new PolicyStatement({
          sid: 'LogDeliveryErrors',
          actions: ['logs:PutLogEvents'],
          // The log group's Arn attribute ends in ':*', which covers its log streams and nothing else.
          resources: [this.logGroup.logGroup.logGroupArn],
        }),
      ],
    });
    // D2 U6: nobody deletes, weakens the lock, reconfigures but a deploy, or writes but Firehose's role and GuardDuty.
    addAuditArchiveTamperDenies(this.bucket, where, props.configurationAdministratorArns, {
      ArnNotEquals: { 'aws:PrincipalArn': deliveryRoleArn },
      ArnNotLike: { 'aws:SourceArn': detectors },
    });

    const newStream = (
      streamId: string,
      name: string,
      prefix: string,
      errorPrefix: string,
      source: string,
    ): CfnDeliveryStream => {
      const logStream = new LogStream(this, `${streamId}DeliveryLogStream`, {
        logGroup: this.logGroup.logGroup,
        // One log stream per stream (a log group's stream names are unique).
        logStreamName: `${name}-S3Delivery`,
      });
      const stream = new CfnDeliveryStream(this, streamId, {
        deliveryStreamName: name,
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: {
          keyType: 'CUSTOMER_MANAGED_CMK',
          keyArn: props.encryptionKey.keyArn,
        },
        extendedS3DestinationConfiguration: {
          bucketArn: this.bucket.bucketArn,
          roleArn: this.deliveryRole.roleArn,
          prefix,
          errorOutputPrefix: `${errorPrefix}!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/`,
          bufferingHints: { intervalInSeconds: seconds, sizeInMBs: 5 },
          compressionFormat: 'GZIP',
          encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.encryptionKey.keyArn } },
          // One finding a line (JSON Lines), not concatenated JSON objects.
          processingConfiguration: { enabled: true, processors: [{ type: 'AppendDelimiterToRecord' }] },
          cloudWatchLoggingOptions: {
            enabled: true,
            logGroupName: this.logGroup.logGroup.logGroupName,
            logStreamName: logStream.logStreamName,
          },
        },
      });
      stream.node.addDependency(this.deliveryPolicy);
      stream.addMetadata(FINDINGS_ARCHIVE_METADATA, { safeguards: ['D2'], source });
      return stream;
    };
    this.stream = newStream(
      'Stream',
      props.streamName,
      `${SECURITY_HUB_FINDINGS_PREFIX}date=!{timestamp:yyyy-MM-dd}/`,
      SECURITY_HUB_ERRORS_PREFIX,
      'aws.securityhub',
    );
    if (forwarded !== undefined) {
      this.forwardedStream = newStream(
        'ForwardedGuardDutyStream',
        forwarded.streamName,
        `${FORWARDED_GUARDDUTY_PREFIX}region=${forwarded.region}/date=!{timestamp:yyyy-MM-dd}/`,
        `${FORWARDED_GUARDDUTY_ERRORS_PREFIX}region=${forwarded.region}/`,
        'aws.guardduty',
      );
    }
    const streamArns = [this.stream.attrArn, ...(this.forwardedStream ? [this.forwardedStream.attrArn] : [])];

    this.exportRole = new Role(this, 'ExportRole', {
      roleName: props.exportRoleName,
      description: 'EventBridge puts findings into the findings archive streams (D2)',
      // Only these rules (fixed names) may act with the role.
      assumedBy: new ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
        ArnEquals: { 'aws:SourceArn': ruleArns },
      }),
    });
    new ManagedPolicy(this, 'ExportPolicy', {
      description: 'Findings archive export: append to the findings archive streams, nothing else',
      roles: [this.exportRole],
      statements: [
        new PolicyStatement({
          sid: 'AppendToTheStreams',
          actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          resources: streamArns,
        }),
        new PolicyStatement({
          sid: 'AuditKeyThroughFirehose',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `firehose.${region}.amazonaws.com` } },
        }),
      ],
    });

    // Findings EventBridge could not put into a stream after its retries. Encrypted with the audit key: its policy
    // must admit events.amazonaws.com (GenerateDataKey, Decrypt) for these rules' ARNs (ManagedKey
    // deadLetterRuleArns), as EventBridge sends to a queue under a customer-managed key as itself.
    this.deadLetterQueue = retainedDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    this.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'TheArchiveRulesDeadLetterHere',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArns } },
      }),
    );
    // A dead letter is a raw finding (it can name S3 object keys): nobody outside this account reads or purges it.
    denyDeadLetterReadsOutsideAccount(this.deadLetterQueue, account);

    const exportRole = this.exportRole;
    const deadLetterArn = this.deadLetterQueue.queueArn;
    const target = (stream: CfnDeliveryStream) => ({
      bind: () => ({
        arn: stream.attrArn,
        role: exportRole,
        deadLetterConfig: { arn: deadLetterArn },
        retryPolicy: { ...FINDINGS_EXPORT_RETRY },
      }),
    });
    this.rule = new Rule(this, 'SecurityHubFindings', {
      ruleName: props.securityHubRuleName,
      description: 'D2: every Security Hub finding imported (new or updated) into the six-year findings archive',
      eventPattern: {
        source: [...SECURITY_HUB_IMPORTED_PATTERN.source],
        detailType: [...SECURITY_HUB_IMPORTED_PATTERN.detailType],
      },
    });
    this.rule.addTarget(target(this.stream));
    if (forwarded !== undefined && this.forwardedStream !== undefined) {
      this.forwardedRule = new Rule(this, 'ForwardedGuardDutyFindings', {
        ruleName: forwarded.ruleName,
        description: `D2: every GuardDuty finding forwarded from ${forwarded.region} into the six-year findings archive`,
        eventPattern: {
          source: [...GUARDDUTY_FINDING_PATTERN.source],
          detailType: [...GUARDDUTY_FINDING_PATTERN.detailType],
          region: [forwarded.region],
        },
      });
      this.forwardedRule.addTarget(target(this.forwardedStream));
    }

    const metric = (namespace: string, metricName: string, dimensionsMap: Record<string, string>, statistic: string) =>
      new Metric({ namespace, metricName, dimensionsMap, statistic, period: Duration.minutes(5) });
    const alarms: Alarm[] = [];
    const channels: Array<[string, string, string, string]> = [
      ['', props.streamName, props.securityHubRuleName, 'Security Hub findings'],
      ...(forwarded !== undefined
        ? [
            [
              'ForwardedGuardDuty',
              forwarded.streamName,
              forwarded.ruleName,
              `GuardDuty findings forwarded from ${forwarded.region}`,
            ] as [string, string, string, string],
          ]
        : []),
    ];
    for (const [prefix, streamName, ruleName, what] of channels) {
      alarms.push(
        new Alarm(this, `${prefix}DeliveryAlarm`, {
          alarmDescription: `D2: ${what} wait more than ${FINDINGS_ARCHIVE_MAX_FRESHNESS_SECONDS / 60} minutes in ${streamName}: Firehose cannot write them to the findings archive.`,
          metric: metric('AWS/Firehose', 'DeliveryToS3.DataFreshness', { DeliveryStreamName: streamName }, 'Maximum'),
          threshold: FINDINGS_ARCHIVE_MAX_FRESHNESS_SECONDS,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        ruleFailedInvocationsAlarm(
          this,
          `${prefix}ExportAlarm`,
          ruleName,
          `D2: EventBridge failed to put ${what} into ${streamName} (retried, then dead-lettered).`,
        ),
      );
    }
    alarms.push(
      deadLetterDepthAlarm(
        this,
        'DeadLetterAlarm',
        this.deadLetterQueue,
        'D2: findings EventBridge could not put into the findings archive streams wait in the dead-letter queue (redrive them).',
      ),
    );
    this.alarms = alarms;
    for (const alarm of this.alarms) alarm.addAlarmAction(props.alarmAction);
    tagSafeguards(this, ['D2']);
  }
}
