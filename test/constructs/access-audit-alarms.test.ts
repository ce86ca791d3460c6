import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { ApplicationLoadBalancer, ApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AccessAuditAlarms, AccessAuditAlarmsProps } from '../../constructs/access-audit-alarms';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(props: Partial<AccessAuditAlarmsProps> = {}): Template {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const vpc = new Vpc(s, 'Vpc');
  const targetGroup = new ApplicationTargetGroup(s, 'Api', { vpc, port: 8443 });
  new ApplicationLoadBalancer(s, 'Lb', { vpc }).addListener('L', { port: 80, defaultTargetGroups: [targetGroup] });
  new AccessAuditAlarms(s, 'ApiAccessAuditAlarms', {
    service: 'api',
    targetGroup,
    streamName: 'app-prod-api-access-audit',
    alarmAction: new SnsAction(new Topic(s, 'Alerts')),
    ...props,
  });
  return Template.fromStack(s);
}

describe('AccessAuditAlarms', () => {
  test('U5 D1 silence: requests on the target group and no event in the stream for 15 minutes, with an action', () => {
    const alarms = Object.values(build().findResources('AWS::CloudWatch::Alarm')) as Json[];
    const silence = alarms.find((a) => JSON.stringify(a.Properties.Metrics ?? '').includes('IncomingRecords'))!;
    expect(silence.Properties).toMatchObject({
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^Alerts/) }],
    });
    const metrics = silence.Properties.Metrics as Json[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(requests > 0 AND FILL(records, 0) == 0, 1, 0)');
    const requests = metrics.find((m) => m.Id === 'requests').MetricStat;
    expect(requests).toMatchObject({
      Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' },
      Stat: 'Sum',
    });
    const records = metrics.find((m) => m.Id === 'records').MetricStat;
    expect(records).toMatchObject({
      Metric: {
        Namespace: 'AWS/Firehose',
        MetricName: 'IncomingRecords',
        Dimensions: [{ Name: 'DeliveryStreamName', Value: 'app-prod-api-access-audit' }],
      },
      Stat: 'Sum',
      Period: 300,
    });
  });

  test('U5 D1 delivery: the oldest event waits more than 15 minutes in the stream', () => {
    build().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: 'app-prod-api-access-audit' }],
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });

  test('refuses silentPeriods outside 1-24, naming the field', () => {
    expect(() => build({ silentPeriods: 0 })).toThrow('silentPeriods = 0: must be an integer from 1 to 24');
  });
});
