/**
 * What a CloudWatch alarm of a template will really do, and whether it can fire the way a gate rule needs.
 *
 * A rule that requires an alarm cannot stop at "an alarm on the metric exists and has an action": a fork can keep the
 * alarm and make it mute (SampleCount or Minimum where Sum is meant, a period of a day, more datapoints to alarm than
 * evaluation periods, a threshold the metric never reaches, a metric math expression that hides the metric, a unit the
 * metric is never published with, ActionsEnabled false or a condition only deploy resolves, an action that is
 * AWS::NoValue or that a condition may remove, missing data treated as not breaching where the rule relies on it). This
 * module is the one place that reads an alarm's effective behaviour from its template properties, as CloudFormation
 * reads them (a number in its string form, "300", is the number; an intrinsic never is):
 *
 * - `alarmFacts(resource)`: the alarm's effective behaviour (single metric or a Metrics array, whose queries may be
 *   metric math or CloudWatch Metrics Insights `SELECT ... FROM SCHEMA(...)` queries; statistic or extended statistic;
 *   period; evaluation periods and datapoints to alarm; comparison and threshold; treat missing data with CloudWatch's
 *   default; the actions it surely has and ActionsEnabled);
 * - `whyAlarmCannotFire(alarm, expectation)`: the reasons (for a finding's text) the alarm does not meet the
 *   expectation; empty when it fires as required (`alarmFires` is the boolean form); `alarmProblems` gives the same
 *   reasons with the aspect each is about (for a rule whose finding ids name the aspect);
 * - `readsMetric(alarm, selector)`: whether the alarm watches the metric at all (to pick the candidates), and
 *   `notifies(alarm)`: whether it surely has an action, and actions enabled;
 * - `judgeAlarms(alarms, expectation)`: the candidates among `alarms`, those that fire, and why the others do not;
 *   `mutedText(verdict)` words the first muted candidate for a finding.
 *
 * A rule describes the alarm the blueprint deploys as an `AlarmExpectation`: which metric (namespace, name,
 * dimensions), the statistics that make sense for it, the longest period, the values that must breach (`trigger`)
 * and the value that must not (`quietAt`: an alarm always in ALARM notifies once and then never again), the missing
 * data treatment it relies on, and the longest time from the first bad datapoint to the alarm. Pure: template JSON in,
 * text out.
 *
 * Use in a rule (e.g. a Firehose delivery alarm: events older than 15 minutes):
 *
 *   const expected: AlarmExpectation = {
 *     metric: { namespace: 'AWS/Firehose', name: 'DeliveryToS3.DataFreshness', dimensions: { DeliveryStreamName: name } },
 *     statistics: ['Maximum'],
 *     maxPeriodSeconds: 300,
 *     trigger: { above: 900 },
 *     quietAt: 0,
 *   };
 *   const verdict = judgeAlarms(assemblyResources(stacks, 'AWS::CloudWatch::Alarm'), expected);
 *   if (verdict.watching.length === 0) report('no-delivery-alarm', ...);
 *   else if (verdict.firing.length === 0) report('delivery-alarm-cannot-fire', mutedText(verdict));
 *
 * Keep the rule's existing "no alarm" finding for `watching` empty (or no alarm that `notifies`), and add a
 * "cannot fire" finding naming `mutedText(verdict)` (the muted alarm closest to firing, with every reason).
 */
import {
  asList,
  cfnAbsent,
  cfnBoolean,
  cfnListForms,
  cfnNumber,
  cfnSwitchStaysOn,
  isIntrinsic,
  isObject,
  Json,
  JsonResource,
  memo,
  StackResource,
} from '../core/template-json';

/** CloudWatch's TreatMissingData values ('missing' is the default). */
export type MissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

/**
 * The missing-data treatments of an alarm on a value published only when something happens (failed operations,
 * failed invocations, messages, a latency or an age): no data is no problem. Not 'breaching' (in ALARM whenever
 * nothing happens: it notifies once and never again), not 'ignore' (after one bad datapoint the alarm keeps ALARM
 * through the silence that follows, and the next failure does not notify).
 */
export const QUIET_WITHOUT_DATA: readonly MissingData[] = ['notBreaching', 'missing'];

/** Which values must make the alarm breach. */
export type Trigger =
  /** Every value >= n breaches (e.g. "fires on one event": Sum >= 1, or > 0). */
  | { readonly atLeast: number }
  /** Every value > n breaches (e.g. a duration above the objective). */
  | { readonly above: number }
  /** Every value <= n breaches (e.g. "fires on a FAILED result": Minimum <= 0, or < 1). */
  | { readonly atMost: number }
  /** Every value < n breaches. */
  | { readonly below: number }
  /** An anomaly detection band on the metric, breached above its upper bound, at most this many standard deviations. */
  | { readonly anomalyAbove: { readonly maxStdDevs: number } };

