import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, EventPattern, IRuleTarget, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';
import {
  CLOUDTRAIL_API_CALL,
  HEARTBEAT_EVENT,
  HEARTBEAT_LOG_TERM,
  TAMPER_WATCHES,
  TamperWatch,
} from './tamper-watches';

/** Props of TamperDetection. */
export interface TamperDetectionProps {
  /** The alert formatter (AlertPipeline.formatter): every tamper rule and the heartbeat invoke it. */
  readonly formatter: IFunction;
  /** The formatter's log group: the heartbeat metric filter counts the formatter's heartbeat lines there. */
  readonly formatterLogGroup: ILogGroup;
  /** The alert topic: alert-path rules and the alert-path alarms publish to it directly. */
  readonly topic: ITopic;
  /**
   * Dead-letter queue of events the rules could not deliver.
   * @default - none (EventBridge retries for 24 hours, then drops)
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * The watched actions.
   * @default TAMPER_WATCHES (every action of issue 12; the gate requires all of them)
   */
  readonly watches?: readonly TamperWatch[];
  /**
   * How often the heartbeat runs through the formatter.
   * @default Duration.hours(1)
   */
  readonly heartbeatInterval?: Duration;
}

/** Namespace of the heartbeat metric the formatter's log lines feed. */
export const HEARTBEAT_METRIC = { namespace: 'HipaaBlueprint/AlertPath', name: 'Heartbeat' } as const;

/** Heartbeats missed in a row before the heartbeat alarm fires. */
const MISSED_HEARTBEATS = 2;

/**
 * Tamper evidence (safeguard U6): an EventBridge rule per watched group of actions (TAMPER_WATCHES) on the
 * CloudTrail management events of the default bus, each delivering a metadata-only alert (actor and resource,
 * never request data) through the formatter's `tamper` format; the rules about the alert path itself also publish
 * to the topic directly through an input transformer, so replacing the formatter's code or setting its concurrency
 * to zero cannot silence the alert about it.
 *
 * The alert path proves itself: a scheduled heartbeat runs through the formatter (which logs it without
 * publishing), a metric filter counts it, and an alarm fires when two in a row are missing (missing data
 * breaching); a throttle alarm fires when the formatter is throttled (concurrency set to zero throttles every
 * invocation). Both alarms publish to the topic directly, not through the formatter.
 *
 * Scope: the topic rule is scoped to this pipeline's topic; every other rule (the Lambda one included: the
 * formatter, the restore validation and the checks) watches the whole account and region (a PHI account runs this environment only; account-wide is a superset,
 * so a resource with a generated name is never missed).
 */
