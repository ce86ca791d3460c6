import * as path from 'path';
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { IVpc, Peer, Port, SecurityGroup, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AnyPrincipal, Effect, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BackoffFunction, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RetentionPolicy, tagSafeguards } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';
import { FormatterAlarmAction } from './formatter-alarm-action';
import { GUARDDUTY_RUNTIME_UNHEALTHY_EVENT } from './guard-duty-detector';
import { ALERTING_SCAN_RESULTS, MALWARE_PROTECTION_EVENTS } from './phi-malware-protection';
import {
  assertLocalEsbuild,
  denyDeadLetterReadsOutsideAccount,
  lambdaNetworkPolicy,
  retainedDeadLetterQueue,
  vpcFunctionSafeguards,
} from './vpc-function-parts';

/** Props of an AlertPipeline. */
export interface AlertPipelineProps {
  /** Customer-managed key of the topic, the dead-letter queue and the function's log group (E2). */
  readonly encryptionKey: IKey;
  /** Addresses subscribed to the alert topic (at least one). */
  readonly alertEmails: readonly string[];
  /** The PHI VPC: the formatter runs in it and reaches SNS through the VPC interface endpoint. */
  readonly vpc: IVpc;
  /** Subnets of the formatter (the application tier). */
  readonly vpcSubnets: SubnetSelection;
  /** Retention of the formatter's log group (six years, U3). */
  readonly retention: RetentionPolicy;
  /**
   * Reserved concurrency of the formatter: caps its share of the account's concurrency and the
   * rate it can publish at during a finding storm.
   * @default 5
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * A second endpoint besides e-mail (e.g. a pager webhook): an HTTPS subscription with a delivery retry policy
   * whose undelivered alerts go to `deadLetterQueue` (its alarm publishes to the topic directly).
   * @default - e-mail only
   */
  readonly httpsEndpoint?: string;
  /**
   * Display name of the topic (shown as the e-mail sender).
   * @default 'Security alerts'
   */
  readonly topicDisplayName?: string;
  /**
   * Other regions whose CloudWatch alarm state changes arrive on this region's default event bus (forwarded, e.g. the
   * replica region's replication stall alarms, ReplicationStallAlarm): one rule routes them to the formatter.
   * @default - none
   */
  readonly forwardedAlarmRegions?: readonly string[];
}

/**
 * EventBridge patterns of the findings routed to the formatter (D2 -> D3). CloudWatch alarms are
 * NOT routed here: they invoke the formatter directly through `alarmAction`, so each alarm alerts once.
 * Security Hub findings that GuardDuty, Macie or Inspector produced are excluded there because their
 * own rules already deliver them.
 */
export const FINDING_PATTERNS: Readonly<Record<string, EventPattern>> = {
  GuardDutyFindings: {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    // MEDIUM and above (GuardDuty bands: 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0+ CRITICAL).
    detail: { severity: [{ numeric: ['>=', 4] }] },
  },
  SecurityHubFindings: {
    source: ['aws.securityhub'],
    detailType: ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        Severity: { Label: ['HIGH', 'CRITICAL'] },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
        ProductName: [{ 'anything-but': ['GuardDuty', 'Macie', 'Inspector'] }],
      },
    },
  },
  MacieFindings: {
    source: ['aws.macie'],
    detailType: ['Macie Finding'],
  },
  InspectorFindings: {
    source: ['aws.inspector2'],
    detailType: ['Inspector2 Finding'],
    detail: { severity: ['HIGH', 'CRITICAL'], status: ['ACTIVE'] },
  },
  // I1, I2: a recovery point that did not reach the replica region's vault (or the isolated vault). AWS Backup emits
  // the event in the source region, where the copy job runs.
  BackupCopyJobFailures: {
    source: ['aws.backup'],
    detailType: ['Copy Job State Change'],
    detail: { state: ['FAILED', 'PARTIAL'] },
  },
  // D2: a Fargate task (or cluster) GuardDuty runtime monitoring does not cover (agent not pulled or not reporting).
  GuardDutyRuntimeCoverage: {
    source: [GUARDDUTY_RUNTIME_UNHEALTHY_EVENT.source],
    detailType: [GUARDDUTY_RUNTIME_UNHEALTHY_EVENT.detailType],
  },
  // D2: an uploaded PHI object with malware, or left unscanned. The formatter never prints the object key.
  MalwareScanResults: {
    source: [MALWARE_PROTECTION_EVENTS.source],
    detailType: [MALWARE_PROTECTION_EVENTS.objectScanResult],
    detail: { scanResultDetails: { scanResultStatus: [...ALERTING_SCAN_RESULTS] } },
  },
  // D2: the malware protection plan is unhealthy, or an object could not be tagged (no quarantine for it).
  MalwareProtectionHealth: {
    source: [MALWARE_PROTECTION_EVENTS.source],
    detailType: [...MALWARE_PROTECTION_EVENTS.health],
  },
};

