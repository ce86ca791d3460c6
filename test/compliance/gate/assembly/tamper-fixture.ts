/**
 * The alerting stack of the synthetic assembly (assembly-fixture.ts): the formatter, the topic, one tamper rule per
 * TAMPER_WATCHES entry (alert-path ones with a direct, transformed topic target), the heartbeat rule, its metric
 * filter and alarm, and the formatter throttle alarm.
 */
import {
  CLOUDTRAIL_API_CALL,
  HEARTBEAT_EVENT,
  HEARTBEAT_LOG_TERM,
  TAMPER_WATCHES,
} from '../../../../constructs/tamper-watches';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

/** The alert formatter, logging to FormatterLogs, which the heartbeat metric filter reads. */
const formatter = (): Mutable => ({
  Type: 'AWS::Lambda::Function',
  Properties: { LoggingConfig: { LogGroup: { Ref: 'FormatterLogs' } } },
});
const TOPIC = { Type: 'AWS::SNS::Topic', Properties: {} };
const viaFormatter = (id: string) => ({ Id: `Formatter${id}`, Arn: { 'Fn::GetAtt': ['Formatter', 'Arn'] } });
const direct = () => ({
  Id: 'Direct',
  Arn: { Ref: 'Topic' },
  InputTransformer: {
    InputPathsMap: { 'detail-eventName': '$.detail.eventName' },
    InputTemplate: '"<detail-eventName>"',
  },
});

/** Resources of the alerting stack; rule logical ids are `Tamper<watch id>`. */
export function alertingResources(): Mutable {
  const r: Mutable = {
    Formatter: formatter(),
    Topic: { ...TOPIC },
    FormatterLogs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
  };
  for (const w of TAMPER_WATCHES) {
    r[`Tamper${w.id}`] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: {
          'detail-type': [CLOUDTRAIL_API_CALL],
          detail: {
            eventSource: [w.eventSource],
            eventName: w.matchPrefix ? w.eventNames.map((prefix) => ({ prefix })) : [...w.eventNames],
          },
        },
        Targets: w.alertPath ? [viaFormatter(w.id), direct()] : [viaFormatter(w.id)],
      },
    };
  }
  r.Heartbeat = {
    Type: 'AWS::Events::Rule',
    Properties: {
      State: 'ENABLED',
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        {
          ...viaFormatter('Heartbeat'),
          InputTransformer: {
            InputPathsMap: { time: '$.time' },
            InputTemplate: `{"source":"${HEARTBEAT_EVENT.source}","time":<time>}`,
          },
        },
      ],
    },
  };
  r.HeartbeatFilter = {
    Type: 'AWS::Logs::MetricFilter',
    Properties: {
      LogGroupName: { Ref: 'FormatterLogs' },
      FilterPattern: `"${HEARTBEAT_LOG_TERM}"`,
      MetricTransformations: [
        { MetricName: 'Heartbeat', MetricNamespace: 'HipaaBlueprint/AlertPath', MetricValue: '1' },
      ],
    },
  };
  r.HeartbeatAlarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      MetricName: 'Heartbeat',
      Namespace: 'HipaaBlueprint/AlertPath',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: 'Topic' }],
    },
  };
  r.ThrottleAlarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      MetricName: 'Throttles',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'Formatter' } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: 'Topic' }],
    },
  };
  return r;
}

/** The data stack's backup heartbeat alarm (PhiBackup.noCompletedJobAlarm). */
export function backupHeartbeatAlarm(): Mutable {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Namespace: 'AWS/Backup',
      MetricName: 'NumberOfBackupJobsCompleted',
      Dimensions: [{ Name: 'BackupVaultName', Value: { 'Fn::GetAtt': ['Vault', 'BackupVaultName'] } }],
      Statistic: 'Sum',
      Period: 93600,
      EvaluationPeriods: 1,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:formatter'],
    },
  };
}
