import { App, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { AccessLogBucket } from '../../../../constructs/access-log-bucket';
import { DENY_VERSION_DELETES_SID } from '../../../../constructs/bucket-safeguards';
import { ConfigDeliveryBucket } from '../../../../constructs/config-delivery-bucket';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { LogBucketVersionDeleteDeny } from '../../../../lib/compliance/gate/rules/log-bucket-version-delete-deny';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../lib/config';
import { editStatement, overrideBucketStatements, without } from '../../../support/policy-overrides';
import { findingsOf } from './rule-fixtures';

const RETENTION = {
  logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
  auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
  auditLockMode: 'COMPLIANCE' as const,
};

function buckets(): { accessLogs: AccessLogBucket; config: ConfigDeliveryBucket } {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Audit', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const accessLogs = new AccessLogBucket(stack, 'AccessLogs', { retention: RETENTION });
  const config = new ConfigDeliveryBucket(stack, 'Config', {
    retention: RETENTION,
    encryptionKey: new Key(stack, 'Key'),
    accessLogs,
  });
  return { accessLogs, config };
}

const check = (b: IBucket) => LogBucketVersionDeleteDeny(b.node.defaultChild as CfnBucket);

describe('LogBucketVersionDeleteDeny', () => {
  test('U3 U6 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === LogBucketVersionDeleteDeny)?.safeguards).toEqual(['U3', 'U6']);
  });

  test('U3 U6 passes on the access log and AWS Config delivery buckets; does not apply to other buckets', () => {
    const { accessLogs, config } = buckets();
    expect(check(accessLogs.bucket)).toBe(NagRuleCompliance.COMPLIANT);
    expect(check(config.bucket)).toBe(NagRuleCompliance.COMPLIANT);
    expect(check(new Bucket(new Stack(new App(), 'S'), 'B'))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('U3 U6 fires when version deletes are allowed, or denied only under a condition', () => {
    for (const pick of ['accessLogs', 'config'] as const) {
      const removed = buckets()[pick].bucket;
      overrideBucketStatements(removed, without(DENY_VERSION_DELETES_SID));
      expect(check(removed)).toEqual(['VersionDeletes::not-denied']);
      const conditioned = buckets()[pick].bucket;
      overrideBucketStatements(
        conditioned,
        editStatement(DENY_VERSION_DELETES_SID, (s) => ({
          ...s,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/Admin' } },
        })),
      );
      expect(check(conditioned)).toEqual(['VersionDeletes::not-denied']);
    }
  });
});

describe('LogBucketVersionDeleteDeny on a bucket that receives logs, its marker removed (H1)', () => {
  const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
  const withWriter = (writer: Record<string, unknown> | undefined): unknown => ({
    Resources: {
      Logs: { Type: 'AWS::S3::Bucket', ...RETAIN, Properties: { BucketName: 'app-prod-logs' } },
      ...(writer === undefined ? {} : { Writer: writer }),
    },
  });

  test('U3 U6 an unmarked bucket a trail or another bucket delivers logs to must deny version deletes', () => {
    expect(
      findingsOf(
        'LogBucketVersionDeleteDeny',
        withWriter({ Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: { Ref: 'Logs' } } }),
      ),
    ).toEqual(['[VersionDeletes::not-denied] Logs']);
    expect(
      findingsOf(
        'LogBucketVersionDeleteDeny',
        withWriter({
          Type: 'AWS::S3::Bucket',
          ...RETAIN,
          Properties: { LoggingConfiguration: { DestinationBucketName: 'app-prod-logs' } },
        }),
      ),
    ).toEqual(['[VersionDeletes::not-denied] Logs']);
    expect(findingsOf('LogBucketVersionDeleteDeny', withWriter(undefined))).toEqual([]);
  });
});
