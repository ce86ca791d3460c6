import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
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
});
