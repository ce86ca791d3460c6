import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { safeguardsForResource } from '../../../lib/compliance/catalogue/safeguards';
import { fixtureStack } from '../../support/construct-fixtures';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';
const NO_VALUE = { Ref: 'AWS::NoValue' };

describe('the safeguard table (RESOURCE_SAFEGUARDS)', () => {
  const alarm = (actionsEnabled: unknown, actions?: unknown): CfnAlarm => {
    const a = new CfnAlarm(fixtureStack(), 'Alarm', {
      namespace: 'HipaaBlueprint/Security',
      metricName: 'RootAccountUsage',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      alarmActions: [TOPIC],
    });
    if (actionsEnabled !== undefined) a.addPropertyOverride('ActionsEnabled', actionsEnabled);
    if (actions !== undefined) a.addPropertyOverride('AlarmActions', actions);
    return a;
  };

  test.each<[string, unknown, string[]]>([
    ['actions enabled by default', undefined, ['D1']],
    ['actions enabled ("true")', 'true', ['D1']],
    ['actions disabled', false, []],
    ['actions disabled ("false")', 'false', []],
    ['actions a condition only deploy resolves', { 'Fn::If': ['Quiet', false, true] }, []],
  ])('D1 the control matrix counts an alarm with %s as one with an action only when it notifies', (_name, v, ids) => {
    expect(safeguardsForResource(alarm(v)).filter((s) => s === 'D1')).toEqual(ids);
  });

  test.each<[string, unknown, string[]]>([
    ['an action a condition chooses between two topics', [{ 'Fn::If': ['Quiet', TOPIC, `${TOPIC}-2`] }], ['D1']],
    ['an action beside one that is AWS::NoValue', [NO_VALUE, TOPIC], ['D1']],
    ['its only action AWS::NoValue', [NO_VALUE], []],
    ['its only action one a condition may remove', [{ 'Fn::If': ['Quiet', NO_VALUE, TOPIC] }], []],
    ['a list of actions a condition may empty', { 'Fn::If': ['Quiet', [], [TOPIC]] }, []],
    ['a list of actions only deploy resolves (a parameter)', { Ref: 'AlarmTopics' }, []],
  ])(
    'D1 the control matrix counts an alarm with %s as one with an action only when it surely has one',
    (_n, a, ids) => {
      expect(safeguardsForResource(alarm(undefined, a)).filter((s) => s === 'D1')).toEqual(ids);
    },
  );

  const rule = (state: unknown, targets?: unknown): CfnRule => {
    const r = new CfnRule(fixtureStack(), 'Rule', {
      eventPattern: { source: ['aws.guardduty'] },
      targets: [{ id: 'Formatter', arn: 'arn:aws:lambda:us-east-1:123456789012:function:formatter' }],
    });
    if (state !== undefined) r.addPropertyOverride('State', state);
    if (targets !== undefined) r.addPropertyOverride('Targets', targets);
    return r;
  };

  test.each<[string, unknown, unknown, string[]]>([
    ['State absent (enabled by default)', undefined, undefined, ['D1', 'D3']],
    ['State ENABLED', 'ENABLED', undefined, ['D1', 'D3']],
    ['State DISABLED', 'DISABLED', undefined, []],
    ['a State a condition chooses (it may be DISABLED)', { 'Fn::If': ['Quiet', 'DISABLED', 'ENABLED'] }, undefined, []],
    ['a State only deploy resolves (a parameter)', { Ref: 'RuleState' }, undefined, []],
    ['its only target AWS::NoValue', undefined, [NO_VALUE], []],
  ])(
    'D1 D3 the control matrix counts an event rule with %s as enabled routing only when it surely runs',
    (_n, s, t, ids) => {
      expect(safeguardsForResource(rule(s, t)).filter((id) => id === 'D1' || id === 'D3')).toEqual(ids);
    },
  );
});
