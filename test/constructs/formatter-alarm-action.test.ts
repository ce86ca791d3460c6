import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';
import { FormatterAlarmAction } from '../../constructs/formatter-alarm-action';
import { TEST_ENV } from '../support/construct-fixtures';
import { stackOutputOf } from '../support/cross-stack';

// A function in one stack (the alerting stack's formatter) and alarms in another (the audit or data stack).
const app = new App({ builtinCloudFormationValidation: false });
const producer = new Stack(app, 'Producer', { env: TEST_ENV });
const formatter = new Function(producer, 'Formatter', {
  runtime: Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: Code.fromInline('exports.handler = async () => {};'),
});
const action = new FormatterAlarmAction(formatter);
const consumer = new Stack(app, 'AlarmConsumer', { env: TEST_ENV });
const alarm = (id: string, metricName: string): Alarm =>
  new Alarm(consumer, id, {
    metric: new Metric({ namespace: 'Synthetic', metricName, period: Duration.minutes(5) }),
    threshold: 1,
    evaluationPeriods: 1,
  });
const consumerAlarm = alarm('SyntheticAlarm', 'Events');
consumerAlarm.addAlarmAction(action);
const second = alarm('SecondAlarm', 'Other');
second.addAlarmAction(action);
// Binding the same alarm again adds no second permission.
action.bind(consumer, second);

const consumerTemplate = Template.fromStack(consumer);
const producerTemplate = Template.fromStack(producer);

describe('FormatterAlarmAction', () => {
  it('D1 alarm action: a consumer stack’s alarm invokes the formatter, one scoped permission per alarm', () => {
    consumerTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [stackOutputOf(producer, 'Formatter.*Arn')],
    });
    consumerTemplate.resourceCountIs('AWS::Lambda::Permission', 2);
    consumerTemplate.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      SourceAccount: TEST_ENV.account,
      SourceArn: { 'Fn::GetAtt': [consumer.getLogicalId(consumerAlarm.node.defaultChild as never), 'Arn'] },
    });
    // References flow one way: the consumer depends on the producer, never the reverse (no cycle).
    expect(producer.dependencies).not.toContain(consumer);
    expect(consumer.dependencies).toContain(producer);
  });

  it('D1 each permission names its own alarm; the function stack holds none', () => {
    const arns = Object.values(consumerTemplate.findResources('AWS::Lambda::Permission')).map(
      (p) => (p.Properties as { SourceArn: unknown }).SourceArn,
    );
    expect(arns).toEqual(
      expect.arrayContaining(
        [consumerAlarm, second].map((a) => ({
          'Fn::GetAtt': [consumer.getLogicalId(a.node.defaultChild as never), 'Arn'],
        })),
      ),
    );
    producerTemplate.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});
