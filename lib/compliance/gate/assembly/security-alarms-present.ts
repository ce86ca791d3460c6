import { PHI_OBJECT_ACCESS_METRIC } from '../../../../constructs/security-alarms';
import { SECURITY_METRIC_FILTERS } from '../../../../constructs/security-metric-filters';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  cfnBoolean,
  cfnNumber,
  flatten,
  isObject,
  localTarget,
  partitionOfRegion,
  resolveValue,
  sameEnvironment,
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
 * break-glass role (a role named '*-break-glass' or tagged with safeguard A5) has a filter catching every assume form
 * its trust allows (the pattern the blueprint writes, nothing narrower) and an alarm with an action; the PHI object
 * access volume has its anomaly alarm with an action. Every filter an alarm relies on counts each matching event
 * (filterCountProblems), no other filter publishes its metric, and no log transformer rewrites the trail's log group.
 */
export const SecurityAlarmsPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'An alarm of the detection set is missing, has no action or cannot fire (statistic, period, threshold, datapoints to alarm, missing data, a hiding metric math expression), or its metric filter does not count each matching event (MetricValue other than 1, a DefaultValue, dimensions, field selection, transformed logs, another filter publishing its metric, a log transformer on the trail log group): a CIS/Security Hub CloudWatch.1-14 metric filter (exact pattern) on the trail log group with its alarm, the break-glass use alarm (a pattern catching every assume form the role trust allows), the role trust change alarm, or the PHI object access anomaly alarm.',
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

/**
 * Why a metric filter does not count each matching event as one datapoint of its metric, as the alarms read it (empty
 * when it does). The alarms fire on a Sum of at least 1 of the metric without dimensions: a MetricValue other than 1
 * ("0", or a JSON selector the event never has) publishes nothing that breaches; Dimensions or EmitSystemFieldDimensions
 * publish another series than the one the alarm reads; FieldSelectionCriteria narrow the events the filter sees;
 * ApplyOnTransformedLogs matches the transformed events, from which a transformer may have deleted the fields the
 * pattern tests; a DefaultValue other than 0 breaches when nothing happens (the alarm stays in ALARM and notifies once).
 */
export function filterCountProblems(filter: StackResource): string[] {
  const p = filter.resource.Properties ?? {};
  const problems: string[] = [];
  const show = (v: unknown): string => JSON.stringify(v);
  const transforms = asList(p.MetricTransformations);
  const t = transforms[0];
  if (transforms.length !== 1 || !isObject(t)) {
    problems.push(`MetricTransformations ${show(p.MetricTransformations)}: must be exactly one transformation`);
    return problems;
  }
  if (cfnNumber(t.MetricValue) !== 1) problems.push(`MetricValue ${show(t.MetricValue)}: must be "1" (one per event)`);
  if (!cfnAbsent(t.DefaultValue) && cfnNumber(t.DefaultValue) !== 0) {
    problems.push(`DefaultValue ${show(t.DefaultValue)}: must be absent or 0 (no event is no alarm)`);
  }
  const empty = (v: unknown): boolean => cfnAbsent(v) || (Array.isArray(v) && v.length === 0);
  if (!empty(t.Dimensions)) {
    problems.push(`Dimensions ${show(t.Dimensions)}: must be absent (the alarm reads the metric without dimensions)`);
  }
  if (!empty(p.EmitSystemFieldDimensions)) {
    problems.push(
      `EmitSystemFieldDimensions ${show(p.EmitSystemFieldDimensions)}: must be absent (a dimension publishes another series than the alarm reads)`,
    );
  }
  if (!cfnAbsent(p.FieldSelectionCriteria) && p.FieldSelectionCriteria !== '') {
    problems.push(
      `FieldSelectionCriteria ${show(p.FieldSelectionCriteria)}: must be absent (it narrows the events the filter sees)`,
    );
  }
  if (!cfnAbsent(p.ApplyOnTransformedLogs) && cfnBoolean(p.ApplyOnTransformedLogs) !== false) {
    problems.push(
      `ApplyOnTransformedLogs ${show(p.ApplyOnTransformedLogs)}: must be absent or false (a transformer may delete the fields the pattern tests)`,
    );
  }
  return problems;
}

/** The STS calls that assume a role, as CloudTrail names them (eventName) and as a trust policy allows them. */
const ASSUME_FORMS = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'] as const;

