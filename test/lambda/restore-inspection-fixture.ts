import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { InspectionDeps } from '../../lambda/restore-validation';
import { RestoreExpectations } from '../../lambda/restore-validation/inspect';

/** Synthetic expectations of a restored copy (account 123456789012). */
export const EXPECTED: RestoreExpectations = {
  phiKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  dbSubnetGroupName: 'restoretestingsubnetgroup-abc',
  securityGroupId: 'sg-0123456789abcdef0',
};

/** A restored instance that keeps every safeguard (DescribeDBInstances). */
export const GOOD_INSTANCE = {
  DBInstanceStatus: 'available',
  StorageEncrypted: true,
  KmsKeyId: EXPECTED.phiKeyArn,
  PubliclyAccessible: false,
  DBSubnetGroup: { DBSubnetGroupName: EXPECTED.dbSubnetGroupName },
  VpcSecurityGroups: [{ VpcSecurityGroupId: EXPECTED.securityGroupId, Status: 'active' }],
  IAMDatabaseAuthenticationEnabled: true,
};

/** A restored Aurora cluster that keeps every safeguard (DescribeDBClusters). */
export const GOOD_CLUSTER = {
  Status: 'available',
  StorageEncrypted: true,
  KmsKeyId: EXPECTED.phiKeyArn,
  DBSubnetGroup: EXPECTED.dbSubnetGroupName,
  VpcSecurityGroups: [{ VpcSecurityGroupId: EXPECTED.securityGroupId, Status: 'active' }],
  IAMDatabaseAuthenticationEnabled: true,
};

/**
 * The responses of a restored bucket that keeps every safeguard and holds objects: AWS Backup created it (versioned,
 * public access blocked by S3's defaults) and restored the objects under the PHI key. Synthetic object keys.
 */
export const GOOD_BUCKET = {
  versioning: { Status: 'Enabled' as const },
  publicAccessBlock: {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  },
  listed: { KeyCount: 2, Contents: [{ Key: 'records/rec-0001.json' }, { Key: 'records/rec-0002.json' }] },
  head: { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: EXPECTED.phiKeyArn },
};

/** Makes the mocked clients answer as for good restored copies. */
export function answerGood(rds: AwsClientStub<RDSClient>, s3: AwsClientStub<S3Client>): void {
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [GOOD_INSTANCE] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [GOOD_CLUSTER] });
  s3.on(GetBucketVersioningCommand).resolves(GOOD_BUCKET.versioning);
  s3.on(GetPublicAccessBlockCommand).resolves(GOOD_BUCKET.publicAccessBlock);
  s3.on(ListObjectsV2Command).resolves(GOOD_BUCKET.listed);
  s3.on(HeadObjectCommand).resolves(GOOD_BUCKET.head);
}

/** Inspection deps over (mocked) clients. */
export const inspectionDeps = (): InspectionDeps => ({
  rds: new RDSClient({}),
  s3: new S3Client({}),
  expectations: EXPECTED,
});
