import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { ConfigDeliveryBucket } from '../../constructs/config-delivery-bucket';
import { LOG_BUCKET_METADATA } from '../../constructs/core/markers';
import { LogBucketRetention } from '../../lib/compliance/gate/rules/log-bucket-retention';
import { RetentionPolicy } from '../../constructs/core/retention';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' };

function build(props: Partial<ConstructorParameters<typeof ConfigDeliveryBucket>[2]> = {}): ConfigDeliveryBucket {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return new ConfigDeliveryBucket(s, 'C', {
    retention: RETENTION,
    encryptionKey: new Key(s, 'K'),
    accessLogs: new AccessLogBucket(s, 'L', { retention: RETENTION }),
    ...props,
  });
}

describe('ConfigDeliveryBucket', () => {
  const bucket = build();
  const cfn = bucket.bucket.node.defaultChild as CfnBucket;

  test('U3 refuses a retention below six years and an invalid key prefix', () => {
    expect(() => build({ retention: { ...RETENTION, auditRetentionDays: 2000 } })).toThrow(
      /retention.auditRetentionDays = 2000: must be at least 2192 days/,
    );
    expect(() => build({ keyPrefix: 'Bad/Prefix' })).toThrow(/keyPrefix = 'Bad\/Prefix': must be 1-64 of \[a-z0-9-\]/);
  });

  test('U2/U3 no Object Lock (AWS Config cannot deliver to an object-locked bucket)', () => {
    const props = Template.fromStack(Stack.of(bucket)).toJSON().Resources[Stack.of(bucket).getLogicalId(cfn)]
      .Properties;
    expect(props.ObjectLockEnabled).toBeUndefined();
    expect(props.ObjectLockConfiguration).toBeUndefined();
  });

  test('U3 marked as a log bucket, so LogBucketRetention checks it and passes', () => {
    expect(cfn.getMetadata(LOG_BUCKET_METADATA)).toBeDefined();
    expect(LogBucketRetention(cfn)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('U3 LogBucketRetention fires if the lifecycle expired objects before 2192 days', () => {
    const weakened = build().bucket.node.defaultChild as CfnBucket;
    // Lower it the way a careless edit of the construct would.
    weakened.lifecycleConfiguration = {
      rules: [{ id: 'Short', status: 'Enabled', expirationInDays: 365 }],
    };
    expect(LogBucketRetention(weakened)).toEqual(['Rule[Short].ExpirationInDays::365']);
  });
});