/** Whether an IAM action (pattern, `*` and `?` wildcards, any case) allows `sts:<form>`. */
function actionAllows(action: unknown, form: string): boolean {
  if (typeof action !== 'string') return true; // An action only deploy resolves may be any.
  const re = new RegExp(
    `^${action
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(`sts:${form}`);
}

/**
 * The assume forms the role's trust policy allows (an Allow statement's Action, or NotAction not excluding it), and
 * AssumeRole always: the break-glass filter must catch each of them.
 */
function assumeFormsAllowed(role: StackResource): string[] {
  const doc = role.resource.Properties?.AssumeRolePolicyDocument;
  const statements = isObject(doc) ? asList(doc.Statement).filter(isObject) : [];
  const allowed = new Set<string>(['AssumeRole']);
  for (const s of statements.filter((x) => x.Effect !== 'Deny')) {
    for (const form of ASSUME_FORMS) {
      const allows =
        s.NotAction !== undefined
          ? !asList(s.NotAction).some((a) => typeof a === 'string' && actionAllows(a, form))
          : asList(s.Action).some((a) => actionAllows(a, form));
      if (allows) allowed.add(form);
    }
  }
  return ASSUME_FORMS.filter((f) => allowed.has(f));
}

/**
 * Whether a filter pattern counts every use of the break-glass role: the form the blueprint writes (breakGlassFilterPattern),
 * `{ ($.eventSource = "sts.amazonaws.com") && <event names> && ($.requestParameters.roleArn = "<the role's ARN>") }`,
 * the event source clause optional, the event names one `($.eventName = "X")` or an `||` of them (`X*` a prefix), and
 * together matching every assume form the trust allows. Nothing else is accepted: another clause (`&&
 * $.userIdentity.type != "IAMUser"`) or a shorter list of event names is a use that raises no alarm.
 */
function countsBreakGlassUse(pattern: string, role: StackResource, name: string, forms: readonly string[]): boolean {
  const text = pattern.replace(/\s+/g, '');
  const event = '\\(\\$\\.eventName="([A-Za-z]+\\*?)"\\)';
  const m = new RegExp(
    `^\\{(?:\\(\\$\\.eventSource="sts\\.amazonaws\\.com"\\)&&)?(${event}|\\(${event}(?:\\|\\|${event})*\\))&&\\(\\$\\.requestParameters\\.roleArn="([^"]+)"\\)\\}$`,
  ).exec(text);
  if (!m) return false;
  const names = [...m[1]!.matchAll(new RegExp(event, 'g'))].map((x) => x[1]!);
  const matches = (n: string, form: string): boolean =>
    n.endsWith('*') ? form.startsWith(n.slice(0, -1)) : n === form;
  if (!forms.every((form) => names.some((n) => matches(n, form)))) return false;
  const arn = /^arn:(<AWS::Partition>|[^:]+):iam::(<AWS::AccountId>|[^:]+):role(\/.*)$/.exec(m[m.length - 1]!);
  if (!arn) return false;
  const { account, region } = role.stack;
  const partitionOk =
    arn[1] === '<AWS::Partition>' ||
    (region !== undefined ? arn[1] === partitionOfRegion(region) : /^aws/.test(arn[1]!));
  const accountOk =
    arn[2] === '<AWS::AccountId>' || (account !== undefined ? arn[2] === account : /^\d{12}$/.test(arn[2]!));
  const path = typeof role.resource.Properties?.Path === 'string' ? role.resource.Properties.Path : '/';
  return partitionOk && accountOk && arn[3] === `${path}${name}`;
}

/**
 * The log transformers (AWS::Logs::Transformer, any stack) that may be on the log group `logGroupId` of `stack`: a
 * reference to it, a name holding its name (or logical id, when CloudFormation names it), or a value only deploy
 * resolves. A transformer rewrites the events before they are stored (and before filters applying on transformed logs).
 */