/** The metric an alarm must watch. */
export interface MetricSelector {
  readonly namespace: string;
  readonly name: string;
  /**
   * Dimensions the metric must have: a literal value, or a test of the template value (e.g. a `Ref` to a function).
   * @default - no dimension
   */
  readonly dimensions?: Readonly<Record<string, string | ((value: unknown) => boolean)>>;
  /**
   * Whether other dimensions are allowed. An extra dimension selects another series (one product, one function), so
   * by default the alarm's dimensions must be exactly `dimensions`.
   * @default false
   */
  readonly extraDimensions?: boolean;
  /**
   * The metric is read through a CloudWatch Metrics Insights query of exactly this form (the one the blueprint writes):
   * `SELECT <aggregation>(<name>) FROM SCHEMA("<namespace>", <schema>) WHERE <dimension> = '<value>' AND ...`, the
   * WHERE clause being equalities on `dimensions` only (another dimension is a reason, like an extra dimension of a
   * metric). A query with another aggregation or schema, or anything else (GROUP BY, ORDER BY, LIMIT, another
   * operator) reads another series: the alarm does not read the metric. Without this, only metrics (MetricStat or a
   * single-metric alarm) are read.
   * @default - the metric itself, not a query
   */
  readonly insights?: {
    /** The aggregation function, e.g. 'MAX' (compared without case). */
    readonly aggregation: string;
    /** The SCHEMA dimension keys, in any order. */
    readonly schema: readonly string[];
  };
}

/** What a rule needs of an alarm: it reads this metric this way and fires on these values in time. */
export interface AlarmExpectation {
  /** The metric. */
  readonly metric: MetricSelector;
  /** Statistics (or extended statistics such as 'p99') that give the value the trigger is about. */
  readonly statistics: readonly string[];
  /** Longest period in seconds (a day-long period on a five-minute signal averages it away and delays it). */
  readonly maxPeriodSeconds: number;
  /** The values that must breach. */
  readonly trigger: Trigger;
  /**
   * A value that must not breach (e.g. 0 for a count): an alarm that is always in ALARM notified once and stays
   * silent after.
   * @default - not checked
   */
  readonly quietAt?: number;
  /**
   * The TreatMissingData values the rule accepts (e.g. only 'breaching' for a "the check did not run" alarm).
   * @default - any
   */
  readonly missingData?: readonly MissingData[];
  /**
   * Longest time in seconds from the first breaching datapoint to the alarm: period x datapoints to alarm.
   * @default maxPeriodSeconds (one period)
   */
  readonly maxTimeToAlarmSeconds?: number;
  /**
   * Metric math expressions the alarm may return instead of the metric itself, written over metric tokens
   * `$<Namespace>/<MetricName>` (whitespace ignored), e.g. `IF($AWS/ApplicationELB/RequestCount > 0, 1, 0)`.
   * An alarm returning any other expression hides the metric.
   * @default - none: the alarm must return the metric itself (or an expression that is exactly it)
   */
  readonly expressions?: readonly string[];
  /**
   * Whether the alarm must notify (AlarmActions surely not empty when deployed, ActionsEnabled surely on).
   * @default true
   */
  readonly requireActions?: boolean;
}

/** One metric an alarm reads. */
export interface MetricRead {
  /** The metric data query id (metric math), or undefined for a single-metric alarm. */
  readonly id?: string;
  readonly namespace: unknown;
  readonly name: unknown;
  /** Dimension name -> template value. */
  readonly dimensions: Readonly<Record<string, unknown>>;
  /** Statistic or extended statistic. */
  readonly statistic: unknown;
  readonly period: unknown;
  readonly unit: unknown;
  /**
   * For a Metrics Insights query: its aggregation (upper case) and SCHEMA keys (undefined for `FROM "<namespace>"`);
   * `dimensions` are then the WHERE equalities and `statistic` the aggregation as a statistic (MAX is Maximum).
   * @default - a metric, not a query
   */
  readonly insights?: { readonly aggregation: string; readonly schema?: readonly string[] };
}

