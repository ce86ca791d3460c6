import { idsOf, Json, one, Probe, remove, Templates } from './probe';

const NAMESPACE = 'HipaaBlueprint/Findings';
const checkFunction = (t: Templates): [string, Json] =>
  one(t, 'detection', 'AWS::Lambda::Function', (r) => r.Properties?.Environment?.Variables?.MAX_AGE_DAYS !== undefined);
const schedule = (t: Templates): [string, Json] => {
  const [fn] = checkFunction(t);
  return one(t, 'detection', 'AWS::Events::Rule', (r) => JSON.stringify(r.Properties.Targets ?? []).includes(fn));
};
const countAlarm = (t: Templates, statistic: 'Maximum' | 'SampleCount'): [string, Json] =>
  one(
    t,
    'detection',
    'AWS::CloudWatch::Alarm',
    (r) => r.Properties.Namespace === NAMESPACE && r.Properties.Statistic === statistic,
  );
const failureAlarm = (t: Templates): [string, Json] => {
  const [fn] = checkFunction(t);
  return one(
    t,
    'detection',
    'AWS::CloudWatch::Alarm',
    (r) => r.Properties.MetricName === 'Errors' && JSON.stringify(r.Properties.Dimensions ?? []).includes(fn),
  );
};

/** The critical findings age check (issue 15 item 4): its function, schedule, alarms and endpoint. */
export const PROBES: readonly Probe[] = [
  {
    name: 'D2 the critical findings age check function removed',
    safeguards: ['D2', 'V2'],
    mutate: (t) => remove(t, 'detection', [checkFunction(t)[0]]),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-function\]/,
  },
  {
    name: 'D2 the critical findings age check schedule removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'detection', [schedule(t)[0]]),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-schedule\]/,
  },
  {
    name: 'D2 the critical findings age check schedule disabled',
    safeguards: ['D2'],
    mutate: (t) => (schedule(t)[1].Properties.State = 'DISABLED'),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-schedule\]/,
  },
  {
    name: 'D2 the critical findings age raised to a year',
    safeguards: ['D2'],
    mutate: (t) => (checkFunction(t)[1].Properties.Environment.Variables.MAX_AGE_DAYS = '365'),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::age-out-of-range\]/,
  },
  {
    name: 'D2 the alarm on critical findings over the age removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'detection', [countAlarm(t, 'Maximum')[0]]),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-age-alarm\]/,
  },
  {
    name: 'D2 the alarm on critical findings over the age raised to ten findings',
    safeguards: ['D2'],
    mutate: (t) => (countAlarm(t, 'Maximum')[1].Properties.Threshold = 10),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-age-alarm\]/,
  },
  {
    name: 'D2 the alarm on critical findings over the age silenced (no action)',
    safeguards: ['D2'],
    mutate: (t) => delete countAlarm(t, 'Maximum')[1].Properties.AlarmActions,
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-age-alarm\]/,
  },
  {
    name: 'D2 the findings age check not running no longer alarms (missing data not breaching)',
    safeguards: ['D2'],
    mutate: (t) => (countAlarm(t, 'SampleCount')[1].Properties.TreatMissingData = 'notBreaching'),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-not-run-alarm\]/,
  },
  {
    name: 'D2 the findings age check failure alarm removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'detection', [failureAlarm(t)[0]]),
    caughtBy: /CriticalFindingAgeAlarm\[FindingsAge::no-failure-alarm\]/,
  },
  {
    name: 'N3 the securityhub interface endpoint removed (the findings age check would have no route)',
    safeguards: ['N3'],
    mutate: (t) =>
      remove(
        t,
        'network',
        idsOf(t, 'network', 'AWS::EC2::VPCEndpoint', (r) =>
          JSON.stringify(r.Properties.ServiceName).includes('.securityhub'),
        ),
      ),
    caughtBy: /InterfaceEndpointsPresent\[Endpoint::securityhub\]/,
  },
];
