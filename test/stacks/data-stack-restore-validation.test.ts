import { templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const resources = (env: 'dev' | 'prod') => Object.entries(templateJson(env, 'Data').Resources as Record<string, Json>);
const validationFunction = (env: 'dev' | 'prod'): [string, Json] =>
  resources(env).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('RestoreValidation'))!;

describe('DataStack restore validation (I1)', () => {
  test.each<['dev' | 'prod', string]>([
    ['dev', '72'],
    ['prod', '24'],
  ])('I1 %s: the validation function holds the configured RTO, the plan and the restore tested types', (env, rto) => {
    const [, fn] = validationFunction(env);
    const plan = resources(env).find(([, r]) => r.Type === 'AWS::Backup::RestoreTestingPlan')![0];
    const types = resources(env)
      .filter(([, r]) => r.Type === 'AWS::Backup::RestoreTestingSelection')
      .map(([, r]) => r.Properties.ProtectedResourceType);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      RTO_HOURS: rto,
      RESTORE_TESTING_PLAN_ARN: { 'Fn::GetAtt': [plan, 'RestoreTestingPlanArn'] },
      RESOURCE_TYPES: types.join(','),
    });
    expect(fn.Properties.VpcConfig.SubnetIds.length).toBeGreaterThan(0);
  });

  test('I1 prod: the duration alarms fire above 24 h, the no-validated-test alarms above 216 h, all to the alert topic', () => {
    const alarms = resources('prod').filter(
      ([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && id.startsWith('RestoreValidation'),
    );
    const threshold = (metric: string) =>
      alarms.filter(([, a]) => a.Properties.MetricName === metric).map(([, a]) => a.Properties.Threshold);
    expect(threshold('RestoreTestDurationHours')).toEqual([24, 24]);
    expect(threshold('HoursSinceValidatedRestoreTest')).toEqual([216, 216]);
    for (const [, a] of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
  });
});