/** An alarm's effective behaviour, from its template properties. */
export interface AlarmFacts {
  /** 'metric': one metric; 'math': a Metrics array; 'anomaly': a Metrics array with a band as threshold. */
  readonly kind: 'metric' | 'math' | 'anomaly';
  /** Every metric it reads. */
  readonly metrics: readonly MetricRead[];
  /** The query the alarm evaluates: its id and expression (metric math), or the metric (single metric). */
  readonly returned?: { readonly id?: string; readonly expression?: string; readonly metric?: MetricRead };
  /** How many queries of the Metrics array return data (an alarm needs exactly one, two with a band). */
  readonly returnedCount: number;
  /** Seconds per datapoint: the single metric's Period, else the returned expression's or metric's period. */
  readonly period: unknown;
  readonly evaluationPeriods: unknown;
  /** DatapointsToAlarm; CloudWatch's default is EvaluationPeriods. */
  readonly datapointsToAlarm: unknown;
  readonly comparison: unknown;
  readonly threshold: unknown;
  /** Standard deviations of the anomaly band (anomaly alarms). */
  readonly bandStdDevs?: number;
  /** The metric id inside the band expression (anomaly alarms). */
  readonly bandMetricId?: string;
  /** TreatMissingData, with CloudWatch's default 'missing'. */
  readonly treatMissingData: unknown;
  /**
   * The fewest actions the alarm may have when deployed (cfnListForms): an action that is `{"Ref": "AWS::NoValue"}`
   * or that a condition may remove is not counted; 0 when only deploy knows the list.
   */
  readonly actions: number;
  /** AlarmActions as written (for a reason's text). */
  readonly actionsValue: unknown;
  /**
   * What of the Metrics array only deploy resolves, so that the query the alarm evaluates is not known (a ReturnData,
   * a query, the array itself); e.g. 'ReturnData {"Fn::If":...} of query m0'. Empty for a single-metric alarm.
   */
  readonly unresolvedQueries: readonly string[];
  /** ActionsEnabled absent, true or "true": false or a value only deploy resolves may mute the alarm. */
  readonly actionsEnabled: boolean;
  /** ActionsEnabled as written (for a reason's text). */
  readonly actionsEnabledValue: unknown;
}

const GREATER = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold'];
const LESS = ['LessThanThreshold', 'LessThanOrEqualToThreshold'];
const BAND_UPPER = ['GreaterThanUpperThreshold', 'LessThanLowerOrGreaterThanUpperThreshold'];

function dimensionsOf(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of asList(value).filter(isObject)) if (typeof d.Name === 'string') out[d.Name] = d.Value;
  return out;
}

/** Metrics Insights aggregation functions and the statistic each computes. */
const INSIGHTS_STATISTIC: Readonly<Record<string, string>> = {
  AVG: 'Average',
  COUNT: 'SampleCount',
  MAX: 'Maximum',
  MIN: 'Minimum',
  SUM: 'Sum',
};
/** Marks a template value (a Ref, an attribute) inside a query text: `\uE000<index>\uE000`. */
const HOLE = /\uE000(\d+)\uE000/g;
const INSIGHTS_QUERY =
  /^\s*SELECT\s+(AVG|COUNT|MAX|MIN|SUM)\s*\(\s*("?)([^"()\s]+)\2\s*\)\s+FROM\s+(?:SCHEMA\s*\(\s*"([^"]+)"\s*((?:,\s*"?[^",()\s]+"?\s*)*)\)|"([^"]+)")(?:\s+WHERE\s+([\s\S]+?))?\s*$/i;
const INSIGHTS_EQUALITY = /^("?)([^"=\s]+)\1\s*=\s*'([^']*)'$/;

/**
 * The text of a query expression with every template value that is not a literal (a Ref, an attribute) replaced by a
 * hole, and the values by hole: a string, or an `Fn::Join` with an empty delimiter of strings and values.
 */
function queryText(expression: unknown): { text: string; values: unknown[] } | undefined {
  if (typeof expression === 'string') return { text: expression, values: [] };
  if (!isObject(expression)) return undefined;
  const join = expression['Fn::Join'];
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;
  const values: unknown[] = [];
  const text = (join[1] as unknown[])
    .map((part) => {
      if (typeof part === 'string') return part;
      values.push(part);
      return `\uE000${values.length - 1}\uE000`;
    })
    .join('');
  return { text, values };
}

/** A WHERE value back as a template value: the literal, the one value it is, or an `Fn::Join` of its parts. */
function whereValue(text: string, values: readonly unknown[]): unknown {
  const parts: unknown[] = [];
  let last = 0;
  for (const m of text.matchAll(HOLE)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(values[Number(m[1])]);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.length === 0) return '';
  return parts.length === 1 ? parts[0] : { 'Fn::Join': ['', parts] };
}

/**
 * A Metrics Insights query of an alarm's Metrics array as a metric read: `SELECT <AGG>(<metric>) FROM
 * SCHEMA("<namespace>", keys...) | "<namespace>" [WHERE k = 'v' AND ...]`. Undefined when the expression is not such a
 * query (metric math), or has anything else (GROUP BY, ORDER BY, LIMIT, another operator, OR): not read as a metric.
 */
