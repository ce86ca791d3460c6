/**
 * What a CloudWatch alarm of a template will really do, and whether it can fire the way a gate rule needs.
 *
 * A rule that requires an alarm cannot stop at "an alarm on the metric exists and has an action": a fork can keep the
 * alarm and make it mute (SampleCount or Minimum where Sum is meant, a period of a day, more datapoints to alarm than
 * evaluation periods, a threshold the metric never reaches, a metric math expression that hides the metric, a unit the
 * metric is never published with, ActionsEnabled false, missing data treated as not breaching where the rule relies on
 * it). This module is the one place that reads an alarm's effective behaviour from its template properties:
 *
 * - `alarmFacts(resource)`: the alarm's effective behaviour (single metric or a Metrics array; statistic or extended
 *   statistic; period; evaluation periods and datapoints to alarm; comparison and threshold; treat missing data with
 *   CloudWatch's default; actions and ActionsEnabled);
 * - `whyAlarmCannotFire(alarm, expectation)`: the reasons (for a finding's text) the alarm does not meet the
 *   expectation; empty when it fires as required (`alarmFires` is the boolean form);
 * - `readsMetric(alarm, selector)`: whether the alarm watches the metric at all (to pick the candidates), and
 *   `notifies(alarm)`: whether it has an action that is enabled;
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
import { asList, isObject, Json, JsonResource, StackResource } from '../core/template-json';

/** CloudWatch's TreatMissingData values ('missing' is the default). */
export type MissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

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
   * Whether the alarm must notify (AlarmActions not empty, ActionsEnabled not false).
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
  readonly actions: number;
  readonly actionsEnabled: boolean;
}

const GREATER = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold'];
const LESS = ['LessThanThreshold', 'LessThanOrEqualToThreshold'];
const BAND_UPPER = ['GreaterThanUpperThreshold', 'LessThanLowerOrGreaterThanUpperThreshold'];

function dimensionsOf(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of asList(value).filter(isObject)) if (typeof d.Name === 'string') out[d.Name] = d.Value;
  return out;
}

