import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { OnePolicyPerBucket } from '../../../../lib/compliance/gate/rules/one-policy-per-bucket';
import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

const BUCKET = {
  Type: 'AWS::S3::Bucket',
  ...RETAIN,
  Properties: {
    BucketName: 'app-env-records-123456789012-us-east-1',
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } },
      ],
    },
  },
};

/** A bucket policy on `bucket` that denies plain HTTP. */
const policy = (bucket: unknown) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: bucket,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: ['arn:aws:s3:::app-env-records-123456789012-us-east-1/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  },
});

const findings = (resources: Record<string, Record<string, unknown>>) =>
  findingsOf('OnePolicyPerBucket', template({ Bucket: BUCKET, ...resources }));

describe('OnePolicyPerBucket', () => {
  test('E3 E1 E2 U2 U3 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === OnePolicyPerBucket)?.safeguards).toEqual([
      'E3',
      'E1',
      'E2',
      'U2',
      'U3',
    ]);
  });

  test('E3 one policy naming its bucket with Ref passes', () => {
    expect(findings({ Policy: policy({ Ref: 'Bucket' }) })).toEqual([]);
  });

  test('E3 a second policy of the same bucket is a finding on both (either may be the one that deploys last)', () => {
    expect(findings({ Policy: policy({ Ref: 'Bucket' }), Another: policy({ Ref: 'Bucket' }) })).toEqual([
      '[Bucket::several-policies] Another',
      '[Bucket::several-policies] Policy',
    ]);
  });

  test.each([
    ['the bucket by its literal name', 'app-env-records-123456789012-us-east-1'],
    ['a bucket of another stack by import', { 'Fn::ImportValue': 'OtherStack:PhiBucketName' }],
    ['a bucket of another stack by output', { 'Fn::GetStackOutput': { StackName: 'hipaa-dev-data', OutputName: 'B' } }],
    ['a condition between buckets', { 'Fn::If': ['Never', { Ref: 'Bucket' }, 'elsewhere'] }],
    ['a resource that is not a bucket', { Ref: 'Key' }],
  ])('E3 a policy naming %s is a finding', (_name, bucket) => {
    const key = { Type: 'AWS::KMS::Key', ...RETAIN, Properties: { EnableKeyRotation: true, KeyPolicy: {} } };
    const conditions = { Never: { 'Fn::Equals': ['a', 'b'] } };
    const t = { ...template({ Bucket: BUCKET, Key: key, Policy: policy(bucket) }), Conditions: conditions };
    expect(findingsOf('OnePolicyPerBucket', t)).toEqual(['[Bucket::not-a-bucket-of-this-template] Policy']);
  });
});
