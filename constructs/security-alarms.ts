import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AnomalyDetectionAlarm,
  ComparisonOperator,
  IAlarmAction,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SECURITY_METRIC_FILTERS, SecurityMetricFilter } from './security-metric-filters';
import { tagSafeguards } from './core';

/** Props of SecurityAlarms. */
export interface SecurityAlarmsProps {
  /** The CloudTrail log group the metric filters read. */
  readonly logGroup: ILogGroup;
  /** What every alarm does when it fires (the stage passes the alert formatter, D3). */
  readonly alarmAction: IAlarmAction;
  /** Buckets whose object access volume is watched by an anomaly detection alarm. */
  readonly phiBucketNames: readonly string[];
  /**
   * Filters in addition to SECURITY_METRIC_FILTERS (e.g. the break-glass role being assumed).
   * @default - none
   */
  readonly additionalFilters?: readonly SecurityMetricFilter[];
  /**
   * Namespace of the security metrics.
   * @default 'HipaaBlueprint/Security'
   */
  readonly namespace?: string;
}

/** Default namespace of the security metrics. */
export const SECURITY_METRIC_NAMESPACE = 'HipaaBlueprint/Security';

/** Id and metric name of the PHI object access volume filter. */
export const PHI_OBJECT_ACCESS_METRIC = 'PhiObjectAccess';

/**
 * Filter pattern counting S3 GetObject/PutObject data events on the named buckets (the trail records
 * them for PHI buckets, U1). CloudWatch Logs limits a pattern to 1024 characters.
 */
export function phiObjectAccessFilterPattern(bucketNames: readonly string[]): string {
  const buckets = bucketNames.map((b) => `($.requestParameters.bucketName = "${b}")`).join(' || ');
  const pattern = `{ ($.eventSource = "s3.amazonaws.com") && (($.eventName = "GetObject") || ($.eventName = "PutObject")) && (${buckets}) }`;
  if (pattern.length > 1024) {
    throw new Error(
      `phiObjectAccessFilterPattern: bucketNames = ${JSON.stringify(bucketNames)}: pattern is ${pattern.length} characters, over 1024`,
    );
  }
  return pattern;
}

/**
 * Real-time detection alarms on the CloudTrail log group (safeguard D1, HIPAA 164.308(a)(1)(ii)(D),
 * 164.308(a)(6)): one metric filter and one alarm per entry of SECURITY_METRIC_FILTERS (plus any
 * additional ones), each alarm firing on a single matching event, treating missing data as not
 * breaching, with the alarm action. Plus an anomaly detection alarm on the volume of PHI object
 * reads and writes. Alarm descriptions carry what happened, never event contents (U4).
 */
export class SecurityAlarms extends Construct {
  /** Alarms by filter id. */
  public readonly alarms: Readonly<Record<string, Alarm>>;
  public readonly phiAccessAnomalyAlarm: AnomalyDetectionAlarm;

  constructor(scope: Construct, id: string, props: SecurityAlarmsProps) {
    super(scope, id);
    tagSafeguards(this, ['D1']);
    const namespace = props.namespace ?? SECURITY_METRIC_NAMESPACE;
    if (!/^[A-Za-z0-9/_.#:-]{1,255}$/.test(namespace) || namespace.startsWith('AWS/')) {
      throw new Error(
        `SecurityAlarms ${this.node.path}: namespace = '${namespace}': must be 1-255 characters and not start with AWS/`,
      );
    }
    if (props.phiBucketNames.length === 0) {
      throw new Error(`SecurityAlarms ${this.node.path}: phiBucketNames = []: must name the PHI buckets (D1)`);
    }
    const filters = [...SECURITY_METRIC_FILTERS, ...(props.additionalFilters ?? [])];
    const ids = new Set<string>();
    const alarms: Record<string, Alarm> = {};
    for (const f of filters) {
      if (ids.has(f.id)) throw new Error(`SecurityAlarms ${this.node.path}: filter id '${f.id}' appears twice`);
      ids.add(f.id);
      const filter = new MetricFilter(this, `${f.id}Filter`, {
        logGroup: props.logGroup,
        filterPattern: FilterPattern.literal(f.filterPattern),
        metricNamespace: namespace,
        metricName: f.metricName,
        metricValue: '1',
      });
      const alarm = new Alarm(this, `${f.id}Alarm`, {
        alarmDescription: `${f.safeguard} (HIPAA ${f.hipaaSections.join(', ')}): ${f.description}`,
        metric: filter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
        // Safeguards last: one event raises the alarm, silence is not an alarm.
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.alarmAction);
      alarms[f.id] = alarm;
    }
    this.alarms = alarms;

    const access = new MetricFilter(this, `${PHI_OBJECT_ACCESS_METRIC}Filter`, {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.literal(phiObjectAccessFilterPattern(props.phiBucketNames)),
      metricNamespace: namespace,
      metricName: PHI_OBJECT_ACCESS_METRIC,
      metricValue: '1',
      // A continuous series (zeros when idle) lets the anomaly model learn the quiet hours too.
      defaultValue: 0,
    });
    this.phiAccessAnomalyAlarm = new AnomalyDetectionAlarm(this, `${PHI_OBJECT_ACCESS_METRIC}AnomalyAlarm`, {
      alarmDescription:
        'D1 (HIPAA 164.308(a)(1)(ii)(D), 164.312(b)): PHI object reads and writes are above the expected band (possible bulk access or exfiltration).',
      metric: access.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
      stdDevs: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.phiAccessAnomalyAlarm.addAlarmAction(props.alarmAction);
  }
}
