import { FAILED_REPLICATION_METRIC, REPLICATION_METRIC_NAMESPACE } from '../../../../constructs/phi-bucket-replication';
import { MAX_REPLICATION_STALL_SECONDS } from '../../../../constructs/replication-stall-alarm';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  eventRuleEnabled,
  flatten,
  isObject,
  Json,
  JsonResource,
  localAttribute,
  localTarget,
  StackResource,
} from '../core/template-json';
import { AlarmAspect, AlarmExpectation, AlarmVerdict, judgeAlarms, notifies, QUIET_WITHOUT_DATA } from './alarm-facts';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { destinationName } from './phi-store-key-domain';

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

/**
 * True when `value` (an alarm's DestinationBucket) is the name of the destination of `rule` (its ARN
 * `arn:<partition>:s3:::NAME`, the account id written as a literal or the pseudo parameter; like destinationsOf, a
 * destination the gate cannot read as such a name is never matched).
 */
function namesRuleDestination(value: unknown, rule: Json): boolean {
  const name = destinationName(isObject(rule.Destination) ? rule.Destination.Bucket : undefined);
  const literal = flatten(value);
  return name !== undefined && literal !== undefined && name.test(literal);
}

/**
 * The alarm on the failed operations of `rule` of `bucket`: OperationsFailedReplication with exactly the dimensions
 * SourceBucket = the bucket, DestinationBucket = the rule's destination, RuleId = the rule's id; Sum over at most 5
 * minutes; fires on one failure (>= 1, or > a value below 1) within one period, not at 0; missing data (no failure)
 * not breaching; an action, actions enabled.
 */
function failedReplicationExpectation(bucket: StackResource, rule: Json): AlarmExpectation {
  return {
    metric: {
      namespace: REPLICATION_METRIC_NAMESPACE,
      name: FAILED_REPLICATION_METRIC,
      dimensions: {
        SourceBucket: (v) => namesBucket(v, bucket),
        DestinationBucket: (v) => namesRuleDestination(v, rule),
        RuleId: (v) => flatten(v) === String(rule.Id),
      },
    },
    statistics: ['Sum'],
    maxPeriodSeconds: MAX_FAILED_REPLICATION_PERIOD_SECONDS,
    trigger: { atLeast: 1 },
    quietAt: 0,
    missingData: QUIET_WITHOUT_DATA,
  };
}

/**
 * [finding id part, alarm, text] per aspect of the muted alarm closest to firing: `ids` maps an aspect to the part
 * (others keep the aspect's name; the statistic's part names the statistic, e.g. `statistic-Average`), the texts of
 * one part joined.
 */
function mutedProblems(verdict: AlarmVerdict, ids: Partial<Record<AlarmAspect, string>>): [string, string, string][] {
  const first = verdict.muted[0];
  if (first === undefined) return [];
  const byId = new Map<string, string[]>();
  for (const p of first.problems) {
    const id = p.aspect === 'statistic' ? `statistic-${String(p.value)}` : (ids[p.aspect] ?? p.aspect);
    byId.set(id, [...(byId.get(id) ?? []), p.text]);
  }
  return [...byId].map(([id, texts]) => [id, first.alarm.logicalId, texts.join('; ')]);
}

/** Failed-replication reasons by aspect: the finding ids this rule has always had. */
const FAILED_ALARM_IDS: Partial<Record<AlarmAspect, string>> = {
  actions: 'no-action',
  trigger: 'threshold',
  quiet: 'threshold',
  datapoints: 'datapoints',
  'time-to-alarm': 'datapoints',
};

/** The alarms of a stack. */
const alarmsOf = (stack: AssemblyStack): StackResource[] =>
  Object.entries(stack.template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([logicalId, resource]) => ({ stack, logicalId, resource }));

