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
import { editStatement, overrideBucketStatements, Statement, without } from '../../../support/policy-overrides';
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

describe('LogBucketVersionDeleteDeny: no one outside this account is allowed into a log bucket', () => {
  const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['AccessLogs', 'Arn'] }, '/*']] };
  const grant = (extra: Partial<Statement>): Statement => ({
    Sid: 'Extra',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: objects,
    ...extra,
  });
  const withGrant = (pick: 'accessLogs' | 'config', extra: Partial<Statement>) => {
    const bucket = buckets()[pick].bucket;
    overrideBucketStatements(bucket, (st) => [...st, grant(extra)]);
    return check(bucket);
  };

  test.each<[string, Partial<Statement>]>([
    ['a role of this account', { Principal: { AWS: 'arn:aws:iam::123456789012:role/LogReader' } }],
    [
      'this account by its pseudo parameter',
      { Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } } },
    ],
    [
      'everyone, limited to this account',
      { Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } },
    ],
    [
      'the us-east-1 ELB account writing',
      { Principal: { AWS: 'arn:aws:iam::127311923021:root' }, Action: 's3:PutObject' },
    ],
    [
      'a log delivery service under aws:SourceAccount',
      {
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ],
  ])('U3 A3 an Allow to %s passes', (_name, extra) => {
    for (const pick of ['accessLogs', 'config'] as const) {
      expect(withGrant(pick, extra)).toBe(NagRuleCompliance.COMPLIANT);
    }
  });

  test.each<[string, Partial<Statement>, string]>([
    ['another account', { Principal: { AWS: 'arn:aws:iam::999999999999:root' } }, 'another-account'],
    ["another account's role", { Principal: { AWS: ['arn:aws:iam::999999999999:role/Partner'] } }, 'another-account'],
    ['another account by id', { Principal: { AWS: '999999999999' } }, 'another-account'],
    ['everyone', { Principal: '*' }, 'any-principal'],
    [
      'everyone, limited to another account',
      { Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalAccount': '999999999999' } } },
      'any-principal',
    ],
    [
      'everyone, the account condition only if it exists',
      { Principal: { AWS: '*' }, Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': '123456789012' } } },
      'any-principal',
    ],
    ['the ELB account reading', { Principal: { AWS: 'arn:aws:iam::127311923021:root' } }, 'elb-account-beyond-put'],
    [
      "another region's ELB account",
      { Principal: { AWS: 'arn:aws:iam::797873946194:root' }, Action: 's3:PutObject' },
      'another-account',
    ],
    [
      'an unknown service',
      {
        Principal: { Service: 'athena.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
      'unknown-service',
    ],
    [
      'a log delivery service without aws:SourceAccount',
      { Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' },
      'service-without-source-account',
    ],
    ['a federated principal', { Principal: { Federated: 'cognito-identity.amazonaws.com' } }, 'Federated'],
    [
      'everyone but one role (NotPrincipal)',
      { NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/X' } },
      'not-principal',
    ],
    [
      'a principal only deploy resolves',
      { Principal: { AWS: { 'Fn::ImportValue': 'partner-role-arn' } } },
      'unresolved',
    ],
  ])('U3 A3 an Allow to %s is a finding', (_name, extra, kind) => {
    for (const pick of ['accessLogs', 'config'] as const) {
      expect(withGrant(pick, extra)).toEqual([`Allow[Extra]::${kind}`]);
    }
  });

  test('U3 A3 a Deny to another account is no grant', () => {
    expect(withGrant('accessLogs', { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999999999999:root' } })).toBe(
      NagRuleCompliance.COMPLIANT,
    );
  });

  test('U3 A3 where the account is not known, a literal aws:SourceAccount passes and a literal principal does not', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Agnostic');
    const bucket = new AccessLogBucket(stack, 'AccessLogs', { retention: RETENTION }).bucket;
    overrideBucketStatements(bucket, (st) => [
      ...st.map((s) =>
        s.Condition?.StringEquals?.['aws:SourceAccount'] === undefined
          ? s
          : { ...s, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } },
      ),
      grant({ Principal: { AWS: 'arn:aws:iam::999999999999:root' } }),
    ]);
    expect(check(bucket)).toEqual(['Allow[Extra]::another-account']);
  });
});