function insightsRead(q: Json): MetricRead | undefined {
  const query = queryText(q.Expression);
  const m = query === undefined ? null : INSIGHTS_QUERY.exec(query.text);
  if (query === undefined || m === null || /\uE000/.test(`${m[3]}${m[4] ?? ''}${m[5] ?? ''}${m[6] ?? ''}`)) {
    return undefined;
  }
  const dimensions: Record<string, unknown> = {};
  for (const clause of m[7] === undefined ? [] : m[7].split(/\s+AND\s+/i)) {
    const eq = INSIGHTS_EQUALITY.exec(clause.trim());
    if (eq === null || eq[2]! in dimensions) return undefined;
    dimensions[eq[2]!] = whereValue(eq[3]!, query.values);
  }
  const aggregation = m[1]!.toUpperCase();
  const schema =
    m[4] === undefined
      ? undefined
      : m[5]!
          .split(',')
          .map((k) => k.trim().replace(/^"|"$/g, ''))
          .filter((k) => k !== '');
  return {
    ...(typeof q.Id === 'string' ? { id: q.Id } : {}),
    namespace: m[4] ?? m[6],
    name: m[3],
    dimensions,
    statistic: INSIGHTS_STATISTIC[aggregation],
    period: numberOf(q.Period),
    unit: undefined,
    insights: { aggregation, ...(schema !== undefined ? { schema } : {}) },
  };
}

/** Reads the effective behaviour of an `AWS::CloudWatch::Alarm` resource (once per run of the assembly rules). */
export function alarmFacts(resource: JsonResource): AlarmFacts {
  return memo('alarmFacts', resource, (r) => frozen(readAlarmFacts(r)));
}

/** The facts, their metrics and the returned series frozen (within a run every rule shares them). */
function frozen(facts: AlarmFacts): AlarmFacts {
  for (const m of facts.metrics) Object.freeze(m);
  Object.freeze(facts.metrics);
  if (facts.returned !== undefined) Object.freeze(facts.returned);
  return Object.freeze(facts);
}

/**
 * A number property as CloudFormation reads it: a number or its string form ("300") as the number, absent
 * (`{"Ref": "AWS::NoValue"}`) as undefined; anything else (an intrinsic) as written, which no check takes for a number.
 */
const numberOf = (value: unknown): unknown => (cfnAbsent(value) ? undefined : (cfnNumber(value) ?? value));

function readAlarmFacts(resource: JsonResource): AlarmFacts {
  const p: Json = resource.Properties ?? {};
  const actionForms = cfnListForms(p.AlarmActions);
  const evaluationPeriods = numberOf(p.EvaluationPeriods);
  const common = {
    evaluationPeriods,
    datapointsToAlarm: numberOf(p.DatapointsToAlarm) ?? evaluationPeriods,
    comparison: p.ComparisonOperator,
    threshold: numberOf(p.Threshold),
    treatMissingData: cfnAbsent(p.TreatMissingData) ? 'missing' : p.TreatMissingData,
    actions: actionForms === undefined ? 0 : Math.min(...actionForms.map((f) => f.length)),
    actionsValue: p.AlarmActions,
    actionsEnabled: cfnSwitchStaysOn(p.ActionsEnabled),
    actionsEnabledValue: p.ActionsEnabled,
  };
  const entries = cfnAbsent(p.Metrics) ? [] : asList(p.Metrics).filter((q) => !cfnAbsent(q));
  if (entries.length === 0) {
    const metric: MetricRead = {
      namespace: p.Namespace,
      name: p.MetricName,
      dimensions: dimensionsOf(p.Dimensions),
      statistic: p.ExtendedStatistic ?? p.Statistic,
      period: numberOf(p.Period),
      unit: p.Unit,
    };
    return {
      kind: 'metric',
      metrics: [metric],
      returned: { metric },
      returnedCount: 1,
      period: metric.period,
      unresolvedQueries: [],
      ...common,
    };
  }
  // A query (or the whole array) only deploy resolves may be any query; a ReturnData only deploy resolves may be
  // true or false: either way the query the alarm evaluates is not known.
  const unresolvedQueries: string[] = [];
  if (isIntrinsic(p.Metrics)) unresolvedQueries.push(`Metrics ${show(p.Metrics)}`);
  else {
    for (const q of entries) {
      if (!isObject(q) || isIntrinsic(q)) unresolvedQueries.push(`query ${show(q)}`);
      else if (!cfnAbsent(q.ReturnData) && cfnBoolean(q.ReturnData) === undefined) {
        unresolvedQueries.push(`ReturnData ${show(q.ReturnData)} of query ${show(q.Id)}`);
      }
    }
  }
  const queries = entries.filter((q): q is Json => isObject(q) && !isIntrinsic(q));
  const metrics: MetricRead[] = [];
  for (const q of queries) {
    const stat = isObject(q.MetricStat) ? q.MetricStat : undefined;
    const m = stat && isObject(stat.Metric) ? stat.Metric : undefined;
    if (stat === undefined || m === undefined) {
      const query = insightsRead(q);
      if (query !== undefined) metrics.push(query);
      continue;
    }
    metrics.push({
      id: typeof q.Id === 'string' ? q.Id : undefined,
      namespace: m.Namespace,
      name: m.MetricName,
      dimensions: dimensionsOf(m.Dimensions),
      statistic: stat.Stat,
      period: numberOf(stat.Period),
      unit: stat.Unit,
    });
  }
  const band = typeof p.ThresholdMetricId === 'string' ? p.ThresholdMetricId : undefined;
  // ReturnData defaults to true in CloudFormation; the band's query is the threshold, not the evaluated series.
  const returning = queries.filter((q) => cfnBoolean(q.ReturnData) !== false);
  const evaluated = returning.filter((q) => q.Id !== band);
  const r = evaluated.length === 1 ? evaluated[0]! : undefined;
  const rMetric = r === undefined ? undefined : metrics.find((m) => m.id === r.Id);
  const returned =
    r === undefined
      ? undefined
      : {
          id: typeof r.Id === 'string' ? r.Id : undefined,
          ...(typeof r.Expression === 'string' ? { expression: r.Expression } : {}),
          ...(rMetric !== undefined ? { metric: rMetric } : {}),
        };
  const periodOf = (q: Json | undefined): unknown =>
    q === undefined
      ? undefined
      : (numberOf(q.Period) ?? (isObject(q.MetricStat) ? numberOf(q.MetricStat.Period) : undefined));
  const longest = metrics.map((m) => m.period).filter((x): x is number => typeof x === 'number');
  const period = periodOf(r) ?? (longest.length > 0 ? Math.max(...longest) : undefined);
  const facts = { metrics, ...(returned ? { returned } : {}), period, unresolvedQueries, ...common };
  if (band === undefined) return { kind: 'math', returnedCount: evaluated.length, ...facts };
  const bandQuery = queries.find((q) => q.Id === band);
  const parsed = /^\s*ANOMALY_DETECTION_BAND\(\s*([A-Za-z0-9_]+)\s*(?:,\s*([0-9.]+)\s*)?\)\s*$/.exec(
    typeof bandQuery?.Expression === 'string' ? bandQuery.Expression : '',
  );
  return {
    kind: 'anomaly',
    returnedCount: evaluated.length,
    ...facts,
    ...(parsed ? { bandMetricId: parsed[1], bandStdDevs: parsed[2] === undefined ? 2 : Number(parsed[2]) } : {}),
  };
}

