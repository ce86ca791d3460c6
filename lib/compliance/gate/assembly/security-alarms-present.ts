import { PHI_OBJECT_ACCESS_METRIC } from '../../../../constructs/security-alarms';
import { SECURITY_METRIC_FILTERS } from '../../../../constructs/security-metric-filters';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  flatten,
  isObject,
  localTarget,
  StackResource,
} from '../core/template-json';
import { AlarmExpectation, judgeAlarms, mutedText, notifies } from './alarm-facts';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { isLogging, recordsAllManagementEvents } from './trail-covers-phi-buckets';

const NAME = 'SecurityAlarmsPresent';

interface Metric {
  readonly name: string;
  readonly namespace: string;
}

/** The metric a filter publishes. */
function metricOf(filter: StackResource): Metric | undefined {
  const t = asList(filter.resource.Properties?.MetricTransformations).filter(isObject)[0];
  return t && typeof t.MetricName === 'string' && typeof t.MetricNamespace === 'string'
    ? { name: t.MetricName, namespace: t.MetricNamespace }
    : undefined;
}

/** Metrics an alarm watches (its own metric, or the metrics of its metric math). */
function metricsOf(alarm: StackResource): Metric[] {
  const p = alarm.resource.Properties ?? {};
  const own =
    typeof p.MetricName === 'string' && typeof p.Namespace === 'string'
      ? [{ name: p.MetricName, namespace: p.Namespace }]
      : [];
  const math = asList(p.Metrics)
    .filter(isObject)
    .map((m) => (isObject(m.MetricStat) && isObject(m.MetricStat.Metric) ? m.MetricStat.Metric : undefined))
    .filter((m): m is Record<string, unknown> => m !== undefined && typeof m.MetricName === 'string')
    .map((m) => ({ name: m.MetricName as string, namespace: String(m.Namespace) }));
  return [...own, ...math];
}

/** Whether an alarm surely has an action and its actions are on (alarm-facts' notifies). */
const hasAction = (alarm: StackResource): boolean => notifies(alarm.resource);

/**
 * A metric filter's event count, as SecurityAlarms alarms on it: one event in five minutes raises the alarm (Sum or
 * Maximum >= 1, or > 0), and no event is not an alarm (missing data not breaching: a sparse count treated as breaching
 * stays in ALARM and never notifies again).
 */
export const firesOnOneEvent = (metric: Metric): AlarmExpectation => ({
  metric: { namespace: metric.namespace, name: metric.name },
  statistics: ['Sum', 'Maximum'],
  maxPeriodSeconds: 300,
  trigger: { atLeast: 1 },
  quietAt: 0,
  missingData: ['notBreaching', 'missing', 'ignore'],
});

/** The PHI object access volume: above an anomaly band of at most 3 standard deviations, within 10 minutes. */
export const firesAboveAccessBand = (metric: Metric): AlarmExpectation => ({
  metric: { namespace: metric.namespace, name: metric.name },
  statistics: ['Sum'],
  maxPeriodSeconds: 300,
  trigger: { anomalyAbove: { maxStdDevs: 3 } },
  maxTimeToAlarmSeconds: 600,
});

/**
 * D1 and A5: the CloudTrail log group of the trail carries, for each CIS/Security Hub CloudWatch.1-14 pattern of
 * SECURITY_METRIC_FILTERS (exactly as Security Hub checks it), a metric filter and an alarm with an action; the
 * break-glass role (a role named '*-break-glass' or tagged with safeguard A5) has a filter on its AssumeRole and an
 * alarm with an action; the PHI object access volume has its anomaly alarm with an action.
 */
export const SecurityAlarmsPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'An alarm of the detection set is missing, has no action or cannot fire (statistic, period, threshold, datapoints to alarm, missing data, a hiding metric math expression): a CIS/Security Hub CloudWatch.1-14 metric filter (exact pattern) on the trail log group with its alarm, the break-glass use alarm, or the PHI object access anomaly alarm.',
  explanation:
    'Security incidents are detected and reported in real time (164.308(a)(1)(ii)(D), 164.308(a)(6)(ii)); every use of emergency access raises an alert (164.312(a)(2)(ii)).',
  safeguards: ['D1', 'A5'],
  hipaaSections: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)', '164.312(a)(2)(ii)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const trails = assemblyResources(stacks, 'AWS::CloudTrail::Trail');
    if (trails.length === 0) return { findings: [], evaluated: 0 }; // TrailCoversPhiBuckets reports the missing trail
    // The alarms read the log group of a trail that logs every management event (every region: the trail's own rule,
    // CloudTrailMultiRegionWithPhiDataEvents): the log group of a trail recording fewer (or not logging) gets none of the calls the filters count, whichever trail records them.
    const candidates = trails.filter((t) => {
      const p = t.resource.Properties ?? {};
      return isLogging(p) && recordsAllManagementEvents(p) && localTarget(p.CloudWatchLogsLogGroupArn) !== undefined;
    });
    if (candidates.length === 0) {
      return {
        findings: [
          finding(
            NAME,
            'Trail::no-management-log-group',
            trails[0]!.stack,
            trails[0]!.logicalId,
            "No logging trail that records every management event delivers to a CloudWatch Logs log group of its stack: the security alarms' metric filters read none of the calls they count (D1)",
          ),
        ],
        evaluated: 1,
      };
    }
    // The trail whose log group carries the alarms (the one with the fewest findings; the first on a tie).
    const judged = candidates.map((trail) => judgeAlarmsOn(trail, stacks));
    return judged.reduce((best, j) => (j.findings.length < best.findings.length ? j : best));
  },
};

