import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FINDING_PATTERNS } from '../../constructs/alert-pipeline';
import { FindingForwarder, FORWARD_RETRY } from '../../constructs/finding-forwarder';

const RULE_NAMES = { GuardDutyFindings: 'app-prod-fwd-GuardDutyFindings', AlarmStateChanges: 'app-prod-fwd-Alarms' };

function build(
  destinationRegion = 'us-east-1',
  patterns = { GuardDutyFindings: FINDING_PATTERNS.GuardDutyFindings! },
  options: { deadLetter?: boolean; ruleNames?: Record<string, string> } = {},
) {
  const stack = new Stack(new App(), 'Replica', { env: { account: '111111111111', region: 'us-west-2' } });
  const deadLetterKey = options.deadLetter ? new Key(stack, 'Key') : undefined;
  const forwarder = new FindingForwarder(stack, 'Forwarder', {
    destinationRegion,
    patterns,
    ruleNames: options.ruleNames ?? RULE_NAMES,
    ...(deadLetterKey ? { deadLetterKey } : {}),
  });
  return { stack, forwarder, template: Template.fromStack(stack) };
}

const ruleArn = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:us-west-2:111111111111:rule/${name}`]],
});

describe('FindingForwarder', () => {
  it('D3 one rule per pattern, with its fixed name, targeting the destination region default bus through its role', () => {
    const { stack, forwarder, template } = build();
    expect(stack.resolve(forwarder.destinationBusArn)).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:', { Ref: 'AWS::AccountId' }, ':event-bus/default'],
      ],
    });
    template.resourceCountIs('AWS::Events::Rule', 1);
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0]!;
    expect(rule.Properties.Name).toBe('app-prod-fwd-GuardDutyFindings');
    expect(rule.Properties.EventPattern.source).toEqual(['aws.guardduty']);
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual(stack.resolve(forwarder.destinationBusArn));
    expect(rule.Properties.Targets[0].RoleArn).toEqual(stack.resolve(forwarder.role.roleArn));
  });

  it('D2 D3 every target retries at the maximum (185 attempts, 24 hours)', () => {
    for (const deadLetter of [false, true]) {
      const { template } = build(undefined, undefined, { deadLetter });
      for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
        expect(rule.Properties.Targets[0].RetryPolicy).toEqual({
          MaximumRetryAttempts: FORWARD_RETRY.maximumRetryAttempts,
          MaximumEventAgeInSeconds: FORWARD_RETRY.maximumEventAgeInSeconds,
        });
      }
    }
    expect(FORWARD_RETRY).toEqual({ maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 });
  });

  it('D3 the role may only events:PutEvents on that bus (one managed policy) and only these rules of this account assume it', () => {
    const { stack, forwarder, template } = build();
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0]!;
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnEquals: { 'aws:SourceArn': [ruleArn('app-prod-fwd-GuardDutyFindings')] },
        },
      },
    ]);
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0]!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: stack.resolve(forwarder.destinationBusArn) },
    ]);
    expect(policy.Properties.Roles).toEqual([stack.resolve(forwarder.role.roleName)]);
  });

  it('D2 D3 with a dead-letter key: an encrypted retained queue only the rules send to, the targets dead-letter into it', () => {
    const { stack, forwarder, template } = build(undefined, undefined, { deadLetter: true });
    const queues = template.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(1);
    const [queueId, queue] = Object.entries(queues)[0]!;
    expect(queue.DeletionPolicy).toBe('Retain');
    expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
      expect(rule.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    }
    const policy = Object.values(template.findResources('AWS::SQS::QueuePolicy'))[0]!;
    const send = policy.Properties.PolicyDocument.Statement.find(
      (s: { Sid?: string }) => s.Sid === 'TheForwardingRulesDeadLetterHere',
    );
    expect(send.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': [ruleArn(RULE_NAMES.GuardDutyFindings), ruleArn(RULE_NAMES.AlarmStateChanges)] },
    });
    expect(stack.resolve(forwarder.ruleArns)).toHaveLength(2);
  });

  it('D2 D3 with a dead-letter key: a FailedInvocations alarm per rule (Sum >= 1, 5 minutes), a depth alarm, their state changes forwarded', () => {
    const { stack, forwarder, template } = build(undefined, undefined, { deadLetter: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: 'app-prod-fwd-GuardDutyFindings' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(forwarder.alarms).toHaveLength(2);
    const stateChanges = forwarder.rules.AlarmStateChanges!.node.defaultChild as unknown as {
      _toCloudFormation(): unknown;
    };
    expect(stateChanges).toBeDefined();
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.Name === RULE_NAMES.AlarmStateChanges,
    )!;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: forwarder.alarms.map((a) => stack.resolve(a.alarmArn)),
    });
    expect(rule.Properties.Targets[0].Arn).toEqual(stack.resolve(forwarder.destinationBusArn));
  });

  it('refuses no pattern, a region that is not a region name and a missing or invalid rule name, naming the field', () => {
    expect(() => build('us-east-1', {} as never)).toThrow(/patterns = \{\}: at least one finding pattern is required/);
    expect(() => build('east')).toThrow(/destinationRegion = 'east': must be an AWS region name such as us-east-1/);
    expect(() => build(undefined, undefined, { ruleNames: {} })).toThrow(
      /ruleNames.GuardDutyFindings = undefined: every forwarding rule needs a fixed name/,
    );
    expect(() => build(undefined, undefined, { deadLetter: true, ruleNames: { GuardDutyFindings: 'a' } })).toThrow(
      /ruleNames.AlarmStateChanges = undefined/,
    );
    expect(() => build(undefined, undefined, { ruleNames: { GuardDutyFindings: 'bad name' } })).toThrow(
      /ruleNames.GuardDutyFindings = 'bad name': every forwarding rule needs a fixed name of 1-64/,
    );
  });
});
