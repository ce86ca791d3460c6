import { App, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { AccessLogBucket } from '../../../../constructs/access-log-bucket';
import { AuditArchiveBucket } from '../../../../constructs/audit-archive-bucket';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { AuditArchiveTamperDenies } from '../../../../lib/compliance/gate/rules/audit-archive-tamper-denies';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../lib/config';
import { editStatement, overrideBucketStatements, Statement, without } from '../../../support/policy-overrides';

const RETENTION = {
  logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
  auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
  auditLockMode: 'COMPLIANCE' as const,
};

function archive(): AuditArchiveBucket {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Audit', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return new AuditArchiveBucket(stack, 'Archive', {
    retention: RETENTION,
    production: true,
    encryptionKey: new Key(stack, 'Key'),
    accessLogs: new AccessLogBucket(stack, 'AccessLogs', { retention: RETENTION }),
    trailName: 'app-env-trail',
    configurationAdministratorArns: [
      'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1',
    ],
  });
}

const check = (a: AuditArchiveBucket) => AuditArchiveTamperDenies(a.bucket.node.defaultChild as CfnBucket);
function after(edit: (statements: Statement[]) => Statement[]) {
  const a = archive();
  overrideBucketStatements(a.bucket, edit);
  return check(a);
}

describe('AuditArchiveTamperDenies', () => {
  test('U2 U6 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === AuditArchiveTamperDenies)?.safeguards).toEqual(['U2', 'U6']);
  });

  test('U2 U6 passes on the AuditArchiveBucket, and does not apply to other buckets', () => {
    expect(check(archive())).toBe(NagRuleCompliance.COMPLIANT);
    const other = new Bucket(new Stack(new App(), 'S'), 'B');
    expect(AuditArchiveTamperDenies(other.node.defaultChild as CfnBucket)).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('U2 U6 fires when lock configuration, versioning, lifecycle and policy changes are open to everyone', () => {
    expect(after(without('DenyConfigurationChangesExceptDeployment'))).toEqual([
      'LockConfiguration::not-denied',
      'Versioning::not-denied',
      'Lifecycle::not-denied',
      'PolicyChanges::not-denied',
    ]);
    // A wildcard exception is no exception list.
    expect(
      after(
        editStatement('DenyConfigurationChangesExceptDeployment', (s) => ({
          ...s,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/*' } },
        })),
      ),
    ).toContain('LockConfiguration::not-denied');
    // An exception for a role the templates create (its function could rewrite the policy) beside the deployment role.
    expect(
      after(
        editStatement('DenyConfigurationChangesExceptDeployment', (s) => ({
          ...s,
          Condition: {
            ArnNotEquals: {
              'aws:PrincipalArn': [
                'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1',
                { 'Fn::GetAtt': ['SomeFunctionRole', 'Arn'] },
              ],
            },
          },
        })),
      ),
    ).toContain('PolicyChanges::not-denied');
  });

  test('U2 U6 fires when object or version deletes are allowed, or denied only under a condition', () => {
    expect(after(without('DenyObjectDeletes'))).toEqual(['ObjectDeletes::not-denied']);
    expect(
      after(
        editStatement('DenyObjectDeletes', (s) => ({
          ...s,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/Admin' } },
        })),
      ),
    ).toEqual(['ObjectDeletes::not-denied']);
  });

  test('U2 U6 fires when retention, legal holds or GOVERNANCE bypass are not denied', () => {
    expect(after(without('DenyRetentionWeakening'))).toEqual(['Retention::not-denied']);
    expect(
      after(
        editStatement('DenyRetentionWeakening', (s) => ({
          ...s,
          Action: ['s3:PutObjectRetention', 's3:PutObjectLegalHold'],
        })),
      ),
    ).toEqual(['Retention::not-denied']);
  });

  test('U2 U6 fires when anything but the trail may write', () => {
    expect(after(without('DenyWritesExceptTheTrail'))).toEqual(['Writes::not-limited-to-the-trail']);
    expect(
      after(
        editStatement('DenyWritesExceptTheTrail', (s) => ({
          ...s,
          Condition: { StringNotLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:*:trail/*' } },
        })),
      ),
    ).toEqual(['Writes::not-limited-to-the-trail']);
  });
});