function transformersOn(logGroupId: string, stack: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource[] {
  const group = stack.template.Resources?.[logGroupId];
  const name = typeof group?.Properties?.LogGroupName === 'string' ? group.Properties.LogGroupName : logGroupId;
  return assemblyResources(stacks, 'AWS::Logs::Transformer').filter((t) => {
    const r = resolveValue(t.resource.Properties?.LogGroupIdentifier, t.stack, stacks);
    if (r.kind === 'resource') return r.target.stack === stack && r.target.logicalId === logGroupId;
    if (r.kind === 'literal') return r.value.includes(name);
    return true;
  });
}

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
  // Every filter of the trail's environment publishing a metric (without dimensions: the series the alarms read).
  const publishers = (metric: Metric): StackResource[] =>
    assemblyResources(stacks, 'AWS::Logs::MetricFilter').filter((f) => {
      const t = asList(f.resource.Properties?.MetricTransformations).filter(isObject)[0];
      return (
        sameEnvironment(f.stack, trail.stack.account, trail.stack.region) &&
        metricOf(f)?.name === metric.name &&
        metricOf(f)?.namespace === metric.namespace &&
        (cfnAbsent(t?.Dimensions) || asList(t?.Dimensions).length === 0) &&
        asList(f.resource.Properties?.EmitSystemFieldDimensions).length === 0
      );
    });
  const key = (r: StackResource): string => `${r.stack.stackName}/${r.logicalId}`;
  const judged = new Set<string>();
  let evaluated = 0;

  evaluated++;
  const transformers = logGroupId === undefined ? [] : transformersOn(logGroupId, trail.stack, stacks);
  if (transformers.length > 0) {
    findings.push(
      finding(
        NAME,
        'TrailLogGroup::transformer',
        transformers[0]!.stack,
        transformers[0]!.logicalId,
        `Log transformer ${transformers[0]!.logicalId} may rewrite the events of the trail's log group ${logGroupId}: the security alarms' metric filters must read the events as CloudTrail delivers them (D1, A5)`,
      ),
    );
  }

  /** A finding for one filter with its alarms, or undefined when an alarm with an action fires on it as expected. */
  const judgeFilter = (
    id: string,
    filter: StackResource,
    what: string,
    expected: (metric: Metric) => AlarmExpectation,
    safeguards: string,
  ): AssemblyFinding | undefined => {
    const metric = metricOf(filter);
    const watching = alarmsOn(metric);
    if (watching.length === 0) {
      return finding(
        NAME,
        `${id}::no-alarm`,
        trail.stack,
        filter.logicalId,
        `${what}: metric filter ${filter.logicalId} has no alarm (${safeguards})`,
      );
    }
    if (!watching.some(hasAction)) {
      return finding(
        NAME,
        `${id}::no-action`,
        trail.stack,
        watching[0]!.logicalId,
        `${what}: alarm ${watching[0]!.logicalId} has no action (${safeguards})`,
      );
    }
    const verdict = judgeAlarms(watching.filter(hasAction), expected(metric!));
    if (verdict.firing.length === 0) {
      return finding(
        NAME,
        `${id}::cannot-fire`,
        trail.stack,
        verdict.muted[0]?.alarm.logicalId,
        `${what}: ${mutedText(verdict)} (${safeguards})`,
      );
    }
    return undefined;
  };

  const require = (
    id: string,
    candidates: readonly StackResource[],
    what: string,
    expected: (metric: Metric) => AlarmExpectation = firesOnOneEvent,
    safeguards = 'D1',
  ): void => {
    evaluated++;
    candidates.forEach((c) => judged.add(key(c)));
    if (candidates.length === 0) {
      findings.push(
        finding(
          NAME,
          `${id}::no-metric-filter`,
          trail.stack,
          undefined,
          `${what}: no metric filter on the trail's log group (${safeguards})`,
        ),
      );
      return;
    }
    // A filter the alarm relies on must count every matching event, on the series the alarm reads.
    const counting = candidates.filter((c) => metricOf(c) !== undefined && filterCountProblems(c).length === 0);
    if (counting.length === 0) {
      const c = candidates[0]!;
      findings.push(
        finding(
          NAME,
          `${id}::filter-miscounts`,
          trail.stack,
          c.logicalId,
          `${what}: metric filter ${c.logicalId} does not count each matching event: ${
            filterCountProblems(c).join('; ') || 'MetricTransformations names no metric'
          } (${safeguards})`,
        ),
      );
      return;
    }
    const verdicts = counting.map((c) => ({ filter: c, problem: judgeFilter(id, c, what, expected, safeguards) }));
    const good = verdicts.find((v) => v.problem === undefined);
    if (good === undefined) {
      findings.push(verdicts[0]!.problem!);
      return;
    }
    // Another filter publishing the same series (another pattern, a negative value, a default value) can keep the
    // alarm in ALARM or cancel the count: the metric must be published by counting filters of the pattern only.
    const metric = metricOf(good.filter)!;
    const all = publishers(metric);
    all.forEach((f) => judged.add(key(f)));
    const other = all.find((f) => !counting.some((c) => key(c) === key(f)));
    if (other !== undefined) {
      findings.push(
        finding(
          NAME,
          `${id}::metric-shared`,
          other.stack,
          other.logicalId,
          `${what}: metric filter ${other.logicalId} also publishes ${metric.namespace} ${metric.name} (${
            filterCountProblems(other).join('; ') || 'another pattern or log group'
          }): only the filter of the pattern may count it (${safeguards})`,
        ),
      );
    }
  };

  for (const f of SECURITY_METRIC_FILTERS) {
    require(f.id, filters.filter(
      (x) => flatten(x.resource.Properties?.FilterPattern) === f.filterPattern,
    ), `${f.id} (${f.description})`);
  }
  require(PHI_OBJECT_ACCESS_METRIC, filters.filter(
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
    const forms = assumeFormsAllowed(role);
    const candidates = filters.filter((x) => {
      const pattern = flatten(x.resource.Properties?.FilterPattern);
      return pattern !== undefined && typeof name === 'string' && countsBreakGlassUse(pattern, role, name, forms);
    });
    require(`BreakGlass-${role.logicalId}`, candidates, `Use of the break-glass role ${String(name ?? role.logicalId)} (${forms.join(', ')}, as its trust allows) (A5)`, firesOnOneEvent, 'A5');
  }

  // Every other filter of the trail's log group that an alarm relies on (the role trust change filter, ...) must count
  // each matching event too: its alarm is part of the detection set.
  for (const filter of filters.filter((f) => !judged.has(key(f)))) {
    const metric = metricOf(filter);
    if (metric === undefined || !alarmsOn(metric).some(hasAction)) continue;
    evaluated++;
    const problems = filterCountProblems(filter);
    if (problems.length > 0) {
      findings.push(
        finding(
          NAME,
          `${metric.name}::filter-miscounts`,
          trail.stack,
          filter.logicalId,
          `The alarm on ${metric.namespace} ${metric.name}: metric filter ${filter.logicalId} does not count each matching event: ${problems.join('; ')} (D1)`,
        ),
      );
    }
  }
  return { findings, evaluated };
}
