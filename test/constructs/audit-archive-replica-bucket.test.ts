import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { AuditArchiveBucket } from '../../constructs/audit-archive-bucket';
import { AuditArchiveReplicaBucket } from '../../constructs/audit-archive-replica-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const stack = (region: string): Stack =>
  new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: { account: '123456789012', region } });

describe('AuditArchiveReplicaBucket', () => {
  function replica(props: Partial<ConstructorParameters<typeof AuditArchiveReplicaBucket>[2]> = {}): Template {
    const s = stack('us-west-2');
    new AuditArchiveReplicaBucket(s, 'Replica', {
      bucketName: 'app-prod-audit-replica-123456789012-us-west-2',
      retention: RETENTION,
      production: true,
      encryptionKey: new Key(s, 'K'),
      accessLogs: new AccessLogBucket(s, 'L', { retention: RETENTION }),
      ...props,
    });
    return Template.fromStack(s);
  }

  test('U2 I1 I2 the replica is object-locked like the archive (COMPLIANCE, same retention), versioned, SSE-KMS, marked, retained', () => {
    replica().hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: Match.objectLike({
        'HipaaBlueprint::AuditArchive': {
          safeguards: ['U2', 'E2', 'E3', 'I1', 'I2'],
          governanceAllowed: false,
          lockMode: 'COMPLIANCE',
        },
      }),
      Properties: Match.objectLike({
        BucketName: 'app-prod-audit-replica-123456789012-us-west-2',
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
              BucketKeyEnabled: true,
            }),
          ],
        },
      }),
    });
  });

  test('U2 refuses GOVERNANCE in production', () => {
    expect(() => replica({ retention: { ...RETENTION, auditLockMode: 'GOVERNANCE' } })).toThrow(
      /retention.auditLockMode = 'GOVERNANCE': must be COMPLIANCE in a production environment \(safeguard U2\)/,
    );
  });
});

describe('AuditArchiveBucket replication to the replica', () => {
  test('U2 I1 the archive replicates every SSE-KMS object to the replica under the replica region key, reading retention and legal hold', () => {
    const s = stack('us-east-1');
    new AuditArchiveBucket(s, 'AuditArchive', {
      retention: RETENTION,
      production: true,
      encryptionKey: new Key(s, 'K'),
      accessLogs: new AccessLogBucket(s, 'L', { retention: RETENTION }),
      trailName: 'app-prod-trail',
      replication: {
        destinationBucketName: 'app-prod-audit-replica-123456789012-us-west-2',
        destinationRegion: 'us-west-2',
        destinationKeyAliasArn: 'arn:aws:kms:us-west-2:123456789012:alias/app-prod/audit-replica',
      },
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            SourceSelectionCriteria: Match.objectLike({ SseKmsEncryptedObjects: { Status: 'Enabled' } }),
            Destination: {
              Bucket: {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':s3:::app-prod-audit-replica-123456789012-us-west-2'],
                ],
              },
              EncryptionConfiguration: {
                ReplicaKmsKeyID: 'arn:aws:kms:us-west-2:123456789012:alias/app-prod/audit-replica',
              },
            },
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReadSourceObjectVersions',
            Action: Match.arrayWith(['s3:GetObjectLegalHold', 's3:GetObjectRetention']),
          }),
        ]),
      }),
    });
  });
});
