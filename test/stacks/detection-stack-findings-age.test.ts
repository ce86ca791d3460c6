import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CRITICAL_FINDING_MAX_AGE_DAYS } from '../../lib/config/schema';
import { buildTestBlueprint, testConfig } from '../support/blueprint';
import { synthesizedTemplate, templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const checkFunctions = (t: Template): Json[] =>
  Object.values(t.findResources('AWS::Lambda::Function') as Record<string, Json>).filter(
    (f) => f.Properties.Environment?.Variables?.MAX_AGE_DAYS !== undefined,
  );

describe('DetectionStack: the critical findings age check', () => {
  test('D2 V2 prod runs it with its tighter age (15 days), dev with the default (30)', () => {
    expect(
      checkFunctions(synthesizedTemplate('prod', 'Detection')).map((f) => f.Properties.Environment.Variables),
    ).toEqual([expect.objectContaining({ MAX_AGE_DAYS: '15' })]);
    expect(
      checkFunctions(synthesizedTemplate('dev', 'Detection')).map((f) => f.Properties.Environment.Variables),
    ).toEqual([expect.objectContaining({ MAX_AGE_DAYS: String(DEFAULT_CRITICAL_FINDING_MAX_AGE_DAYS) })]);
  });

  test('D2 it runs in the PHI VPC application tier, and its alarms go to the alert formatter', () => {
    const detection = templateJson('prod', 'Detection');
    const [fn] = checkFunctions(synthesizedTemplate('prod', 'Detection'));
    const subnets = JSON.stringify(fn.Properties.VpcConfig.SubnetIds);
    expect(subnets).toMatch(/ApplicationSubnet/);
    expect(subnets).not.toMatch(/DataSubnet|PublicSubnet/);
    const alarms = Object.values(detection.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm') as Json[];
    const ours = alarms.filter(
      (a) => a.Properties.Namespace === 'HipaaBlueprint/Findings' || a.Properties.MetricName === 'Errors',
    );
    expect(ours).toHaveLength(3);
    for (const a of ours) expect(JSON.stringify(a.Properties.AlarmActions)).toMatch(/Formatter/);
  });

  test('D2 the prod PHI VPC has the securityhub interface endpoint', () => {
    const endpoints = Object.values(templateJson('prod', 'Network').Resources).filter(
      (r) => r.Type === 'AWS::EC2::VPCEndpoint',
    ) as Json[];
    expect(endpoints.map((e) => JSON.stringify(e.Properties.ServiceName))).toContainEqual(
      expect.stringContaining('.securityhub'),
    );
  });

  test('D2 Security Hub provided by another account: no check is deployed', () => {
    const config = testConfig('dev', {
      detection: { securityHub: false, providedBy: 'the organisation security account' },
    });
    const { stage } = buildTestBlueprint(config);
    expect(stage.detection!.criticalFindingsAge).toBeUndefined();
    expect(checkFunctions(Template.fromStack(stage.detection!))).toEqual([]);
  });
});
