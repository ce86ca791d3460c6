import { FAILED_REPLICATION_METRIC, REPLICATION_METRIC_NAMESPACE } from '../../../../constructs/phi-bucket-replication';
import { MAX_REPLICATION_STALL_SECONDS } from '../../../../constructs/replication-stall-alarm';
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
import { destinationName } from './archive-replication';

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

/** An alarm that acts here: an action, actions not disabled. */
const acts = (alarm: JsonResource): boolean =>
  asList(alarm.Properties?.AlarmActions).length > 0 && alarm.Properties?.ActionsEnabled !== false;

/** A string with Fn::Join flattened and `{Ref: X}` of a resource of the template written as `<Ref:X>`. */
function render(value: unknown): string | undefined {
  const literal = flatten(value);
  if (literal !== undefined) return literal;
  if (!isObject(value)) return undefined;
  if (localTarget(value) !== undefined && localAttribute(value) === 'Ref') return `<Ref:${localTarget(value)!}>`;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(render);
    return parts.every((p): p is string => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/** True when `text` (rendered in `destination`'s stack) names `destination`: `<Ref:id>` or its literal name. */
function namesDestination(text: string, destination: StackResource): boolean {
  if (text === `<Ref:${destination.logicalId}>`) return true;
  const name = flatten(destination.resource.Properties?.BucketName);
  return name !== undefined && text === name;
}

const STALL_QUERY =
  /^SELECT\s+MAX\(ReplicationLatency\)\s+FROM\s+SCHEMA\(\s*"AWS\/S3"\s*,\s*DestinationBucket\s*,\s*RuleId\s*,\s*SourceBucket\s*\)\s+WHERE\s+DestinationBucket\s*=\s*'([^']+)'\s*$/;

/**
 * The alarms of `destination`'s stack on the maximum ReplicationLatency of replication into it: a Metrics Insights
 * query (every source and rule into the bucket) or the metric of `source`'s rule `ruleId` (dimensions naming both).
 */
