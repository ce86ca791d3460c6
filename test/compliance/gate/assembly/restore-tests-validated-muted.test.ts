import { RestoreTestsValidated } from '../../../../lib/compliance/gate/assembly/restore-tests-validated';
import { Mutable } from './assembly-fixture';
import { describedFindingsOf } from './muted-alarm-fixture';

const data = (t: Record<string, Mutable>) => t.data.Resources;

describe('RestoreTestsValidated: an alarm kept but muted is a finding', () => {
  test.each<[string, (t: Record<string, Mutable>) => void, string, string]>([
    [
      'the RDS duration alarm on the minimum (a slow restore among fast ones goes unnoticed)',
      (t) => (data(t).RestoreDurationAlarmRDS.Properties.Statistic = 'Minimum'),
      '[RDS::duration-over-rto] RestoreDurationAlarmRDS',
      'Statistic Minimum: must be Maximum',
    ],
    [
      'the RDS duration alarm over a week',
      (t) => (data(t).RestoreDurationAlarmRDS.Properties.Period = 604800),
      '[RDS::duration-over-rto] RestoreDurationAlarmRDS',
      'Period 604800 s: must be at most 86400 s',
    ],
    [
      'the S3 duration alarm needing two slow days out of one',
      (t) => (data(t).RestoreDurationAlarmS3.Properties.DatapointsToAlarm = 2),
      '[S3::duration-over-rto] RestoreDurationAlarmS3',
      'DatapointsToAlarm 2 is above EvaluationPeriods 1: the alarm can never fire',
    ],
    [
      'the RDS failed-test alarm on SampleCount',
      (t) => (data(t).RestoreFailedAlarmRDS.Properties.Statistic = 'SampleCount'),
      '[RDS::no-failed-alarm] (template)',
      'Statistic SampleCount: must be Minimum',
    ],
    [
      'the S3 failed-test alarm with a threshold of 0 (never below it)',
      (t) => (data(t).RestoreFailedAlarmS3.Properties.Threshold = 0),
      '[S3::no-failed-alarm] (template)',
      'ComparisonOperator LessThanThreshold with Threshold 0: must breach on every value <= 0',
    ],
    [
      'the RDS no-validated-test alarm over two days with two datapoints',
      (t) => {
        data(t).RestoreNotValidatedAlarmRDS.Properties.EvaluationPeriods = 2;
        data(t).RestoreNotValidatedAlarmRDS.Properties.DatapointsToAlarm = 2;
      },
      '[RDS::no-not-validated-alarm] (template)',
      'Period x DatapointsToAlarm = 86400 s x 2 = 172800 s to alarm: must be at most 86400 s',
    ],
    [
      'the S3 no-validated-test alarm on SampleCount',
      (t) => (data(t).RestoreNotValidatedAlarmS3.Properties.Statistic = 'SampleCount'),
      '[S3::no-not-validated-alarm] (template)',
      'Statistic SampleCount: must be Maximum',
    ],
  ])('I1 %s', (_name, change, id, reason) => {
    const found = describedFindingsOf(RestoreTestsValidated, change);
    expect(found).toHaveLength(1);
    expect(found[0]!.startsWith(`${id}: `)).toBe(true);
    expect(found[0]).toContain(reason);
  });
});
