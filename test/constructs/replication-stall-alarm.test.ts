/**
 * ReplicationStallAlarm (I2, D1): the maximum ReplicationLatency into a bucket over an hour for 15 minutes, with an
 * action where the alert path runs, or its state changes forwarded to another region's default event bus.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { ReplicationStallAlarm, ReplicationStallAlarmProps } from '../../constructs/replication-stall-alarm';
import { fixtureStack } from '../support/construct-fixtures';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ACTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:formatter';
const action: IAlarmAction = { bind: () => ({ alarmActionArn: ACTION_ARN }) };

function build(props: Partial<ReplicationStallAlarmProps>) {
  const stack = fixtureStack();
  const built = new ReplicationStallAlarm(stack, 'Stall', { destinationBucketName: 'app-env-replica', ...props });
  return { stack, built, template: Template.fromStack(stack) };
}
const alarmOf = (template: Template): Json => Object.values(template.findResources('AWS::CloudWatch::Alarm'))[0];

describe('ReplicationStallAlarm', () => {
  test('I2 D1 the maximum latency into the bucket above an hour for three 5-minute periods, missing data not breaching', () => {
    const { template } = build({ alarmAction: action });
    expect(alarmOf(template).Properties).toMatchObject({
      Metrics: [
        {
          Expression:
            'SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = \'app-env-replica\'',
          Period: 300,
          ReturnData: true,
        },
      ],
      Threshold: 3600,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [ACTION_ARN],
    });
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  test('I2 D1 forwarded: no action, one rule forwarding only its state changes to the other region default bus', () => {
    const { stack, built, template } = build({ forwardToRegion: 'us-east-1', forwardRuleName: 'app-env-fwd-stall' });
    expect(alarmOf(template).Properties.AlarmActions).toBeUndefined();
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Json[];
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [stack.resolve(built.alarm.alarmArn)],
    });
    expect(JSON.stringify(rules[0].Properties.Targets[0].Arn)).toContain(':events:us-east-1:');
    // D3: the fixed rule name is the only source its forwarding role trusts (no confused deputy).
    expect(rules[0].Properties.Name).toBe('app-env-fwd-stall');
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0] as Json;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition)).toContain(
      'rule/app-env-fwd-stall',
    );
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals).toEqual({
      'aws:SourceAccount': stack.resolve(stack.account),
    });
  });

  test('a lower bound is kept; a bound above an hour, or under a minute, is refused naming the field', () => {
    expect(alarmOf(build({ alarmAction: action, thresholdSeconds: 900 }).template).Properties.Threshold).toBe(900);
    expect(() => build({ alarmAction: action, thresholdSeconds: 7200 })).toThrow(
      'ReplicationStallAlarm S/Stall: thresholdSeconds = 7200: must be a whole number of seconds from 60 to 3600',
    );
    expect(() => build({ alarmAction: action, thresholdSeconds: 30 })).toThrow('thresholdSeconds = 30');
  });

  test('exactly one of alarmAction and forwardToRegion; the bucket name cannot break the query', () => {
    expect(() => build({})).toThrow('alarmAction and forwardToRegion: exactly one is required');
    expect(() => build({ alarmAction: action, forwardToRegion: 'us-east-1' })).toThrow('exactly one is required');
    expect(() => build({ forwardToRegion: 'us-east-1' })).toThrow(
      'forwardRuleName = undefined: required with forwardToRegion, and only with it',
    );
    expect(() => build({ alarmAction: action, destinationBucketName: "x' OR ''='" })).toThrow(
      "destinationBucketName = 'x' OR ''='': must be a bucket name",
    );
  });
});
