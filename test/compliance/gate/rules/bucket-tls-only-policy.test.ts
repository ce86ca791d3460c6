import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

const BUCKET_ARN = { 'Fn::GetAtt': ['Bucket', 'Arn'] };
const OBJECTS = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] };
const deny = (condition: Record<string, unknown>) => ({
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: [BUCKET_ARN, OBJECTS],
  Condition: condition,
});
const TLS_ONLY = deny({ Bool: { 'aws:SecureTransport': 'false' } });
const TLS_12 = deny({ NumericLessThan: { 's3:TlsVersion': 1.2 } });

const bucketWith = (statements?: unknown[]) =>
  template({
    Bucket: {
      Type: 'AWS::S3::Bucket',
      ...RETAIN,
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } },
          ],
        },
      },
    },
    ...(statements
      ? {
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: { Bucket: { Ref: 'Bucket' }, PolicyDocument: { Version: '2012-10-17', Statement: statements } },
          },
        }
      : {}),
  });

describe('BucketTlsOnlyPolicy', () => {
  test('E3 a bucket whose policy denies plain HTTP and TLS below 1.2 passes', () => {
    expect(findingsOf('BucketTlsOnlyPolicy', bucketWith([TLS_ONLY, TLS_12]))).toEqual([]);
  });

  test.each([
    ['no bucket policy', undefined, ['[BucketPolicy::none] Bucket']],
    ['no TLS 1.2 floor', [TLS_ONLY], ['[BucketPolicy::no-deny-below-TLS-1.2] Bucket']],
    ['no TLS-only deny', [TLS_12], ['[BucketPolicy::no-deny-without-TLS] Bucket']],
    [
      'the denies only for one principal (not everyone)',
      [
        { ...TLS_ONLY, Principal: { AWS: 'arn:aws:iam::123456789012:root' } },
        { ...TLS_12, Principal: { AWS: 'arn:aws:iam::123456789012:root' } },
      ],
      ['[BucketPolicy::no-deny-below-TLS-1.2] Bucket', '[BucketPolicy::no-deny-without-TLS] Bucket'],
    ],
    [
      'the plain-HTTP deny narrowed by another condition key (a tag nobody has)',
      [deny({ Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalTag/team': 'nobody' } }), TLS_12],
      ['[BucketPolicy::no-deny-without-TLS] Bucket'],
    ],
    [
      'the TLS 1.2 deny limited to a key prefix, and the plain-HTTP deny to the bucket alone',
      [
        { ...TLS_ONLY, Resource: [BUCKET_ARN] },
        { ...TLS_12, Resource: [BUCKET_ARN, { 'Fn::Join': ['', [BUCKET_ARN, '/public/*']] }] },
      ],
      ['[BucketPolicy::no-deny-below-TLS-1.2] Bucket', '[BucketPolicy::no-deny-without-TLS] Bucket'],
    ],
    [
      'each deny narrowed by a second operator on its own key (a condition that never holds)',
      [
        deny({ Bool: { 'aws:SecureTransport': 'false' }, Null: { 'aws:SecureTransport': 'true' } }),
        deny({ NumericLessThan: { 's3:TlsVersion': 1.2 }, NumericGreaterThan: { 's3:TlsVersion': 9 } }),
      ],
      ['[BucketPolicy::no-deny-below-TLS-1.2] Bucket', '[BucketPolicy::no-deny-without-TLS] Bucket'],
    ],
    [
      'a TLS 1.0 floor',
      [TLS_ONLY, deny({ NumericLessThan: { 's3:TlsVersion': '1.0' } })],
      ['[BucketPolicy::no-deny-below-TLS-1.2] Bucket'],
    ],
  ])('E3 %s is a finding', (_name, statements, expected) => {
    expect(findingsOf('BucketTlsOnlyPolicy', bucketWith(statements))).toEqual(expected);
  });
});
