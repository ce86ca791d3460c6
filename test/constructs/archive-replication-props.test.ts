/**
 * The `replication` prop of FindingsArchive (D2) and AccessAuditChannel (U5): given the audit archive's replication,
 * the bucket replicates through its role to its destination (I2); without it, the bucket has no replication.
 */
import { App, Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AccessAuditChannel } from '../../constructs/access-audit-channel';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';
import { FindingsArchive } from '../../constructs/findings-archive';
import { PhiBucketReplication } from '../../constructs/phi-bucket-replication';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' };
const DEPLOY = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';
const ACTION: IAlarmAction = {
  bind: () => ({ alarmActionArn: 'arn:aws:lambda:us-east-1:123456789012:function:formatter' }),
};

function build(replicate: boolean): Record<string, Json> {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const key = new Key(s, 'AuditKey');
  const accessLogs = new AccessLogBucket(s, 'Logs', { retention: RETENTION });
  const replication = replicate
    ? new PhiBucketReplication(s, 'ArchiveReplication', {
        source: new Bucket(s, 'Archive'),
        sourceKey: key,
        objectLock: true,
        purpose: 'the audit archive',
        roleName: 'app-prod-audit-replication',
        destinationBucketName: `app-prod-audit-replica-${Aws.ACCOUNT_ID}-us-west-2`,
        destinationRegion: 'us-west-2',
        destinationKeyAliasArn: `arn:${Aws.PARTITION}:kms:us-west-2:${Aws.ACCOUNT_ID}:alias/app-prod/audit-replica`,
      })
    : undefined;
  const common = { retention: RETENTION, production: true, encryptionKey: key, accessLogs, replication };
  new FindingsArchive(s, 'FindingsArchive', {
    ...common,
    configurationAdministratorArns: [DEPLOY],
    deliveryRoleName: 'app-prod-findings-archive-delivery',
    exportRoleName: 'app-prod-findings-archive-export',
    streamName: 'app-prod-findings-archive',
    securityHubRuleName: 'app-prod-findings-archive-securityhub',
    alarmAction: ACTION,
  });
  new AccessAuditChannel(s, 'AccessAudit', {
    ...common,
    configurationAdministratorArns: [DEPLOY],
    deliveryRoleName: 'app-prod-access-audit-delivery',
    streams: [{ service: 'api', streamName: 'app-prod-api-access-audit' }],
  });
  return Template.fromStack(s).findResources('AWS::S3::Bucket');
}

const bucket = (buckets: Record<string, Json>, prefix: string): Json =>
  Object.entries(buckets).find(([id]) => id.startsWith(prefix))![1];

describe.each(['FindingsArchiveBucket', 'AccessAuditBucket'])('%s replication prop', (prefix) => {
  test('I2 with the audit archive replication: its role, its destination, the replica key, no delete markers', () => {
    const replication = bucket(build(true), prefix).Properties.ReplicationConfiguration;
    expect(replication.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ArchiveReplicationRole/), 'Arn'] });
    expect(replication.Rules).toHaveLength(1);
    expect(replication.Rules[0]).toMatchObject({
      Status: 'Enabled',
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
    });
    expect(JSON.stringify(replication.Rules[0].Destination)).toContain('app-prod-audit-replica-');
    expect(JSON.stringify(replication.Rules[0].Destination)).toContain(':alias/app-prod/audit-replica');
  });

  test('without it, no replication (the packs then report the bucket)', () => {
    expect(bucket(build(false), prefix).Properties.ReplicationConfiguration).toBeUndefined();
  });
});