/** [finding id, text] of what is wrong with the failed-replication alarm of every enabled rule of `bucket`. */
function failedAlarmProblems(bucket: StackResource): [string, string][] {
  const out: [string, string][] = [];
  for (const rule of enabledRules(bucket)) {
    const id = String(rule.Id);
    const verdict = judgeAlarms(alarmsOf(bucket.stack), failedReplicationExpectation(bucket, rule));
    if (verdict.watching.length === 0) {
      out.push([
        `no-failed-alarm-${id}`,
        `has no alarm in its stack on ${REPLICATION_METRIC_NAMESPACE} ${FAILED_REPLICATION_METRIC} of rule ${id} (dimensions SourceBucket = this bucket, DestinationBucket = the rule's destination, RuleId)`,
      ]);
      continue;
    }
    if (verdict.firing.length > 0) continue;
    for (const [pid, alarm, text] of mutedProblems(verdict, FAILED_ALARM_IDS)) {
      out.push([
        `failed-alarm-${pid}-${id}`,
        `has an alarm on the failed replication of rule ${id}, ${alarm}, that cannot fire on one failure: ${text}`,
      ]);
    }
  }
  return out;
}

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

/** The SCHEMA of S3's replication metrics (published per source bucket, destination bucket and rule). */
const REPLICATION_SCHEMA = ['DestinationBucket', 'RuleId', 'SourceBucket'];

/**
 * The stall alarms the rule accepts for replication of `source`'s rule `ruleId` into `destination`, both in the
 * destination's stack: the Metrics Insights query the blueprint writes (`SELECT MAX(ReplicationLatency) FROM
 * SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = '<destination>'`, every source
 * and rule into the bucket), or the metric of the rule itself (dimensions naming source, destination and rule),
 * Maximum. Either: period at most an hour, above at most MAX_REPLICATION_STALL_SECONDS and not at 0, within an hour,
 * missing data not breaching. Reaching people is checked apart (an action, or forwarded to the alert path).
 */
function stallExpectations(destination: StackResource, source: StackResource, ruleId: string): AlarmExpectation[] {
  const sourceName = flatten(source.resource.Properties?.BucketName);
  const fires = {
    statistics: ['Maximum'],
    maxPeriodSeconds: 3600,
    maxTimeToAlarmSeconds: 3600,
    trigger: { above: MAX_REPLICATION_STALL_SECONDS },
    quietAt: 0,
    missingData: QUIET_WITHOUT_DATA,
    requireActions: false,
  };
  const metric = { namespace: REPLICATION_METRIC_NAMESPACE, name: 'ReplicationLatency' };
  const intoDestination = (v: unknown) => namesBucket(v, destination);
  return [
    {
      ...fires,
      metric: {
        ...metric,
        dimensions: { DestinationBucket: intoDestination },
        insights: { aggregation: 'MAX', schema: REPLICATION_SCHEMA },
      },
    },
    {
      ...fires,
      metric: {
        ...metric,
        dimensions: {
          DestinationBucket: intoDestination,
          SourceBucket: (v) => sourceName !== undefined && flatten(v) === sourceName,
          RuleId: (v) => flatten(v) === ruleId,
        },
      },
    },
  ];
}

