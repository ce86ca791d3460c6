import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { AuditArchiveBucket } from '../../constructs/audit-archive-bucket';
import { AuditArchiveReplicaBucket } from '../../constructs/audit-archive-replica-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const DEPLOY = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-west-2';
const REPLICATION = 'arn:aws:iam::123456789012:role/app-prod-audit-replication';
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
      configurationAdministratorArns: [DEPLOY],
      replicationRoleArn: REPLICATION,
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

  test('U2 U6 only the archive replication role writes (by replication), nobody deletes or weakens the lock, only the deployment role reconfigures', () => {
    const policies = Object.values(replica().findResources('AWS::S3::BucketPolicy'));
    const statements = policies.flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
    expect(bySid('DenyObjectDeletes')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    });
    expect(bySid('DenyObjectDeletes')!.Condition).toBeUndefined();
    expect(bySid('DenyRetentionWeakening')).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(bySid('DenyRetentionWeakening')!.Condition).toBeUndefined();
    expect(bySid('DenyWritesExceptReplication')).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(bySid('DenyWritesExceptReplication')!.Condition).toBeUndefined();
    expect(bySid('DenyWritesExceptReplication')!.Action).toEqual(
      expect.arrayContaining(['s3:PutObject', 's3:ReplicateDelete']),
    );
    expect(bySid('DenyWritesExceptReplication')!.Action).not.toContain('s3:ReplicateObject');
    expect(bySid('DenyReplicationExceptTheArchiveRole')).toMatchObject({
      Effect: 'Deny',
      Action: ['s3:ReplicateObject', 's3:ReplicateTags'],
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': REPLICATION } },
    });
    expect(bySid('DenyConfigurationChangesExceptDeployment')).toMatchObject({
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [DEPLOY] } },
    });
  });

  test('U6 refuses a wildcard replication role or no configuration administrator, naming the field', () => {
    expect(() => replica({ replicationRoleArn: 'arn:aws:iam::123456789012:role/*' })).toThrow(
      /replicationRoleArn = 'arn:aws:iam::123456789012:role\/\*': must be an exact IAM role ARN/,
    );
    expect(() => replica({ configurationAdministratorArns: [] })).toThrow(/configurationAdministratorArns = \[\]/);
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
      configurationAdministratorArns: [
        'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1',
      ],
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
