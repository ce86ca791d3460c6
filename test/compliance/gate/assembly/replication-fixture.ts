/**
 * Replication monitoring (I2, D1) of the synthetic assembly: the stall alarm of the audit archive replica (a Metrics
 * Insights query on ReplicationLatency into it) with the rule forwarding its state changes to the primary region's bus
 * (phiReplica stack), and the alert pipeline's rule routing forwarded alarm state changes to the formatter (alerting
 * stack). The findings archive's failed-replication alarm is in findings-archive-fixture.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

/** The replica stack's part: the stall alarm on the audit archive replica and its forwarding rule. */
export function replicationStallReplicaResources(): Mutable {
  return {
    AuditReplicaStallAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        Threshold: 3600,
        TreatMissingData: 'notBreaching',
        Metrics: [
          {
            Id: 'expr_1',
            ReturnData: true,
            Period: 300,
            Expression: {
              'Fn::Join': [
                '',
                [
                  'SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = \'',
                  { Ref: 'AuditArchiveReplica' },
                  "'",
                ],
              ],
            },
          },
        ],
      },
    },
    AuditReplicaStallForward: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          resources: [{ 'Fn::GetAtt': ['AuditReplicaStallAlarm', 'Arn'] }],
        },
        Targets: [
          {
            Id: 'Target0',
            Arn: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':events:us-east-1:',
                  { Ref: 'AWS::AccountId' },
                  ':event-bus/default',
                ],
              ],
            },
          },
        ],
      },
    },
  };
}

/** The alerting stack's part: forwarded alarm state changes of the replica region to the formatter. */
export function replicationForwardedAlarmResources(): Mutable {
  return {
    ForwardedAlarms: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          region: ['us-west-2'],
        },
        Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['Formatter', 'Arn'] } }],
      },
    },
  };
}
