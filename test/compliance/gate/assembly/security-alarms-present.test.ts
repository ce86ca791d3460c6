import { SecurityAlarmsPresent } from '../../../../lib/compliance/gate/assembly/security-alarms-present';
import { findingsOf, Mutable } from './assembly-fixture';

const audit = (t: Record<string, Mutable>) => t.audit.Resources;

describe('SecurityAlarmsPresent', () => {
  test('D1 A5 the CIS alarm set, the PHI access anomaly alarm and the break-glass alarm, each with an action, pass', () => {
    expect(findingsOf(SecurityAlarmsPresent)).toEqual([]);
  });

  test('D1 the alarms must read the log group of a trail that logs every management event, not just any trail', () => {
    // A second trail records the management events but delivers to no log group; the alarmed trail records data
    // events only: the metric filters count nothing.
    const split = (t: Record<string, Mutable>): void => {
      const a = audit(t);
      a.ManagementTrail = JSON.parse(JSON.stringify(a.Trail));
      delete a.ManagementTrail.Properties.CloudWatchLogsLogGroupArn;
      a.Trail.Properties.EventSelectors[0].IncludeManagementEvents = false;
    };
    expect(findingsOf(SecurityAlarmsPresent, split)).toEqual(['[Trail::no-management-log-group] Trail']);
    // The alarmed trail not logging, another one logging: the same.
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        const a = audit(t);
        a.ManagementTrail = JSON.parse(JSON.stringify(a.Trail));
        delete a.ManagementTrail.Properties.CloudWatchLogsLogGroupArn;
        a.Trail.Properties.IsLogging = false;
      }),
    ).toEqual(['[Trail::no-management-log-group] Trail']);
    // The alarms on the log group of the second of two whole trails pass (a first trail without alarms is no finding).
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        const a = audit(t);
        a.OtherLogs = { Type: 'AWS::Logs::LogGroup', Properties: {} };
        a.AnotherTrail = JSON.parse(JSON.stringify(a.Trail));
        a.AnotherTrail.Properties.CloudWatchLogsLogGroupArn = { 'Fn::GetAtt': ['OtherLogs', 'Arn'] };
        const trails = { AnotherTrail: a.AnotherTrail, Trail: a.Trail };
        delete a.Trail;
        delete a.AnotherTrail;
        Object.assign(a, trails);
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the root-use alarm removed',
      (t) => delete audit(t).RootAccountUsageAlarm,
      ['[RootAccountUsage::no-alarm] RootAccountUsageFilter'],
    ],
    [
      'the root-use metric filter and alarm removed',
      (t) => {
        delete audit(t).RootAccountUsageFilter;
        delete audit(t).RootAccountUsageAlarm;
      },
      ['[RootAccountUsage::no-metric-filter] (template)'],
    ],
    [
      'the break-glass alarm removed',
      (t) => delete audit(t).BreakGlassUseAlarm,
      ['[BreakGlass-BreakGlass::no-alarm] BreakGlassUseFilter'],
    ],
    [
      'an alarm without an action',
      (t) => {
        audit(t).IamPolicyChangesAlarm.Properties.AlarmActions = [];
      },
      ['[IamPolicyChanges::no-action] IamPolicyChangesAlarm'],
    ],
    [
      'an alarm with its actions disabled',
      (t) => (audit(t).BreakGlassUseAlarm.Properties.ActionsEnabled = false),
      ['[BreakGlass-BreakGlass::no-action] BreakGlassUseAlarm'],
    ],
    [
      // CloudFormation reads "false" as false.
      'an alarm with its actions disabled by the string "false"',
      (t) => (audit(t).BreakGlassUseAlarm.Properties.ActionsEnabled = 'false'),
      ['[BreakGlass-BreakGlass::no-action] BreakGlassUseAlarm'],
    ],
    [
      'an alarm whose actions a condition only deploy resolves may switch off',
      (t) => (audit(t).BreakGlassUseAlarm.Properties.ActionsEnabled = { 'Fn::If': ['Quiet', false, true] }),
      ['[BreakGlass-BreakGlass::no-action] BreakGlassUseAlarm'],
    ],
    [
      'an alarm whose only action is AWS::NoValue (no action)',
      (t) => (audit(t).BreakGlassUseAlarm.Properties.AlarmActions = [{ Ref: 'AWS::NoValue' }]),
      ['[BreakGlass-BreakGlass::no-action] BreakGlassUseAlarm'],
    ],
    [
      'an alarm whose only action a condition may remove',
      (t) => {
        const p = audit(t).BreakGlassUseAlarm.Properties;
        p.AlarmActions = [{ 'Fn::If': ['Quiet', { Ref: 'AWS::NoValue' }, p.AlarmActions[0]] }];
      },
      ['[BreakGlass-BreakGlass::no-action] BreakGlassUseAlarm'],
    ],
    [
      'an alarm whose list of actions a condition may empty',
      (t) => {
        const p = audit(t).BreakGlassUseAlarm.Properties;
        p.AlarmActions = { 'Fn::If': ['Quiet', [], p.AlarmActions] };
      },
      ['[BreakGlass-BreakGlass::no-action] BreakGlassUseAlarm'],
    ],
    [
      'an alarm whose list of actions only deploy resolves (a parameter)',
      (t) => (audit(t).BreakGlassUseAlarm.Properties.AlarmActions = { Ref: 'AlarmTopics' }),
      ['[BreakGlass-BreakGlass::no-action] BreakGlassUseAlarm'],
    ],
    [
      'a CIS filter pattern edited (Security Hub checks the exact pattern)',
      (t) => (audit(t).RootAccountUsageFilter.Properties.FilterPattern = '{ $.userIdentity.type = "Root" }'),
      ['[RootAccountUsage::no-metric-filter] (template)'],
    ],
    [
      'the PHI access anomaly alarm removed',
      (t) => delete audit(t).PhiObjectAccessAlarm,
      ['[PhiObjectAccess::no-alarm] PhiObjectAccessFilter'],
    ],
  ])('D1 A5 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(SecurityAlarmsPresent, mutate)).toEqual(expected);
  });

  test('D1 A5 alarm numbers in their string forms ("300", "1") pass as the numbers do', () => {
    const asStrings = (p: Mutable): void => {
      for (const k of ['Period', 'Threshold', 'EvaluationPeriods']) p[k] = String(p[k]);
      p.DatapointsToAlarm = '1';
    };
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        asStrings(audit(t).RootAccountUsageAlarm.Properties);
        asStrings(audit(t).BreakGlassUseAlarm.Properties);
      }),
    ).toEqual([]);
  });

  test('D1 A5 an action a condition chooses between two topics is an action either way', () => {
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        const p = audit(t).BreakGlassUseAlarm.Properties;
        p.AlarmActions = [{ 'Fn::If': ['Quiet', p.AlarmActions[0], { Ref: 'OtherTopic' }] }];
      }),
    ).toEqual([]);
  });
});
