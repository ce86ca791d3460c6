import { CriticalFindingAgeAlarm } from '../../../../lib/compliance/gate/assembly/critical-finding-age-alarm';
import { findingsOf, Mutable } from './assembly-fixture';

const det = (t: Record<string, Mutable>) => t.detection.Resources;
const ALL_ON = { config: true, guardDuty: true, securityHub: true, macie: true, inspector: true };
const withoutCheck = (t: Record<string, Mutable>) => {
  for (const id of Object.keys(det(t)).filter((k) => k.startsWith('FindingsAge'))) delete det(t)[id];
};

describe('CriticalFindingAgeAlarm', () => {
  test('D2 V2 the check with its schedule and its three alarms passes', () => {
    expect(findingsOf(CriticalFindingAgeAlarm)).toEqual([]);
  });

  test('D2 Security Hub declared off (provided by another account) needs no check here', () => {
    expect(
      findingsOf(CriticalFindingAgeAlarm, (t) => {
        withoutCheck(t);
        t.detection.Metadata.HipaaBlueprint.detection = {
          services: { ...ALL_ON, securityHub: false },
          providedBy: 'the organisation',
        };
      }),
    ).toEqual([]);
  });

  test('D2 V2 the whole check removed is one finding', () => {
    expect(findingsOf(CriticalFindingAgeAlarm, withoutCheck)).toEqual(['[FindingsAge::no-function] (template)']);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    ['the schedule removed', (t) => delete det(t).FindingsAgeSchedule, ['[FindingsAge::no-schedule] (template)']],
    [
      'the schedule disabled',
      (t) => (det(t).FindingsAgeSchedule.Properties.State = 'DISABLED'),
      ['[FindingsAge::no-schedule] (template)'],
    ],
    [
      'the schedule targeting another function',
      (t) => (det(t).FindingsAgeSchedule.Properties.Targets[0].Arn = { 'Fn::GetAtt': ['Other', 'Arn'] }),
      ['[FindingsAge::no-schedule] (template)'],
    ],
    ['the age alarm removed', (t) => delete det(t).FindingsAgeAlarm, ['[FindingsAge::no-age-alarm] (template)']],
    [
      'the age alarm firing only from two findings',
      (t) => (det(t).FindingsAgeAlarm.Properties.Threshold = 1),
      ['[FindingsAge::no-age-alarm] (template)'],
    ],
    [
      'the age alarm on one product only',
      (t) => (det(t).FindingsAgeAlarm.Properties.Dimensions = [{ Name: 'ProductName', Value: 'Inspector' }]),
      ['[FindingsAge::no-age-alarm] (template)'],
    ],
    [
      'the age alarm without action',
      (t) => delete det(t).FindingsAgeAlarm.Properties.AlarmActions,
      ['[FindingsAge::no-age-alarm] (template)'],
    ],
    [
      'the age alarm with actions disabled',
      (t) => (det(t).FindingsAgeAlarm.Properties.ActionsEnabled = false),
      ['[FindingsAge::no-age-alarm] (template)'],
    ],
    [
      'the age alarm whose actions a condition only deploy resolves may switch off',
      (t) => (det(t).FindingsAgeAlarm.Properties.ActionsEnabled = { 'Fn::If': ['Quiet', false, true] }),
      ['[FindingsAge::no-age-alarm] (template)'],
    ],
    [
      'the age alarm whose only action is AWS::NoValue (no action)',
      (t) => (det(t).FindingsAgeAlarm.Properties.AlarmActions = [{ Ref: 'AWS::NoValue' }]),
      ['[FindingsAge::no-age-alarm] (template)'],
    ],
    [
      'the not-run alarm removed',
      (t) => delete det(t).FindingsAgeNotRunAlarm,
      ['[FindingsAge::no-not-run-alarm] (template)'],
    ],
    [
      'the not-run alarm treating missing data as not breaching',
      (t) => (det(t).FindingsAgeNotRunAlarm.Properties.TreatMissingData = 'notBreaching'),
      ['[FindingsAge::no-not-run-alarm] (template)'],
    ],
    [
      'the failure alarm removed',
      (t) => delete det(t).FindingsAgeFailureAlarm,
      ['[FindingsAge::no-failure-alarm] (template)'],
    ],
    [
      'the failure alarm on another function',
      (t) => (det(t).FindingsAgeFailureAlarm.Properties.Dimensions[0].Value = { Ref: 'Other' }),
      ['[FindingsAge::no-failure-alarm] (template)'],
    ],
    [
      'an age beyond 90 days',
      (t) => (det(t).FindingsAgeFunction.Properties.Environment.Variables.MAX_AGE_DAYS = '120'),
      ['[FindingsAge::age-out-of-range] FindingsAgeFunction'],
    ],
    [
      'an age that is not a number',
      (t) => (det(t).FindingsAgeFunction.Properties.Environment.Variables.MAX_AGE_DAYS = 'thirty'),
      ['[FindingsAge::age-out-of-range] FindingsAgeFunction'],
    ],
  ])('D2 V2 %s fails', (_name, mutate, expected) => {
    expect(findingsOf(CriticalFindingAgeAlarm, mutate)).toEqual(expected);
  });

  test('D2 no declaration at all: Security Hub is presumed on', () => {
    expect(
      findingsOf(CriticalFindingAgeAlarm, (t) => {
        withoutCheck(t);
        delete t.detection.Metadata.HipaaBlueprint.detection;
      }),
    ).toEqual(['[FindingsAge::no-function] (template)']);
  });
});