/** The facts of a resource, or the facts given. */
function factsOf(alarm: AlarmFacts | JsonResource): AlarmFacts {
  return typeof (alarm as JsonResource).Type === 'string' ? alarmFacts(alarm as JsonResource) : (alarm as AlarmFacts);
}

const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'absent'));

function dimensionMatches(expected: string | ((value: unknown) => boolean), value: unknown): boolean {
  return typeof expected === 'string' ? value === expected : expected(value);
}

/** The same keys, in any order. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  const sorted = [...b].sort();
  return a.length === b.length && [...a].sort().every((k, i) => k === sorted[i]);
}

/**
 * Whether one metric read is the selected metric, ignoring extra dimensions: a metric for a metric selector, a Metrics
 * Insights query of the selector's aggregation and schema for an `insights` selector.
 */
function isSelected(m: MetricRead, s: MetricSelector): boolean {
  if (m.namespace !== s.namespace || m.name !== s.name) return false;
  if ((s.insights === undefined) !== (m.insights === undefined)) return false;
  if (s.insights !== undefined) {
    if (m.insights?.aggregation !== s.insights.aggregation.toUpperCase()) return false;
    if (m.insights.schema === undefined || !sameKeys(m.insights.schema, s.insights.schema)) return false;
  }
  return Object.entries(s.dimensions ?? {}).every(
    ([k, v]) => k in m.dimensions && dimensionMatches(v, m.dimensions[k]),
  );
}

/** Whether the alarm reads the selected metric at all (its own metric, or one of its metric math queries). */
export function readsMetric(alarm: AlarmFacts | JsonResource, selector: MetricSelector): boolean {
  const facts = factsOf(alarm);
  return facts.metrics.some((m) => isSelected(m, selector));
}

/** The returned expression with each metric query id replaced by `$<Namespace>/<MetricName>`, without whitespace. */
function canonicalExpression(facts: AlarmFacts): string | undefined {
  const text = facts.returned?.expression;
  if (text === undefined) return undefined;
  const byId = new Map(facts.metrics.filter((m) => m.id !== undefined).map((m) => [m.id!, m]));
  return text
    .replace(/[A-Za-z_][A-Za-z0-9_]*/g, (word) => {
      const m = byId.get(word);
      return m ? `$${String(m.namespace)}/${String(m.name)}` : word;
    })
    .replace(/\s+/g, '');
}

