/**
 * The restore validation of the assembly fixture's data stack (RestoreTestsValidated): the rule on restore job
 * events, the function and its freshness schedule, and per restore tested type (RDS, S3) the duration and
 * no-validated-test alarms.
 */
import type { Mutable } from './assembly-fixture';

const ACTIONS = ['arn:aws:lambda:us-east-1:123456789012:function:formatter'];

const alarm = (metric: string, type: string, extra: Mutable): Mutable => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Namespace: 'HipaaBlueprint/RestoreTesting',
    MetricName: metric,
    Dimensions: [{ Name: 'ResourceType', Value: type }],
    AlarmActions: ACTIONS,
    Statistic: 'Maximum',
    Period: 86400,
    EvaluationPeriods: 1,
    ...extra,
  },
});

/** The recovery time objective the fixture's data template declares. */
export const FIXTURE_RTO_HOURS = 24;

/** The resources to add to the data template. */
export function restoreValidationResources(): Mutable {
  const out: Mutable = {
    RestoreValidationFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['RestoreValidationRole', 'Arn'] },
        Environment: {
          Variables: {
            RTO_HOURS: String(FIXTURE_RTO_HOURS),
            METRIC_NAMESPACE: 'HipaaBlueprint/RestoreTesting',
            // The PHI database's key (the keys stack's output), for the inspection of restored copies.
            PHI_KEY_ARN: { 'Fn::GetStackOutput': { StackName: 'app-prod-keys', OutputName: 'PhiKeyArn' } },
          },
        },
      },
    },
    RestoreValidationRole: { Type: 'AWS::IAM::Role', Properties: {} },
    RestoreValidationInspectionPolicy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Roles: [{ Ref: 'RestoreValidationRole' }],
        PolicyDocument: {
          Statement: [
            {
              Sid: 'InspectRestoredDatabases',
              Effect: 'Allow',
              Action: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
              Resource: 'arn:aws:rds:us-east-1:123456789012:db:awsbackup-restore-test*',
            },
            {
              Sid: 'InspectRestoredBuckets',
              Effect: 'Allow',
              Action: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketVersioning', 's3:ListBucket'],
              Resource: 'arn:aws:s3:::awsbackup-restore-test*',
            },
            {
              Sid: 'InspectRestoredObjectHeaders',
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::awsbackup-restore-test*/*',
            },
          ],
        },
      },
    },
    RestoreValidationRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: { source: ['aws.backup'], 'detail-type': ['Restore Job State Change'] },
        Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['RestoreValidationFunction', 'Arn'] } }],
      },
    },
    RestoreFreshnessSchedule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        ScheduleExpression: 'rate(6 hours)',
        Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['RestoreValidationFunction', 'Arn'] } }],
      },
    },
  };
  for (const type of ['RDS', 'S3']) {
    out[`RestoreDurationAlarm${type}`] = alarm('RestoreTestDurationHours', type, {
      Threshold: FIXTURE_RTO_HOURS,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    out[`RestoreNotValidatedAlarm${type}`] = alarm('HoursSinceValidatedRestoreTest', type, {
      Threshold: 168 + 24 + FIXTURE_RTO_HOURS,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
    out[`RestoreFailedAlarm${type}`] = alarm('RestoreTestSucceeded', type, {
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Statistic: 'Minimum',
      TreatMissingData: 'notBreaching',
    });
  }
  return out;
}
