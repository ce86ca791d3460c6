import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  CRITICAL_FINDINGS_AGE_METRIC,
  CRITICAL_FINDINGS_AGE_NAMESPACE,
  CriticalFindingsAgeCheck,
  CriticalFindingsAgeCheckProps,
} from '../../constructs/critical-findings-age-check';
import { RetentionPolicy } from '../../constructs/core/retention';
import { FINDINGS_AGE_METRIC, FINDINGS_AGE_NAMESPACE } from '../../lambda/findings-age';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const ACTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:alert-formatter';

function build(props: Partial<CriticalFindingsAgeCheckProps> = {}): Template {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const vpc = new Vpc(s, 'Vpc', {
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  const action: IAlarmAction = { bind: () => ({ alarmActionArn: ACTION_ARN }) };
  new CriticalFindingsAgeCheck(s, 'FindingsAge', {
    maxAgeDays: 15,
    encryptionKey: new Key(s, 'OpsKey'),
    vpc,
    vpcSubnets: { subnetGroupName: 'Application' },
    retention: RETENTION,
    alarmAction: action,
    ...props,
  });
  return Template.fromStack(s);
}

const TEMPLATE = build();
const alarms = (t: Template): Json[] =>
  Object.values(t.findResources('AWS::CloudWatch::Alarm') as Record<string, Json>).map((a) => a.Properties);
const statements = (t: Template, description: RegExp): Json[] =>
  Object.values(t.findResources('AWS::IAM::ManagedPolicy') as Record<string, Json>)
    .filter((p) => description.test(p.Properties.Description))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('CriticalFindingsAgeCheck', () => {
  test('V2 D2 the construct namespace and metric are the handler namespace and metric', () => {
    expect(CRITICAL_FINDINGS_AGE_NAMESPACE).toBe(FINDINGS_AGE_NAMESPACE);
    expect(CRITICAL_FINDINGS_AGE_METRIC).toBe(FINDINGS_AGE_METRIC);
  });

  test('V2 D2 the function: Node.js 24 arm64, in the VPC, reserved concurrency 1, dead-letter queue, age in env', () => {
    TEMPLATE.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      DeadLetterConfig: Match.objectLike({ TargetArn: Match.anyValue() }),
      Environment: { Variables: Match.objectLike({ MAX_AGE_DAYS: '15' }) },
    });
    TEMPLATE.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    TEMPLATE.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 2192, KmsKeyId: Match.anyValue() });
    TEMPLATE.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
  });

  test('V2 D2 a six-hour schedule invokes the function', () => {
    const rules = Object.values(TEMPLATE.findResources('AWS::Events::Rule') as Record<string, Json>);
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.ScheduleExpression).toBe('rate(6 hours)');
    expect(rules[0].Properties.State).toBe('ENABLED');
    const fn = Object.keys(TEMPLATE.findResources('AWS::Lambda::Function'))[0];
    expect(rules[0].Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
  });

  test('V2 D2 the age alarm: any critical finding over the age alerts; missing data is left to the not-run alarm', () => {
    expect(alarms(TEMPLATE).filter((a) => a.Statistic === 'Maximum')).toEqual([
      expect.objectContaining({
        Namespace: 'HipaaBlueprint/Findings',
        MetricName: 'CriticalFindingsOverAge',
        Period: 21600,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [ACTION_ARN],
      }),
    ]);
    // The total, not one product's count.
    expect(alarms(TEMPLATE).every((a) => a.Dimensions === undefined || a.Namespace === 'AWS/Lambda')).toBe(true);
  });

  test('V2 D2 the not-run alarm: no count published over two runs is breaching', () => {
    expect(alarms(TEMPLATE).filter((a) => a.Statistic === 'SampleCount')).toEqual([
      expect.objectContaining({
        Namespace: 'HipaaBlueprint/Findings',
        MetricName: 'CriticalFindingsOverAge',
        Period: 43200,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [ACTION_ARN],
      }),
    ]);
  });

  test('V2 D2 the failure alarm: function errors alert', () => {
    TEMPLATE.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 0,
      AlarmActions: [ACTION_ARN],
    });
    expect(alarms(TEMPLATE)).toHaveLength(3);
  });

  test('V2 D2 the role: only the two customer-managed policies', () => {
    TEMPLATE.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent(), Policies: Match.absent() });
    expect(Object.keys(TEMPLATE.findResources('AWS::IAM::Policy'))).toEqual([]);
    expect(Object.keys(TEMPLATE.findResources('AWS::IAM::ManagedPolicy'))).toHaveLength(2);
  });

  test('V2 D2 the scoped policy: GetFindings on this hub only, metrics in one namespace, no write to Security Hub', () => {
    const st = statements(TEMPLATE, /GetFindings/);
    expect(st.flatMap((s) => [s.Action].flat()).sort()).toEqual(
      [
        'cloudwatch:PutMetricData',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'securityhub:GetFindings',
        'sqs:SendMessage',
      ].sort(),
    );
    const bySid = Object.fromEntries(st.map((s) => [s.Sid, s]));
    expect(bySid.ReadFindingsOfThisHub.Resource).toBe('arn:aws:securityhub:us-east-1:123456789012:hub/default');
    expect(bySid.PublishCounts.Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'HipaaBlueprint/Findings' },
    });
  });

  test('V2 D2 the network policy holds only the ENI actions', () => {
    const st = statements(TEMPLATE, /network interface/);
    expect(st).toHaveLength(1);
    expect([st[0].Action].flat().every((a: string) => a.startsWith('ec2:'))).toBe(true);
  });

  test('V2 a shorter schedule shortens the alarm periods', () => {
    const t = build({ scheduleHours: 3 });
    expect(t.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(3 hours)' } })).not.toEqual(
      {},
    );
    expect(
      alarms(t)
        .map((a) => a.Period)
        .sort(),
    ).toEqual([10800, 10800, 21600]);
  });

  test.each<[string, Partial<CriticalFindingsAgeCheckProps>, RegExp]>([
    ['maxAgeDays 0', { maxAgeDays: 0 }, /maxAgeDays = 0: must be a whole number of days from 1 to 90/],
    ['maxAgeDays 91', { maxAgeDays: 91 }, /maxAgeDays = 91: must be a whole number of days from 1 to 90/],
    ['maxAgeDays 1.5', { maxAgeDays: 1.5 }, /maxAgeDays = 1.5: must be a whole number/],
    ['scheduleHours 13', { scheduleHours: 13 }, /scheduleHours = 13: must be a whole number of hours from 1 to 12/],
  ])('V2 %s is refused with field, value and rule', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
