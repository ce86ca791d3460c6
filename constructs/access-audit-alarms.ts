import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  IAlarmAction,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { IApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';

/** Props of AccessAuditAlarms. */
export interface AccessAuditAlarmsProps {
  /** The service (lower-case kebab-case), for the alarms' names and descriptions. */
  readonly service: string;
  /** The service's target group: its RequestCount says the service serves requests. */
  readonly targetGroup: IApplicationTargetGroup;
  /** Name of the service's access-audit stream: its IncomingRecords says the service records accesses. */
  readonly streamName: string;
  /** What each alarm does (the stage passes the alert formatter, D3). */
  readonly alarmAction: IAlarmAction;
  /**
   * Consecutive 5-minute periods with requests and no event before the silence alarm fires.
   * @default 3 (15 minutes)
   */
  readonly silentPeriods?: number;
}

/** Seconds the oldest event may wait in the stream before the delivery alarm fires. */
export const ACCESS_AUDIT_MAX_FRESHNESS_SECONDS = 900;

const PERIOD = Duration.minutes(5);

/**
 * U5 D1: the access-audit channel's detection for one service.
 * - Silence: the service answers requests (the target group's RequestCount) while its stream receives no event
 *   (IncomingRecords, missing data counted as zero), for `silentPeriods` consecutive 5-minute periods: a service that
 *   stopped recording (or was redeployed without the writer) while it serves. Requests that touch no PHI (the home
 *   page) record nothing, so a service whose users only load such pages for 15 minutes raises it too: the README says
 *   how to tune it.
 * - Delivery: the oldest event has waited in the stream more than 15 minutes (DeliveryToS3.DataFreshness): Firehose
 *   cannot write to the bucket (a key or bucket policy change, an S3 refusal); Firehose retries for 24 hours, then
 *   drops the events.
 */
export class AccessAuditAlarms extends Construct {
  public readonly silence: Alarm;
  public readonly delivery: Alarm;

  constructor(scope: Construct, id: string, props: AccessAuditAlarmsProps) {
    super(scope, id);
    const periods = props.silentPeriods ?? 3;
    if (!Number.isInteger(periods) || periods < 1 || periods > 24) {
      throw new Error(
        `AccessAuditAlarms ${this.node.path}: silentPeriods = ${periods}: must be an integer from 1 to 24 (5-minute periods)`,
      );
    }
    const stream = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/Firehose',
        metricName,
        dimensionsMap: { DeliveryStreamName: props.streamName },
        statistic,
        period: PERIOD,
      });
    const silent = new MathExpression({
      expression: 'IF(requests > 0 AND FILL(records, 0) == 0, 1, 0)',
      usingMetrics: {
        requests: props.targetGroup.metrics.requestCount({ period: PERIOD, statistic: 'Sum' }),
        records: stream('IncomingRecords', 'Sum'),
      },
      period: PERIOD,
      label: `${props.service} serves requests and records no access-audit event`,
    });
    this.silence = new Alarm(this, 'Silence', {
      alarmDescription: `U5: service '${props.service}' answered requests for ${periods * 5} minutes while its access-audit stream ${props.streamName} received no event.`,
      metric: silent,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.delivery = new Alarm(this, 'Delivery', {
      alarmDescription: `U5: access-audit events of '${props.service}' wait more than ${ACCESS_AUDIT_MAX_FRESHNESS_SECONDS / 60} minutes in ${props.streamName}: Firehose cannot write them to the access-audit bucket.`,
      metric: stream('DeliveryToS3.DataFreshness', 'Maximum'),
      threshold: ACCESS_AUDIT_MAX_FRESHNESS_SECONDS,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.silence, this.delivery]) alarm.addAlarmAction(props.alarmAction);
    tagSafeguards(this, ['U5', 'D1']);
  }
}
