import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  handleRestoreEvent,
  inspectRestoredCopy,
  isTransient,
  RESTORE_SUCCEEDED_METRIC,
  RestoreValidationDeps,
} from '../../lambda/restore-validation';
import {
  inspectBucket,
  inspectDatabase,
  RestoredBucketFacts,
  RestoredDatabaseFacts,
  restoredResourceOf,
} from '../../lambda/restore-validation/inspect';
import { RESTORED_OBJECT_SAMPLE } from '../../lambda/restore-validation/inspect';
import { MAX_VALIDATION_MESSAGE_CHARS, withInspection } from '../../lambda/restore-validation/validate';
import { answerGood, EXPECTED, GOOD_INSTANCE, inspectionDeps } from './restore-inspection-fixture';

const KEY_ID = EXPECTED.phiKeyArn.split('/')[1]!;
const OTHER_KEY = 'arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555';
const INSTANCE_ARN = 'arn:aws:rds:us-east-1:123456789012:db:awsbackup-restore-test-0001';
const CLUSTER_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:awsbackup-restore-test-0002';
const BUCKET_ARN = 'arn:aws:s3:::awsbackup-restore-test-0003';

const DB: RestoredDatabaseFacts = {
  kind: 'instance',
  status: 'available',
  storageEncrypted: true,
  kmsKeyId: EXPECTED.phiKeyArn,
  publiclyAccessible: false,
  dbSubnetGroupName: EXPECTED.dbSubnetGroupName,
  securityGroupIds: [EXPECTED.securityGroupId],
};
const UNDER_THE_PHI_KEY = { sseAlgorithm: 'aws:kms', kmsKeyId: EXPECTED.phiKeyArn };
const BUCKET: RestoredBucketFacts = {
  versioning: 'Enabled',
  publicAccessBlock: {
    blockPublicAcls: true,
    ignorePublicAcls: true,
    blockPublicPolicy: true,
    restrictPublicBuckets: true,
  },
  keyCount: 2,
  objects: [UNDER_THE_PHI_KEY, UNDER_THE_PHI_KEY],
};