export class TamperDetection extends Construct {
  /** The rules by watch id. */
  public readonly rules: Readonly<Record<string, Rule>>;
  /** The scheduled heartbeat rule. */
  public readonly heartbeatRule: Rule;
  /** Fires when the heartbeat stops reaching the formatter. */
  public readonly heartbeatAlarm: Alarm;
  /** Fires when the formatter is throttled. */
  public readonly throttleAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TamperDetectionProps) {
    super(scope, id);
    tagSafeguards(this, ['U6', 'D3']);
    const watches = props.watches ?? TAMPER_WATCHES;
    const interval = props.heartbeatInterval ?? Duration.hours(1);
    const ids = new Set<string>();
    for (const w of watches) {
      if (!/^[A-Z][A-Za-z0-9]*$/.test(w.id) || ids.has(w.id)) {
        throw new Error(
          `TamperDetection ${this.node.path}: watches[].id = '${w.id}': must be a unique PascalCase identifier`,
        );
      }
      ids.add(w.id);
      if (w.eventNames.length === 0) {
        throw new Error(
          `TamperDetection ${this.node.path}: watches['${w.id}'].eventNames = []: at least one event name`,
        );
      }
    }
    const minutes = interval.toMinutes();
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 720) {
      throw new Error(
        `TamperDetection ${this.node.path}: heartbeatInterval = ${minutes} minutes: must be whole minutes from 5 to 720`,
      );
    }

    const viaFormatter = new LambdaFunction(props.formatter, {
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    });
    const rules: Record<string, Rule> = {};
    for (const watch of watches) {
      rules[watch.id] = new Rule(this, `Tamper${watch.id}`, {
        description: `Tamper evidence (U6): ${watch.what}`.slice(0, 512),
        eventPattern: this.patternOf(watch, props),
        targets: watch.alertPath ? [viaFormatter, TamperDetection.directTarget(watch, props)] : [viaFormatter],
      });
    }
    this.rules = rules;
    const direct = watches.filter((w) => w.alertPath).map((w) => rules[w.id]!.ruleArn);
    if (direct.length > 0) {
      // Only these rules publish directly. The topic's key already admits events.amazonaws.com for this account
      // (ManagedKey usage.alarmPublishers); aws-events-targets' SnsTopic would add an unconditioned key grant.
      props.topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'TamperRulesPublishDirectly',
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [props.topic.topicArn],
          conditions: { ArnEquals: { 'aws:SourceArn': direct } },
        }),
      );
    }

    this.heartbeatRule = new Rule(this, 'Heartbeat', {
      description: 'Alert path heartbeat (D3): runs through the formatter, which logs it without publishing',
      schedule: Schedule.rate(interval),
      targets: [
        new LambdaFunction(props.formatter, {
          event: RuleTargetInput.fromObject({
            source: HEARTBEAT_EVENT.source,
            'detail-type': HEARTBEAT_EVENT.detailType,
            time: EventField.time,
            id: EventField.eventId,
            account: EventField.account,
            region: EventField.region,
          }),
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
    new MetricFilter(this, 'HeartbeatFilter', {
      logGroup: props.formatterLogGroup,
      filterPattern: FilterPattern.literal(`"${HEARTBEAT_LOG_TERM}"`),
      metricNamespace: HEARTBEAT_METRIC.namespace,
      metricName: HEARTBEAT_METRIC.name,
      metricValue: '1',
    });
    const notify = new SnsAction(props.topic);
    this.heartbeatAlarm = new Alarm(this, 'HeartbeatAlarm', {
      alarmDescription: `Alert path: ${MISSED_HEARTBEATS} heartbeats in a row did not reach the alert formatter (alerts may not be delivered)`,
      metric: new Metric({
        namespace: HEARTBEAT_METRIC.namespace,
        metricName: HEARTBEAT_METRIC.name,
        statistic: 'Sum',
        period: interval,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: MISSED_HEARTBEATS,
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.throttleAlarm = new Alarm(this, 'FormatterThrottleAlarm', {
      alarmDescription: 'Alert path: the alert formatter was throttled (concurrency exhausted or set to zero)',
      metric: props.formatter.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.heartbeatAlarm, this.throttleAlarm]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }

  /** The rule's pattern: the CloudTrail API calls of the watch, scoped to the formatter or topic for theirs. */
  private patternOf(watch: TamperWatch, props: TamperDetectionProps): EventPattern {
    const names = watch.matchPrefix ? watch.eventNames.map((prefix) => ({ prefix })) : [...watch.eventNames];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const detail: Record<string, any> = { eventSource: [watch.eventSource], eventName: names };
    if (watch.directCallsOnly) detail.userIdentity = { invokedBy: [{ exists: false }] };
    if (watch.id === 'AlertTopic') {
      detail.$or = [
        { requestParameters: { topicArn: [props.topic.topicArn] } },
        { requestParameters: { subscriptionArn: [{ prefix: `${props.topic.topicArn}:` }] } },
      ];
    }
    return { detailType: [CLOUDTRAIL_API_CALL], detail };
  }

  /** SNS target with a metadata-only message: actor, action, resource parameter and event id; no request data. */
  private static directTarget(watch: TamperWatch, props: TamperDetectionProps): IRuleTarget {
    const resource = watch.resourceParameter
      ? EventField.fromPath(`$.detail.requestParameters.${watch.resourceParameter}`)
      : 'see the CloudTrail event';
    const message = [
      `[TAMPER] ${EventField.fromPath('$.detail.eventName')} (${EventField.fromPath('$.detail.eventSource')})`,
      `What: ${watch.what}`,
      `Actor: ${EventField.fromPath('$.detail.userIdentity.type')} ${EventField.fromPath('$.detail.userIdentity.arn')}`,
      `Resource: ${resource}`,
      `Account: ${EventField.account} Region: ${EventField.region} Time: ${EventField.time}`,
      `CloudTrail event id: ${EventField.fromPath('$.detail.eventID')}`,
      'Sent directly by EventBridge (not through the alert formatter); metadata only.',
    ].join(' | ');
    return {
      bind: () => ({
        arn: props.topic.topicArn,
        input: RuleTargetInput.fromText(message),
        targetResource: props.topic,
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: Duration.hours(24).toSeconds() },
        // The formatter target of the same rule already admits the rule to the queue's policy.
        ...(props.deadLetterQueue ? { deadLetterConfig: { arn: props.deadLetterQueue.queueArn } } : {}),
      }),
    };
  }
}
