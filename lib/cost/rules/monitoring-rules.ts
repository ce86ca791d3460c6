import { UsageCharge } from '../core/model';
import { literalNumber, RuleLine, show } from '../core/rule-context';
import { props, RuleSet } from './pricing-rule';

/** Alarm metrics an anomaly detection alarm bills: the metric and the band's upper and lower bounds. */
export const ANOMALY_ALARM_METRICS = 3;

interface MetricDataQuery {
  readonly Expression?: unknown;
  readonly MetricStat?: { readonly Period?: unknown };
  readonly Period?: unknown;
}

/** The text of a metric data query's expression: a string, or the literal parts of an Fn::Join. */
function expressionText(expression: unknown): string {
  if (typeof expression === 'string') return expression;
  const join = (expression as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
  if (!Array.isArray(join) || !Array.isArray(join[1])) return '';
  return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : '')).join('');
}

/**
 * How many alarm metrics an alarm bills and whether they are high resolution:
 * a single-metric alarm is 1; an anomaly detection alarm is 3; a metric math alarm is billed per
 * metric it reads (MetricStat entries). High resolution when any period is under 60 s.
 */
export function alarmMetrics(p: Readonly<Record<string, unknown>>): {
  count: number;
  highResolution: boolean;
  kind: string;
} {
  const metrics = Array.isArray(p.Metrics) ? (p.Metrics as MetricDataQuery[]) : undefined;
  if (!metrics) {
    const period = literalNumber(p.Period) ?? 60;
    return { count: 1, highResolution: period < 60, kind: 'standard alarm' };
  }
  const periods = metrics
    .map((m) => literalNumber(m.MetricStat?.Period ?? m.Period))
    .filter((x): x is number => x !== undefined);
  const highResolution = periods.some((x) => x < 60);
  if (metrics.some((m) => typeof m.Expression === 'string' && /ANOMALY_DETECTION_BAND\s*\(/.test(m.Expression))) {
    return {
      count: ANOMALY_ALARM_METRICS,
      highResolution,
      kind: `anomaly detection alarm (${ANOMALY_ALARM_METRICS} metrics)`,
    };
  }
  // A Metrics Insights query (SELECT ..., possibly an Fn::Join in the template) is billed per metric it analyzes, which
  // the template does not say (e.g. one per S3 replication rule into a bucket): counted as one, the least it bills.
  const queries = metrics.filter(
    (m) => m.MetricStat === undefined && /^\s*SELECT\s/i.test(expressionText(m.Expression)),
  ).length;
  if (queries > 0) {
    return {
      count: queries,
      highResolution,
      kind: 'Metrics Insights query alarm (billed per metric analyzed; counted as 1)',
    };
  }
  const count = metrics.filter((m) => m.MetricStat !== undefined).length;
  return { count, highResolution, kind: `metric math alarm (${count} metrics)` };
}

/** CloudWatch alarms, metric filters (custom metrics) and log groups. */
export const MONITORING_RULES: RuleSet = {
  'AWS::CloudWatch::Alarm': (r, ctx) => {
    const { count, highResolution, kind } = alarmMetrics(props(r));
    if (count === 0) return { notPriced: `Metrics = ${show(props(r).Metrics)}: no MetricStat to count` };
    return {
      lines: [
        ctx.line({
          category: 'CloudWatch alarms',
          billed: `${highResolution ? 'high-resolution ' : ''}${kind}`,
          priceId: highResolution
            ? 'cloudwatch.alarm.highResolution.metricMonth'
            : 'cloudwatch.alarm.standard.metricMonth',
          quantity: count,
          quantityText: `${count} alarm metric-month`,
        }),
      ],
    };
  },

  'AWS::CloudWatch::CompositeAlarm': (_r, ctx) => ({
    lines: [
      ctx.line({
        category: 'CloudWatch alarms',
        billed: 'composite alarm',
        priceId: 'cloudwatch.alarm.composite.month',
        quantity: 1,
        quantityText: '1 alarm-month',
      }),
    ],
  }),

  /**
   * Each metric transformation publishes one custom metric. CloudWatch bills a custom metric only in
   * the hours it receives data: a filter with a DefaultValue publishes (0) in every hour its log
   * group receives events, so it is billed the whole month (assumed: the group ingests every hour,
   * true of a CloudTrail group); one without a DefaultValue publishes only when a line matches, so
   * it is usage.
   */
  'AWS::Logs::MetricFilter': (r, ctx) => {
    const transforms = props(r).MetricTransformations;
    if (!Array.isArray(transforms)) return { notPriced: `MetricTransformations = ${show(transforms)}: not a list` };
    const lines: RuleLine[] = [];
    const usage: UsageCharge[] = [];
    for (const t of transforms as { MetricName?: string; DefaultValue?: unknown; Dimensions?: unknown }[]) {
      if (Array.isArray(t.Dimensions) && t.Dimensions.length > 0) {
        return {
          notPriced: `MetricTransformations[].Dimensions on ${show(t.MetricName)}: one metric per dimension value, unknown before use`,
        };
      }
      if (t.DefaultValue !== undefined) {
        lines.push(
          ctx.line({
            category: 'CloudWatch custom metrics',
            billed: `custom metric ${t.MetricName ?? '?'} (DefaultValue: published every hour)`,
            group: 'metric filter custom metric with DefaultValue',
            priceId: 'cloudwatch.customMetric.month',
            quantity: 1,
            quantityText: '1 metric-month',
            note: 'assumes the log group receives events every hour',
          }),
        );
      } else {
        usage.push(
          ctx.usage(
            'cloudwatch.customMetric.month',
            'Amazon CloudWatch',
            'custom metrics of metric filters without DefaultValue',
            'hours in which a log line matches (prorated by the hour)',
          ),
        );
      }
    }
    return { lines, usage };
  },

  'AWS::Logs::LogGroup': (r, ctx) => {
    const usage = [
      ctx.usage(
        'cloudwatch.logs.ingestionGb',
        'Amazon CloudWatch Logs',
        'log ingestion',
        'log volume written to the groups',
      ),
      ctx.usage(
        'cloudwatch.logs.storageGbMonth',
        'Amazon CloudWatch Logs',
        'log storage',
        `volume kept (retention ${show(props(r).RetentionInDays)} days: it accumulates)`,
      ),
    ];
    if (props(r).DataProtectionPolicy !== undefined) {
      usage.push(
        ctx.usage(
          'cloudwatch.logs.dataProtectionGb',
          'Amazon CloudWatch Logs',
          'data protection scanning',
          'log volume of masked groups',
        ),
      );
    }
    return { usage };
  },
};