/** The security alarms judged on the log group of `trail` (one that logs every management event). */
function judgeAlarmsOn(trail: StackResource, stacks: readonly AssemblyStack[]): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  const logGroupId = localTarget(trail.resource.Properties?.CloudWatchLogsLogGroupArn);
  const filters = assemblyResources(stacks, 'AWS::Logs::MetricFilter').filter(
    (f) => f.stack === trail.stack && localTarget(f.resource.Properties?.LogGroupName) === logGroupId,
  );
  const alarms = assemblyResources(stacks, 'AWS::CloudWatch::Alarm');
  const alarmsOn = (metric: Metric | undefined): StackResource[] =>
    metric === undefined
      ? []
      : alarms.filter((a) => metricsOf(a).some((m) => m.name === metric.name && m.namespace === metric.namespace));
  let evaluated = 0;
  const require = (
    id: string,
    filter: StackResource | undefined,
    what: string,
    expected: (metric: Metric) => AlarmExpectation = firesOnOneEvent,
  ): void => {
    evaluated++;
    if (filter === undefined) {
      findings.push(
        finding(
          NAME,
          `${id}::no-metric-filter`,
          trail.stack,
          undefined,
          `${what}: no metric filter on the trail's log group (D1)`,
        ),
      );
      return;
    }
    const metric = metricOf(filter);
    const watching = alarmsOn(metric);
    if (watching.length === 0) {
      findings.push(
        finding(
          NAME,
          `${id}::no-alarm`,
          trail.stack,
          filter.logicalId,
          `${what}: metric filter ${filter.logicalId} has no alarm (D1)`,
        ),
      );
    } else if (!watching.some(hasAction)) {
      findings.push(
        finding(
          NAME,
          `${id}::no-action`,
          trail.stack,
          watching[0]!.logicalId,
          `${what}: alarm ${watching[0]!.logicalId} has no action (D1)`,
        ),
      );
    } else {
      const verdict = judgeAlarms(watching.filter(hasAction), expected(metric!));
      if (verdict.firing.length === 0) {
        findings.push(
          finding(
            NAME,
            `${id}::cannot-fire`,
            trail.stack,
            verdict.muted[0]?.alarm.logicalId,
            `${what}: ${mutedText(verdict)} (D1)`,
          ),
        );
      }
    }
  };
  for (const f of SECURITY_METRIC_FILTERS) {
    require(f.id, filters.find(
      (x) => flatten(x.resource.Properties?.FilterPattern) === f.filterPattern,
    ), `${f.id} (${f.description})`);
  }
  require(PHI_OBJECT_ACCESS_METRIC, filters.find(
    (x) => metricOf(x)?.name === PHI_OBJECT_ACCESS_METRIC,
  ), 'PHI object access volume', firesAboveAccessBand);
  const breakGlassRoles = assemblyResources(stacks, 'AWS::IAM::Role').filter((r) => {
    const name = r.resource.Properties?.RoleName;
    const meta = isObject(r.resource.Metadata) ? r.resource.Metadata.HipaaBlueprint : undefined;
    const safeguards = isObject(meta) ? asList(meta.safeguards) : [];
    return (typeof name === 'string' && name.endsWith('-break-glass')) || safeguards.includes('A5');
  });
  for (const role of breakGlassRoles) {
    const name = role.resource.Properties?.RoleName;
    const filter = filters.find((x) => {
      const pattern = flatten(x.resource.Properties?.FilterPattern) ?? '';
      return pattern.includes('AssumeRole') && typeof name === 'string' && pattern.includes(`:role/${name}`);
    });
    require(`BreakGlass-${role.logicalId}`, filter, `Use of the break-glass role ${String(name ?? role.logicalId)} (A5)`);
  }
  return { findings, evaluated };
}
