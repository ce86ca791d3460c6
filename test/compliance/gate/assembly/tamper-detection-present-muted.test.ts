import { ROLE_TRUST_METRIC_FILTER } from '../../../../constructs/tamper-watches';
import { TamperDetectionPresent } from '../../../../lib/compliance/gate/assembly/tamper-detection-present';
import { Mutable } from './assembly-fixture';
import { describedFindingsOf } from './muted-alarm-fixture';

const alerting = (t: Record<string, Mutable>) => t.alerting.Resources;

describe('TamperDetectionPresent: an alarm kept but muted is a finding', () => {
  test.each<[string, (t: Record<string, Mutable>) => void, string, string]>([
    [
      'the heartbeat alarm over a day',
      (t) => (alerting(t).HeartbeatAlarm.Properties.Period = 86400),
      '[Heartbeat::cannot-fire] HeartbeatAlarm',
      'Period 86400 s: must be at most 3600 s',
    ],
    [
      'the heartbeat alarm never below its threshold',
      (t) => (alerting(t).HeartbeatAlarm.Properties.Threshold = 0),
      '[Heartbeat::cannot-fire] HeartbeatAlarm',
      'ComparisonOperator LessThanThreshold with Threshold 0: must breach on every value < 1',
    ],
    [
      'the heartbeat alarm needing more missed beats than it evaluates',
      (t) => (alerting(t).HeartbeatAlarm.Properties.DatapointsToAlarm = 5),
      '[Heartbeat::cannot-fire] HeartbeatAlarm',
      'DatapointsToAlarm 5 is above EvaluationPeriods 2: the alarm can never fire',
    ],
    [
      'the formatter throttle alarm on Minimum',
      (t) => (alerting(t).ThrottleAlarm.Properties.Statistic = 'Minimum'),
      '[FormatterThrottle::cannot-fire] ThrottleAlarm',
      'Statistic Minimum: must be Sum or Maximum',
    ],
    [
      'the formatter throttle alarm with an unreachable threshold',
      (t) => (alerting(t).ThrottleAlarm.Properties.Threshold = 10000),
      '[FormatterThrottle::cannot-fire] ThrottleAlarm',
      'ComparisonOperator GreaterThanThreshold with Threshold 10000: must breach on every value >= 1',
    ],
    [
      'the role trust alarm on SampleCount',
      (t) => (t.audit.Resources[`${ROLE_TRUST_METRIC_FILTER.id}Alarm`].Properties.Statistic = 'SampleCount'),
      `[RoleTrust::cannot-fire] ${ROLE_TRUST_METRIC_FILTER.id}Alarm`,
      'Statistic SampleCount: must be Sum or Maximum',
    ],
    [
      'the backup heartbeat over a week',
      (t) => (t.data.Resources.BackupHeartbeatAlarm.Properties.Period = 604800),
      '[BackupHeartbeat::cannot-fire] BackupHeartbeatAlarm',
      'Period 604800 s: must be at most 93600 s',
    ],
    [
      'the backup heartbeat on GreaterThanThreshold',
      (t) => (t.data.Resources.BackupHeartbeatAlarm.Properties.ComparisonOperator = 'GreaterThanThreshold'),
      '[BackupHeartbeat::cannot-fire] BackupHeartbeatAlarm',
      'ComparisonOperator GreaterThanThreshold with Threshold 1: must breach on every value < 1',
    ],
  ])('U6 D3 %s', (_name, change, id, reason) => {
    const found = describedFindingsOf(TamperDetectionPresent, change);
    expect(found).toHaveLength(1);
    expect(found[0]!.startsWith(`${id}: `)).toBe(true);
    expect(found[0]).toContain(reason);
  });
});
