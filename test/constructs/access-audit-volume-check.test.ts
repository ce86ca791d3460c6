import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  ACCESS_AUDIT_VOLUME_NAMESPACE,
  AccessAuditVolumeCheck,
  AccessAuditVolumeCheckProps,
} from '../../constructs/access-audit-volume-check';
import { RetentionPolicy } from '../../constructs/core/retention';
import { VOLUME_NAMESPACE } from '../../lambda/access-audit-volume';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const ACTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:alert-formatter';

function build(props: Partial<AccessAuditVolumeCheckProps> = {}): Template {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const vpc = new Vpc(s, 'Vpc', {
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  const action: IAlarmAction = { bind: () => ({ alarmActionArn: ACTION_ARN }) };
  new AccessAuditVolumeCheck(s, 'Volume', {
    eventsBucket: Bucket.fromBucketName(s, 'Events', 'app-prod-access-audit-events'),
    resultsBucket: Bucket.fromBucketName(s, 'Results', 'app-prod-access-audit-results'),
    workGroupName: 'app-prod-access-audit',
    databaseName: 'app_prod_access_audit',
    auditKey: new Key(s, 'AuditKey'),
    encryptionKey: new Key(s, 'OpsKey'),
    vpc,
    vpcSubnets: { subnetGroupName: 'Application' },
    retention: RETENTION,
    roleName: 'app-prod-access-audit-volume',
    threshold: 500,
    alarmAction: action,
    ...props,
  });
  return Template.fromStack(s);
}

const TEMPLATE = build();
const statements = (t: Template, description: RegExp): Json[] =>
  Object.values(t.findResources('AWS::IAM::ManagedPolicy') as Record<string, Json>)
    .filter((p) => description.test(p.Properties.Description))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('AccessAuditVolumeCheck', () => {
  test('U5 D1 the construct namespace is the handler namespace', () => {
    expect(ACCESS_AUDIT_VOLUME_NAMESPACE).toBe(VOLUME_NAMESPACE);
  });

  test('U5 D1 the function: Node.js 24 arm64, in the VPC, reserved concurrency 1, dead-letter queue, settings in env', () => {
    TEMPLATE.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      DeadLetterConfig: Match.objectLike({ TargetArn: Match.anyValue() }),
      Environment: {
        Variables: Match.objectLike({
          ATHENA_WORKGROUP: 'app-prod-access-audit',
          GLUE_DATABASE: 'app_prod_access_audit',
          WINDOW_MINUTES: '60',
          THRESHOLD: '500',
        }),
      },
    });
    TEMPLATE.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    TEMPLATE.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 2192, KmsKeyId: Match.anyValue() });
    TEMPLATE.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
  });

  test('U5 D1 an hourly schedule invokes the function', () => {
    const rules = Object.values(TEMPLATE.findResources('AWS::Events::Rule') as Record<string, Json>);
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.ScheduleExpression).toBe('rate(1 hour)');
    expect(rules[0].Properties.State).toBe('ENABLED');
    const fn = Object.keys(TEMPLATE.findResources('AWS::Lambda::Function'))[0];
    expect(rules[0].Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
  });

  test('U5 D1 the anomaly alarm watches UsersOverThreshold, alerts, and treats missing data as not breaching', () => {
    TEMPLATE.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'HipaaBlueprint/AccessAudit',
      MetricName: 'UsersOverThreshold',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [ACTION_ARN],
    });
    TEMPLATE.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      AlarmActions: [ACTION_ARN],
    });
  });

  test('U5 D1 the role: fixed name, only the two customer-managed policies', () => {
    TEMPLATE.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'app-prod-access-audit-volume',
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    expect(Object.keys(TEMPLATE.findResources('AWS::IAM::Policy'))).toEqual([]);
    expect(Object.keys(TEMPLATE.findResources('AWS::IAM::ManagedPolicy'))).toHaveLength(2);
  });

  test('U5 D1 the scoped policy: exact actions, no delete, no write to the events, metrics in one namespace', () => {
    const st = statements(TEMPLATE, /the workgroup/);
    const actions = st.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StartQueryExecution',
        'cloudwatch:PutMetricData',
        'glue:GetDatabase',
        'glue:GetPartitions',
        'glue:GetTable',
        'kms:Decrypt',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetBucketLocation',
        's3:GetObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'sqs:SendMessage',
      ].sort(),
    );
    const bySid = Object.fromEntries(st.map((s) => [s.Sid, s]));
    expect(JSON.stringify(bySid.ReadEvents.Resource)).toContain('app-prod-access-audit-events/events/*');
    expect(JSON.stringify(bySid.WriteAndReadResults.Resource)).toContain('app-prod-access-audit-results/results/*');
    expect(bySid.PublishAggregates.Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'HipaaBlueprint/AccessAudit' },
    });
    expect(bySid.QueryThroughWorkGroup.Resource).toBe(
      'arn:aws:athena:us-east-1:123456789012:workgroup/app-prod-access-audit',
    );
    expect(bySid.AuditKeyThroughS3.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    });
    // Nothing writes to the events bucket.
    const eventWrites = st.filter(
      (s) =>
        JSON.stringify(s.Resource).includes('access-audit-events') &&
        [s.Action].flat().some((a: string) => !/Get|List/.test(a)),
    );
    expect(eventWrites).toEqual([]);
  });

  test('U5 D1 the network policy holds only the ENI actions', () => {
    const st = statements(TEMPLATE, /network interface/);
    expect(st).toHaveLength(1);
    expect([st[0].Action].flat().every((a: string) => a.startsWith('ec2:'))).toBe(true);
  });

  test.each<[string, Partial<AccessAuditVolumeCheckProps>, RegExp]>([
    ['threshold 0', { threshold: 0 }, /threshold = 0: must be an integer from 1 to 1000000/],
    ['threshold 1.5', { threshold: 1.5 }, /threshold = 1.5: must be an integer/],
    ['a database with capitals', { databaseName: 'App' }, /databaseName = 'App': must be 1-255 lower-case/],
    ['a workgroup with a space', { workGroupName: 'a b' }, /workGroupName = 'a b': must be 1-128/],
  ])('U5 %s is refused with field, value and rule', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
