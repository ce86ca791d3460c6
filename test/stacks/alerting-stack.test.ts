import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { applyAcknowledgements, buildRegister } from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { AlertingStack } from '../../lib/stacks/alerting-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { testConfig } from '../support/blueprint';
import { stackOutputOf } from '../support/cross-stack';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

const config = testConfig('dev', { alertEmails: ['alerts-a@example.org', 'alerts-b@example.org'] });
const app = new App({ builtinCloudFormationValidation: false });
const root = new Construct(app, 'Test');
const keys = new KeysStack(root, 'Keys', { config });
const network = new NetworkStack(root, 'Network', { config, keys: keys.keys });
const alerting = new AlertingStack(root, 'Alerting', {
  config,
  keys: keys.keys,
  vpc: network.vpc,
});
// A consumer in another stack, as the audit stack will be: its alarm invokes the formatter.
const consumer = new Stack(root, 'AlarmConsumer', { env: { account: config.account, region: config.region } });
const consumerAlarm = new Alarm(consumer, 'SyntheticAlarm', {
  metric: new Metric({ namespace: 'Synthetic', metricName: 'Events', period: Duration.minutes(5) }),
  threshold: 1,
  evaluationPeriods: 1,
});
consumerAlarm.addAlarmAction(alerting.alarmAction);
new Alarm(consumer, 'SecondAlarm', {
  metric: new Metric({ namespace: 'Synthetic', metricName: 'Other', period: Duration.minutes(5) }),
  threshold: 1,
  evaluationPeriods: 1,
}).addAlarmAction(alerting.alarmAction);

const template = Template.fromStack(alerting);
const consumerTemplate = Template.fromStack(consumer);
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const idOf = (type: string): string => {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  return found[0][0];
};
// Weak cross-stack references (cdk.json): the keys stack's operations key ARN via Fn::GetStackOutput.
const operationsKeyRef = stackOutputOf(keys, 'OperationsKey.*Arn');

describe('AlertingStack', () => {
  // AlertPipeline's own safeguards are tested in test/constructs/alert-pipeline.test.ts; here, what the stack adds.
  it('E2 the pipeline encrypts with the operations key of the keys stack: topic, dead-letter queue, formatter logs', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: operationsKeyRef });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: operationsKeyRef });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: operationsKeyRef, RetentionInDays: 2192 });
  });

  it('D3 every address of config.alertEmails is subscribed', () => {
    template.resourceCountIs('AWS::SNS::Subscription', config.alertEmails.length);
    for (const email of config.alertEmails) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
    }
  });

  it('N2 the formatter runs in the application tier of the PHI VPC and reaches HTTPS in its CIDR (network stack outputs)', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: [
          stackOutputOf(network, 'PhiVpcApplicationSubnet1'),
          stackOutputOf(network, 'PhiVpcApplicationSubnet2'),
        ],
      },
    });
    const [, sg] = ofType('AWS::EC2::SecurityGroup')[0];
    const egress = sg.Properties.SecurityGroupEgress as Array<Record<string, unknown>>;
    expect(egress[0].CidrIp).toEqual({
      'Fn::GetStackOutput': {
        StackName: network.stackName,
        Region: config.region,
        OutputName: expect.stringMatching(/PhiVpc.*CidrBlock/),
      },
    });
  });

  it('outputs the alert topic ARN', () => {
    expect(template.toJSON().Outputs.AlertTopicArn.Value).toEqual({ Ref: idOf('AWS::SNS::Topic') });
  });

  it('D1 alarmAction: an alarm of another stack invokes the pipeline formatter through a stack output (no cycle)', () => {
    expect(alerting.alarmAction).toBe(alerting.pipeline.alarmAction);
    consumerTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [stackOutputOf(alerting, 'AlertPipelineFormatter.*Arn')],
    });
    expect(alerting.dependencies).not.toContain(consumer);
    expect(consumer.dependencies).toContain(alerting);
  });

  it('I2 stateful resources keep their logical IDs', () => {
    const queue = alerting.pipeline.deadLetterQueue.node.defaultChild as CfnQueue;
    expect(alerting.getLogicalId(queue)).toBe('AlertPipelineDeadLetterQueue05F74BFA');
    const logGroup = alerting.pipeline.logGroup.logGroup.node.defaultChild as CfnLogGroup;
    expect(alerting.getLogicalId(logGroup)).toBe('AlertPipelineFormatterLogGroup85B30F0D');
  });

  it('passes every rule pack with the register applied (no unacknowledged finding)', () => {
    applyAcknowledgements(app, buildRegister(config));
    // The packs walk the two stacks under test only: a rule sees its resource's own stack either way.
    const findings = compliancePacks()
      .flatMap((pack) => [alerting, consumer].flatMap((stack) => pack.validateScope(stack).violations))
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  it('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