function latencyAlarms(destination: StackResource, source: StackResource, ruleId: string): StackResource[] {
  const sourceName = flatten(source.resource.Properties?.BucketName);
  return Object.entries(destination.stack.template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .filter(([, r]) => {
      const p = r.Properties ?? {};
      const query = asList(p.Metrics)
        .filter(isObject)
        .map((m) => render(m.Expression))
        .map((e) => (e === undefined ? null : STALL_QUERY.exec(e)))
        .find((m) => m !== null);
      if (query) return namesDestination(query[1]!, destination);
      if (p.Namespace !== REPLICATION_METRIC_NAMESPACE || p.MetricName !== 'ReplicationLatency') return false;
      const dim = (n: string) => render(dimension(r, n));
      return (
        dim('DestinationBucket') !== undefined &&
        namesDestination(dim('DestinationBucket')!, destination) &&
        sourceName !== undefined &&
        dim('SourceBucket') === sourceName &&
        dim('RuleId') === ruleId
      );
    })
    .map(([logicalId, resource]) => ({ stack: destination.stack, logicalId, resource }));
}

/** What keeps a latency alarm from firing within the hour on a stalled replication. Empty when it fires. */
function stallAlarmProblems(alarm: JsonResource): [string, string][] {
  const p = alarm.Properties ?? {};
  const out: [string, string][] = [];
  const query = asList(p.Metrics).filter(isObject)[0];
  if (query === undefined && p.Statistic !== 'Maximum') {
    out.push([`statistic-${String(p.Statistic)}`, `uses ${String(p.Statistic)}, not Maximum`]);
  }
  const threshold = typeof p.Threshold === 'number' ? p.Threshold : undefined;
  const above =
    threshold !== undefined &&
    ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold'].includes(String(p.ComparisonOperator)) &&
    threshold <= MAX_REPLICATION_STALL_SECONDS;
  if (!above) {
    out.push([
      'threshold',
      `fires on ${String(p.ComparisonOperator)} ${String(p.Threshold)}, not on a latency above at most ${MAX_REPLICATION_STALL_SECONDS} seconds`,
    ]);
  }
  const period = typeof p.Period === 'number' ? p.Period : query?.Period;
  const datapoints = typeof p.DatapointsToAlarm === 'number' ? p.DatapointsToAlarm : p.EvaluationPeriods;
  if (typeof period !== 'number' || typeof datapoints !== 'number' || period * datapoints > 3600) {
    out.push([
      'window',
      `needs ${String(datapoints)} breaching periods of ${String(period)} seconds, more than an hour`,
    ]);
  }
  return out;
}

/** The region of an event bus ARN (`arn:...:events:REGION:ACCOUNT:event-bus/NAME`), or undefined. */
function busRegion(arn: unknown): string | undefined {
  const text = render(arn);
  const match =
    text === undefined
      ? null
      : /^arn:(?:<AWS::Partition>|[^:<]+):events:([a-z0-9-]+):(?:<AWS::AccountId>|\d{12}):event-bus\/.+$/.exec(text);
  return match?.[1];
}

/** The event pattern matches CloudWatch alarm state changes (and, when it lists resources, `alarmId`'s ARN). */
function matchesStateChanges(rule: JsonResource, alarmId?: string): boolean {
  const p = rule.Properties ?? {};
  if (p.State === 'DISABLED' || !isObject(p.EventPattern)) return false;
  const pattern = p.EventPattern;
  if (!asList(pattern.source).includes('aws.cloudwatch')) return false;
  if (!asList(pattern['detail-type']).includes('CloudWatch Alarm State Change')) return false;
  if (alarmId === undefined || pattern.resources === undefined) return true;
  return asList(pattern.resources).some((r) => localTarget(r) === alarmId && localAttribute(r) === 'Arn');
}

/**
 * Whether `alarm` reaches people: it acts in its region, or an enabled rule of its stack forwards its state changes to
 * another region's event bus, where an enabled rule of another stack (not limited to that bus's own region) routes
 * CloudWatch alarm state changes to a Lambda function (the alert formatter).
 */
function reachesPeople(alarm: StackResource, stacks: readonly AssemblyStack[]): boolean {
  if (acts(alarm.resource)) return true;
  const regions = Object.values(alarm.stack.template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::Events::Rule' && matchesStateChanges(r, alarm.logicalId))
    .flatMap((r) => asList(r.Properties?.Targets).filter(isObject))
    .map((t) => busRegion(t.Arn))
    .filter((r): r is string => r !== undefined);
  if (regions.length === 0) return false;
  return assemblyResources(stacks, 'AWS::Events::Rule').some((rule) => {
    if (rule.stack === alarm.stack || !matchesStateChanges(rule.resource)) return false;
    const pattern = rule.resource.Properties!.EventPattern as Json;
    const only = pattern.region === undefined ? undefined : asList(pattern.region).map(String);
    if (only !== undefined && only.every((r) => regions.includes(r))) return false;
    return asList(rule.resource.Properties?.Targets)
      .filter(isObject)
      .some((t) => {
        const id = localTarget(t.Arn);
        return id !== undefined && rule.stack.template.Resources?.[id]?.Type === 'AWS::Lambda::Function';
      });
  });
}

/**
 * [finding id, text] of what is missing of the stall alarm of every enabled rule of `bucket`: an alarm in the
 * destination bucket's stack (S3 publishes ReplicationLatency in the destination's region) on the maximum latency of
 * replication into it, above at most an hour, within an hour, reaching people (an action, or forwarded).
 */
function stallProblems(bucket: StackResource, stacks: readonly AssemblyStack[]): [string, string][] {
  const out: [string, string][] = [];
  for (const rule of enabledRules(bucket)) {
    const id = String(rule.Id);
    const destination = destinationsOf(rule, bucket, stacks)[0];
    if (destination === undefined) {
      out.push([
        `no-stall-alarm-${id}`,
        `replicates (rule ${id}) into no bucket of another stack, whose latency alarm the gate could check`,
      ]);
      continue;
    }
    const alarms = latencyAlarms(destination, bucket, id);
    if (alarms.length === 0) {
      out.push([
        `no-stall-alarm-${id}`,
        `has no alarm in the stack of ${destination.logicalId} on the maximum ReplicationLatency of replication into it (rule ${id})`,
      ]);
      continue;
    }
    if (alarms.some((a) => stallAlarmProblems(a.resource).length === 0 && reachesPeople(a, stacks))) continue;
    const firing = alarms.find((a) => stallAlarmProblems(a.resource).length === 0);
    if (firing === undefined) {
      for (const [pid, text] of stallAlarmProblems(alarms[0]!.resource)) {
        out.push([`stall-alarm-${pid}-${id}`, `has a replication latency alarm (rule ${id}) that ${text}`]);
      }
    } else {
      out.push([
        `stall-alarm-silent-${id}`,
        `has a replication latency alarm (rule ${id}), ${firing.logicalId}, with no action and no forwarding of its state changes to a rule routing them to the alert formatter`,
      ]);
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
        ...stallProblems(bucket, stacks),
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