/** The values that breach for a comparison and threshold, compared with the trigger: a reason, or undefined. */
function triggerProblem(comparison: unknown, threshold: number, trigger: Trigger): string | undefined {
  const c = String(comparison);
  const need =
    'atLeast' in trigger
      ? `every value >= ${trigger.atLeast}`
      : 'above' in trigger
        ? `every value > ${trigger.above}`
        : 'atMost' in trigger
          ? `every value <= ${trigger.atMost}`
          : 'below' in trigger
            ? `every value < ${trigger.below}`
            : 'an anomaly band';
  const wrong = `ComparisonOperator ${c} with Threshold ${threshold}: must breach on ${need}`;
  if ('atLeast' in trigger) {
    const n = trigger.atLeast;
    if (c === 'GreaterThanThreshold') return threshold < n ? undefined : wrong;
    if (c === 'GreaterThanOrEqualToThreshold') return threshold <= n ? undefined : wrong;
    return wrong;
  }
  if ('above' in trigger) {
    if (!GREATER.includes(c)) return wrong;
    return threshold <= trigger.above ? undefined : wrong;
  }
  if ('atMost' in trigger) {
    const n = trigger.atMost;
    if (c === 'LessThanThreshold') return threshold > n ? undefined : wrong;
    if (c === 'LessThanOrEqualToThreshold') return threshold >= n ? undefined : wrong;
    return wrong;
  }
  if ('below' in trigger) {
    if (!LESS.includes(c)) return wrong;
    return threshold >= trigger.below ? undefined : wrong;
  }
  return wrong;
}

/** Whether `value` breaches `comparison` against `threshold`. */
function breaches(comparison: unknown, threshold: number, value: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      return false;
  }
}

const positiveNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** What a reason is about (a rule whose finding ids name the aspect maps them). */
export type AlarmAspect =
  /** AlarmActions (maybe) empty when deployed, or ActionsEnabled (maybe) false. */
  | 'actions'
  /** The alarm reads no such metric. */
  | 'metric'
  /** A dimension (or WHERE equality) beyond the required ones. */
  | 'dimensions'
  | 'statistic'
  /** The period of a metric or of the evaluated query. */
  | 'period'
  | 'unit'
  /** What the alarm evaluates: the queries returning data, the expression, the anomaly band's metric. */
  | 'evaluated'
  /** Comparison and threshold (or band): the values that must breach do not. */
  | 'trigger'
  /** The value that must not breach (quietAt) does: always in ALARM. */
  | 'quiet'
  /** EvaluationPeriods or DatapointsToAlarm invalid, or more datapoints than evaluation periods. */
  | 'datapoints'
  /** Period x DatapointsToAlarm longer than the rule allows. */
  | 'time-to-alarm'
  | 'missing-data';

/** One reason an alarm does not fire as required: its aspect and the text naming property, value and rule. */
export interface AlarmProblem {
  readonly aspect: AlarmAspect;
  readonly text: string;
  /** The offending value (e.g. the statistic), for a finding id. */
  readonly value?: unknown;
}

/**
 * Why the alarm does not fire as `expectation` requires: each reason names the property, its value and what is
 * required. Empty when it fires.
 */
export function whyAlarmCannotFire(alarm: AlarmFacts | JsonResource, expectation: AlarmExpectation): string[] {
  return alarmProblems(alarm, expectation).map((p) => p.text);
}