const DEFAULT_RESERVED_CONCURRENCY = 5;
const FORMATTER_ENTRY = path.join(__dirname, '..', 'lambda', 'alert-formatter', 'index.ts');
const PROJECT_ROOT = path.join(__dirname, '..');

export { DEAD_LETTER_READ_ACTIONS } from './vpc-function-parts';

/**
 * Security alerts reach people with metadata only (safeguard D3): CloudWatch alarms (through
 * `alarmAction`) and GuardDuty, Security Hub, Macie and Inspector findings (through EventBridge rules)
 * invoke the alert formatter Lambda, which strips everything but metadata and publishes to a
 * KMS-encrypted, TLS-only SNS topic with e-mail subscriptions.
 *
 * The formatter runs in the PHI VPC's application tier (no internet; SNS through the interface
 * endpoint), with a security group allowing only HTTPS to the VPC, reserved concurrency, a KMS-encrypted
 * dead-letter queue for failed invocations, a six-year encrypted log group, and a role whose only
 * permissions are two customer-managed policies: one scoped to this topic, queue, key and log group, one
 * with the network interface actions Lambda requires on `*`.
 *
 * The dead-letter queue keeps an undeliverable event as it arrived for 14 days: for a finding that is
 * the raw GuardDuty, Macie, Security Hub or Inspector detail, which can name S3 object keys (treat it as
 * possibly PHI). Its policy denies receiving, purging and changing visibility to every principal outside
 * this account; inside the account only identities whose IAM policies allow sqs:ReceiveMessage on it
 * and kms:Decrypt on the operations key can read it (the formatter's role cannot: it may only send).
 * Grant that to the security team's incident role only.
 */