/** Reads the effective behaviour of an `AWS::CloudWatch::Alarm` resource. */
export function alarmFacts(resource: JsonResource): AlarmFacts {
  const p: Json = resource.Properties ?? {};
  const common = {
    evaluationPeriods: p.EvaluationPeriods,
    datapointsToAlarm: p.DatapointsToAlarm ?? p.EvaluationPeriods,
    comparison: p.ComparisonOperator,
    threshold: p.Threshold,
    treatMissingData: p.TreatMissingData ?? 'missing',
    actions: asList(p.AlarmActions).length,
    actionsEnabled: p.ActionsEnabled !== false && p.ActionsEnabled !== 'false',
  };
  const queries = asList(p.Metrics).filter(isObject);
  if (queries.length === 0) {
    const metric: MetricRead = {
      namespace: p.Namespace,
      name: p.MetricName,
      dimensions: dimensionsOf(p.Dimensions),
      statistic: p.ExtendedStatistic ?? p.Statistic,
      period: p.Period,
      unit: p.Unit,
    };
    return { kind: 'metric', metrics: [metric], returned: { metric }, returnedCount: 1, period: p.Period, ...common };
  }
  const metrics: MetricRead[] = [];
  for (const q of queries) {
    const stat = isObject(q.MetricStat) ? q.MetricStat : undefined;
    const m = stat && isObject(stat.Metric) ? stat.Metric : undefined;
    if (stat === undefined || m === undefined) continue;
    metrics.push({
      id: typeof q.Id === 'string' ? q.Id : undefined,
      namespace: m.Namespace,
      name: m.MetricName,
      dimensions: dimensionsOf(m.Dimensions),
      statistic: stat.Stat,
      period: stat.Period,
      unit: stat.Unit,
    });
  }
  const band = typeof p.ThresholdMetricId === 'string' ? p.ThresholdMetricId : undefined;
  // ReturnData defaults to true in CloudFormation; the band's query is the threshold, not the evaluated series.
  const returning = queries.filter((q) => q.ReturnData !== false && q.ReturnData !== 'false');
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
    q === undefined ? undefined : (q.Period ?? (isObject(q.MetricStat) ? q.MetricStat.Period : undefined));
  const longest = metrics.map((m) => m.period).filter((x): x is number => typeof x === 'number');
  const period = periodOf(r) ?? (longest.length > 0 ? Math.max(...longest) : undefined);
  const facts = { metrics, ...(returned ? { returned } : {}), period, ...common };
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

/** Whether one metric read is the selected metric, ignoring extra dimensions. */
function isSelected(m: MetricRead, s: MetricSelector): boolean {
  if (m.namespace !== s.namespace || m.name !== s.name) return false;
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

/**
 * Why the alarm does not fire as `expectation` requires: each reason names the property, its value and what is
 * required. Empty when it fires.
 */
export function whyAlarmCannotFire(alarm: AlarmFacts | JsonResource, expectation: AlarmExpectation): string[] {
  const a = factsOf(alarm);
  const e = expectation;
  const reasons: string[] = [];
  const metricName = `${e.metric.namespace} ${e.metric.name}`;

  if (e.requireActions !== false) {
    if (a.actions === 0) reasons.push('AlarmActions is empty: must notify (an action)');
    if (!a.actionsEnabled) reasons.push('ActionsEnabled is false: must be true (or absent)');
  }

  const reads = a.metrics.filter((m) => isSelected(m, e.metric));
  if (reads.length === 0) {
    reasons.push(`reads no ${metricName}${e.metric.dimensions ? ' with the required dimensions' : ''}`);
    return reasons;
  }
  for (const m of reads) {
    const where = m.id === undefined ? '' : ` (metric ${m.id})`;
    if (!e.metric.extraDimensions) {
      const extra = Object.keys(m.dimensions).filter((k) => !(k in (e.metric.dimensions ?? {})));
      if (extra.length > 0) {
        reasons.push(
          `Dimensions${where} ${extra.map((k) => `${k}=${show(m.dimensions[k])}`).join(', ')}: must be exactly ${
            Object.keys(e.metric.dimensions ?? {}).join(', ') || 'none'
          } (another dimension selects another series)`,
        );
      }
    }
    if (!e.statistics.includes(String(m.statistic))) {
      reasons.push(`Statistic${where} ${show(m.statistic)}: must be ${e.statistics.join(' or ')}`);
    }
    if (!positiveNumber(m.period)) {
      reasons.push(`Period${where} ${show(m.period)}: must be a number of seconds`);
    } else if (m.period > e.maxPeriodSeconds) {
      reasons.push(`Period${where} ${m.period} s: must be at most ${e.maxPeriodSeconds} s`);
    }
    if (m.unit !== undefined) {
      reasons.push(`Unit${where} ${show(m.unit)}: must be absent (only datapoints published with that unit count)`);
    }
  }

  // What the alarm evaluates: the metric itself, or an expression the expectation allows.
  if (a.kind !== 'metric') {
    const count = a.kind === 'anomaly' ? 'one query besides the band' : 'one query';
    if (a.returnedCount !== 1 || a.returned === undefined) {
      reasons.push(`Metrics return data from ${a.returnedCount} queries: an alarm evaluates exactly ${count}`);
    } else if (a.kind === 'anomaly') {
      const bandOn = a.metrics.find((m) => m.id === a.bandMetricId);
      if (!('anomalyAbove' in e.trigger)) {
        reasons.push(`ThresholdMetricId: an anomaly band where a fixed threshold is required`);
      } else if (bandOn === undefined || !isSelected(bandOn, e.metric) || a.returned.metric !== bandOn) {
        reasons.push(`the anomaly band is not on ${metricName} as the alarm evaluates it`);
      }
    } else if (a.returned.metric === undefined || !isSelected(a.returned.metric, e.metric)) {
      const allowed = new Set((e.expressions ?? []).map((x) => x.replace(/\s+/g, '')));
      allowed.add(`$${e.metric.namespace}/${e.metric.name}`);
      const got = canonicalExpression(a);
      if (got === undefined || !allowed.has(got)) {
        reasons.push(
          `Metrics return ${show(a.returned.expression ?? a.returned.id)}: the alarm must evaluate ${metricName}${
            e.expressions?.length ? ` or ${e.expressions.join(' or ')}` : ''
          } (another expression can hide the metric)`,
        );
      }
    }
  }

  // When it breaches.
  if ('anomalyAbove' in e.trigger) {
    if (a.kind !== 'anomaly') {
      reasons.push('no anomaly band (ThresholdMetricId): must alarm above the band of the metric');
    } else {
      if (!BAND_UPPER.includes(String(a.comparison))) {
        reasons.push(`ComparisonOperator ${show(a.comparison)}: must be ${BAND_UPPER.join(' or ')}`);
      }
      const k = a.bandStdDevs;
      if (k === undefined || !Number.isFinite(k) || k <= 0 || k > e.trigger.anomalyAbove.maxStdDevs) {
        reasons.push(
          `the anomaly band is ${k === undefined ? 'not ANOMALY_DETECTION_BAND(metric, n)' : `${k} standard deviations`}: must be at most ${e.trigger.anomalyAbove.maxStdDevs}`,
        );
      }
    }
  } else if (typeof a.threshold !== 'number' || !Number.isFinite(a.threshold)) {
    reasons.push(`Threshold ${show(a.threshold)}: must be a literal number`);
  } else {
    const problem = triggerProblem(a.comparison, a.threshold, e.trigger);
    if (problem !== undefined) reasons.push(problem);
    else if (e.quietAt !== undefined && breaches(a.comparison, a.threshold, e.quietAt)) {
      reasons.push(
        `ComparisonOperator ${String(a.comparison)} with Threshold ${a.threshold} breaches at ${e.quietAt} too: the alarm would stay in ALARM and notify once only`,
      );
    }
  }

  // How soon.
  const evaluations = a.evaluationPeriods;
  const datapoints = a.datapointsToAlarm;
  if (!positiveNumber(evaluations) || !Number.isInteger(evaluations)) {
    reasons.push(`EvaluationPeriods ${show(evaluations)}: must be a whole number of at least 1`);
  } else if (!positiveNumber(datapoints) || !Number.isInteger(datapoints)) {
    reasons.push(`DatapointsToAlarm ${show(datapoints)}: must be a whole number of at least 1`);
  } else if (datapoints > evaluations) {
    reasons.push(`DatapointsToAlarm ${datapoints} is above EvaluationPeriods ${evaluations}: the alarm can never fire`);
  } else if (positiveNumber(a.period) && a.period > e.maxPeriodSeconds) {
    // A single metric's period is reported above; the evaluated expression's own period here.
    if (a.kind !== 'metric' && !reasons.some((r) => r.startsWith('Period'))) {
      reasons.push(`Period ${a.period} s of the evaluated query: must be at most ${e.maxPeriodSeconds} s`);
    }
  } else if (positiveNumber(a.period)) {
    const limit = e.maxTimeToAlarmSeconds ?? e.maxPeriodSeconds;
    const time = a.period * datapoints;
    if (time > limit) {
      reasons.push(
        `Period x DatapointsToAlarm = ${a.period} s x ${datapoints} = ${time} s to alarm: must be at most ${limit} s`,
      );
    }
  } else if (a.kind !== 'metric') {
    reasons.push(`Period ${show(a.period)} of the evaluated query: must be a number of seconds`);
  }

  if (e.missingData !== undefined && !e.missingData.includes(a.treatMissingData as MissingData)) {
    reasons.push(`TreatMissingData ${show(a.treatMissingData)}: must be ${e.missingData.join(' or ')}`);
  }
  return reasons;
}

/** Whether the alarm notifies when it fires: AlarmActions not empty and ActionsEnabled not false. */
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
  /** Those that do not, with the reasons; the one with the fewest reasons first. */
  readonly muted: readonly { readonly alarm: StackResource; readonly reasons: readonly string[] }[];
}

/** Among `alarms`, those reading the expected metric, which of them fire, and why the others do not. */
export function judgeAlarms(alarms: readonly StackResource[], expectation: AlarmExpectation): AlarmVerdict {
  const watching = alarms.filter((a) => readsMetric(a.resource, expectation.metric));
  const firing: StackResource[] = [];
  const muted: { alarm: StackResource; reasons: string[] }[] = [];
  for (const alarm of watching) {
    const reasons = whyAlarmCannotFire(alarm.resource, expectation);
    if (reasons.length === 0) firing.push(alarm);
    else muted.push({ alarm, reasons });
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