/** The reasons of `whyAlarmCannotFire` with the aspect each is about. Empty when the alarm fires. */
export function alarmProblems(alarm: AlarmFacts | JsonResource, expectation: AlarmExpectation): AlarmProblem[] {
  const a = factsOf(alarm);
  const e = expectation;
  const problems: AlarmProblem[] = [];
  const reason = (text: string, aspect: AlarmAspect, value?: unknown): void => {
    problems.push({ aspect, text, ...(value !== undefined ? { value } : {}) });
  };
  const metricName = `${e.metric.namespace} ${e.metric.name}`;

  if (e.requireActions !== false) {
    if (a.actions === 0) {
      const v = a.actionsValue;
      const forms = cfnListForms(v);
      reason(
        v === undefined || (Array.isArray(v) && v.length === 0)
          ? 'AlarmActions is empty: must notify (an action)'
          : forms !== undefined && forms.every((f) => f.length === 0)
            ? `AlarmActions ${show(v)} is empty when deployed (AWS::NoValue is no action): must notify (an action)`
            : `AlarmActions ${show(v)} may be empty when deployed (a condition, or a value only deploy resolves): must notify (an action)`,
        'actions',
      );
    }
    if (!a.actionsEnabled) {
      const v = a.actionsEnabledValue;
      reason(
        cfnBoolean(v) === false
          ? 'ActionsEnabled is false: must be true (or absent)'
          : `ActionsEnabled ${show(v)} is resolved only at deploy and may be false: must be true (or absent)`,
        'actions',
        false,
      );
    }
  }

  const reads = a.metrics.filter((m) => isSelected(m, e.metric));
  if (reads.length === 0) {
    reason(`reads no ${metricName}${e.metric.dimensions ? ' with the required dimensions' : ''}`, 'metric');
    return problems;
  }
  for (const m of reads) {
    const where = m.id === undefined ? '' : ` (metric ${m.id})`;
    if (!e.metric.extraDimensions) {
      const extra = Object.keys(m.dimensions).filter((k) => !(k in (e.metric.dimensions ?? {})));
      if (extra.length > 0) {
        reason(
          `Dimensions${where} ${extra.map((k) => `${k}=${show(m.dimensions[k])}`).join(', ')}: must be exactly ${
            Object.keys(e.metric.dimensions ?? {}).join(', ') || 'none'
          } (another dimension selects another series)`,
          'dimensions',
          extra,
        );
      }
    }
    if (!e.statistics.includes(String(m.statistic))) {
      reason(`Statistic${where} ${show(m.statistic)}: must be ${e.statistics.join(' or ')}`, 'statistic', m.statistic);
    }
    if (!positiveNumber(m.period)) {
      reason(`Period${where} ${show(m.period)}: must be a number of seconds`, 'period', m.period);
    } else if (m.period > e.maxPeriodSeconds) {
      reason(`Period${where} ${m.period} s: must be at most ${e.maxPeriodSeconds} s`, 'period', m.period);
    }
    if (m.unit !== undefined) {
      reason(
        `Unit${where} ${show(m.unit)}: must be absent (only datapoints published with that unit count)`,
        'unit',
        m.unit,
      );
    }
  }

  // What the alarm evaluates: the metric itself, or an expression the expectation allows.
  if (a.kind !== 'metric') {
    const count = a.kind === 'anomaly' ? 'one query besides the band' : 'one query';
    if (a.unresolvedQueries.length > 0) {
      reason(
        `${a.unresolvedQueries.join('; ')} only deploy resolves: which query the alarm evaluates must be known (ReturnData true or false)`,
        'evaluated',
      );
    } else if (a.returnedCount !== 1 || a.returned === undefined) {
      reason(`Metrics return data from ${a.returnedCount} queries: an alarm evaluates exactly ${count}`, 'evaluated');
    } else if (a.kind === 'anomaly') {
      const bandOn = a.metrics.find((m) => m.id === a.bandMetricId);
      if (!('anomalyAbove' in e.trigger)) {
        reason(`ThresholdMetricId: an anomaly band where a fixed threshold is required`, 'trigger');
      } else if (bandOn === undefined || !isSelected(bandOn, e.metric) || a.returned.metric !== bandOn) {
        reason(`the anomaly band is not on ${metricName} as the alarm evaluates it`, 'evaluated');
      }
    } else if (a.returned.metric === undefined || !isSelected(a.returned.metric, e.metric)) {
      const allowed = new Set((e.expressions ?? []).map((x) => x.replace(/\s+/g, '')));
      allowed.add(`$${e.metric.namespace}/${e.metric.name}`);
      const got = canonicalExpression(a);
      if (got === undefined || !allowed.has(got)) {
        reason(
          `Metrics return ${show(a.returned.expression ?? a.returned.id)}: the alarm must evaluate ${metricName}${
            e.expressions?.length ? ` or ${e.expressions.join(' or ')}` : ''
          } (another expression can hide the metric)`,
          'evaluated',
          a.returned.expression,
        );
      }
    }
  }

  // When it breaches.
  if ('anomalyAbove' in e.trigger) {
    if (a.kind !== 'anomaly') {
      reason('no anomaly band (ThresholdMetricId): must alarm above the band of the metric', 'trigger');
    } else {
      if (!BAND_UPPER.includes(String(a.comparison))) {
        reason(`ComparisonOperator ${show(a.comparison)}: must be ${BAND_UPPER.join(' or ')}`, 'trigger');
      }
      const k = a.bandStdDevs;
      if (k === undefined || !Number.isFinite(k) || k <= 0 || k > e.trigger.anomalyAbove.maxStdDevs) {
        reason(
          `the anomaly band is ${k === undefined ? 'not ANOMALY_DETECTION_BAND(metric, n)' : `${k} standard deviations`}: must be at most ${e.trigger.anomalyAbove.maxStdDevs}`,
          'trigger',
        );
      }
    }
  } else if (typeof a.threshold !== 'number' || !Number.isFinite(a.threshold)) {
    reason(`Threshold ${show(a.threshold)}: must be a literal number`, 'trigger');
  } else {
    const problem = triggerProblem(a.comparison, a.threshold, e.trigger);
    if (problem !== undefined) reason(problem, 'trigger');
    else if (e.quietAt !== undefined && breaches(a.comparison, a.threshold, e.quietAt)) {
      reason(
        `ComparisonOperator ${String(a.comparison)} with Threshold ${a.threshold} breaches at ${e.quietAt} too: the alarm would stay in ALARM and notify once only`,
        'quiet',
      );
    }
  }

  // How soon.
  const evaluations = a.evaluationPeriods;
  const datapoints = a.datapointsToAlarm;
  if (!positiveNumber(evaluations) || !Number.isInteger(evaluations)) {
    reason(`EvaluationPeriods ${show(evaluations)}: must be a whole number of at least 1`, 'datapoints');
  } else if (!positiveNumber(datapoints) || !Number.isInteger(datapoints)) {
    reason(`DatapointsToAlarm ${show(datapoints)}: must be a whole number of at least 1`, 'datapoints');
  } else if (datapoints > evaluations) {
    reason(
      `DatapointsToAlarm ${datapoints} is above EvaluationPeriods ${evaluations}: the alarm can never fire`,
      'datapoints',
    );
  } else if (positiveNumber(a.period) && a.period > e.maxPeriodSeconds) {
    // A single metric's period is reported above; the evaluated expression's own period here.
    if (a.kind !== 'metric' && !problems.some((p) => p.aspect === 'period')) {
      reason(
        `Period ${a.period} s of the evaluated query: must be at most ${e.maxPeriodSeconds} s`,
        'period',
        a.period,
      );
    }
  } else if (positiveNumber(a.period)) {
    const limit = e.maxTimeToAlarmSeconds ?? e.maxPeriodSeconds;
    const time = a.period * datapoints;
    if (time > limit) {
      reason(
        `Period x DatapointsToAlarm = ${a.period} s x ${datapoints} = ${time} s to alarm: must be at most ${limit} s`,
        'time-to-alarm',
      );
    }
  } else if (a.kind !== 'metric' && !problems.some((p) => p.aspect === 'period')) {
    reason(`Period ${show(a.period)} of the evaluated query: must be a number of seconds`, 'period', a.period);
  }

  if (e.missingData !== undefined && !e.missingData.includes(a.treatMissingData as MissingData)) {
    reason(
      `TreatMissingData ${show(a.treatMissingData)}: must be ${e.missingData.join(' or ')}`,
      'missing-data',
      a.treatMissingData,
    );
  }
  return problems;
}

