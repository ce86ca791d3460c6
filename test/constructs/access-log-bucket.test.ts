import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { RetentionPolicy } from '../../lib/config/retention';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' };

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
}

describe('AccessLogBucket', () => {
  test('U3 refuses a retention policy below six years', () => {
    expect(() => new AccessLogBucket(stack(), 'L', { retention: { ...RETENTION, logRetentionDays: 365 } })).toThrow(
      /retention.logRetentionDays = 365: must be at least 2192 days/,
    );
  });

  test('E2 exception is SSE-S3 only; lifecycle follows a longer retention policy', () => {
    const s = stack();
    new AccessLogBucket(s, 'L', { retention: { ...RETENTION, logRetentionDays: 2557 } });
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'ColderStorageThenExpireAfterRetention',
            Status: 'Enabled',
            ExpirationInDays: 2557,
            NoncurrentVersionExpiration: { NoncurrentDays: 2557 },
            Transitions: [
              { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
              { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 },
            ],
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            NoncurrentVersionTransitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 }],
          },
        ],
      },
    });
  });

  test('U3 receiveServerAccessLogsFrom sets the source logging configuration; refuses itself and bad prefixes', () => {
    const s = stack();
    const logs = new AccessLogBucket(s, 'L', { retention: RETENTION });
    const source = new Bucket(s, 'Source');
    logs.receiveServerAccessLogsFrom(source, 'source/');
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: s.getLogicalId(logs.bucket.node.defaultChild as CfnBucket) },
        LogFilePrefix: 'source/',
      },
    });
    expect(() => logs.receiveServerAccessLogsFrom(logs.bucket, 'self/')).toThrow(/does not log to itself/);
    expect(() => logs.receiveServerAccessLogsFrom(source, 'Source')).toThrow(/prefix = 'Source'/);
  });
});
