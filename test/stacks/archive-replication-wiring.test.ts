/**
 * The findings archive (D2) and the access-audit bucket (U5) replicate with the audit archive (I2): the audit
 * archive's one named replication role carries all three into the object-locked audit replica bucket of the replica
 * region, under the audit replica key; their keys do not collide there; the register no longer acknowledges their
 * S3BucketReplicationEnabled.
 */
import { ACCESS_AUDIT_EVENTS_PREFIX } from '../../constructs/access-audit-channel';
import {
  FORWARDED_GUARDDUTY_ERRORS_PREFIX,
  FORWARDED_GUARDDUTY_PREFIX,
  guardDutyFindingsPrefix,
  SECURITY_HUB_ERRORS_PREFIX,
  SECURITY_HUB_FINDINGS_PREFIX,
} from '../../constructs/findings-archive';
import { buildRegister } from '../../lib/compliance/register';
import { testConfig } from '../support/blueprint';
import { templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const bucketOf = (template: Json, prefix: string): Json =>
  Object.entries(template.Resources as Record<string, Json>).find(
    ([id, r]) => r.Type === 'AWS::S3::Bucket' && id.startsWith(prefix),
  )![1];

describe.each(['dev', 'prod'] as const)('archive replication (%s)', (env) => {
  const audit = templateJson(env, 'Audit');
  const replica = templateJson(env, 'PhiReplica');
  const archive = bucketOf(audit, 'AuditArchiveBucket').Properties.ReplicationConfiguration;

  test.each(['FindingsArchiveBucket', 'AccessAuditBucket'])(
    'I2 D2 U5 %s replicates like the audit archive: same role, destination, replica key, no delete markers',
    (prefix) => {
      const replication = bucketOf(audit, prefix).Properties.ReplicationConfiguration;
      expect(replication).toEqual(archive);
      expect(replication.Role).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^AuditArchiveReplicationRole/), 'Arn'],
      });
      const [rule] = replication.Rules;
      expect(rule).toMatchObject({
        Status: 'Enabled',
        Filter: { Prefix: '' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      });
      expect(JSON.stringify(rule.Destination.Bucket)).toContain(`hipaa-${env}-audit-replica-`);
      expect(JSON.stringify(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID)).toContain(
        `:alias/hipaa-${env}/audit-replica`,
      );
    },
  );

  test('I2 the destination is the object-locked audit replica bucket, which admits replication by that role only', () => {
    const bucket = bucketOf(replica, 'AuditArchiveReplicaBucket');
    expect(bucket.Properties.BucketName).toBe(`hipaa-${env}-audit-replica-123456789012-us-west-2`);
    expect(bucket.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toMatchObject({ Days: 2192 });
    const policy = Object.values(replica.Resources as Record<string, Json>).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket).includes('AuditArchiveReplica'),
    );
    const onlyRole = policy.Properties.PolicyDocument.Statement.find(
      (s: Json) => s.Sid === 'DenyReplicationExceptTheArchiveRole',
    );
    expect(onlyRole.Condition.ArnNotEquals['aws:PrincipalArn']).toBe(
      `arn:aws:iam::123456789012:role/hipaa-${env}-audit-replication`,
    );
  });

  test('A3 the replication role reads the three sources, with their retention and legal hold', () => {
    const policy = Object.entries(audit.Resources as Record<string, Json>).find(([id]) =>
      id.startsWith('AuditArchiveReplicationPolicy'),
    )![1];
    const read = policy.Properties.PolicyDocument.Statement.find((s: Json) => s.Sid === 'ReadSourceObjectVersions');
    const sources = JSON.stringify(read.Resource);
    for (const id of ['AuditArchiveBucket', 'AccessAuditBucket', 'FindingsArchiveBucket'])
      expect(sources).toContain(id);
    expect(read.Action).toEqual(expect.arrayContaining(['s3:GetObjectRetention', 's3:GetObjectLegalHold']));
  });

  test('I2 the register acknowledges S3BucketReplicationEnabled on neither bucket', () => {
    const entries = buildRegister(testConfig(env)).filter((e) =>
      e.ruleIds.some((r) => r.endsWith('S3BucketReplicationEnabled')),
    );
    const paths = entries.map((e) => e.path);
    expect(paths).not.toContain('*/Audit/FindingsArchive/Bucket/Resource');
    expect(paths).not.toContain('*/Audit/AccessAudit/Bucket/Resource');
    expect(paths).toContain('*/PhiReplica/AuditArchiveReplica/Bucket/Resource');
  });
});

test('I2 the three sources write under disjoint key prefixes (S3 replication keeps keys: no object overwrites another)', () => {
  // CloudTrail writes AWSLogs/<account>/CloudTrail/ and CloudTrail-Digest/; the access-audit channel events/ and
  // errors/; the findings archive AWSLogs/<account>/GuardDuty/ (GuardDuty), securityhub/ and securityhub-errors/,
  // guardduty-forwarded/ and guardduty-forwarded-errors/ (the replica region's GuardDuty findings).
  const prefixes = [
    'AWSLogs/123456789012/CloudTrail/',
    'AWSLogs/123456789012/CloudTrail-Digest/',
    ACCESS_AUDIT_EVENTS_PREFIX,
    'errors/',
    `${guardDutyFindingsPrefix('123456789012')}/`,
    SECURITY_HUB_FINDINGS_PREFIX,
    SECURITY_HUB_ERRORS_PREFIX,
    FORWARDED_GUARDDUTY_PREFIX,
    FORWARDED_GUARDDUTY_ERRORS_PREFIX,
  ];
  for (const a of prefixes) {
    for (const b of prefixes) if (a !== b) expect(b.startsWith(a)).toBe(false);
  }
  const audit = templateJson('prod', 'Audit');
  const streams = JSON.stringify(
    Object.values(audit.Resources as Record<string, Json>)
      .filter((r) => r.Type === 'AWS::KinesisFirehose::DeliveryStream')
      .map((r) => [
        r.Properties.ExtendedS3DestinationConfiguration.Prefix,
        r.Properties.ExtendedS3DestinationConfiguration.ErrorOutputPrefix,
      ]),
  );
  const written = [...streams.matchAll(/"([a-z-]+\/)/g)].map((m) => m[1]);
  expect(written.length).toBeGreaterThan(0);
  for (const w of written) expect(prefixes).toContain(w);
});
