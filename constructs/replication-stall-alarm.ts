import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, IAlarmAction, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';
import { FindingForwarder } from './finding-forwarder';

/** Props of a ReplicationStallAlarm. */
export interface ReplicationStallAlarmProps {
  /**
   * Name of the destination bucket (in this stack's region: S3 publishes ReplicationLatency in the destination's
   * region). The alarm covers every rule and source replicating into it.
   */
  readonly destinationBucketName: string;
  /**
   * Seconds the destination may stay behind its sources before the alarm fires (ReplicationLatency Maximum), for
   * three 5-minute periods in a row.
   * @default 3600 (an hour; without Replication Time Control S3 gives no replication time, most objects take minutes)
   */
  readonly thresholdSeconds?: number;
  /**
   * Where the alarm goes, when this region has the alert path (the alert formatter).
   * @default - none: then forwardToRegion is required
   */
  readonly alarmAction?: IAlarmAction;
  /**
   * The region whose default event bus receives the alarm's state changes (where the alert pipeline routes CloudWatch
   * alarm state changes of this region to the formatter), for a region without an alert path.
   * @default - none: then alarmAction is required
   */
  readonly forwardToRegion?: string;
  /**
   * Physical name of the rule forwarding the state changes (fixed: its role's trust pins the rule's ARN). Required with
   * forwardToRegion.
   * @default - none (no forwarding)
   */
  readonly forwardRuleName?: string;
}

/** Longest bound the gate accepts for a stall alarm (ReplicationMonitored). */
export const MAX_REPLICATION_STALL_SECONDS = 3600;
/** Periods in a row the latency must stay above the bound. */
export const REPLICATION_STALL_PERIODS = 3;

/**
 * An alarm when replication into a bucket has stopped (I2, D1): the maximum ReplicationLatency (seconds the
 * destination is behind its source, per rule) over every source and rule replicating into `destinationBucketName`, a
 * CloudWatch Metrics Insights query (the sources' names are not known in the destination's stack: the audit-domain
 * buckets have generated names), above `thresholdSeconds` for 15 minutes. Failures show in the source's region
 * (PhiBucketReplication's alarm); a replication that stalls without failing (objects pending, not replicated) shows only
 * here. Missing data does not breach: S3 publishes the metric while replication is configured (the gate keeps it so).
 * Where the region has no alert path, its state changes are forwarded to `forwardToRegion`'s default event bus.
 */
export class ReplicationStallAlarm extends Construct {
  public readonly alarm: Alarm;
  /** The rule forwarding the alarm's state changes to another region (with forwardToRegion). */
  public readonly forwarder?: FindingForwarder;

  constructor(scope: Construct, id: string, props: ReplicationStallAlarmProps) {
    super(scope, id);
    const where = `ReplicationStallAlarm ${this.node.path}`;
    const threshold = props.thresholdSeconds ?? MAX_REPLICATION_STALL_SECONDS;
    if (!Number.isInteger(threshold) || threshold < 60 || threshold > MAX_REPLICATION_STALL_SECONDS) {
      throw new Error(
        `${where}: thresholdSeconds = ${threshold}: must be a whole number of seconds from 60 to ${MAX_REPLICATION_STALL_SECONDS}`,
      );
    }
    if ((props.alarmAction === undefined) === (props.forwardToRegion === undefined)) {
      throw new Error(
        `${where}: alarmAction and forwardToRegion: exactly one is required (an action where the alert path runs, forwarding elsewhere)`,
      );
    }
    if ((props.forwardToRegion === undefined) !== (props.forwardRuleName === undefined)) {
      throw new Error(
        `${where}: forwardRuleName = ${props.forwardRuleName === undefined ? 'undefined' : `'${props.forwardRuleName}'`}: required with forwardToRegion, and only with it`,
      );
    }
    if (props.destinationBucketName.length === 0 || /['"*?/]/.test(props.destinationBucketName)) {
      throw new Error(`${where}: destinationBucketName = '${props.destinationBucketName}': must be a bucket name`);
    }
    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription: `I2: replication into ${props.destinationBucketName} is more than ${threshold} seconds behind for 15 minutes (S3 ReplicationLatency): replication has stopped or stalled; see the sources' replication metrics`,
      metric: new MathExpression({
        expression: `SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = '${props.destinationBucketName}'`,
        label: 'ReplicationLatency (maximum over sources and rules)',
        period: Duration.minutes(5),
      }),
      threshold,
      evaluationPeriods: REPLICATION_STALL_PERIODS,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmAction !== undefined) this.alarm.addAlarmAction(props.alarmAction);
    if (props.forwardToRegion !== undefined) {
      this.forwarder = new FindingForwarder(this, 'Forward', {
        destinationRegion: props.forwardToRegion,
        patterns: {
          StateChanges: {
            source: ['aws.cloudwatch'],
            detailType: ['CloudWatch Alarm State Change'],
            resources: [this.alarm.alarmArn],
          },
        },
        ruleNames: { StateChanges: props.forwardRuleName! },
      });
    }
    tagSafeguards(this, ['I2', 'D1']);
  }
}