describe('restored copy inspection (pure)', () => {
  it('I1 a restored database and bucket that keep every safeguard pass', () => {
    expect(inspectDatabase(DB, EXPECTED)).toEqual([]);
    expect(inspectDatabase({ ...DB, kind: 'cluster', publiclyAccessible: undefined }, EXPECTED)).toEqual([]);
    // AWS may name the key by its id.
    expect(inspectDatabase({ ...DB, kmsKeyId: KEY_ID }, EXPECTED)).toEqual([]);
    expect(inspectBucket(BUCKET, EXPECTED)).toEqual([]);
  });

  it.each<[string, Partial<RestoredDatabaseFacts>, string]>([
    ['not available', { status: 'incompatible-restore' }, `Status: expected 'available', found "incompatible-restore"`],
    ['not encrypted', { storageEncrypted: false }, 'StorageEncrypted: expected true, found false'],
    ['encrypted with another key', { kmsKeyId: OTHER_KEY }, `KmsKeyId: expected the PHI key, found "${OTHER_KEY}"`],
    ['publicly accessible', { publiclyAccessible: true }, 'PubliclyAccessible: expected false, found true'],
    ['of unknown public access (instance)', { publiclyAccessible: undefined }, 'PubliclyAccessible: expected false'],
    ['in another subnet group', { dbSubnetGroupName: 'default' }, 'DBSubnetGroup: expected'],
    ['with another security group', { securityGroupIds: ['sg-0aaaaaaaaaaaaaaaa'] }, 'VpcSecurityGroups: expected'],
    [
      'with an extra security group',
      { securityGroupIds: [EXPECTED.securityGroupId, 'sg-0aaaaaaaaaaaaaaaa'] },
      'VpcSecurityGroups: expected the restore security group only',
    ],
  ])('I1 a restored database %s fails that check', (_name, change, message) => {
    const failed = inspectDatabase({ ...DB, ...change }, EXPECTED);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain(message);
  });

  it('I1 a test copy is not failed for IAM database authentication (restore testing does not set it)', () => {
    // RestoredDatabaseFacts has no such field: the check was removed because a weekly test copy could never pass it.
    expect(Object.keys(DB)).not.toContain('iamDatabaseAuthentication');
    expect(inspectDatabase(DB, EXPECTED)).toEqual([]);
  });

  it('I1 a cluster that reports itself publicly accessible fails', () => {
    expect(inspectDatabase({ ...DB, kind: 'cluster', publiclyAccessible: true }, EXPECTED)).toEqual([
      'PubliclyAccessible: expected false, found true',
    ]);
  });

  it.each<[string, Partial<RestoredBucketFacts>, string]>([
    [
      'with an object encrypted with SSE-S3',
      { objects: [UNDER_THE_PHI_KEY, { sseAlgorithm: 'AES256' }] },
      `Object 2 of 2 sampled.ServerSideEncryption: expected 'aws:kms', found "AES256"`,
    ],
    [
      'with an object under another key',
      { objects: [{ sseAlgorithm: 'aws:kms', kmsKeyId: OTHER_KEY }, UNDER_THE_PHI_KEY] },
      `Object 1 of 2 sampled.SSEKMSKeyId: expected the PHI key, found "${OTHER_KEY}"`,
    ],
    [
      'with an unencrypted object',
      { objects: [{}, UNDER_THE_PHI_KEY] },
      `Object 1 of 2 sampled.ServerSideEncryption: expected 'aws:kms', found nothing`,
    ],
    ['not versioned', { versioning: 'Suspended' }, `Versioning: expected 'Enabled', found "Suspended"`],
    [
      'without BlockPublicAcls',
      { publicAccessBlock: { ...BUCKET.publicAccessBlock, blockPublicAcls: false } },
      'PublicAccessBlock.BlockPublicAcls',
    ],
    [
      'without IgnorePublicAcls',
      { publicAccessBlock: { ...BUCKET.publicAccessBlock, ignorePublicAcls: false } },
      'PublicAccessBlock.IgnorePublicAcls',
    ],
    [
      'without BlockPublicPolicy',
      { publicAccessBlock: { ...BUCKET.publicAccessBlock, blockPublicPolicy: false } },
      'PublicAccessBlock.BlockPublicPolicy',
    ],
    [
      'without RestrictPublicBuckets',
      { publicAccessBlock: { ...BUCKET.publicAccessBlock, restrictPublicBuckets: false } },
      'PublicAccessBlock.RestrictPublicBuckets',
    ],
    ['empty', { keyCount: 0 }, 'KeyCount: expected at least 1 object (the recovery point is not empty), found 0'],
  ])('I1 a restored bucket %s fails that check', (_name, change, message) => {
    const failed = inspectBucket({ ...BUCKET, ...change }, EXPECTED);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.join('\n')).toContain(message);
  });

  it('I1 created resource ARNs: RDS instance, cluster, S3 bucket; anything else is refused', () => {
    expect(restoredResourceOf(INSTANCE_ARN)).toEqual({
      kind: 'db-instance',
      identifier: 'awsbackup-restore-test-0001',
    });
    expect(restoredResourceOf(CLUSTER_ARN)).toEqual({ kind: 'db-cluster', identifier: 'awsbackup-restore-test-0002' });
    expect(restoredResourceOf(BUCKET_ARN)).toEqual({ kind: 'bucket', bucket: 'awsbackup-restore-test-0003' });
    expect(restoredResourceOf('arn:aws:dynamodb:us-east-1:123456789012:table/x')).toBeUndefined();
  });

  it('I1 a failed check turns a timely restore FAILED, keeping the duration; a long list is cut', () => {
    const timely = {
      action: 'report' as const,
      status: 'SUCCESSFUL' as const,
      message: 'S3 restored in 1 h',
      durationHours: 1,
    };
    expect(withInspection(timely, [])).toBe(timely);
    expect(withInspection(timely, ['Versioning: expected x, found y'])).toEqual({
      action: 'report',
      status: 'FAILED',
      message: 'S3 restored in 1 h; the restored copy failed 1 check: Versioning: expected x, found y',
      durationHours: 1,
    });
    const many = withInspection(
      timely,
      Array.from({ length: 100 }, (_, i) => `Check${i}: expected a, found b`),
    );
    expect(many.action === 'report' && many.message.length).toBe(MAX_VALIDATION_MESSAGE_CHARS);
    expect(many.action === 'report' && many.message).toMatch(/\(100 checks in all\)$/);
    expect(withInspection({ action: 'skip', reason: 'x' }, ['a'])).toEqual({ action: 'skip', reason: 'x' });
  });
});

