import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket, BucketEncryption, CfnBucket, StorageClass } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import {
  bucketSafeguards,
  DENY_OBJECT_ENCRYPTION_UPDATES_SID,
  denyObjectEncryptionUpdates,
  noExpiryBeforeRetention,
  retainOnReplace,
} from '../../constructs/bucket-safeguards';
import { markLogBucket } from '../../constructs/core/markers';
import { LogBucketRetention } from '../../lib/compliance/gate/rules/log-bucket-retention';
import { fixtureStack, importedKey, KEY_ARN } from '../support/construct-fixtures';

/** A bucket whose props put `before` first and the safeguards last, as every bucket of the blueprint does. */
function bucket(
  encryption: Parameters<typeof bucketSafeguards>[0] | 'KEY',
  before: ConstructorParameters<typeof Bucket>[2] = {},
) {
  const s = fixtureStack();
  const b = new Bucket(s, 'Bucket', {
    ...before,
    ...bucketSafeguards(encryption === 'KEY' ? importedKey(s) : encryption),
  });
  return { stack: s, bucket: b, template: Template.fromStack(s) };
}

describe('bucketSafeguards', () => {
  it('E2 with a key: SSE-KMS with that customer-managed key and a bucket key', () => {
    bucket('KEY').template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
  });

  it("E2 'S3_MANAGED': SSE-S3, the acknowledged exception for stores AWS delivers into only that way", () => {
    bucket('S3_MANAGED').template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('I2 versioned, public access blocked, bucket owner owns every object, retained on deletion', () => {
    bucket('KEY').template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('E3 the bucket policy denies requests without TLS and with TLS below 1.2', () => {
    const { template } = bucket('KEY');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  it('E2 E3 I2 spread last, they win over anything set before them', () => {
    const { template } = bucket('KEY', {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: false,
      enforceSSL: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: Match.objectLike({
          ServerSideEncryptionConfiguration: [
            Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
          ],
        }),
        VersioningConfiguration: { Status: 'Enabled' },
      }),
      DeletionPolicy: 'Retain',
    });
    template.resourceCountIs('AWS::S3::BucketPolicy', 1);
  });
});

describe('retainOnReplace', () => {
  it('I2 retains the bucket on replacement too and returns its L1', () => {
    const s2 = fixtureStack();
    const b2 = new Bucket(s2, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY });
    const cfn = retainOnReplace(b2);
    expect(cfn).toBe(b2.node.defaultChild);
    Template.fromStack(s2).hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('noExpiryBeforeRetention', () => {
  const rule = noExpiryBeforeRetention(2192, {
    first: { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, days: 90 },
    deepArchiveDays: 365,
  });

  it('U3 colder storage over time; neither current nor replaced versions expire before the retention', () => {
    const s = fixtureStack();
    new Bucket(s, 'Logs', { lifecycleRules: [rule], versioned: true });
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'ColderStorageNoExpirationBeforeRetention',
            Status: 'Enabled',
            Transitions: [
              { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
              { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 },
            ],
            NoncurrentVersionTransitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 }],
            ExpirationInDays: 2192,
            NoncurrentVersionExpiration: { NoncurrentDays: 2192 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
      },
    });
  });

  it('U3 a marked log bucket with this lifecycle, retained, passes the project rule LogBucketRetention', () => {
    const s = fixtureStack();
    const b = new Bucket(s, 'Logs', { lifecycleRules: [rule], ...bucketSafeguards('S3_MANAGED') });
    const cfn = retainOnReplace(b);
    markLogBucket(cfn as CfnBucket, { safeguards: ['U3'] });
    expect(LogBucketRetention(cfn as CfnResource)).toBe(NagRuleCompliance.COMPLIANT);
    const shorter = noExpiryBeforeRetention(365, {
      first: { storageClass: StorageClass.GLACIER, days: 30 },
      deepArchiveDays: 180,
    });
    const s2 = fixtureStack();
    const short = retainOnReplace(
      new Bucket(s2, 'Logs', { lifecycleRules: [shorter], removalPolicy: RemovalPolicy.RETAIN }),
    );
    markLogBucket(short, { safeguards: ['U3'] });
    expect(LogBucketRetention(short)).toEqual([
      'Rule[ColderStorageNoExpirationBeforeRetention].ExpirationInDays::365',
      'Rule[ColderStorageNoExpirationBeforeRetention].NoncurrentVersionExpiration::365',
    ]);
  });
});

describe('denyObjectEncryptionUpdates', () => {
  it('E2 U2 denies s3:UpdateObjectEncryption on every object to everyone, with no condition', () => {
    const s = fixtureStack();
    const b = new Bucket(s, 'Bucket', bucketSafeguards(importedKey(s)));
    denyObjectEncryptionUpdates(b);
    const bucketId = s.getLogicalId(b.node.defaultChild as CfnBucket);
    const policies = Object.values(Template.fromStack(s).findResources('AWS::S3::BucketPolicy')) as {
      Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } };
    }[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((x) => x.Sid === DENY_OBJECT_ENCRYPTION_UPDATES_SID)).toEqual([
      {
        Sid: DENY_OBJECT_ENCRYPTION_UPDATES_SID,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:UpdateObjectEncryption',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      },
    ]);
  });
});
