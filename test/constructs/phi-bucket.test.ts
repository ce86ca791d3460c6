import { App, Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { PhiBucket, PhiBucketProps } from '../../constructs/phi-bucket';
import { PHI_STORE_METADATA } from '../../lib/compliance/acknowledgements';
import { HIPAA_MIN_RETENTION_DAYS } from '../../lib/config';

const REPLICATION = {
  destinationBucketName: `app-env-phi-replica-${Aws.ACCOUNT_ID}-us-west-2`,
  destinationRegion: 'us-west-2',
  destinationKeyAliasArn: `arn:${Aws.PARTITION}:kms:us-west-2:${Aws.ACCOUNT_ID}:alias/app-env/phi-replica`,
};

function build(overrides: Partial<PhiBucketProps> = {}): { stack: Stack; phi: PhiBucket } {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const retention = {
    logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
    auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
    auditLockMode: 'COMPLIANCE' as const,
  };
  const phi = new PhiBucket(stack, 'PhiBucket', {
    bucketName: 'app-env-phi-data-123456789012-us-east-1',
    encryptionKey: new Key(stack, 'Key'),
    accessLogs: new AccessLogBucket(stack, 'AccessLogs', { retention }),
    accessLogPrefix: 'phi-data/',
    noncurrentVersionExpirationDays: HIPAA_MIN_RETENTION_DAYS,
    replication: REPLICATION,
    ...overrides,
  });
  return { stack, phi };
}

const marked = (c: { node: { metadata: Array<{ type: string }> } }): boolean =>
  c.node.metadata.some((m) => m.type === PHI_STORE_METADATA);

describe('PhiBucket', () => {
  const { stack, phi } = build();
  const template = Template.fromStack(stack);

  it('I2 is retained on deletion and replacement', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: { BucketName: 'app-env-phi-data-123456789012-us-east-1' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('rejects noncurrent version expiration below six years', () => {
    expect(() => build({ noncurrentVersionExpirationDays: 90 })).toThrow(
      /noncurrentVersionExpirationDays = 90: must be at least 2192/,
    );
  });

  it('I1 replicates every SSE-KMS object to the destination with its key alias (V2 rule, replica modifications, no delete markers)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'app-env-phi-data-123456789012-us-east-1',
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [stack.getLogicalId(phi.replication!.role.node.defaultChild as never), 'Arn'] },
        Rules: [
          {
            Id: 'ReplicateTo-us-west-2',
            Status: 'Enabled',
            Priority: 1,
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            SourceSelectionCriteria: {
              SseKmsEncryptedObjects: { Status: 'Enabled' },
              ReplicaModifications: { Status: 'Enabled' },
            },
            Destination: {
              Bucket: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':s3:::app-env-phi-replica-',
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
                      ':alias/app-env/phi-replica',
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  it('A3 the replication role is trusted by S3 for this account only and has one customer-managed policy, no inline policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          },
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    const roles = template.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('A3 the replication policy grants exactly the replication actions on the two buckets and keys', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
    const bucketId = stack.getLogicalId(phi.bucket.node.defaultChild as never);
    const keyId = stack.getLogicalId(stack.node.findChild('Key').node.defaultChild as never);
    expect(statements).toEqual([
      {
        Sid: 'ReadSourceReplicationConfiguration',
        Effect: 'Allow',
        Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
      },
      {
        Sid: 'ReadSourceObjectVersions',
        Effect: 'Allow',
        Action: ['s3:GetObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      },
      {
        Sid: 'ReplicateToDestination',
        Effect: 'Allow',
        Action: ['s3:ReplicateDelete', 's3:ReplicateObject', 's3:ReplicateTags'],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':s3:::app-env-phi-replica-',
              { Ref: 'AWS::AccountId' },
              '-us-west-2/*',
            ],
          ],
        },
      },
      {
        Sid: 'DecryptWithSourceKeyThroughS3',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
      {
        Sid: 'EncryptWithDestinationKeyThroughS3',
        Effect: 'Allow',
        Action: 'kms:Encrypt',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:', { Ref: 'AWS::AccountId' }, ':key/*']],
        },
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/app-env/phi-replica'] },
        },
      },
    ]);
  });

  it('E2 bucket policy denies object writes under SSE-S3, another KMS key, or aws:kms without a key id; replication writes unaffected', () => {
    const keyArn = {
      'Fn::GetAtt': [stack.getLogicalId(phi.node.scope!.node.findChild('Key').node.defaultChild as never), 'Arn'],
    };
    const objects = {
      'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(phi.bucket.node.defaultChild as never), 'Arn'] }, '/*']],
    };
    const bucketId = stack.getLogicalId(phi.bucket.node.defaultChild as never);
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    const statements = (policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>).filter(
      (st) => typeof st.Sid === 'string' && st.Sid.startsWith('DenyObjectWrites'),
    );
    const deny = { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: objects };
    expect(statements).toEqual([
      {
        ...deny,
        Sid: 'DenyObjectWritesNotSseKms',
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      },
      {
        ...deny,
        Sid: 'DenyObjectWritesWithAnotherKey',
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
      },
      {
        ...deny,
        Sid: 'DenyObjectWritesSseKmsWithoutKeyId',
        Condition: {
          StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
        },
      },
    ]);
    // S3 replication (s3:ReplicateObject, with the destination's key) is not denied by any of them;
    // a PutObject without encryption headers matches none of them (the bucket default, this key, applies).
    expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toContain('s3:ReplicateObject');
  });

  it('a replicating PHI bucket is marked a PHI store (construct and bucket)', () => {
    expect(marked(phi)).toBe(true);
    expect(marked(phi.bucket.node.defaultChild as never)).toBe(true);
  });

  it('I1 a PHI bucket without replication is refused unless replicationPending', () => {
    expect(() => build({ replication: undefined })).toThrow(
      /replication = undefined: required: a PHI bucket must replicate to a second region/,
    );
    expect(() => build({ replicationPending: true })).toThrow(/replicationPending = true with replication set/);
  });

  it('rejects a destination in the same region, a malformed region and an alias ARN of another region', () => {
    expect(() => build({ replication: { ...REPLICATION, destinationRegion: 'us-east-1' } })).toThrow(
      /destinationRegion = 'us-east-1': must differ from the source region/,
    );
    expect(() => build({ replication: { ...REPLICATION, destinationRegion: 'west' } })).toThrow(
      /destinationRegion = 'west': must be an AWS region/,
    );
    expect(() =>
      build({
        replication: { ...REPLICATION, destinationKeyAliasArn: 'arn:aws:kms:eu-west-1:123456789012:alias/app-env/phi' },
      }),
    ).toThrow(
      /destinationKeyAliasArn = 'arn:aws:kms:eu-west-1:123456789012:alias\/app-env\/phi': must be a KMS alias ARN in us-west-2/,
    );
    expect(() =>
      build({ replication: { ...REPLICATION, destinationKeyAliasArn: 'arn:aws:kms:us-west-2:123456789012:key/abc' } }),
    ).toThrow(/must be a KMS alias ARN in us-west-2/);
  });

  describe('replicationPending (bootstrap of a replica)', () => {
    const pending = build({ replication: undefined, replicationPending: true });
    const pendingTemplate = Template.fromStack(pending.stack);

    it('has no replication, no replication role, and is not marked a PHI store', () => {
      const [bucket] = Object.values(
        pendingTemplate.findResources('AWS::S3::Bucket', {
          Properties: { BucketName: 'app-env-phi-data-123456789012-us-east-1' },
        }),
      );
      expect(bucket.Properties.ReplicationConfiguration).toBeUndefined();
      pendingTemplate.resourceCountIs('AWS::IAM::Role', 0);
      expect(pending.phi.replication).toBeUndefined();
      expect(pending.phi.node.findAll().some(marked)).toBe(false);
    });

    it('denies every object write to every principal (empty and unwritable until replication exists)', () => {
      pendingTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: pending.stack.getLogicalId(pending.phi.bucket.node.defaultChild as never) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'DenyObjectWritesUntilReplicationIsConfigured',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['s3:PutObject', 's3:ReplicateObject', 's3:RestoreObject'],
              Resource: Match.anyValue(),
            },
          ]),
        },
      });
    });

    it('keeps the other safeguards (SSE-KMS, versioning, Retain)', () => {
      pendingTemplate.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          BucketName: 'app-env-phi-data-123456789012-us-east-1',
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: Match.objectLike({
            ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })],
          }),
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });
});