describe('restored copy inspection (AWS calls, mocked)', () => {
  const rds = mockClient(RDSClient);
  const s3 = mockClient(S3Client);
  const backup = mockClient(BackupClient);
  const cloudWatch = mockClient(CloudWatchClient);
  // Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
  afterAll(() => [rds, s3, backup, cloudWatch].forEach((m) => m.restore()));
  const logs: unknown[] = [];
  const deps = (withInspection = true): RestoreValidationDeps => ({
    backup: new BackupClient({}),
    cloudWatch: new CloudWatchClient({}),
    ...(withInspection ? { inspection: inspectionDeps() } : {}),
    rtoHours: 24,
    namespace: 'HipaaBlueprint/RestoreTesting',
    log: (message, fields) => logs.push({ message, ...fields }),
  });
  const awsError = (name: string, status = 403) =>
    Object.assign(new Error(`${name} on awsbackup-restore-test-0003`), { name, $metadata: { httpStatusCode: status } });

  beforeEach(() => {
    for (const m of [rds, s3, backup, cloudWatch]) m.reset();
    answerGood(rds, s3);
    logs.length = 0;
  });

  it('I1 a good restored instance, cluster and bucket pass; the calls name the resource, never read data', async () => {
    await expect(inspectRestoredCopy(INSTANCE_ARN, deps())).resolves.toEqual([]);
    await expect(inspectRestoredCopy(CLUSTER_ARN, deps())).resolves.toEqual([]);
    await expect(inspectRestoredCopy(BUCKET_ARN, deps())).resolves.toEqual([]);
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'awsbackup-restore-test-0001',
    });
    expect(rds.commandCalls(DescribeDBClustersCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: 'awsbackup-restore-test-0002',
    });
    // This account's bucket only, a sample of keys listed, each object's headers read (never its body).
    expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toEqual({
      Bucket: 'awsbackup-restore-test-0003',
      ExpectedBucketOwner: '123456789012',
      MaxKeys: RESTORED_OBJECT_SAMPLE,
    });
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'awsbackup-restore-test-0003', ExpectedBucketOwner: '123456789012', Key: 'records/rec-0001.json' },
      { Bucket: 'awsbackup-restore-test-0003', ExpectedBucketOwner: '123456789012', Key: 'records/rec-0002.json' },
    ]);
    expect(s3.commandCalls(GetBucketVersioningCommand)[0]!.args[0].input.ExpectedBucketOwner).toBe('123456789012');
  });

  it('I1 a restored object not under the PHI key fails the bucket; the message names its position, not its key', async () => {
    s3.on(HeadObjectCommand, { Key: 'records/rec-0002.json' }).resolves({ ServerSideEncryption: 'AES256' });
    const failed = await inspectRestoredCopy(BUCKET_ARN, deps());
    expect(failed).toEqual([`Object 2 of 2 sampled.ServerSideEncryption: expected 'aws:kms', found "AES256"`]);
    expect(failed.join('\n')).not.toContain('rec-0002');
    s3.on(HeadObjectCommand, { Key: 'records/rec-0001.json' }).rejects(awsError('AccessDenied'));
    expect(await inspectRestoredCopy(BUCKET_ARN, deps())).toContain('HeadObject (object 1 of 2 sampled): AccessDenied');
  });

  it('I1 an AWS error of an inspection call is a failed check naming the call and the error only', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketVersioningCommand).rejects(awsError('AccessDenied'));
    const failed = await inspectRestoredCopy(BUCKET_ARN, deps());
    expect(failed).toEqual([
      'GetBucketVersioning: AccessDenied',
      'GetPublicAccessBlock: NoSuchPublicAccessBlockConfiguration',
    ]);
    rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault', 404));
    await expect(inspectRestoredCopy(INSTANCE_ARN, deps())).resolves.toEqual([
      'DescribeDBInstances: DBInstanceNotFoundFault',
    ]);
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    await expect(inspectRestoredCopy(CLUSTER_ARN, deps())).resolves.toEqual([
      'DescribeDBClusters: the restored cluster is not found',
    ]);
  });

  it('I1 throttling and server errors are thrown (the invocation is retried, then dead-lettered)', async () => {
    expect(isTransient(awsError('ThrottlingException', 400))).toBe(true);
    expect(isTransient(awsError('InternalError', 500))).toBe(true);
    expect(isTransient(awsError('AccessDenied'))).toBe(false);
    rds.on(DescribeDBInstancesCommand).rejects(awsError('Throttling', 400));
    await expect(inspectRestoredCopy(INSTANCE_ARN, deps())).rejects.toThrow();
  });

  it('I1 without inspection settings, or for another resource type, the restored copy fails', async () => {
    await expect(inspectRestoredCopy(BUCKET_ARN, deps(false))).resolves.toEqual([
      'Inspection: not configured, the restored copy was not inspected',
    ]);
    await expect(inspectRestoredCopy('arn:aws:ec2:us-east-1:123456789012:volume/vol-1', deps())).resolves.toHaveLength(
      1,
    );
  });

  const completedJob = (arn: string, type: string) => ({
    Status: 'COMPLETED' as const,
    ResourceType: type,
    CreatedResourceArn: arn,
    CreationDate: new Date('2026-01-04T07:00:00Z'),
    CompletionDate: new Date('2026-01-04T08:00:00Z'),
    CreatedBy: { RestoreTestingPlanArn: 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:p-1' },
  });
  const event = { source: 'aws.backup', detail: { restoreJobId: 'job-0002' } };

  it('I1 a timely restore test whose copy lost a safeguard is recorded FAILED naming the check, with a 0 outcome', async () => {
    backup.on(DescribeRestoreJobCommand).resolves(completedJob(INSTANCE_ARN, 'RDS'));
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ ...GOOD_INSTANCE, PubliclyAccessible: true }] });
    await expect(handleRestoreEvent(event, deps())).resolves.toMatchObject({ status: 'FAILED', durationHours: 1 });
    const input = backup.commandCalls(PutRestoreValidationResultCommand)[0]!.args[0].input;
    expect(input.ValidationStatus).toBe('FAILED');
    expect(input.ValidationStatusMessage).toBe(
      'RDS restored in 1 h (recovery time objective 24 h); the restored copy failed 1 check: PubliclyAccessible: expected false, found true',
    );
    const published = cloudWatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData ?? [];
    expect(published.find((d) => d.MetricName === RESTORE_SUCCEEDED_METRIC)?.Value).toBe(0);
    expect(logs).toContainEqual(expect.objectContaining({ message: 'restore validated', failedChecks: 1 }));
  });

  it('I1 an empty restored bucket is FAILED; messages and logs carry counts, never a name', async () => {
    backup.on(DescribeRestoreJobCommand).resolves(completedJob(BUCKET_ARN, 'S3'));
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    await handleRestoreEvent(event, deps());
    const input = backup.commandCalls(PutRestoreValidationResultCommand)[0]!.args[0].input;
    expect(input.ValidationStatus).toBe('FAILED');
    expect(input.ValidationStatusMessage).toContain('KeyCount: expected at least 1 object');
    expect(input.ValidationStatusMessage).not.toContain('awsbackup-restore-test');
    expect(JSON.stringify(logs)).not.toContain('awsbackup-restore-test');
  });

  it('I1 a good restored bucket is SUCCESSFUL; a restore job that is not a test is never inspected', async () => {
    backup.on(DescribeRestoreJobCommand).resolves(completedJob(BUCKET_ARN, 'S3'));
    await expect(handleRestoreEvent(event, deps())).resolves.toMatchObject({ status: 'SUCCESSFUL' });
    expect(s3.commandCalls(GetBucketVersioningCommand)).toHaveLength(1);
    s3.resetHistory();
    backup.on(DescribeRestoreJobCommand).resolves({ ...completedJob(BUCKET_ARN, 'S3'), CreatedBy: undefined });
    await expect(handleRestoreEvent(event, deps())).resolves.toMatchObject({ action: 'skip' });
    expect(s3.calls()).toHaveLength(0);
  });

  it('I1 a transient error leaves the restore test without a result (thrown, retried)', async () => {
    backup.on(DescribeRestoreJobCommand).resolves(completedJob(BUCKET_ARN, 'S3'));
    s3.on(GetBucketVersioningCommand).rejects(awsError('SlowDown', 503));
    await expect(handleRestoreEvent(event, deps())).rejects.toThrow();
    expect(backup.commandCalls(PutRestoreValidationResultCommand)).toHaveLength(0);
  });
});
