import { CriticalFindingAgeAlarm } from '../../../../lib/compliance/gate/assembly/critical-finding-age-alarm';
import { Mutable } from './assembly-fixture';
import { describedFindingsOf } from './muted-alarm-fixture';

const det = (t: Record<string, Mutable>) => t.detection.Resources;

describe('CriticalFindingAgeAlarm: an alarm kept but muted is a finding', () => {
  test.each<[string, (t: Record<string, Mutable>) => void, string, string]>([
    [
      'the age alarm on SampleCount (counts runs, not findings)',
      (t) => (det(t).FindingsAgeAlarm.Properties.Statistic = 'SampleCount'),
      'no-age-alarm',
      'alarm FindingsAgeAlarm cannot fire as required: Statistic SampleCount: must be Maximum or Sum',
    ],
    [
      'the age alarm on Minimum',
      (t) => (det(t).FindingsAgeAlarm.Properties.Statistic = 'Minimum'),
      'no-age-alarm',
      'Statistic Minimum: must be Maximum or Sum',
    ],
    [
      'the age alarm over a day',
      (t) => (det(t).FindingsAgeAlarm.Properties.Period = 86400),
      'no-age-alarm',
      'Period 86400 s: must be at most 21600 s',
    ],
    [
      'the age alarm needing more datapoints than it evaluates',
      (t) => {
        det(t).FindingsAgeAlarm.Properties.EvaluationPeriods = 2;
        det(t).FindingsAgeAlarm.Properties.DatapointsToAlarm = 3;
      },
      'no-age-alarm',
      'DatapointsToAlarm 3 is above EvaluationPeriods 2: the alarm can never fire',
    ],
    [
      'the age alarm needing four runs in a row',
      (t) => (det(t).FindingsAgeAlarm.Properties.EvaluationPeriods = 4),
      'no-age-alarm',
      'Period x DatapointsToAlarm = 21600 s x 4 = 86400 s to alarm: must be at most 21600 s',
    ],
    [
      'the not-run alarm on Maximum (the count, not whether it arrived)',
      (t) => (det(t).FindingsAgeNotRunAlarm.Properties.Statistic = 'Maximum'),
      'no-not-run-alarm',
      'Statistic Maximum: must be SampleCount',
    ],
    [
      'the not-run alarm looking back three days',
      (t) => (det(t).FindingsAgeNotRunAlarm.Properties.Period = 259200),
      'no-not-run-alarm',
      'Period 259200 s: must be at most 43200 s',
    ],
    [
      'the not-run alarm always breaching (stuck in ALARM)',
      (t) => (det(t).FindingsAgeNotRunAlarm.Properties.Threshold = 5),
      'no-not-run-alarm',
      'breaches at 1 too: the alarm would stay in ALARM and notify once only',
    ],
    [
      'the failure alarm on SampleCount with actions disabled',
      (t) => {
        det(t).FindingsAgeFailureAlarm.Properties.Statistic = 'SampleCount';
        det(t).FindingsAgeFailureAlarm.Properties.ActionsEnabled = false;
      },
      'no-failure-alarm',
      'ActionsEnabled is false: must be true (or absent); Statistic SampleCount: must be Sum or Maximum',
    ],
    [
      'the failure alarm with an unreachable threshold',
      (t) => (det(t).FindingsAgeFailureAlarm.Properties.Threshold = 100),
      'no-failure-alarm',
      'ComparisonOperator GreaterThanThreshold with Threshold 100: must breach on every value >= 1',
    ],
  ])('D2 V2 %s', (_name, change, id, reason) => {
    const found = describedFindingsOf(CriticalFindingAgeAlarm, change);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^\\[FindingsAge::${id}\\] \\(template\\): `));
    expect(found[0]).toContain(reason);
  });
});
