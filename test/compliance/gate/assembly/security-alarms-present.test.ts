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

  const eachSecurityFilter = (t: Record<string, Mutable>, edit: (p: Mutable) => void): void => {
    for (const r of Object.values(audit(t)) as Mutable[]) {
      if (r.Type === 'AWS::Logs::MetricFilter') edit(r.Properties);
    }
  };
  const breakGlassPattern = (events: string, extra = ''): unknown => ({
    'Fn::Join': [
      '',
      [
        `{ ($.eventSource = "sts.amazonaws.com") && ${events} && ($.requestParameters.roleArn = "arn:`,
        { Ref: 'AWS::Partition' },
        `:iam::123456789012:role/app-prod-break-glass")${extra} }`,
      ],
    ],
  });

  test.each<[string, (p: Mutable) => void]>([
    ['MetricValue "0"', (p) => (p.MetricTransformations[0].MetricValue = '0')],
    ['MetricValue a JSON selector no event has', (p) => (p.MetricTransformations[0].MetricValue = '$.none')],
    ['a DefaultValue of 1 (in ALARM when nothing happens)', (p) => (p.MetricTransformations[0].DefaultValue = 1)],
    [
      'Dimensions (another series than the alarm reads)',
      (p) => (p.MetricTransformations[0].Dimensions = [{ Key: 'src', Value: '$.sourceIPAddress' }]),
    ],
    ['EmitSystemFieldDimensions', (p) => (p.EmitSystemFieldDimensions = ['@aws.account'])],
    ['FieldSelectionCriteria', (p) => (p.FieldSelectionCriteria = '@aws.region = "ap-southeast-7"')],
    ['ApplyOnTransformedLogs', (p) => (p.ApplyOnTransformedLogs = true)],
  ])('D1 A5 every alarmed metric filter with %s is a finding (it no longer counts each event)', (_name, edit) => {
    const found = findingsOf(SecurityAlarmsPresent, (t) => eachSecurityFilter(t, edit));
    // The 14 CIS filters, the PHI access filter, the break-glass filter and the role trust filter.
    expect(found).toHaveLength(17);
    expect(found.every((f) => /::filter-miscounts\]/.test(f))).toBe(true);
    expect(found).toContain('[BreakGlass-BreakGlass::filter-miscounts] BreakGlassUseFilter');
    expect(found).toContain('[RoleTrustPolicyChanges::filter-miscounts] RoleTrustPolicyChangesFilter');
  });

  test('D1 MetricValue 1 as a number, and the PHI filter DefaultValue 0, pass', () => {
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        audit(t).RootAccountUsageFilter.Properties.MetricTransformations[0].MetricValue = 1;
        audit(t).PhiObjectAccessFilter.Properties.MetricTransformations[0].DefaultValue = 0;
        audit(t).VpcChangesFilter.Properties.ApplyOnTransformedLogs = false;
      }),
    ).toEqual([]);
  });

  test('D1 another filter publishing the alarmed metric is a finding: a muted copy of the pattern, or one cancelling the count', () => {
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        const a = audit(t);
        a.RootAccountUsageFilter0 = JSON.parse(JSON.stringify(a.RootAccountUsageFilter));
        a.RootAccountUsageFilter0.Properties.MetricTransformations[0].MetricValue = '0';
      }),
    ).toEqual(['[RootAccountUsage::metric-shared] RootAccountUsageFilter0']);
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        const a = audit(t);
        a.Cancel = JSON.parse(JSON.stringify(a.RootAccountUsageFilter));
        a.Cancel.Properties.FilterPattern = '';
        a.Cancel.Properties.MetricTransformations[0].MetricValue = '-1000';
      }),
    ).toEqual(['[RootAccountUsage::metric-shared] Cancel']);
  });

  test('D1 A5 a log transformer on the trail log group (any stack) is a finding; one on another log group is not', () => {
    const transformer = (group: unknown): Mutable => ({
      Type: 'AWS::Logs::Transformer',
      Properties: {
        LogGroupIdentifier: group,
        TransformerConfig: [{ DeleteKeys: { WithKeys: ['eventName'] } }],
      },
    });
    expect(findingsOf(SecurityAlarmsPresent, (t) => (audit(t).Strip = transformer({ Ref: 'TrailLogs' })))).toEqual([
      '[TrailLogGroup::transformer] Strip',
    ]);
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => (t.detection.Resources.Strip = transformer({ 'Fn::ImportValue': 'x' }))),
    ).toEqual(['[TrailLogGroup::transformer] Strip']);
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        audit(t).OtherLogs = { Type: 'AWS::Logs::LogGroup', Properties: {} };
        audit(t).Strip = transformer({ Ref: 'OtherLogs' });
      }),
    ).toEqual([]);
  });

  test.each<[string, unknown]>([
    [
      'an extra clause ($.userIdentity.type != "IAMUser")',
      breakGlassPattern('($.eventName = "AssumeRole")', ' && ($.userIdentity.type != "IAMUser")'),
    ],
    [
      'another role',
      '{ ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "arn:aws:iam::123456789012:role/app-prod-other") }',
    ],
    ['a wildcard role ARN', '{ ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "*") }'],
  ])('A5 a break-glass filter pattern with %s is no break-glass filter', (_name, pattern) => {
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => (audit(t).BreakGlassUseFilter.Properties.FilterPattern = pattern)),
    ).toEqual(['[BreakGlass-BreakGlass::no-metric-filter] (template)']);
  });

  test('A5 the break-glass filter must catch every assume form its trust allows', () => {
    const webIdentity = (t: Record<string, Mutable>): void => {
      audit(t).BreakGlass.Properties.AssumeRolePolicyDocument.Statement = [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::123456789012:root' } },
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'],
          Principal: { Federated: 'accounts.google.com' },
        },
      ];
    };
    expect(findingsOf(SecurityAlarmsPresent, webIdentity)).toEqual([
      '[BreakGlass-BreakGlass::no-metric-filter] (template)',
    ]);
    // The three forms listed, or a prefix covering them, pass.
    for (const events of [
      '(($.eventName = "AssumeRole") || ($.eventName = "AssumeRoleWithSAML") || ($.eventName = "AssumeRoleWithWebIdentity"))',
      '($.eventName = "AssumeRole*")',
    ]) {
      expect(
        findingsOf(SecurityAlarmsPresent, (t) => {
          webIdentity(t);
          audit(t).BreakGlassUseFilter.Properties.FilterPattern = breakGlassPattern(events);
        }),
      ).toEqual([]);
    }
    // A filter of AssumeRoleWithSAML only misses AssumeRole, which the trust always allows.
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        audit(t).BreakGlassUseFilter.Properties.FilterPattern = breakGlassPattern(
          '($.eventName = "AssumeRoleWithSAML")',
        );
      }),
    ).toEqual(['[BreakGlass-BreakGlass::no-metric-filter] (template)']);
    // The pattern the blueprint writes (with the event source) passes.
    expect(
      findingsOf(SecurityAlarmsPresent, (t) => {
        audit(t).BreakGlassUseFilter.Properties.FilterPattern = breakGlassPattern('($.eventName = "AssumeRole")');
      }),
    ).toEqual([]);
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
