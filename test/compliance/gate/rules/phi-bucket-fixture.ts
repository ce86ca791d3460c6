/**
 * A PhiBucket as the data stack builds it (a key, access logs, replication, an allow-list with VPC-only task
 * principals), in a stack of its own: the fixture of the PHI bucket policy rules' tests.
 */
import { App, Aws, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket } from '../../../../constructs/access-log-bucket';
import { PhiBucket } from '../../../../constructs/phi-bucket';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../lib/config';

export const ACCOUNT = '123456789012';
export const TASK = `arn:aws:iam::${ACCOUNT}:role/app-env-api-task`;
/** The CDK bootstrap's CloudFormation execution role: the deployment role the policies name. */
export const DEPLOYMENT_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`;
export const REPLICATION = `arn:aws:iam::${ACCOUNT}:role/app-env-phi-data-replication`;

export function phiBucket(vpcOnly = true): PhiBucket {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Data', {
    env: { account: ACCOUNT, region: 'us-east-1' },
  });
  const retention = {
    logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
    auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
    auditLockMode: 'COMPLIANCE' as const,
  };
  return new PhiBucket(stack, 'PhiBucket', {
    bucketName: `app-env-phi-data-${ACCOUNT}-us-east-1`,
    encryptionKey: new Key(stack, 'Key'),
    accessLogs: new AccessLogBucket(stack, 'AccessLogs', { retention }),
    accessLogPrefix: 'phi-data/',
    noncurrentVersionExpirationDays: HIPAA_MIN_RETENTION_DAYS,
    replication: {
      destinationBucketName: `app-env-phi-replica-${Aws.ACCOUNT_ID}-us-west-2`,
      destinationRegion: 'us-west-2',
      destinationKeyAliasArn: `arn:${Aws.PARTITION}:kms:us-west-2:${Aws.ACCOUNT_ID}:alias/app-env/phi-replica`,
    },
    access: {
      objectPrincipalArns: [TASK, REPLICATION],
      policyAdministratorArns: [DEPLOYMENT_ROLE],
      vpcOnly: vpcOnly ? { principalArns: [TASK], vpcId: 'vpc-0123456789abcdef0' } : undefined,
    },
  });
}
