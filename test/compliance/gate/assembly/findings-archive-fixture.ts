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
          ],
        },
      },
    },
    FindingsStream: {
      Type: 'AWS::KinesisFirehose::DeliveryStream',
      Properties: {
        DeliveryStreamName: FINDINGS_STREAM,
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: AUDIT_KEY },
        ExtendedS3DestinationConfiguration: {
          BucketARN: { 'Fn::GetAtt': ['FindingsArchive', 'Arn'] },
          Prefix: 'securityhub/date=!{timestamp:yyyy-MM-dd}/',
          ErrorOutputPrefix: 'securityhub-errors/!{firehose:error-output-type}/',
        },
      },
    },
    SecurityHubFindings: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'] },
        Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['FindingsStream', 'Arn'] }, RoleArn: 'arn' }],
      },
    },
    FindingsDeliveryAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/Firehose',
        MetricName: 'DeliveryToS3.DataFreshness',
        Dimensions: [{ Name: 'DeliveryStreamName', Value: FINDINGS_STREAM }],
        AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:formatter'],
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
          ],
        },
      },
    },
  };
}
