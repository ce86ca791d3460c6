/**
 * The findings archive (D2) of the synthetic assembly: the object-locked bucket under the audit key with its tamper
 * denies, the Security Hub export (rule -> Firehose stream -> bucket) and its delivery alarm in the audit stack, and
 * GuardDuty's publishing destination into the bucket in the detection stack. Added to the fixture templates by
 * assembly-fixture.ts, so every assembly rule runs on an assembly that has it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

const AUDIT_KEY = { 'Fn::GetStackOutput': { StackName: 'app-prod-keys', OutputName: 'AuditKeyArn' } };
const ARCHIVE_ARN = { 'Fn::GetStackOutput': { StackName: 'app-prod-audit', OutputName: 'FindingsArchiveArn' } };
const OBJECTS = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['FindingsArchive', 'Arn'] }, '/*']] };
export const FINDINGS_STREAM = 'app-prod-findings-archive';
const REPLICA_NAME_PREFIX = 'app-prod-audit-replica-';
const REPLICA_ALIAS = 'alias/app-prod/audit-replica';
const REPLICATION_ROLE = 'app-prod-audit-replication';

/** The audit stack's part of the findings archive. */
export function findingsArchiveAuditResources(): Mutable {
  const deny = (Sid: string, Action: string[]) => ({
    Sid,
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action,
    Resource: OBJECTS,
  });
  return {
    FindingsArchive: {
      Type: 'AWS::S3::Bucket',
      Metadata: { 'HipaaBlueprint::FindingsArchive': { governanceAllowed: false, lockMode: 'COMPLIANCE' } },
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: AUDIT_KEY } },
          ],
        },
        // I2: into the audit replica bucket of the replica stack (findingsArchiveReplicaResources), by name.
        ReplicationConfiguration: {
          Role: { 'Fn::GetAtt': ['AuditReplicationRole', 'Arn'] },
          Rules: [
            {
              Id: 'ReplicateTo-us-west-2',
              Status: 'Enabled',
              Priority: 1,
              Filter: { Prefix: '' },
              DeleteMarkerReplication: { Status: 'Disabled' },
              SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
              Destination: {
                Bucket: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      `:s3:::${REPLICA_NAME_PREFIX}`,
                      { Ref: 'AWS::AccountId' },
                      '-us-west-2',
                    ],
                  ],
                },
                EncryptionConfiguration: {
                  ReplicaKmsKeyID: {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':kms:us-west-2:',
                        { Ref: 'AWS::AccountId' },
                        `:${REPLICA_ALIAS}`,
                      ],
                    ],
                  },
                },
                // I2 D1: replication metrics (ReplicationMonitored).
                Metrics: { Status: 'Enabled' },
              },
            },
          ],
        },
      },
    },
    // I2 D1: failed replication of the archive alarms (ReplicationMonitored).
    FindingsArchiveFailedReplication: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/S3',
        MetricName: 'OperationsFailedReplication',
        Dimensions: [
          {
            Name: 'DestinationBucket',
            Value: { 'Fn::Join': ['', [REPLICA_NAME_PREFIX, { Ref: 'AWS::AccountId' }, '-us-west-2']] },
          },
          { Name: 'RuleId', Value: 'ReplicateTo-us-west-2' },
          { Name: 'SourceBucket', Value: { Ref: 'FindingsArchive' } },
        ],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:formatter'],
      },
    },
    AuditReplicationRole: {
      Type: 'AWS::IAM::Role',
      Properties: { RoleName: REPLICATION_ROLE, AssumeRolePolicyDocument: {} },
    },
    FindingsArchivePolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'FindingsArchive' },
        PolicyDocument: {
          Statement: [
            deny('DenyObjectDeletes', ['s3:DeleteObject', 's3:DeleteObjectVersion']),
            deny('DenyRetentionWeakening', [
              's3:BypassGovernanceRetention',
              's3:PutObjectLegalHold',
              's3:PutObjectRetention',
            ]),
            deny('DenyObjectEncryptionUpdates', ['s3:UpdateObjectEncryption']),
          ],
        },
      },
    },
    ...findingsExportResources('', FINDINGS_STREAM, SECURITY_HUB_RULE, {
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
    }),
    FindingsDeadLetters: {
      Type: 'AWS::SQS::Queue',
      Properties: { KmsMasterKeyId: AUDIT_KEY, MessageRetentionPeriod: 1209600 },
    },
    FindingsDeadLetterAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        ...CAN_FIRE,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['FindingsDeadLetters', 'QueueName'] } }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      },
    },
    FindingsDeliveryLogs: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: '/aws/kinesisfirehose/app-prod-findings-archive', KmsKeyId: AUDIT_KEY },
    },
    FindingsExportRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'app-prod-findings-archive-export',
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: {
                StringEquals: { 'aws:SourceAccount': '123456789012' },
                ArnEquals: { 'aws:SourceArn': [ruleArn(SECURITY_HUB_RULE), ruleArn(FORWARDED_GUARDDUTY_RULE)] },
              },
            },
          ],
        },
      },
    },
    FindingsDeliveryRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'app-prod-findings-archive-delivery',
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'firehose.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: {
                StringEquals: { 'aws:SourceAccount': '123456789012' },
                ArnEquals: { 'aws:SourceArn': [streamArn(FINDINGS_STREAM), streamArn(FORWARDED_STREAM)] },
              },
            },
          ],
        },
      },
    },
  };
}

