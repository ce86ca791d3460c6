import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlertPipeline, DEAD_LETTER_READ_ACTIONS, FINDING_PATTERNS } from '../../constructs/alert-pipeline';
import { LAMBDA_ENI_ACTIONS } from '../../constructs/vpc-function-parts';
import {
  APPLICATION_SUBNET_IDS,
  fixtureStack,
  importedKey,
  importedVpc,
  KEY_ARN,
  RETENTION,
  TEST_ENV,
  VPC_CIDR,
} from '../support/construct-fixtures';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

const ACCOUNT = TEST_ENV.account;
const REGION = TEST_ENV.region;
const EMAILS = ['alerts-a@example.org', 'alerts-b@example.org'];

// The pipeline alone in its stack, with an imported key (the operations key) and the application tier of an
// imported VPC: the template holds only what AlertPipeline creates.
const stack = fixtureStack('Alerting');
new AlertPipeline(stack, 'AlertPipeline', {
  encryptionKey: importedKey(stack),
  alertEmails: EMAILS,
  vpc: importedVpc(stack),
  vpcSubnets: { subnetGroupName: 'Application' },
  retention: RETENTION,
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const idOf = (type: string): string => {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  return found[0][0];
};

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, Record<string, string>>;
};

/** The statements of the (single) resource policy of the given type. */
function policyStatements(type: string): Statement[] {
  const [[, policy]] = ofType(type);
  return (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

/**
 * IAM condition evaluation for the operators these policies use, including the missing-key rules
 * (a service principal's request has no aws:PrincipalAccount): String/ArnNot* on a missing key is true,
 * Bool on a missing key is false, any ...IfExists on a missing key is true.
 */
function conditionsHold(condition: Statement['Condition'], request: Record<string, string>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const value = request[key];
      if (value === undefined) return operator.endsWith('IfExists') || /^(String|Arn)Not/.test(operator);
      const base = operator.replace(/IfExists$/, '');
      if (base === 'StringNotEquals') return value !== expected;
      if (base === 'StringEquals' || base === 'Bool') return value === expected;
      throw new Error(`operator ${operator} not modelled`);
    }),
  );
}

/** Whether an explicit Deny of the topic or queue policy applies to the action for this request. */
function denied(type: string, action: string, request: Record<string, string>): boolean {
  return policyStatements(type).some(
    (s) => s.Effect === 'Deny' && [s.Action].flat().includes(action) && conditionsHold(s.Condition, request),
  );
}

const TLS = { 'aws:SecureTransport': 'true' };
const CLOUDWATCH_ALARM = { ...TLS, 'aws:PrincipalIsAWSService': 'true', 'aws:SourceAccount': ACCOUNT };
const THIS_ACCOUNT_ROLE = { ...TLS, 'aws:PrincipalIsAWSService': 'false', 'aws:PrincipalAccount': ACCOUNT };
const OTHER_ACCOUNT_ROLE = { ...TLS, 'aws:PrincipalIsAWSService': 'false', 'aws:PrincipalAccount': '999999999999' };