/** Stall alarm reasons by aspect: the finding ids this rule has always had. */
const STALL_ALARM_IDS: Partial<Record<AlarmAspect, string>> = {
  trigger: 'threshold',
  quiet: 'threshold',
  datapoints: 'window',
  'time-to-alarm': 'window',
};

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
  if (!eventRuleEnabled(p.State) || !isObject(p.EventPattern)) return false;
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
  if (notifies(alarm.resource)) return true;
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
    const verdicts = stallExpectations(destination, bucket, id).map((e) => judgeAlarms(alarmsOf(destination.stack), e));
    if (verdicts.every((v) => v.watching.length === 0)) {
      out.push([
        `no-stall-alarm-${id}`,
        `has no alarm in the stack of ${destination.logicalId} on the maximum ReplicationLatency of replication into it (rule ${id})`,
      ]);
      continue;
    }
    const firing = verdicts.flatMap((v) => v.firing);
    if (firing.some((a) => reachesPeople(a, stacks))) continue;
    if (firing.length === 0) {
      const muted = verdicts.flatMap((v) => v.muted).sort((x, y) => x.problems.length - y.problems.length);
      for (const [pid, alarm, text] of mutedProblems({ watching: [], firing: [], muted }, STALL_ALARM_IDS)) {
        out.push([
          `stall-alarm-${pid}-${id}`,
          `has a replication latency alarm (rule ${id}), ${alarm}, that cannot fire on a stalled replication: ${text}`,
        ]);
      }
    } else {
      out.push([
        `stall-alarm-silent-${id}`,
        `has a replication latency alarm (rule ${id}), ${firing[0]!.logicalId}, with no action and no forwarding of its state changes to a rule routing them to the alert formatter`,
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

/** Whether a replication rule's Filter selects every object: `{}`, `{Prefix: ''}`, or an `And` of neither. */
function filterTakesAll(filter: Json): boolean {
  const keys = Object.keys(filter);
  if (keys.length === 0) return true;
  if (keys.length !== 1) return false;
  if (keys[0] === 'Prefix') return filter.Prefix === '';
  if (keys[0] !== 'And' || !isObject(filter.And)) return false;
  const and = filter.And;
  return Object.keys(and).every(
    (k) => (k === 'Prefix' && and.Prefix === '') || (k === 'Tags' && Array.isArray(and.Tags) && and.Tags.length === 0),
  );
}

/** Whether the bucket's default encryption may be SSE-KMS (aws:kms, aws:kms:dsse, or what only deploy resolves). */
function mayHoldKmsObjects(bucket: StackResource): boolean {
  const encryption = bucket.resource.Properties?.BucketEncryption;
  if (encryption === undefined) return false;
  const rules = isObject(encryption) ? encryption.ServerSideEncryptionConfiguration : undefined;
  if (!Array.isArray(rules)) return true;
  return rules.some((r) => {
    const algorithm =
      isObject(r) && isObject(r.ServerSideEncryptionByDefault)
        ? r.ServerSideEncryptionByDefault.SSEAlgorithm
        : undefined;
    return typeof algorithm !== 'string' || algorithm.startsWith('aws:kms');
  });
}

/**
 * [finding id (`<rule id>::<kind>`), text] of each replication rule of `bucket` into a bucket of another stack (its
 * replica) that does not copy every object there: the replica is the contingency copy of PHI and of audit records, and a rule narrowed to a
 * prefix or a tag, disabled, or skipping SSE-KMS objects stops the copy without a single failed operation (so no
 * alarm above fires), while a replicated delete marker hides the object in the replica as well. Every such rule must
 * be Enabled; select every object (no top-level Prefix but '', a Filter of `{}`, `{Prefix: ''}`, or an And of neither:
 * no TagFilter, no tags); not replicate delete markers (a Filter, so the V2 schema, where S3 replicates delete markers
 * only when DeleteMarkerReplication says Enabled; without a Filter S3 reads the rule as V1, which replicates them);
 * and, where the bucket's default encryption may be SSE-KMS, replicate SSE-KMS objects (SourceSelectionCriteria
 * SseKmsEncryptedObjects Enabled: S3 skips them otherwise). Every rule into the replica is held to this, so rule
 * priority (which decides among overlapping rules into one destination) cannot select a narrower one; rules into
 * other destinations do not take objects away from this one (S3 replicates to each destination apart).
 */
function coverageProblems(bucket: StackResource, stacks: readonly AssemblyStack[]): [string, string][] {
  const config = bucket.resource.Properties?.ReplicationConfiguration;
  const out: [string, string][] = [];
  for (const rule of asList(isObject(config) ? config.Rules : undefined).filter(isObject)) {
    const destinations = destinationsOf(rule, bucket, stacks);
    if (destinations.length === 0) continue;
    const id = String(rule.Id);
    const into = `into ${destinations[0]!.logicalId} (rule ${id})`;
    if (rule.Status !== 'Enabled')
      out.push([`${id}::rule-disabled`, `does not replicate ${into}: Status is not Enabled`]);
    const filter = rule.Filter;
    const prefix = rule.Prefix;
    const narrowed =
      (prefix !== undefined && prefix !== '') ||
      (filter !== undefined && !(isObject(filter) && filterTakesAll(filter)));
    if (narrowed) {
      out.push([
        `${id}::partial`,
        `replicates only part of its objects ${into}: a prefix, a tag filter or a filter only deploy resolves (${JSON.stringify(filter ?? { Prefix: prefix })})`,
      ]);
    }
    const markers = isObject(rule.DeleteMarkerReplication) ? rule.DeleteMarkerReplication.Status : undefined;
    if (filter === undefined || (rule.DeleteMarkerReplication !== undefined && markers !== 'Disabled')) {
      out.push([
        `${id}::delete-markers`,
        `replicates delete markers ${into}${filter === undefined ? ' (a rule without Filter is read as the V1 schema, which replicates them)' : ''}: a delete would hide the object in the replica too`,
      ]);
    }
    const criteria = isObject(rule.SourceSelectionCriteria) ? rule.SourceSelectionCriteria : {};
    const kms = isObject(criteria.SseKmsEncryptedObjects) ? criteria.SseKmsEncryptedObjects.Status : undefined;
    if (mayHoldKmsObjects(bucket) && kms !== 'Enabled') {
      out.push([
        `${id}::kms-objects-skipped`,
        `does not replicate its SSE-KMS objects ${into} (SourceSelectionCriteria.SseKmsEncryptedObjects not Enabled)`,
      ]);
    }
  }
  return out;
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
 * metric (exactly the dimensions SourceBucket = the bucket, DestinationBucket = the rule's destination, RuleId; Sum,
 * period <= 300 s, no Unit, firing on one failure and not at 0, within one period, missing data not breaching) with an
 * action, actions enabled. The direction back of a two-way pair whose other direction is alarmed (the PHI replica, in
 * the replica region without an alert path) needs the metrics only. In the destination's stack, a stall alarm on the
 * maximum ReplicationLatency into it (stallExpectations) that reaches people. Alarms are judged by alarm-facts.ts.
 * I1 I2: every rule into a bucket of another stack copies every object there (coverageProblems): Enabled, no prefix or
 * tag filter, SSE-KMS objects included, delete markers not replicated. The alarms see failed operations only, and a
 * narrowed rule fails none.
 */
export const ReplicationMonitored: AssemblyRule = {
  name: NAME,
  info: 'A replicated bucket is not monitored: a replication rule without S3 Replication metrics, or no alarm with an action that fires on one failed replication operation (OperationsFailedReplication of the rule, Sum over at most 5 minutes, >= 1); or a replication rule into its replica (a bucket of another stack) does not copy every object: disabled, narrowed by a prefix or tag filter, skipping SSE-KMS objects, or replicating delete markers.',
  explanation:
    'The cross-region copy of PHI and audit records is a contingency safeguard (164.308(a)(7)(ii)(A)-(B), 164.312(c)(1)): a replication that fails (a role, key or bucket policy that denies it, a missing destination) must reach people within minutes, not be found at the next failover.',
  safeguards: ['I1', 'I2', 'D1'],
  hipaaSections: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.312(c)(1)', '164.308(a)(1)(ii)(D)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const replicated = assemblyResources(stacks, 'AWS::S3::Bucket').filter((b) =>
      isObject(b.resource.Properties?.ReplicationConfiguration),
    );
    for (const bucket of replicated) {
      for (const [id, text] of coverageProblems(bucket, stacks)) {
        findings.push(
          finding(NAME, id, bucket.stack, bucket.logicalId, `Replicated bucket ${bucket.logicalId} ${text} (I1, I2)`),
        );
      }
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
