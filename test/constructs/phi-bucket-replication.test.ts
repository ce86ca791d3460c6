import { Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { PhiBucketReplication, PhiBucketReplicationProps } from '../../constructs/phi-bucket-replication';
import { fixtureStack } from '../support/construct-fixtures';

const REPLICATION = {
  destinationBucketName: `app-env-phi-replica-${Aws.ACCOUNT_ID}-us-west-2`,
  destinationRegion: 'us-west-2',
  destinationKeyAliasArn: `arn:${Aws.PARTITION}:kms:us-west-2:${Aws.ACCOUNT_ID}:alias/app-env/phi-replica`,
};

/** PhiBucketReplication of a bucket and its key in the fixture stack (us-east-1) to us-west-2. */
function replication(overrides: Partial<PhiBucketReplicationProps> = {}): {
  stack: Stack;
  source: Bucket;
  sourceKey: Key;
  built: PhiBucketReplication;
} {
  const stack = fixtureStack();
  const sourceKey = new Key(stack, 'Key');
  const source = new Bucket(stack, 'PhiBucket', { bucketName: 'app-env-phi-data-123456789012-us-east-1' });
  const built = new PhiBucketReplication(stack, 'Replication', { source, sourceKey, ...REPLICATION, ...overrides });
  return { stack, source, sourceKey, built };
}

describe('PhiBucketReplication', () => {
  const { stack, source, sourceKey, built } = replication();
  const template = Template.fromStack(stack);

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
    const bucketId = stack.getLogicalId(source.node.defaultChild as never);
    const keyId = stack.getLogicalId(sourceKey.node.defaultChild as never);
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

  it('I1 the configuration replicates every SSE-KMS object with the destination key alias, replica modifications, no delete markers', () => {
    expect(stack.resolve(built.configuration)).toEqual({
      role: { 'Fn::GetAtt': [stack.getLogicalId(built.role.node.defaultChild as never), 'Arn'] },
      rules: [
        {
          id: 'ReplicateTo-us-west-2',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: {
            sseKmsEncryptedObjects: { status: 'Enabled' },
            replicaModifications: { status: 'Enabled' },
          },
          destination: {
            bucket: stack.resolve(`arn:${Aws.PARTITION}:s3:::${REPLICATION.destinationBucketName}`),
            encryptionConfiguration: { replicaKmsKeyId: stack.resolve(REPLICATION.destinationKeyAliasArn) },
            metrics: { status: 'Enabled' },
          },
        },
      ],
    });
  });

  it('rejects a destination bucket name that is empty or a pattern', () => {
    expect(() => replication({ destinationBucketName: '' })).toThrow(
      "PhiBucketReplication S/Replication: destinationBucketName = '': must be a bucket name",
    );
    expect(() => replication({ destinationBucketName: 'phi-*' })).toThrow("destinationBucketName = 'phi-*'");
  });

  it('rejects a destination in the same region, a malformed region and an alias ARN of another region', () => {
    expect(() => replication({ destinationRegion: 'us-east-1' })).toThrow(
      /destinationRegion = 'us-east-1': must differ from the source region/,
    );
    expect(() => replication({ destinationRegion: 'west' })).toThrow(
      /destinationRegion = 'west': must be an AWS region/,
    );
    expect(() =>
      replication({ destinationKeyAliasArn: 'arn:aws:kms:eu-west-1:123456789012:alias/app-env/phi' }),
    ).toThrow(
      /destinationKeyAliasArn = 'arn:aws:kms:eu-west-1:123456789012:alias\/app-env\/phi': must be a KMS alias ARN in us-west-2/,
    );
    expect(() => replication({ destinationKeyAliasArn: 'arn:aws:kms:us-west-2:123456789012:key/abc' })).toThrow(
      /must be a KMS alias ARN in us-west-2/,
    );
  });
});
