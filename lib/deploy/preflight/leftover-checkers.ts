import { DescribeBackupVaultCommand } from '@aws-sdk/client-backup';
import { GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { AwsClients } from '../core/aws-clients';
import { httpStatus, isError } from '../core/sdk-error';

/** Whether a physically named resource exists: in this account, or (S3) under a name someone else holds. */
export type LeftoverStatus = 'absent' | 'exists' | 'exists-elsewhere';

/** Looks up one physically named resource type. */
export type LeftoverChecker = (clients: AwsClients, region: string, name: string) => Promise<LeftoverStatus>;

/**
 * The property that holds the explicit physical name, per resource type. Types listed here but
 * without a checker are reported as "not checked".
 */
export const NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::Backup::BackupVault': 'BackupVaultName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::CloudTrail::Trail': 'TrailName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::SSM::Document': 'Name',
  'AWS::WAFv2::WebACL': 'Name',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
};

/** Why a type has no checker, when there is more to say than "no checker". */
export const UNCHECKED_NOTES: Readonly<Record<string, string>> = {
  'AWS::Cognito::UserPool':
    'Cognito allows several pools with one name, so a leftover pool does not block the create, but it stays behind with its users',
};

async function notFoundIs(call: () => Promise<unknown>, ...names: string[]): Promise<LeftoverStatus> {
  try {
    await call();
    return 'exists';
  } catch (e) {
    if (isError(e, ...names)) return 'absent';
    throw e;
  }
}

/** One checker per resource type, each the cheapest read that tells whether the name is taken. */
export const LEFTOVER_CHECKERS: Readonly<Record<string, LeftoverChecker>> = {
  'AWS::S3::Bucket': async (clients, region, name) => {
    try {
      await clients.s3(region).send(new HeadBucketCommand({ Bucket: name }));
      return 'exists';
    } catch (e) {
      const status = httpStatus(e);
      if (status === 404 || isError(e, 'NotFound', 'NoSuchBucket')) return 'absent';
      // Bucket names are global: 403 means the name exists and this caller may not read it.
      if (status === 403 || isError(e, 'Forbidden')) return 'exists-elsewhere';
      throw e;
    }
  },
  'AWS::ECR::Repository': (clients, region, name) =>
    notFoundIs(
      () => clients.ecr(region).send(new DescribeRepositoriesCommand({ repositoryNames: [name] })),
      'RepositoryNotFoundException',
    ),
  'AWS::Backup::BackupVault': (clients, region, name) =>
    notFoundIs(
      () => clients.backup(region).send(new DescribeBackupVaultCommand({ BackupVaultName: name })),
      'ResourceNotFoundException',
    ),
  'AWS::RDS::DBInstance': (clients, region, name) =>
    notFoundIs(
      () => clients.rds(region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: name })),
      'DBInstanceNotFoundFault',
      'DBInstanceNotFound',
    ),
  'AWS::RDS::DBCluster': (clients, region, name) =>
    notFoundIs(
      () => clients.rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: name })),
      'DBClusterNotFoundFault',
      'DBClusterNotFound',
    ),
  'AWS::Logs::LogGroup': async (clients, region, name) => {
    const out = await clients.logs(region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
    return (out.logGroups ?? []).some((g) => g.logGroupName === name) ? 'exists' : 'absent';
  },
  'AWS::IAM::Role': (clients, region, name) =>
    notFoundIs(
      () => clients.iam(region).send(new GetRoleCommand({ RoleName: name })),
      'NoSuchEntityException',
      'NoSuchEntity',
    ),
  'AWS::CloudTrail::Trail': (clients, region, name) =>
    notFoundIs(() => clients.cloudTrail(region).send(new GetTrailCommand({ Name: name })), 'TrailNotFoundException'),
  'AWS::KMS::Alias': (clients, region, name) =>
    notFoundIs(() => clients.kms(region).send(new DescribeKeyCommand({ KeyId: name })), 'NotFoundException'),
};
