import { FAILED_REPLICATION_METRIC, REPLICATION_METRIC_NAMESPACE } from '../../../../constructs/phi-bucket-replication';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  flatten,
  isObject,
  Json,
  JsonResource,
  localAttribute,
  localTarget,
  StackResource,
} from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'ReplicationMonitored';

/** Longest alarm period that still reports a failure within minutes (S3 aggregates failures per minute). */
export const MAX_FAILED_REPLICATION_PERIOD_SECONDS = 300;

/** The enabled replication rules of a bucket. */
function enabledRules(bucket: StackResource): Json[] {
  const config = bucket.resource.Properties?.ReplicationConfiguration;
  return asList(isObject(config) ? config.Rules : undefined)
    .filter(isObject)
    .filter((r) => r.Status === 'Enabled');
}

/** A regex matching the bucket names an ARN `arn:<partition>:s3:::NAME` (a replication destination) can mean. */
function destinationName(value: unknown): RegExp | undefined {
  const arn = flatten(value);
  const match = arn === undefined ? null : /^arn:(?:<AWS::Partition>|[a-z-]+):s3:::([^/*?]+)$/.exec(arn);
  if (!match) return undefined;
  const escaped = match[1]
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/<AWS::AccountId>/g, '(?:\\d{12}|<AWS::AccountId>)');
  return new RegExp(`^${escaped}$`);
}

/** The buckets of another stack of the assembly a rule's destination names. */
function destinationsOf(rule: Json, bucket: StackResource, stacks: readonly AssemblyStack[]): StackResource[] {
  const name = destinationName(isObject(rule.Destination) ? rule.Destination.Bucket : undefined);
  if (name === undefined) return [];
  return assemblyResources(stacks, 'AWS::S3::Bucket').filter((b) => {
    const n = flatten(b.resource.Properties?.BucketName);
    return b.stack !== bucket.stack && n !== undefined && name.test(n);
  });
}

/** True when `value` (an alarm dimension) names `bucket`: its Ref, or its literal name. */
function namesBucket(value: unknown, bucket: StackResource): boolean {
  if (localTarget(value) === bucket.logicalId && localAttribute(value) === 'Ref') return true;
  const literal = flatten(value);
  const name = flatten(bucket.resource.Properties?.BucketName);
  return literal !== undefined && name !== undefined && literal === name;
}

/** The dimension `name` of an alarm, or undefined. */
function dimension(alarm: JsonResource, name: string): unknown {
  const found = asList(alarm.Properties?.Dimensions)
    .filter(isObject)
    .find((d) => d.Name === name);
  return found?.Value;
}

/**
 * What keeps an alarm on the failed operations of `ruleId` of `bucket` from firing on one failure: its statistic (Sum),
 * period (<= 300 s), comparison and threshold (>= 1, or > a value below 1), one datapoint to alarm, an action,
 * actions enabled. Empty when it fires.
 */
function alarmProblems(alarm: JsonResource): [string, string][] {
  const p = alarm.Properties ?? {};
  const out: [string, string][] = [];
  if (asList(p.AlarmActions).length === 0 || p.ActionsEnabled === false) {
    out.push(['no-action', 'has no alarm action (or actions disabled)']);
  }
  if (p.Statistic !== 'Sum') out.push([`statistic-${String(p.Statistic)}`, `uses ${String(p.Statistic)}, not Sum`]);
  if (typeof p.Period !== 'number' || p.Period > MAX_FAILED_REPLICATION_PERIOD_SECONDS) {
    out.push([
      'period',
      `has period ${String(p.Period)}, not at most ${MAX_FAILED_REPLICATION_PERIOD_SECONDS} seconds`,
    ]);
  }
  const threshold = typeof p.Threshold === 'number' ? p.Threshold : undefined;
  const firesOnOne =
    threshold !== undefined &&
    ((p.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && threshold <= 1) ||
      (p.ComparisonOperator === 'GreaterThanThreshold' && threshold < 1));
  if (!firesOnOne) {
    out.push([
      'threshold',
      `fires on ${String(p.ComparisonOperator)} ${String(p.Threshold)}, not on one failed operation`,
    ]);
  }
  const datapoints = typeof p.DatapointsToAlarm === 'number' ? p.DatapointsToAlarm : p.EvaluationPeriods;
  if (datapoints !== 1) {
    out.push(['datapoints', `needs ${String(datapoints)} breaching periods, not one`]);
  }
  return out;
}

/** [finding id, text] of what is wrong with the failed-replication alarm of every enabled rule of `bucket`. */
function failedAlarmProblems(bucket: StackResource): [string, string][] {
  const alarms = Object.values(bucket.stack.template.Resources ?? {}).filter(
    (r) =>
      r.Type === 'AWS::CloudWatch::Alarm' &&
      r.Properties?.Namespace === REPLICATION_METRIC_NAMESPACE &&
      r.Properties?.MetricName === FAILED_REPLICATION_METRIC &&
      namesBucket(dimension(r, 'SourceBucket'), bucket),
  );
  const out: [string, string][] = [];
  for (const rule of enabledRules(bucket)) {
    const id = String(rule.Id);
    const onRule = alarms.filter(
      (a) => flatten(dimension(a, 'RuleId')) === id && dimension(a, 'DestinationBucket') !== undefined,
    );
    if (onRule.length === 0) {
      out.push([
        `no-failed-alarm-${id}`,
        `has no alarm in its stack on ${REPLICATION_METRIC_NAMESPACE} ${FAILED_REPLICATION_METRIC} of rule ${id} (dimensions SourceBucket = this bucket, DestinationBucket, RuleId)`,
      ]);
      continue;
    }
    if (onRule.some((a) => alarmProblems(a).length === 0)) continue;
    for (const [pid, text] of alarmProblems(onRule[0]!)) {
      out.push([`failed-alarm-${pid}-${id}`, `has an alarm on the failed replication of rule ${id} that ${text}`]);
    }
  }
  return out;
}

/** Metrics off on any enabled rule: [finding id, text]. */
function metricsProblems(bucket: StackResource): [string, string][] {
  return enabledRules(bucket)
    .filter((rule) => {
      const destination = isObject(rule.Destination) ? rule.Destination : {};
      return !(isObject(destination.Metrics) && destination.Metrics.Status === 'Enabled');
    })
    .map((rule) => [
      `metrics-off-${String(rule.Id)}`,
      `has replication rule ${String(rule.Id)} without S3 Replication metrics (Destination.Metrics.Status Enabled)`,
    ]);
}

/**
 * The failover direction of a two-way pair: every enabled rule of `bucket` replicates into a bucket of another stack
 * that replicates back into `bucket` with its own failed-replication alarm. The replica region has no alert path, so
 * the direction back (used after a failover) keeps its metrics but needs no alarm while the other direction has one.
 */
function failoverDirection(bucket: StackResource, stacks: readonly AssemblyStack[]): boolean {
  const rules = enabledRules(bucket);
  const name = flatten(bucket.resource.Properties?.BucketName);
  if (rules.length === 0 || name === undefined) return false;
  return rules.every((rule) =>
    destinationsOf(rule, bucket, stacks).some((other) => {
      const back = enabledRules(other).some((r) => {
        const n = destinationName(isObject(r.Destination) ? r.Destination.Bucket : undefined);
        return n !== undefined && n.test(name);
      });
      return back && failedAlarmProblems(other).length === 0;
    }),
  );
}

/**
 * I2 (D1): every bucket with a ReplicationConfiguration has S3 Replication metrics on every enabled rule, and, in its
 * own stack (the source region, where S3 publishes OperationsFailedReplication), an alarm per enabled rule on that
 * metric (dimensions SourceBucket = the bucket, DestinationBucket, RuleId; Sum, period <= 300 s, firing on one
 * failure, one datapoint) with an action. The direction back of a two-way pair whose other direction is alarmed
 * (the PHI replica, in the replica region without an alert path) needs the metrics only.
 */
export const ReplicationMonitored: AssemblyRule = {
  name: NAME,
  info: 'A replicated bucket is not monitored: a replication rule without S3 Replication metrics, or no alarm with an action that fires on one failed replication operation (OperationsFailedReplication of the rule, Sum over at most 5 minutes, >= 1).',
  explanation:
    'The cross-region copy of PHI and audit records is a contingency safeguard (164.308(a)(7)(ii)(A)-(B), 164.312(c)(1)): a replication that fails (a role, key or bucket policy that denies it, a missing destination) must reach people within minutes, not be found at the next failover.',
  safeguards: ['I2', 'D1'],
  hipaaSections: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.312(c)(1)', '164.308(a)(1)(ii)(D)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const replicated = assemblyResources(stacks, 'AWS::S3::Bucket').filter((b) =>
      isObject(b.resource.Properties?.ReplicationConfiguration),
    );
    for (const bucket of replicated) {
      const problems = [
        ...metricsProblems(bucket),
        ...(failoverDirection(bucket, stacks) ? [] : failedAlarmProblems(bucket)),
      ];
      for (const [id, text] of problems) {
        findings.push(
          finding(NAME, id, bucket.stack, bucket.logicalId, `Replicated bucket ${bucket.logicalId} ${text} (I2, D1)`),
        );
      }
    }
    return { findings, evaluated: replicated.length };
  },
};