/** Alarm properties that let an alarm fire (actions on, an action, a 5-minute period). */
const CAN_FIRE = {
  ActionsEnabled: true,
  AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:formatter'],
  Period: 300,
  EvaluationPeriods: 1,
};

export const SECURITY_HUB_RULE = 'app-prod-findings-archive-securityhub';
export const FORWARDED_GUARDDUTY_RULE = 'app-prod-findings-archive-guardduty-forwarded';
export const FORWARDED_STREAM = 'app-prod-findings-archive-gd-forwarded';
const ruleArn = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:us-east-1:123456789012:rule/${name}`]],
});
const streamArn = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:firehose:us-east-1:123456789012:deliverystream/${name}`]],
});

/**
 * One export of the archive (audit stack): a named rule with `pattern` whose target is a Firehose stream `streamName`
 * (audit key, date and error prefixes, newline delimiter, error logging, the delivery role), with the dead-letter
 * queue, a retry policy and the export role, and the stream's freshness and the rule's failed-invocation alarms.
 * `prefix` starts the logical ids (two exports in one template).
 */
export function findingsExportResources(
  prefix: string,
  streamName: string,
  ruleName: string,
  pattern: Mutable,
): Mutable {
  return {
    [`${prefix}FindingsStream`]: {
      Type: 'AWS::KinesisFirehose::DeliveryStream',
      Properties: {
        DeliveryStreamName: streamName,
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: AUDIT_KEY },
        ExtendedS3DestinationConfiguration: {
          BucketARN: { 'Fn::GetAtt': ['FindingsArchive', 'Arn'] },
          RoleARN: { 'Fn::GetAtt': ['FindingsDeliveryRole', 'Arn'] },
          Prefix: `${prefix.toLowerCase() || 'securityhub'}/date=!{timestamp:yyyy-MM-dd}/`,
          ErrorOutputPrefix: `${prefix.toLowerCase() || 'securityhub'}-errors/!{firehose:error-output-type}/`,
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
          CloudWatchLoggingOptions: {
            Enabled: true,
            LogGroupName: { Ref: 'FindingsDeliveryLogs' },
            LogStreamName: `${streamName}-S3Delivery`,
          },
        },
      },
    },
    [`${prefix}SecurityHubFindings`]: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: ruleName,
        State: 'ENABLED',
        EventPattern: pattern,
        Targets: [
          {
            Id: 'Target0',
            Arn: { 'Fn::GetAtt': [`${prefix}FindingsStream`, 'Arn'] },
            RoleArn: { 'Fn::GetAtt': ['FindingsExportRole', 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['FindingsDeadLetters', 'Arn'] } },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          },
        ],
      },
    },
    [`${prefix}FindingsDeliveryAlarm`]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        ...CAN_FIRE,
        Namespace: 'AWS/Firehose',
        MetricName: 'DeliveryToS3.DataFreshness',
        Dimensions: [{ Name: 'DeliveryStreamName', Value: streamName }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 1800,
      },
    },
    [`${prefix}FindingsExportAlarm`]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        ...CAN_FIRE,
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: [{ Name: 'RuleName', Value: ruleName }],
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
      },
    },
  };
}

