import { BackupClient, DescribeBackupVaultCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { LEFTOVER_CHECKERS, NAME_PROPERTIES } from '../../../lib/deploy/preflight/leftover-checkers';
import { fakeClients, sdkError } from '../../support/deploy';

const mocks = {
  s3: mockClient(S3Client),
  ecr: mockClient(ECRClient),
  backup: mockClient(BackupClient),
  rds: mockClient(RDSClient),
  logs: mockClient(CloudWatchLogsClient),
  iam: mockClient(IAMClient),
  trail: mockClient(CloudTrailClient),
  kms: mockClient(KMSClient),
};
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => Object.values(mocks).forEach((m) => m.restore()));
beforeEach(() => Object.values(mocks).forEach((m) => m.reset()));

const check = (type: string, name: string) => LEFTOVER_CHECKERS[type](fakeClients(), 'us-east-1', name);

describe('leftover checkers: one per physically named type, each telling taken from free', () => {
  it('every checker has a name property', () => {
    for (const type of Object.keys(LEFTOVER_CHECKERS)) expect(NAME_PROPERTIES[type]).toBeDefined();
  });

  it('S3 bucket: HeadBucket 200 exists, 404 absent, 403 taken by someone else', async () => {
    mocks.s3.on(HeadBucketCommand, { Bucket: 'mine' }).resolves({});
    mocks.s3.on(HeadBucketCommand, { Bucket: 'free' }).rejects(sdkError('NotFound', 'Not Found', 404));
    mocks.s3.on(HeadBucketCommand, { Bucket: 'theirs' }).rejects(sdkError('Forbidden', 'Forbidden', 403));
    expect(await check('AWS::S3::Bucket', 'mine')).toBe('exists');
    expect(await check('AWS::S3::Bucket', 'free')).toBe('absent');
    expect(await check('AWS::S3::Bucket', 'theirs')).toBe('exists-elsewhere');
  });

  it('ECR repository', async () => {
    mocks.ecr.on(DescribeRepositoriesCommand, { repositoryNames: ['hipaa-prod/api'] }).resolves({ repositories: [{}] });
    expect(await check('AWS::ECR::Repository', 'hipaa-prod/api')).toBe('exists');
    mocks.ecr.on(DescribeRepositoriesCommand).rejects(sdkError('RepositoryNotFoundException'));
    expect(await check('AWS::ECR::Repository', 'hipaa-prod/api')).toBe('absent');
  });

  it('Backup vault', async () => {
    mocks.backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: 'v' });
    expect(await check('AWS::Backup::BackupVault', 'v')).toBe('exists');
    mocks.backup.on(DescribeBackupVaultCommand).rejects(sdkError('ResourceNotFoundException'));
    expect(await check('AWS::Backup::BackupVault', 'v')).toBe('absent');
  });

  it('RDS instance and cluster', async () => {
    mocks.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{}] });
    mocks.rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{}] });
    expect(await check('AWS::RDS::DBInstance', 'db')).toBe('exists');
    expect(await check('AWS::RDS::DBCluster', 'c')).toBe('exists');
    mocks.rds.on(DescribeDBInstancesCommand).rejects(sdkError('DBInstanceNotFoundFault'));
    mocks.rds.on(DescribeDBClustersCommand).rejects(sdkError('DBClusterNotFoundFault'));
    expect(await check('AWS::RDS::DBInstance', 'db')).toBe('absent');
    expect(await check('AWS::RDS::DBCluster', 'c')).toBe('absent');
  });

  it('log group: an exact name match only (the API filters by prefix)', async () => {
    mocks.logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/aws/rds/instance/db/postgresql-old' }] });
    expect(await check('AWS::Logs::LogGroup', '/aws/rds/instance/db/postgresql')).toBe('absent');
    mocks.logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/aws/rds/instance/db/postgresql' }] });
    expect(await check('AWS::Logs::LogGroup', '/aws/rds/instance/db/postgresql')).toBe('exists');
  });

  it('IAM role, CloudTrail trail, KMS alias', async () => {
    mocks.iam.on(GetRoleCommand).resolves({});
    mocks.trail.on(GetTrailCommand).resolves({ Trail: {} });
    mocks.kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k' } });
    expect(await check('AWS::IAM::Role', 'r')).toBe('exists');
    expect(await check('AWS::CloudTrail::Trail', 't')).toBe('exists');
    expect(await check('AWS::KMS::Alias', 'alias/a')).toBe('exists');
    mocks.iam.on(GetRoleCommand).rejects(sdkError('NoSuchEntityException'));
    mocks.trail.on(GetTrailCommand).rejects(sdkError('TrailNotFoundException'));
    mocks.kms.on(DescribeKeyCommand).rejects(sdkError('NotFoundException'));
    expect(await check('AWS::IAM::Role', 'r')).toBe('absent');
    expect(await check('AWS::CloudTrail::Trail', 't')).toBe('absent');
    expect(await check('AWS::KMS::Alias', 'alias/a')).toBe('absent');
  });

  it('any other error is thrown (never read as "absent")', async () => {
    mocks.ecr.on(DescribeRepositoriesCommand).rejects(sdkError('AccessDeniedException', 'no', 403));
    await expect(check('AWS::ECR::Repository', 'x')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
