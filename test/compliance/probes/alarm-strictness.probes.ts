import { Json, one, Probe, Templates } from './probe';

/** The alarm of `stack` whose logical id contains `part` and which matches `where`. */
const alarm = (t: Templates, stack: string, part: string, where: (r: Json) => boolean = () => true): Json =>
  one(t, stack, 'AWS::CloudWatch::Alarm', (r, id) => id.includes(part) && where(r))[1].Properties;

/**
 * Alarms kept but made mute (issue 15): each rule that requires an alarm also requires that it can fire
 * (lib/compliance/gate/assembly/alarm-facts.ts). One representative alarm of each rule, muted a different way.
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'D1 the root account usage alarm counts datapoints (SampleCount) instead of events',
    safeguards: ['D1'],
    mutate: (t) => (alarm(t, 'audit', 'RootAccountUsageAlarm').Statistic = 'SampleCount'),
    caughtBy: /SecurityAlarmsPresent\[RootAccountUsage::cannot-fire\]/,
  },
  {
    name: 'A5 the break-glass use alarm over a one-day period',
    safeguards: ['A5'],
    mutate: (t) => (alarm(t, 'audit', 'BreakGlassRoleAssumedAlarm').Period = 86400),
    caughtBy: /SecurityAlarmsPresent\[BreakGlass-.*::cannot-fire\]/,
  },
  {
    name: 'D1 the PHI object access anomaly band widened to 10 standard deviations',
    safeguards: ['D1'],
    mutate: (t) =>
      (alarm(t, 'audit', 'PhiObjectAccessAnomalyAlarm').Metrics[0].Expression = 'ANOMALY_DETECTION_BAND(m0, 10)'),
    caughtBy: /SecurityAlarmsPresent\[PhiObjectAccess::cannot-fire\]/,
  },
  {
    name: 'D1 the IAM policy changes alarm behind a metric math expression that hides it',
    safeguards: ['D1'],
    mutate: (t) => {
      const p = alarm(t, 'audit', 'IamPolicyChangesAlarm');
      p.Metrics = [
        {
          Id: 'm0',
          MetricStat: { Metric: { Namespace: p.Namespace, MetricName: p.MetricName }, Stat: 'Sum', Period: 300 },
          ReturnData: false,
        },
        { Id: 'e1', Expression: 'm0 * 0', ReturnData: true },
      ];
      for (const k of ['Namespace', 'MetricName', 'Statistic', 'Period']) delete p[k];
    },
    caughtBy: /SecurityAlarmsPresent\[IamPolicyChanges::cannot-fire\]/,
  },
  {
    name: 'D2 the critical findings age alarm over a one-day period',
    safeguards: ['D2', 'V2'],
    mutate: (t) => (alarm(t, 'detection', 'CriticalFindingsAgeAgeAlarm').Period = 86400),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-age-alarm\]/,
  },
  {
    name: 'D2 the critical findings check failure alarm with an unreachable threshold',
    safeguards: ['D2'],
    mutate: (t) => (alarm(t, 'detection', 'CriticalFindingsAgeFailureAlarm').Threshold = 1000),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-failure-alarm\]/,
  },
  {
    name: 'I1 the RDS restore duration alarm needs more datapoints than it evaluates',
    safeguards: ['I1'],
    mutate: (t) => (alarm(t, 'data', 'RestoreValidationDurationAlarmRDS').DatapointsToAlarm = 2),
    caughtBy: /RestoreTestsValidated\[RDS::duration-over-rto\]/,
  },
  {
    name: 'I1 the S3 restore test FAILED alarm on SampleCount',
    safeguards: ['I1'],
    mutate: (t) => (alarm(t, 'data', 'RestoreValidationFailedAlarmS3').Statistic = 'SampleCount'),
    caughtBy: /RestoreTestsValidated\[S3::no-failed-alarm\]/,
  },
  {
    name: 'D3 the alert path heartbeat alarm never below its threshold',
    safeguards: ['D3'],
    mutate: (t) => (alarm(t, 'alerting', 'HeartbeatAlarm').Threshold = 0),
    caughtBy: /TamperDetectionPresent\[Heartbeat::cannot-fire\]/,
  },
  {
    name: 'U6 the role trust change alarm on Minimum',
    safeguards: ['U6'],
    mutate: (t) => (alarm(t, 'audit', 'RoleTrustPolicyChangesAlarm').Statistic = 'Minimum'),
    caughtBy: /TamperDetectionPresent\[RoleTrust::cannot-fire\]/,
  },
  {
    name: 'U6 the backup heartbeat alarm over a week',
    safeguards: ['U6', 'I1'],
    mutate: (t) => (alarm(t, 'data', 'BackupNoCompletedJobAlarm').Period = 604800),
    caughtBy: /TamperDetectionPresent\[BackupHeartbeat::cannot-fire\]/,
  },
  {
    name: 'D3 the formatter throttle alarm with its actions disabled',
    safeguards: ['D3'],
    mutate: (t) => (alarm(t, 'alerting', 'FormatterThrottleAlarm').ActionsEnabled = false),
    caughtBy: /TamperDetectionPresent\[FormatterThrottle::not-direct\]/,
  },
  {
    name: 'U5 the access-audit silence alarm returning an expression that is never 1',
    safeguards: ['U5'],
    mutate: (t) => (alarm(t, 'app', 'AccessAuditAlarmsSilence').Metrics[0].Expression = 'IF(requests > 0, 0, 0)'),
    caughtBy: /AccessAuditChannel\[Stream::silence-alarm-cannot-fire\]/,
  },
  {
    name: 'U5 the access-audit delivery alarm accepting a day of delay',
    safeguards: ['U5'],
    mutate: (t) => (alarm(t, 'app', 'AccessAuditAlarmsDelivery').Threshold = 86400),
    caughtBy: /AccessAuditChannel\[Stream::delivery-alarm-cannot-fire\]/,
  },
  {
    name: 'U5 the per-user access volume alarm needs two datapoints of one',
    safeguards: ['U5', 'D1'],
    mutate: (t) => (alarm(t, 'audit', 'AccessAuditVolumeAnomalyAlarm').DatapointsToAlarm = 2),
    caughtBy: /AccessAuditChannel\[VolumeCheck::alarm-cannot-fire\]/,
  },
];
