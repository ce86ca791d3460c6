import { GetBucketReplicationCommand, ReplicationRule, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyArchiveReplication } from '../../../lib/deploy/verify/archive-replication';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState, sdkError } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const s3 = mockClient(S3Client);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => s3.restore());
beforeEach(() => s3.reset());

const BUCKETS = {
  AuditArchiveBucketName: 'trail-0001',
  FindingsArchiveBucketName: 'findings-0001',
  AccessAuditBucketName: 'events-0001',
};
const audit = deployedState(deployedStack('hipaa-prod-audit', 'us-east-1', [], { outputs: BUCKETS }));
const REPLICA = 'arn:aws:s3:::hipaa-prod-audit-replica-123456789012-us-west-2';
const GOOD: ReplicationRule = {
  ID: 'ReplicateTo-us-west-2',
  Status: 'Enabled',
  Priority: 1,
  Filter: { Prefix: '' },
  DeleteMarkerReplication: { Status: 'Disabled' },
  SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
  Destination: {
    Bucket: REPLICA,
    EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:us-west-2:123456789012:alias/hipaa-prod/audit-replica' },
    Metrics: { Status: 'Enabled' },
  },
};
const replicates = (bucket: string, rule: ReplicationRule = GOOD) =>
  s3
    .on(GetBucketReplicationCommand, { Bucket: bucket })
    .resolves({ ReplicationConfiguration: { Role: 'arn:aws:iam::123456789012:role/r', Rules: [rule] } });
const allGood = () => Object.values(BUCKETS).forEach((b) => replicates(b));
const run = (config = testConfig('prod'), deployed = audit) =>
  verifyArchiveReplication(verifyContext(config, deployed));
const statuses = async (config = testConfig('prod')) => (await run(config)).map((r) => `${r.check}: ${r.status}`);

describe('verify I2: the audit-domain buckets replicate into the audit replica', () => {
  it('PASS: the audit archive, the findings archive and the access-audit bucket replicate every object', async () => {
    allGood();
    const rows = await run();
    expect(rows.map((r) => [r.safeguard, r.check, r.status])).toEqual([
      ['I2', 'audit archive replication', 'PASS'],
      ['I2', 'findings archive replication', 'PASS'],
      ['I2', 'access-audit bucket replication', 'PASS'],
    ]);
    expect(rows[1]!.detail).toBe(
      'findings-0001 replicates every object into hipaa-prod-audit-replica-123456789012-us-west-2 (us-west-2)',
    );
  });

  it('FAIL: a bucket without replication (ReplicationConfigurationNotFoundError)', async () => {
    allGood();
    s3.on(GetBucketReplicationCommand, { Bucket: 'events-0001' }).rejects(
      sdkError('ReplicationConfigurationNotFoundError'),
    );
    const rows = await run();
    expect(rows[2]).toMatchObject({ status: 'FAIL', detail: 'events-0001 is not replicated to us-west-2' });
  });

  it.each<[string, ReplicationRule, string]>([
    ['disabled', { ...GOOD, Status: 'Disabled' }, 'is Disabled'],
    [
      'another destination',
      { ...GOOD, Destination: { ...GOOD.Destination!, Bucket: 'arn:aws:s3:::elsewhere' } },
      'replicates into arn:aws:s3:::elsewhere',
    ],
    ['a prefix filter', { ...GOOD, Filter: { Prefix: 'securityhub/' } }, 'only part of the objects'],
    ['SSE-KMS objects skipped', { ...GOOD, SourceSelectionCriteria: {} }, 'skips SSE-KMS objects'],
    [
      'delete markers replicated',
      { ...GOOD, DeleteMarkerReplication: { Status: 'Enabled' } },
      'replicates delete markers',
    ],
    ['no replica key', { ...GOOD, Destination: { Bucket: REPLICA } }, 'names no replica key'],
    [
      'replication metrics off',
      { ...GOOD, Destination: { ...GOOD.Destination!, Metrics: { Status: 'Disabled' } } },
      'publishes no S3 Replication metrics',
    ],
  ])('FAIL: the findings archive rule %s', async (_what, rule, detail) => {
    allGood();
    replicates('findings-0001', rule);
    const rows = await run();
    expect(rows[1]!.status).toBe('FAIL');
    expect(rows[1]!.detail).toContain(detail);
    expect(rows[0]!.status).toBe('PASS');
  });

  it('FAIL: a bucket output missing (the audit stack not deployed)', async () => {
    const rows = await run(testConfig('prod'), deployedState());
    expect(rows.map((r) => r.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(rows[0]!.detail).toContain('stack hipaa-prod-audit is not deployed or has no output AuditArchiveBucketName');
  });

  it('the findings archive switched off is not checked', async () => {
    allGood();
    const config = testConfig('prod', {
      detection: { findingsArchive: false, providedBy: 'the organization log archive account' },
    });
    expect(await statuses(config)).toEqual([
      'audit archive replication: PASS',
      'access-audit bucket replication: PASS',
    ]);
  });

  it('another SDK error is not a silent pass (run-verify turns it into a FAIL row)', async () => {
    s3.on(GetBucketReplicationCommand).rejects(sdkError('AccessDenied', 'denied', 403));
    await expect(run()).rejects.toThrow('denied');
  });
});
