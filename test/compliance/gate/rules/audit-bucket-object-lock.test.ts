import { Duration } from 'aws-cdk-lib';
import { CfnBucket, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { AuditBucketObjectLock } from '../../../../lib/compliance/gate/rules/audit-bucket-object-lock';
import { archive, bucket } from '../../../support/bucket-rule-fixtures';

describe('U2 project rule AuditBucketObjectLock', () => {
  test('passes on a COMPLIANCE 2192-day locked, versioned audit bucket', () => {
    const node = bucket(
      { versioned: true, objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(2192)) },
      archive(),
    );
    expect(AuditBucketObjectLock(node)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('passes on a retention of 6 years, fires on 6 * 365 days (2190 < 2192)', () => {
    const years = bucket({ versioned: true, objectLockEnabled: true }, archive()) as CfnBucket;
    years.objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: 6 } },
    };
    expect(AuditBucketObjectLock(years)).toBe(NagRuleCompliance.COMPLIANT);
    const days = bucket(
      { versioned: true, objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(6 * 365)) },
      archive(),
    );
    expect(AuditBucketObjectLock(days)).toEqual(['DefaultRetention::2190d']);
  });

  test('fires on an audit bucket without Object Lock', () => {
    const node = bucket({ versioned: true }, archive());
    expect(AuditBucketObjectLock(node)).toEqual(
      expect.arrayContaining([
        'ObjectLockEnabled::false',
        'ObjectLockConfiguration::not-Enabled',
        'DefaultRetention::none',
      ]),
    );
  });

  test('fires on a retention shorter than 2192 days', () => {
    const node = bucket(
      { versioned: true, objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(365)) },
      archive(),
    );
    expect(AuditBucketObjectLock(node)).toEqual(['DefaultRetention::365d']);
  });

  test('fires on a default retention without a known mode, and on fewer than 6 years', () => {
    const noMode = bucket({ versioned: true, objectLockEnabled: true }, archive()) as CfnBucket;
    noMode.objectLockConfiguration = { objectLockEnabled: 'Enabled', rule: { defaultRetention: { days: 2192 } } };
    expect(AuditBucketObjectLock(noMode)).toEqual(['DefaultRetention.Mode::undefined']);
    const fiveYears = bucket({ versioned: true, objectLockEnabled: true }, archive()) as CfnBucket;
    fiveYears.objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: 5 } },
    };
    expect(AuditBucketObjectLock(fiveYears)).toEqual(['DefaultRetention::5y']);
  });

  test('fires on GOVERNANCE unless the marker allows it', () => {
    const props = {
      versioned: true,
      objectLockDefaultRetention: ObjectLockRetention.governance(Duration.days(2192)),
    };
    expect(AuditBucketObjectLock(bucket(props, archive(false)))).toEqual([
      'DefaultRetention.Mode::GOVERNANCE-not-allowed',
    ]);
    expect(AuditBucketObjectLock(bucket(props, archive(true)))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('fires on an unversioned audit bucket', () => {
    const node = bucket({ objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(2192)) }, archive());
    // CDK turns versioning on for Object Lock implicitly only when asked; an explicit override removes it.
    (node as CfnBucket).versioningConfiguration = undefined;
    expect(AuditBucketObjectLock(node)).toEqual(['VersioningConfiguration::not-Enabled']);
  });

  test('does not apply to unmarked buckets', () => {
    expect(AuditBucketObjectLock(bucket({}, () => undefined))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });
});
