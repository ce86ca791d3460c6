/**
 * PhiBucketReplication monitoring (I2, D1): S3 Replication metrics on the rule, and with an alarmAction one alarm per
 * source bucket (the first and every addSource) on OperationsFailedReplication, in the source's stack.
 */
import { Aws } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { PhiBucketReplication } from '../../constructs/phi-bucket-replication';
import { fixtureStack } from '../support/construct-fixtures';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DESTINATION = {
  destinationBucketName: `app-env-audit-replica-${Aws.ACCOUNT_ID}-us-west-2`,
  destinationRegion: 'us-west-2',
  destinationKeyAliasArn: `arn:${Aws.PARTITION}:kms:us-west-2:${Aws.ACCOUNT_ID}:alias/app-env/audit-replica`,
};
const ACTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:formatter';
const action: IAlarmAction = { bind: () => ({ alarmActionArn: ACTION_ARN }) };

function build(alarmAction?: IAlarmAction) {
  const stack = fixtureStack();
  const key = new Key(stack, 'AuditKey');
  const archive = new Bucket(stack, 'Archive');
  const findings = new Bucket(stack, 'Findings');
  const replication = new PhiBucketReplication(stack, 'Replication', {
    ...DESTINATION,
    source: archive,
    sourceKey: key,
    objectLock: true,
    purpose: 'the audit archive',
    alarmAction,
  });
  const added = replication.addSource(findings, key);
  return { stack, archive, findings, replication, added };
}

const alarmsOf = (template: Template): Json[] => Object.values(template.findResources('AWS::CloudWatch::Alarm'));
const sourceOf = (alarm: Json) =>
  alarm.Properties.Dimensions.find((d: Json) => d.Name === 'SourceBucket').Value as Json;

describe('PhiBucketReplication monitoring', () => {
  test('I2 D1 the replication rule publishes S3 Replication metrics, without Replication Time Control', () => {
    const { stack, replication } = build(action);
    const rule = stack.resolve(replication.configuration).rules[0];
    expect(rule.destination.metrics).toEqual({ status: 'Enabled' });
    expect(rule.destination.replicationTime).toBeUndefined();
  });

  test('I2 D1 one failed-replication alarm per source (the first and every added one), with the action', () => {
    const { stack, archive, findings, replication } = build(action);
    const alarms = alarmsOf(Template.fromStack(stack));
    expect(alarms).toHaveLength(2);
    expect(replication.failedReplicationAlarms).toHaveLength(2);
    expect(alarms.map(sourceOf)).toEqual([
      { Ref: stack.getLogicalId(archive.node.defaultChild as never) },
      { Ref: stack.getLogicalId(findings.node.defaultChild as never) },
    ]);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/S3',
        MetricName: 'OperationsFailedReplication',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [ACTION_ARN],
      });
      const dims = Object.fromEntries(alarm.Properties.Dimensions.map((d: Json) => [d.Name, d.Value]));
      expect(dims.RuleId).toBe('ReplicateTo-us-west-2');
      expect(dims.DestinationBucket).toEqual(stack.resolve(DESTINATION.destinationBucketName));
    }
  });

  test('I2 without an alarm action (the failover direction) the rule keeps its metrics but no alarm exists', () => {
    const { stack, replication } = build();
    expect(alarmsOf(Template.fromStack(stack))).toEqual([]);
    expect(replication.failedReplicationAlarms).toEqual([]);
    expect(stack.resolve(replication.configuration).rules[0].destination.metrics).toEqual({ status: 'Enabled' });
  });
});