export class AlertPipeline extends Construct {
  /** The encrypted alert topic (subscribe more endpoints here). */
  public readonly topic: Topic;
  /** The alert formatter. */
  public readonly formatter: NodejsFunction;
  /** Dead-letter queue of failed invocations and undeliverable findings. */
  public readonly deadLetterQueue: Queue;
  /** Log group of the formatter. */
  public readonly logGroup: EncryptedLogGroup;
  /** Security group of the formatter: egress HTTPS to the VPC only. */
  public readonly securityGroup: SecurityGroup;
  /** Action for security alarms in any stack: CloudWatch invokes the formatter directly (Lambda alarm action). */
  public readonly alarmAction: IAlarmAction;
  /** The EventBridge rules routing findings to the formatter, by name (keys of FINDING_PATTERNS). */
  public readonly findingRules: Readonly<Record<string, Rule>>;
  /** The rule routing forwarded alarm state changes of forwardedAlarmRegions to the formatter (absent without). */
  public readonly forwardedAlarmRule?: Rule;
  /** Alarms on the pipeline itself; they publish to the topic directly (the formatter may be what failed). */
  public readonly healthAlarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: AlertPipelineProps) {
    super(scope, id);
    tagSafeguards(this, ['D3', 'U4']);
    if (props.alertEmails.length === 0) {
      throw new Error(
        `AlertPipeline ${this.node.path}: alertEmails = []: at least one address must receive alerts (D3)`,
      );
    }
    const concurrency = props.reservedConcurrentExecutions ?? DEFAULT_RESERVED_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
      throw new Error(
        `AlertPipeline ${this.node.path}: reservedConcurrentExecutions = ${concurrency}: must be an integer from 1 to 100`,
      );
    }
    assertLocalEsbuild(`AlertPipeline ${this.node.path}`);
    const { account, region } = Stack.of(this);

    this.topic = new Topic(this, 'Topic', {
      displayName: props.topicDisplayName ?? 'Security alerts',
      // Safeguards last.
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyThisAccountPublishes',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringNotEquals: { 'aws:PrincipalAccount': account },
          // A service principal's request carries no aws:PrincipalAccount, and StringNotEquals on a
          // missing key evaluates true: without this line the deny would also block
          // cloudwatch.amazonaws.com publishing the pipeline's own health alarms (healthAlarms), the
          // path that must work when the formatter is what failed. aws:PrincipalIsAWSService is true
          // only for service principals, so IAM principals of other accounts stay denied; a service
          // principal still needs an allow, and the only one is the next statement (this account's alarms).
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ThisAccountsAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    for (const email of props.alertEmails) this.topic.addSubscription(new EmailSubscription(email));

    this.deadLetterQueue = retainedDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    // The queue may hold a raw finding (GuardDuty or Macie detail, S3 object keys included) for 14 days.
    denyDeadLetterReadsOutsideAccount(this.deadLetterQueue, account);

    if (props.httpsEndpoint !== undefined) {
      if (!/^https:\/\/[a-z0-9.-]+(:\d{1,5})?(\/[^\s@]*)?$/i.test(props.httpsEndpoint)) {
        throw new Error(
          `AlertPipeline ${this.node.path}: httpsEndpoint = '${props.httpsEndpoint}': must be an https:// URL without credentials or spaces`,
        );
      }
      this.topic.addSubscription(
        new UrlSubscription(props.httpsEndpoint, {
          protocol: SubscriptionProtocol.HTTPS,
          // The pipeline's queue (operations key; its alarm publishes to the topic directly).
          deadLetterQueue: this.deadLetterQueue,
          // A pager outage of about a quarter of an hour is retried before the alert goes to the dead-letter queue.
          deliveryPolicy: {
            healthyRetryPolicy: {
              numRetries: 20,
              numNoDelayRetries: 3,
              minDelayTarget: Duration.seconds(5),
              maxDelayTarget: Duration.seconds(60),
              backoffFunction: BackoffFunction.EXPONENTIAL,
            },
            throttlePolicy: { maxReceivesPerSecond: 10 },
          },
        }),
      );
    }

    this.logGroup = new EncryptedLogGroup(this, 'FormatterLogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });

    this.securityGroup = new SecurityGroup(this, 'FormatterSecurityGroup', {
      vpc: props.vpc,
      description: 'Alert formatter: HTTPS to VPC interface endpoints only',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(Peer.ipv4(props.vpc.vpcCidrBlock), Port.tcp(443), 'HTTPS to VPC endpoints');

    const { role, policies } = this.formatterRole(props.encryptionKey);

    this.formatter = new NodejsFunction(this, 'Formatter', {
      description: 'Formats security alarms and findings into metadata-only alerts (D3, U4)',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { ALERT_TOPIC_ARN: this.topic.topicArn, NODE_OPTIONS: '--enable-source-maps' },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      // Safeguards last. Immutable role: CDK adds no inline policy and no AWS managed policy; the role holds only
      // `policies`.
      ...vpcFunctionSafeguards({
        entry: FORMATTER_ENTRY,
        projectRoot: PROJECT_ROOT,
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
        securityGroup: this.securityGroup,
        role,
        logGroup: this.logGroup.logGroup,
        deadLetterQueue: this.deadLetterQueue,
        reservedConcurrentExecutions: concurrency,
      }),
    });
    // Lambda checks the ENI permissions when the function is created: attach the policies first.
    for (const policy of policies) this.formatter.node.addDependency(policy);

    this.alarmAction = new FormatterAlarmAction(this.formatter);

    const target = new LambdaFunction(this.formatter, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    });
    const rules: Record<string, Rule> = {};
    for (const [name, eventPattern] of Object.entries(FINDING_PATTERNS)) {
      rules[name] = new Rule(this, name, {
        description: `Routes ${name} to the alert formatter (D2 -> D3)`,
        eventPattern,
        targets: [target],
      });
    }
    this.findingRules = rules;
    // Alarms of regions without an alert path reach people through their forwarded state changes (D3).
    if ((props.forwardedAlarmRegions ?? []).length > 0) {
      this.forwardedAlarmRule = new Rule(this, 'ForwardedAlarms', {
        description: `Routes CloudWatch alarm state changes forwarded from ${props.forwardedAlarmRegions!.join(', ')} to the alert formatter (D3)`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          region: [...props.forwardedAlarmRegions!],
        },
        targets: [target],
      });
    }

    this.healthAlarms = this.pipelineAlarms();
  }

  /** The formatter's role: two customer-managed policies, nothing inline, no AWS managed policy. */
  private formatterRole(key: IKey): { role: Role; policies: ManagedPolicy[] } {
    const role = new Role(this, 'FormatterRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Alert formatter: publish to the alert topic, write its logs, dead-letter failures',
    });
    const scoped = new ManagedPolicy(this, 'FormatterPolicy', {
      description: 'Alert formatter: this topic, this queue, this log group, the operations key via SNS and SQS',
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'PublishAlerts',
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
        }),
        new PolicyStatement({
          sid: 'DeadLetterFailedInvocations',
          actions: ['sqs:SendMessage'],
          resources: [this.deadLetterQueue.queueArn],
        }),
        new PolicyStatement({
          sid: 'EncryptForTopicAndQueue',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': [`sns.${Aws.REGION}.amazonaws.com`, `sqs.${Aws.REGION}.amazonaws.com`],
            },
          },
        }),
        new PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // The log group's Arn attribute ends in ':*', which covers its log streams and nothing else.
          resources: [this.logGroup.logGroup.logGroupArn],
        }),
      ],
    });
    const network = lambdaNetworkPolicy(
      this,
      'FormatterNetworkPolicy',
      'Alert formatter: the network interface actions Lambda needs to run in the VPC',
      role,
    );
    return { role, policies: [scoped, network] };
  }

  /** Dead letters or errors mean an alert may not have reached anyone: tell the topic directly. */
  private pipelineAlarms(): Alarm[] {
    const notify = new SnsAction(this.topic);
    const deadLetters = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'Alert pipeline: undelivered alerts in the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const errors = new Alarm(this, 'FormatterErrorAlarm', {
      alarmDescription: 'Alert pipeline: the formatter failed (alerts may be delayed or dead-lettered)',
      metric: this.formatter.metricErrors({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const alarms = [deadLetters, errors];
    for (const alarm of alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
    return alarms;
  }
}
