import { Duration } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { LogBucketRetention } from '../../../../lib/compliance/gate/rules/log-bucket-retention';
import { archive, bucket, logBucket, sixYears } from '../../../support/bucket-rule-fixtures';

describe('U3 project rule LogBucketRetention', () => {
  test('passes on a log bucket expiring after 2192 days, retained', () => {
    const node = bucket(
      { lifecycleRules: [{ ...sixYears, noncurrentVersionExpiration: Duration.days(2192) }] },
      logBucket,
    );
    expect(LogBucketRetention(node)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('passes on a lifecycle with transitions and no expiration', () => {
    const node = bucket({ lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }] }, logBucket);
    expect(LogBucketRetention(node)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('fires on a 365-day expiration', () => {
    const node = bucket({ lifecycleRules: [{ id: 'short', expiration: Duration.days(365) }] }, logBucket);
    expect(LogBucketRetention(node)).toEqual(['Rule[short].ExpirationInDays::365']);
  });

  test('fires on a short noncurrent version expiration', () => {
    const node = bucket(
      { versioned: true, lifecycleRules: [{ id: 'nc', ...sixYears, noncurrentVersionExpiration: Duration.days(30) }] },
      logBucket,
    );
    expect(LogBucketRetention(node)).toEqual(['Rule[nc].NoncurrentVersionExpiration::30']);
  });

  test('fires on a fixed expiration date', () => {
    const node = bucket(
      { lifecycleRules: [{ id: 'date', expirationDate: new Date('2030-01-01T00:00:00Z') }] },
      logBucket,
    );
    expect(LogBucketRetention(node)).toEqual(['Rule[date].ExpirationDate::fixed-date']);
  });

  test('fires on a log bucket without a lifecycle', () => {
    expect(LogBucketRetention(bucket({}, logBucket))).toEqual(['LifecycleConfiguration::none']);
  });

  test('fires on a log bucket that is not retained', () => {
    const node = bucket({ lifecycleRules: [sixYears] }, logBucket, false);
    expect(LogBucketRetention(node)).toEqual(['DeletionPolicy::not-Retain', 'UpdateReplacePolicy::not-Retain']);
  });

  test('applies to the audit archive marker too', () => {
    const node = bucket({ lifecycleRules: [{ id: 'short', expiration: Duration.days(90) }] }, archive());
    expect(LogBucketRetention(node)).toEqual(['Rule[short].ExpirationInDays::90']);
  });

  test('does not apply to unmarked buckets', () => {
    expect(LogBucketRetention(bucket({}, () => undefined))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });
});