describe('AlertPipeline', () => {
  it('D3 topic is encrypted with the operations key and TLS-only', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: KEY_ARN });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('D3 topic policy: only this account publishes; CloudWatch only for this account’s alarms', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'OnlyThisAccountPublishes',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } },
          }),
          Match.objectLike({
            Sid: 'ThisAccountsAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': ACCOUNT },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${REGION}:${ACCOUNT}:alarm:*`]],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('D3 topic policy: CloudWatch (a service principal, no aws:PrincipalAccount) can publish the health alarms; other accounts cannot', () => {
    const deny = policyStatements('AWS::SNS::TopicPolicy').find((s) => s.Sid === 'OnlyThisAccountPublishes');
    expect(deny?.Condition).toEqual({
      StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    });
    expect(denied('AWS::SNS::TopicPolicy', 'sns:Publish', CLOUDWATCH_ALARM)).toBe(false);
    expect(denied('AWS::SNS::TopicPolicy', 'sns:Publish', THIS_ACCOUNT_ROLE)).toBe(false);
    expect(denied('AWS::SNS::TopicPolicy', 'sns:Publish', OTHER_ACCOUNT_ROLE)).toBe(true);
    // A request without the service flag at all is still treated as an IAM principal.
    expect(denied('AWS::SNS::TopicPolicy', 'sns:Publish', { ...TLS, 'aws:PrincipalAccount': '999999999999' })).toBe(
      true,
    );
  });

  it('D3 every configured address gets an e-mail subscription', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of EMAILS) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
    }
  });

  it('D3 formatter: Node.js 24 on arm64, in the application tier of the PHI VPC, topic ARN in env', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: { ALERT_TOPIC_ARN: { Ref: idOf('AWS::SNS::Topic') } } },
      VpcConfig: {
        SubnetIds: APPLICATION_SUBNET_IDS,
        SecurityGroupIds: [{ 'Fn::GetAtt': [idOf('AWS::EC2::SecurityGroup'), 'GroupId'] }],
      },
    });
  });

  it('D3 formatter security group: no ingress, egress only HTTPS to the VPC CIDR', () => {
    const [, sg] = ofType('AWS::EC2::SecurityGroup')[0];
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    const egress = sg.Properties.SecurityGroupEgress as Array<Record<string, unknown>>;
    expect(egress).toHaveLength(1);
    expect(egress[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expect(egress[0].CidrIp).toBe(VPC_CIDR);
  });

  it('D3 formatter has reserved concurrency and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [idOf('AWS::SQS::Queue'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
  });

  it('E2 dead-letter queue: operations key, TLS-only, 14 days, retained', () => {
    template.hasResource('AWS::SQS::Queue', {
      Properties: { KmsMasterKeyId: KEY_ARN, MessageRetentionPeriod: 1209600 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('U4 dead-letter queue (raw finding detail): nobody outside this account, no service, reads, purges or hides messages', () => {
    const deny = policyStatements('AWS::SQS::QueuePolicy').find((s) => s.Sid === 'OnlyThisAccountReadsDeadLetters');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...DEAD_LETTER_READ_ACTIONS].sort(),
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } },
    });
    expect([...DEAD_LETTER_READ_ACTIONS].sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:PurgeQueue',
      'sqs:ReceiveMessage',
    ]);
    for (const action of DEAD_LETTER_READ_ACTIONS) {
      expect(denied('AWS::SQS::QueuePolicy', action, OTHER_ACCOUNT_ROLE)).toBe(true);
      expect(denied('AWS::SQS::QueuePolicy', action, { ...TLS, 'aws:PrincipalIsAWSService': 'true' })).toBe(true);
      expect(denied('AWS::SQS::QueuePolicy', action, THIS_ACCOUNT_ROLE)).toBe(false);
    }
    // Lambda and EventBridge still dead-letter into it.
    expect(denied('AWS::SQS::QueuePolicy', 'sqs:SendMessage', { ...TLS, 'aws:PrincipalIsAWSService': 'true' })).toBe(
      false,
    );
  });

  it('U3 formatter logs to an encrypted log group kept six years (no LogRetention singleton)', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 2192, KmsKeyId: KEY_ARN },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: idOf('AWS::Logs::LogGroup') } },
    });
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('A3 formatter role: no inline policy, no AWS managed policy, two customer-managed policies', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const [, role] = ofType('AWS::IAM::Role')[0];
    expect(ofType('AWS::IAM::Role')).toHaveLength(1);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
  });

  it('A3 scoped policy: this topic, this queue, this log group, the operations key via SNS/SQS only', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: idOf('AWS::SNS::Topic') } },
          {
            Sid: 'DeadLetterFailedInvocations',
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [idOf('AWS::SQS::Queue'), 'Arn'] },
          },
          Match.objectLike({
            Sid: 'EncryptForTopicAndQueue',
            // Sorted by @aws-cdk/aws-iam:minimizePolicies (cdk.json).
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: KEY_ARN,
            Condition: {
              StringEquals: {
                'kms:ViaService': [
                  { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
                  { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
                ],
              },
            },
          }),
          {
            Sid: 'WriteOwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [idOf('AWS::Logs::LogGroup'), 'Arn'] },
          },
        ],
      },
    });
  });

  it('A3 network policy holds only the Lambda ENI actions (the acknowledged wildcard)', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        // Exactly these actions, sorted by @aws-cdk/aws-iam:minimizePolicies (cdk.json).
        Statement: [
          { Sid: 'LambdaVpcNetworkInterfaces', Effect: 'Allow', Action: [...LAMBDA_ENI_ACTIONS].sort(), Resource: '*' },
        ],
      },
    });
  });

  it('the function is created after its policies (Lambda checks ENI permissions on create)', () => {
    const fnId = idOf('AWS::Lambda::Function');
    const dependsOn = (template.toJSON().Resources[fnId] as { DependsOn?: string[] }).DependsOn ?? [];
    for (const [policyId] of ofType('AWS::IAM::ManagedPolicy')) expect(dependsOn).toContain(policyId);
  });

  it.each(Object.keys(FINDING_PATTERNS))('D2->D3 %s rule targets the formatter with DLQ and retries', (name) => {
    const rules = ofType('AWS::Events::Rule').filter(([id]) => id.includes(name));
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0];
    const pattern = rule.Properties.EventPattern as { source: string[]; 'detail-type': string[] };
    expect(pattern.source).toEqual(FINDING_PATTERNS[name].source);
    expect(pattern['detail-type']).toEqual(FINDING_PATTERNS[name].detailType);
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [idOf('AWS::Lambda::Function'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf('AWS::SQS::Queue'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 8 },
      }),
    ]);
  });

  it('D2 rules cover GuardDuty, Security Hub HIGH/CRITICAL, Macie and Inspector HIGH/CRITICAL, failed backup copies', () => {
    const sources = ofType('AWS::Events::Rule').map(
      ([, r]) => (r.Properties.EventPattern as { source: string[] }).source,
    );
    // GuardDuty: findings, runtime coverage, malware scan results and malware protection health (D2); AWS Backup copy
    // jobs (I1, I2).
    expect(sources.flat().sort()).toEqual([
      'aws.backup',
      'aws.guardduty',
      'aws.guardduty',
      'aws.guardduty',
      'aws.guardduty',
      'aws.inspector2',
      'aws.macie',
      'aws.securityhub',
    ]);
    // I1 I2: a copy job to the replica region's (or the isolated) vault that did not complete.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.backup'],
        'detail-type': ['Copy Job State Change'],
        detail: { state: ['FAILED', 'PARTIAL'] },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.securityhub'],
        detail: { findings: Match.objectLike({ Severity: { Label: ['HIGH', 'CRITICAL'] } }) },
      }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.inspector2'],
        detail: Match.objectLike({ severity: ['HIGH', 'CRITICAL'] }),
      }),
    });
  });

  it('D1 alarms are never also routed through EventBridge (each alarm alerts once)', () => {
    expect(JSON.stringify(ofType('AWS::Events::Rule'))).not.toContain('aws.cloudwatch');
  });

  it('D3 pipeline health: dead letters and formatter errors alarm straight to the topic', () => {
    const topicRef = { Ref: idOf('AWS::SNS::Topic') };
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      AlarmActions: [topicRef],
    });
  });

  it('rejects an empty alert list and out-of-range concurrency, naming field and value', () => {
    const s = fixtureStack();
    const base = {
      encryptionKey: importedKey(s),
      alertEmails: EMAILS,
      vpc: importedVpc(s),
      vpcSubnets: { subnetGroupName: 'Application' },
      retention: RETENTION,
    };
    expect(() => new AlertPipeline(s, 'NoEmails', { ...base, alertEmails: [] })).toThrow(
      /alertEmails = \[\]: at least one address must receive alerts \(D3\)/,
    );
    expect(() => new AlertPipeline(s, 'Unbounded', { ...base, reservedConcurrentExecutions: 0 })).toThrow(
      /reservedConcurrentExecutions = 0: must be an integer from 1 to 100/,
    );
    expect(() => new AlertPipeline(s, 'TooMany', { ...base, reservedConcurrentExecutions: 101 })).toThrow(
      /reservedConcurrentExecutions = 101: must be an integer from 1 to 100/,
    );
    expect(() => new AlertPipeline(s, 'Fraction', { ...base, reservedConcurrentExecutions: 1.5 })).toThrow(
      /reservedConcurrentExecutions = 1.5: must be an integer from 1 to 100/,
    );
  });

  it('defaults: topic display name "Security alerts", reserved concurrency 5; both can be set', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Security alerts' });
    const s = fixtureStack();
    new AlertPipeline(s, 'AlertPipeline', {
      encryptionKey: importedKey(s),
      alertEmails: EMAILS,
      vpc: importedVpc(s),
      vpcSubnets: { subnetGroupName: 'Application' },
      retention: RETENTION,
      topicDisplayName: 'Alerts',
      reservedConcurrentExecutions: 2,
    });
    const custom = Template.fromStack(s);
    custom.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Alerts', KmsMasterKeyId: KEY_ARN });
    custom.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 2 });
  });
});
