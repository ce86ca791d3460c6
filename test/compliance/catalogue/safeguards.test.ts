import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { safeguardsForResource } from '../../../lib/compliance/catalogue/safeguards';
import { fixtureStack } from '../../support/construct-fixtures';

describe('the safeguard table (RESOURCE_SAFEGUARDS)', () => {
  const alarm = (actionsEnabled: unknown): CfnAlarm => {
    const a = new CfnAlarm(fixtureStack(), 'Alarm', {
      namespace: 'HipaaBlueprint/Security',
      metricName: 'RootAccountUsage',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      alarmActions: ['arn:aws:sns:us-east-1:123456789012:alerts'],
    });
    if (actionsEnabled !== undefined) a.addPropertyOverride('ActionsEnabled', actionsEnabled);
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
});
