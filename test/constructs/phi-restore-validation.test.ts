import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionPolicy } from '../../constructs/core/retention';
import { taggedSafeguards } from '../../constructs/core/safeguard-ids';
import {
  PhiRestoreValidation,
  PhiRestoreValidationProps,
  RESTORE_DURATION_METRIC,
  RESTORE_SUCCEEDED_METRIC,
  RESTORE_TESTING_NAMESPACE,
} from '../../constructs/phi-restore-validation';
import {
  RESTORE_DURATION_METRIC as HANDLER_DURATION_METRIC,
  RESTORE_SUCCEEDED_METRIC as HANDLER_SUCCEEDED_METRIC,
} from '../../lambda/restore-validation';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const ACTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:alert-formatter';

function build(props: Partial<PhiRestoreValidationProps> = {}): Template {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const vpc = new Vpc(s, 'Vpc', {
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  const action: IAlarmAction = { bind: () => ({ alarmActionArn: ACTION_ARN }) };
  new PhiRestoreValidation(s, 'RestoreValidation', {
    resourceTypes: ['RDS', 'S3'],
    recoveryTimeObjectiveHours: 24,
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
const alarmsOf = (t: Template, metric: string): Json[] =>
  Object.values(
    t.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric } }) as Record<string, Json>,
  );
const statements = (t: Template, description: RegExp): Json[] =>
  Object.values(t.findResources('AWS::IAM::ManagedPolicy') as Record<string, Json>)
    .filter((p) => description.test(p.Properties.Description))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('PhiRestoreValidation', () => {
  test('I1 the construct metric names and the handler metric names agree', () => {
    expect(RESTORE_DURATION_METRIC).toBe(HANDLER_DURATION_METRIC);
    expect(RESTORE_SUCCEEDED_METRIC).toBe(HANDLER_SUCCEEDED_METRIC);
  });

  test('I1 an EventBridge rule on AWS Backup restore job state changes invokes the function, with a dead-letter queue', () => {
    TEMPLATE.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.backup'], 'detail-type': ['Restore Job State Change'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreValidationFunction'), 'Arn'] },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });
  });

  test('I1 the function: in the VPC, reserved concurrency 1, RTO and namespace in its environment', () => {
    TEMPLATE.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() }),
      DeadLetterConfig: Match.objectLike({ TargetArn: Match.anyValue() }),
      Environment: {
        Variables: Match.objectLike({ RTO_HOURS: '24', METRIC_NAMESPACE: RESTORE_TESTING_NAMESPACE }),
      },
    });
    // HTTPS to the VPC only.
    TEMPLATE.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Restore validation: HTTPS to VPC interface endpoints only',
      SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
    });
  });

  test('I1 the role may only read restore jobs, record their validation and publish in its namespace', () => {
    const scoped = statements(TEMPLATE, /^Restore validation: restore job metadata/);
    const bySid = Object.fromEntries(scoped.map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'DeadLetterFailedInvocations',
      'EncryptDeadLetters',
      'PublishRestoreTestMetrics',
      'ValidateRestoreJobs',
      'WriteOwnLogs',
    ]);
    expect(bySid.ValidateRestoreJobs.Action).toEqual([
      'backup:DescribeRestoreJob',
      'backup:PutRestoreValidationResult',
    ]);
    expect(bySid.PublishRestoreTestMetrics).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Condition: { StringEquals: { 'cloudwatch:namespace': RESTORE_TESTING_NAMESPACE } },
    });
    const actions = [...scoped, ...statements(TEMPLATE, /^Restore validation: the network/)].flatMap((s) =>
      [s.Action].flat(),
    );
    expect(actions.filter((a: string) => a.startsWith('backup:'))).toEqual([
      'backup:DescribeRestoreJob',
      'backup:PutRestoreValidationResult',
    ]);
    expect(actions.every((a: string) => !a.includes('*'))).toBe(true);
    // No inline policy: the function cannot widen its role (withoutPolicyUpdates).
    TEMPLATE.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('I1 a duration alarm per restore tested type fires above the recovery time objective', () => {
    const alarms = alarmsOf(TEMPLATE, RESTORE_DURATION_METRIC);
    expect(alarms.map((a) => a.Properties.Dimensions[0].Value).sort()).toEqual(['RDS', 'S3']);
    for (const a of alarms) {
      expect(a.Properties).toMatchObject({
        Namespace: RESTORE_TESTING_NAMESPACE,
        Threshold: 24,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [ACTION_ARN],
      });
    }
    expect(alarmsOf(build({ recoveryTimeObjectiveHours: 72 }), RESTORE_DURATION_METRIC)[0].Properties.Threshold).toBe(
      72,
    );
  });

  test('I1 a no-validated-restore-test alarm per type: no success in 7 daily periods, missing data breaching, within the 7-day CloudWatch limit', () => {
    const alarms = alarmsOf(TEMPLATE, RESTORE_SUCCEEDED_METRIC);
    expect(alarms.map((a) => a.Properties.Dimensions[0].Value).sort()).toEqual(['RDS', 'S3']);
    for (const a of alarms) {
      const p = a.Properties;
      expect(p).toMatchObject({
        Namespace: RESTORE_TESTING_NAMESPACE,
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        EvaluationPeriods: 7,
        DatapointsToAlarm: 7,
        AlarmActions: [ACTION_ARN],
      });
      // PutMetricAlarm refuses Period x EvaluationPeriods over 604,800 s (7 days).
      expect(p.Period * p.EvaluationPeriods).toBeLessThanOrEqual(604_800);
    }
  });

  test('I1 the function errors and its dead-letter queue alarm too', () => {
    TEMPLATE.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      AlarmActions: [ACTION_ARN],
    });
    TEMPLATE.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      AlarmActions: [ACTION_ARN],
    });
    TEMPLATE.resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });

  test('I1 every resource of the construct is tagged with I1 (the control matrix lists them under I1)', () => {
    const s = new Stack(new App(), 'T', { env: { account: '123456789012', region: 'us-east-1' } });
    const v = new PhiRestoreValidation(s, 'RestoreValidation', {
      resourceTypes: ['S3'],
      recoveryTimeObjectiveHours: 24,
      encryptionKey: new Key(s, 'OpsKey'),
      vpc: new Vpc(s, 'Vpc', {
        natGateways: 0,
        restrictDefaultSecurityGroup: false,
        subnetConfiguration: [{ name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      }),
      vpcSubnets: { subnetGroupName: 'Application' },
      retention: RETENTION,
      alarmAction: { bind: () => ({ alarmActionArn: ACTION_ARN }) },
    });
    const resources = v.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource);
    expect(resources.length).toBeGreaterThan(10);
    for (const r of resources) expect(taggedSafeguards(r)).toContain('I1');
  });

  test.each<[string, Partial<PhiRestoreValidationProps>, RegExp]>([
    [
      'an RTO of 0',
      { recoveryTimeObjectiveHours: 0 },
      /recoveryTimeObjectiveHours = 0: must be a whole number of hours from 1 to 72/,
    ],
    ['an RTO over 72 hours', { recoveryTimeObjectiveHours: 73 }, /recoveryTimeObjectiveHours = 73: .*1 to 72/],
    [
      'a fractional RTO',
      { recoveryTimeObjectiveHours: 2.5 },
      /recoveryTimeObjectiveHours = 2.5: must be a whole number/,
    ],
    ['no resource type', { resourceTypes: [] }, /resourceTypes = \[\]: must name at least one/],
  ])('I1 refuses %s, naming the field, the value and the rule', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
