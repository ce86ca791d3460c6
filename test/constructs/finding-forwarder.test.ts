import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FINDING_PATTERNS } from '../../constructs/alert-pipeline';
import { FindingForwarder } from '../../constructs/finding-forwarder';

function build(destinationRegion = 'us-east-1', patterns = { GuardDutyFindings: FINDING_PATTERNS.GuardDutyFindings! }) {
  const stack = new Stack(new App(), 'Replica', { env: { account: '111111111111', region: 'us-west-2' } });
  const forwarder = new FindingForwarder(stack, 'Forwarder', { destinationRegion, patterns });
  return { stack, forwarder, template: Template.fromStack(stack) };
}

describe('FindingForwarder', () => {
  it('D3 one rule per pattern, targeting the destination region default bus through its role', () => {
    const { stack, forwarder, template } = build();
    expect(stack.resolve(forwarder.destinationBusArn)).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:', { Ref: 'AWS::AccountId' }, ':event-bus/default'],
      ],
    });
    template.resourceCountIs('AWS::Events::Rule', 1);
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0]!;
    expect(rule.Properties.EventPattern.source).toEqual(['aws.guardduty']);
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual(stack.resolve(forwarder.destinationBusArn));
    expect(rule.Properties.Targets[0].RoleArn).toEqual(stack.resolve(forwarder.role.roleArn));
  });

  it('D3 the role may only events:PutEvents on that bus, through one managed policy (no inline policy)', () => {
    const { stack, forwarder, template } = build();
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0]!;
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
    ]);
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0]!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: stack.resolve(forwarder.destinationBusArn) },
    ]);
    expect(policy.Properties.Roles).toEqual([stack.resolve(forwarder.role.roleName)]);
  });

  it('refuses no pattern and a region that is not a region name, naming the field', () => {
    expect(() => build('us-east-1', {} as never)).toThrow(/patterns = \{\}: at least one finding pattern is required/);
    expect(() => build('east')).toThrow(/destinationRegion = 'east': must be an AWS region name such as us-east-1/);
  });
});
