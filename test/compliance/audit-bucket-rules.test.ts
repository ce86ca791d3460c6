import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Bucket, CfnBucket, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { markAuditArchive, markLogBucket } from '../../constructs/core/markers';
import { AuditBucketObjectLock } from '../../lib/compliance/gate/rules/audit-bucket-object-lock';
import { LogBucketRetention } from '../../lib/compliance/gate/rules/log-bucket-retention';
import { PROJECT_RULES } from '../../lib/compliance/gate/blueprint-checks';

const ENV = { account: '123456789012', region: 'us-east-1' };
let counter = 0;

function bucket(
  props: ConstructorParameters<typeof Bucket>[2],
  mark: (cfn: CfnBucket) => void,
  retain = true,
): CfnResource {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), `S${counter++}`, { env: ENV });
  const b = new Bucket(stack, 'B', { ...props, removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
  const cfn = b.node.defaultChild as CfnBucket;
  mark(cfn);
  return cfn;
}

const archive =
  (governanceAllowed = false) =>
  (cfn: CfnBucket) =>
    markAuditArchive(cfn, {
      safeguards: ['U2'],
      governanceAllowed,
      lockMode: governanceAllowed ? 'GOVERNANCE' : 'COMPLIANCE',
    });
const logBucket = (cfn: CfnBucket) => markLogBucket(cfn, { safeguards: ['U3'] });
const sixYears = { expiration: Duration.days(2192) };

describe('project rules are registered', () => {
  test('AuditBucketObjectLock and LogBucketRetention are in PROJECT_RULES with safeguards', () => {
    const byName = new Map(PROJECT_RULES.map((r) => [r.rule.name, r]));
    expect(byName.get('AuditBucketObjectLock')?.safeguards).toContain('U2');
    expect(byName.get('LogBucketRetention')?.safeguards).toContain('U3');
  });
});

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