/** The audit stack's output the detection stack reads (the archive's ARN). */
export const FINDINGS_ARCHIVE_OUTPUTS: Mutable = {
  FindingsArchiveArn: { Value: { 'Fn::GetAtt': ['FindingsArchive', 'Arn'] } },
};

/** The detection stack's part: GuardDuty's publishing destination into the archive with the audit key. */
export function findingsArchiveDetectionResources(): Mutable {
  return {
    FindingsExport: {
      Type: 'AWS::GuardDuty::PublishingDestination',
      Properties: {
        DetectorId: { Ref: 'Detector' },
        DestinationType: 'S3',
        DestinationProperties: {
          DestinationArn: ARCHIVE_ARN,
          KmsKeyArn: AUDIT_KEY,
        },
      },
    },
  };
}

/**
 * The replica stack's part (I2): the audit replica key and its alias, and the object-locked audit replica bucket the
 * archive replicates into, whose policy denies deletes, lock weakening and direct writes to everyone and replication
 * to all but the archive's replication role.
 */
export function findingsArchiveReplicaResources(): Mutable {
  const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['AuditArchiveReplica', 'Arn'] }, '/*']] };
  const deny = (Sid: string, Action: string[], Condition?: Mutable) => ({
    Sid,
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action,
    Resource: objects,
    ...(Condition ? { Condition } : {}),
  });
  return {
    AuditReplicaKey: {
      Type: 'AWS::KMS::Key',
      Metadata: { 'HipaaBlueprint::KeyDomain': 'audit-replica' },
      Properties: { EnableKeyRotation: true },
    },
    AuditReplicaKeyAlias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: REPLICA_ALIAS, TargetKeyId: { 'Fn::GetAtt': ['AuditReplicaKey', 'Arn'] } },
    },
    AuditArchiveReplica: {
      Type: 'AWS::S3::Bucket',
      Metadata: {
        'HipaaBlueprint::AuditArchive': { safeguards: ['U2', 'I2'], governanceAllowed: false, lockMode: 'COMPLIANCE' },
      },
      Properties: {
        BucketName: `${REPLICA_NAME_PREFIX}123456789012-us-west-2`,
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': ['AuditReplicaKey', 'Arn'] },
              },
            },
          ],
        },
      },
    },
    AuditArchiveReplicaPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'AuditArchiveReplica' },
        PolicyDocument: {
          Statement: [
            deny('DenyObjectDeletes', ['s3:DeleteObject', 's3:DeleteObjectVersion']),
            deny('DenyRetentionWeakening', [
              's3:BypassGovernanceRetention',
              's3:PutObjectLegalHold',
              's3:PutObjectRetention',
            ]),
            deny('DenyWritesExceptReplication', ['s3:PutObject', 's3:ReplicateDelete']),
            deny('DenyReplicationExceptTheArchiveRole', ['s3:ReplicateObject', 's3:ReplicateTags'], {
              ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::123456789012:role/${REPLICATION_ROLE}` },
            }),
            deny('DenyObjectEncryptionUpdates', ['s3:UpdateObjectEncryption']),
          ],
        },
      },
    },
  };
}