/**
 * Whether the alarm notifies when it fires: AlarmActions surely not empty when deployed (an action that is AWS::NoValue
 * or that a condition may remove does not count, nor does a list only deploy resolves) and ActionsEnabled surely on.
 */
export function notifies(alarm: AlarmFacts | JsonResource): boolean {
  const a = factsOf(alarm);
  return a.actions > 0 && a.actionsEnabled;
}

/** Whether the alarm fires as `expectation` requires (no reason against it). */
export function alarmFires(alarm: AlarmFacts | JsonResource, expectation: AlarmExpectation): boolean {
  return whyAlarmCannotFire(alarm, expectation).length === 0;
}

/** The alarms a rule judged for one expectation. */
export interface AlarmVerdict {
  /** The alarms that read the metric. */
  readonly watching: readonly StackResource[];
  /** Those that fire as expected. */
  readonly firing: readonly StackResource[];
  /** Those that do not, with the reasons (and their aspects); the one with the fewest reasons first. */
  readonly muted: readonly {
    readonly alarm: StackResource;
    readonly reasons: readonly string[];
    readonly problems: readonly AlarmProblem[];
  }[];
}

/** Among `alarms`, those reading the expected metric, which of them fire, and why the others do not. */
export function judgeAlarms(alarms: readonly StackResource[], expectation: AlarmExpectation): AlarmVerdict {
  const watching = alarms.filter((a) => readsMetric(a.resource, expectation.metric));
  const firing: StackResource[] = [];
  const muted: { alarm: StackResource; reasons: string[]; problems: AlarmProblem[] }[] = [];
  for (const alarm of watching) {
    const problems = alarmProblems(alarm.resource, expectation);
    if (problems.length === 0) firing.push(alarm);
    else muted.push({ alarm, reasons: problems.map((p) => p.text), problems });
  }
  // The alarm closest to firing first: it is the one the finding should name.
  muted.sort((x, y) => x.reasons.length - y.reasons.length);
  return { watching, firing, muted };
}

/** "alarm X cannot fire as required: reason; reason" for the muted alarm closest to firing (for a finding's text). */
export function mutedText(verdict: AlarmVerdict): string {
  const first = verdict.muted[0];
  return first === undefined
    ? 'no alarm reads the metric'
    : `alarm ${first.alarm.logicalId} cannot fire as required: ${first.reasons.join('; ')}`;
}
