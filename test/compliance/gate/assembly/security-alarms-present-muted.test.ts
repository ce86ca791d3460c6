import { SecurityAlarmsPresent } from '../../../../lib/compliance/gate/assembly/security-alarms-present';
import { findingsOf, Mutable } from './assembly-fixture';
import { describedFindingsOf } from './muted-alarm-fixture';

const audit = (t: Record<string, Mutable>) => t.audit.Resources;

describe('SecurityAlarmsPresent: an alarm kept but muted is a finding', () => {
  test.each<[string, (t: Record<string, Mutable>) => void, string]>([
    [
      'the root-use alarm on SampleCount',
      (t) => (audit(t).RootAccountUsageAlarm.Properties.Statistic = 'SampleCount'),
      'Statistic SampleCount: must be Sum or Maximum',
    ],
    [
      'the root-use alarm on a one-day period',
      (t) => (audit(t).RootAccountUsageAlarm.Properties.Period = 86400),
      'Period 86400 s: must be at most 300 s',
    ],
    [
      'the root-use alarm needing more datapoints than it evaluates',
      (t) => (audit(t).RootAccountUsageAlarm.Properties.DatapointsToAlarm = 2),
      'DatapointsToAlarm 2 is above EvaluationPeriods 1: the alarm can never fire',
    ],
    [
      'the root-use alarm with an unreachable threshold',
      (t) => (audit(t).RootAccountUsageAlarm.Properties.Threshold = 1000000),
      'ComparisonOperator GreaterThanOrEqualToThreshold with Threshold 1000000: must breach on every value >= 1',
    ],
    [
      'the root-use alarm treating no event as breaching (stuck in ALARM)',
      (t) => (audit(t).RootAccountUsageAlarm.Properties.TreatMissingData = 'breaching'),
      'TreatMissingData breaching: must be notBreaching or missing or ignore',
    ],
  ])('D1 %s', (_name, change, reason) => {
    const found = describedFindingsOf(SecurityAlarmsPresent, change);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^\[RootAccountUsage::cannot-fire\] RootAccountUsageAlarm: RootAccountUsage \(.*\): alarm RootAccountUsageAlarm cannot fire as required: /,
    );
    expect(found[0]).toContain(reason);
  });

  /** The break-glass alarm's findings with its metric read as query m0 (ReturnData `returnData`), plus `more`. */
  const throughQueries = (returnData: unknown, more: Record<string, unknown>[] = []) =>
    findingsOf(SecurityAlarmsPresent, (t) => {
      const p = audit(t).BreakGlassUseAlarm.Properties;
      p.Metrics = [
        {
          Id: 'm0',
          MetricStat: { Metric: { Namespace: p.Namespace, MetricName: p.MetricName }, Stat: 'Sum', Period: 300 },
          ReturnData: returnData,
        },
        ...more,
      ];
      for (const k of ['Namespace', 'MetricName', 'Statistic', 'Period']) delete p[k];
    });

  test('A5 the break-glass alarm behind a metric math expression that hides it', () => {
    expect(throughQueries(false, [{ Id: 'e1', Expression: 'm0 * 0', ReturnData: true }])).toEqual([
      '[BreakGlass-BreakGlass::cannot-fire] BreakGlassUseAlarm',
    ]);
  });

  test('A5 the break-glass alarm through metric math whose ReturnData only deploy resolves (it may return nothing)', () => {
    expect(throughQueries({ 'Fn::If': ['Quiet', false, true] })).toEqual([
      '[BreakGlass-BreakGlass::cannot-fire] BreakGlassUseAlarm',
    ]);
  });

  test('D1 the PHI access anomaly band widened to 10 standard deviations', () => {
    expect(
      describedFindingsOf(
        SecurityAlarmsPresent,
        (t) => (audit(t).PhiObjectAccessAlarm.Properties.Metrics[0].Expression = 'ANOMALY_DETECTION_BAND(m0, 10)'),
      ),
    ).toEqual([
      '[PhiObjectAccess::cannot-fire] PhiObjectAccessAlarm: PHI object access volume: alarm PhiObjectAccessAlarm cannot fire as required: the anomaly band is 10 standard deviations: must be at most 3 (D1)',
    ]);
  });

  test('D1 a muted alarm next to one that fires on the same metric is no finding', () => {
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        audit(t).RootAccountUsageAlarm2 = JSON.parse(JSON.stringify(audit(t).RootAccountUsageAlarm));
        audit(t).RootAccountUsageAlarm.Properties.Statistic = 'SampleCount';
      }),
    ).toEqual([]);
  });
});
