import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionPolicy } from '../../constructs/core/retention';
import { taggedSafeguards } from '../../constructs/core/safeguard-ids';
import {
  FRESHNESS_LOOKBACK_HOURS,
  HOURS_SINCE_VALIDATED_METRIC,
  PhiRestoreValidation,
  PhiRestoreValidationProps,
  RESTORE_DURATION_METRIC,
  RESTORE_SUCCEEDED_METRIC,
  RESTORE_TESTING_NAMESPACE,
} from '../../constructs/phi-restore-validation';
import * as handler from '../../lambda/restore-validation';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const ACTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:alert-formatter';
const PLAN_ARN = 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:app_prod_phi_restore_test-0001';

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
    restoreTestingPlanArn: PLAN_ARN,
    encryptionKey: new Key(s, 'OpsKey'),
    vpc,
    vpcSubnets: { subnetGroupName: 'Application' },
    retention: RETENTION,
    alarmAction: action,
    phiKey: new Key(s, 'PhiKey'),
    restoreSubnetGroupName: 'restore-subnet-group',
    restoreSecurityGroup: new SecurityGroup(s, 'RestoreSg', { vpc }),
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
    expect([RESTORE_DURATION_METRIC, RESTORE_SUCCEEDED_METRIC, HOURS_SINCE_VALIDATED_METRIC]).toEqual([
      handler.RESTORE_DURATION_METRIC,
      handler.RESTORE_SUCCEEDED_METRIC,
      handler.HOURS_SINCE_VALIDATED_METRIC,
    ]);
    expect(FRESHNESS_LOOKBACK_HOURS).toBe(handler.FRESHNESS_LOOKBACK_HOURS);
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
        Variables: Match.objectLike({
          RTO_HOURS: '24',
          METRIC_NAMESPACE: RESTORE_TESTING_NAMESPACE,
          RESTORE_TESTING_PLAN_ARN: PLAN_ARN,
          RESOURCE_TYPES: 'RDS,S3',
        }),
      },
    });
    // HTTPS only: to the VPC's interface endpoints and to S3 through the gateway endpoint.
    TEMPLATE.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription:
        'Restore validation: HTTPS to VPC interface endpoints and to S3 through the gateway endpoint only',
      SecurityGroupEgress: [
        Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
        Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }),
      ],
    });
  });

  test('I1 the role may only read and list restore jobs, record their validation and publish in its namespace', () => {
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
      'backup:ListRestoreJobs',
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
      'backup:ListRestoreJobs',
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

  test('I1 the freshness check runs every 6 hours on the same function', () => {
    TEMPLATE.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(6 hours)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreValidationFunction'), 'Arn'] } }),
      ],
    });
  });

  test('I1 a no-validated-restore-test alarm per type: the hours since the last SUCCESSFUL validation above interval + start window + RTO, missing data breaching', () => {
    const alarms = alarmsOf(TEMPLATE, HOURS_SINCE_VALIDATED_METRIC);
    expect(alarms.map((a) => a.Properties.Dimensions[0].Value).sort()).toEqual(['RDS', 'S3']);
    for (const a of alarms) {
      const p = a.Properties;
      expect(p).toMatchObject({
        Namespace: RESTORE_TESTING_NAMESPACE,
        Statistic: 'Maximum',
        // Weekly (168) + the plan's 24-hour start window + the 24-hour RTO: 9 days.
        Threshold: 216,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [ACTION_ARN],
      });
      // A daily period holds four runs of the check; PutMetricAlarm refuses more than 604,800 s in all.
      expect(p.Period * p.EvaluationPeriods).toBeLessThanOrEqual(604_800);
      expect(p.Period).toBeGreaterThanOrEqual(4 * 6 * 3600);
    }
    const dev = alarmsOf(build({ recoveryTimeObjectiveHours: 72 }), HOURS_SINCE_VALIDATED_METRIC);
    expect(dev[0].Properties.Threshold).toBe(264);
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
    TEMPLATE.resourceCountIs('AWS::CloudWatch::Alarm', 8);
  });

  test('I1 a restore test validated FAILED alarms the same day, per restored type', () => {
    for (const type of ['RDS', 'S3']) {
      TEMPLATE.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: RESTORE_TESTING_NAMESPACE,
        MetricName: 'RestoreTestSucceeded',
        Dimensions: [{ Name: 'ResourceType', Value: type }],
        Statistic: 'Minimum',
        Period: 86400,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [ACTION_ARN],
      });
    }
  });

  test('I1 every resource of the construct is tagged with I1 (the control matrix lists them under I1)', () => {
    const s = new Stack(new App(), 'T', { env: { account: '123456789012', region: 'us-east-1' } });
    const vpc = new Vpc(s, 'Vpc', {
      natGateways: 0,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [{ name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    const v = new PhiRestoreValidation(s, 'RestoreValidation', {
      resourceTypes: ['S3'],
      recoveryTimeObjectiveHours: 24,
      restoreTestingPlanArn: PLAN_ARN,
      encryptionKey: new Key(s, 'OpsKey'),
      vpc,
      vpcSubnets: { subnetGroupName: 'Application' },
      retention: RETENTION,
      alarmAction: { bind: () => ({ alarmActionArn: ACTION_ARN }) },
      phiKey: new Key(s, 'PhiKey'),
      restoreSubnetGroupName: 'restore-subnet-group',
      restoreSecurityGroup: new SecurityGroup(s, 'RestoreSg', { vpc }),
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
    ['a zero schedule interval', { scheduleIntervalHours: 0 }, /scheduleIntervalHours = 0: must be a whole number/],
    [
      'a window beyond the look-back of the check',
      { scheduleIntervalHours: 300 },
      /scheduleIntervalHours \+ startWindowHours \+ recoveryTimeObjectiveHours = 348: must be under 336 hours/,
    ],
  ])('I1 refuses %s, naming the field, the value and the rule', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
