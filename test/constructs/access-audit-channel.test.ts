import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessAuditChannel, AccessAuditChannelProps } from '../../constructs/access-audit-channel';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const DEPLOY = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';

function channel(props: Partial<AccessAuditChannelProps> = {}): Template {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  new AccessAuditChannel(s, 'AccessAudit', {
    retention: RETENTION,
    production: true,
    encryptionKey: new Key(s, 'AuditKey'),
    accessLogs: new AccessLogBucket(s, 'Logs', { retention: RETENTION }),
    configurationAdministratorArns: [DEPLOY],
    deliveryRoleName: 'app-prod-access-audit-delivery',
    streams: [
      { service: 'api', streamName: 'app-prod-api-access-audit' },
      { service: 'billing', streamName: 'app-prod-billing-access-audit' },
    ],
    ...props,
  });
  return Template.fromStack(s);
}

const policyOfBucket = (t: Template): Json[] =>
  Object.values(t.findResources('AWS::S3::BucketPolicy'))
    .filter((r: Json) => JSON.stringify(r.Properties.Bucket).includes('AccessAuditBucket'))
    .flatMap((r: Json) => r.Properties.PolicyDocument.Statement);

describe('AccessAuditChannel', () => {
  test('U5 the bucket is object-locked (COMPLIANCE, the audit retention), versioned, on the audit key, logged, retained', () => {
    const t = channel();
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: Match.objectLike({
        'HipaaBlueprint::AccessAuditBucket': Match.objectLike({ lockMode: 'COMPLIANCE', governanceAllowed: false }),
      }),
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'access-audit/' }),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
              },
            }),
          ],
        },
      }),
    });
  });

  test('U5 events stay searchable and are never expired before the retention (Glacier Instant Retrieval only)', () => {
    const rules = Object.values(
      channel().findResources('AWS::S3::Bucket', {
        Metadata: { 'HipaaBlueprint::AccessAuditBucket': Match.anyValue() },
      }),
    )[0]!.Properties.LifecycleConfiguration.Rules as Json[];
    expect(rules).toHaveLength(1);
    expect(rules[0].ExpirationInDays).toBe(2557);
    expect(rules[0].NoncurrentVersionExpiration.NoncurrentDays).toBe(2557);
    expect(JSON.stringify(rules)).not.toMatch(/DEEP_ARCHIVE|"GLACIER"/);
  });

  test('U5 one stream per service, SSE with the audit key, delivering JSON lines under service= and date= partitions', () => {
    const t = channel();
    t.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'app-prod-api-access-audit',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'events/service=api/date=!{timestamp:yyyy-MM-dd}/',
        CompressionFormat: 'UNCOMPRESSED',
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 5 },
        EncryptionConfiguration: {
          KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] } },
        },
      }),
    });
  });

  test('U5 the delivery role is named, trusted by Firehose of this account only, and may only write objects', () => {
    const t = channel();
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'app-prod-access-audit-delivery',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'firehose.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ],
      },
    });
    const statements = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (r: Json) => r.Properties.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((s: Json) => [s.Action].flat()).sort();
    expect(actions).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:PutObject',
    ]);
    const kms = statements.find((s: Json) => s.Sid === 'AuditKeyThroughS3ForThisBucket');
    expect(kms.Condition.StringEquals['kms:ViaService']).toBe('s3.us-east-1.amazonaws.com');
  });

  test('U5 U6 the bucket denies deletes, lock weakening, ACL and tag writes to everyone and writes to all but the delivery role', () => {
    const statements = policyOfBucket(channel());
    const deny = (sid: string): Json => statements.find((s) => s.Sid === sid && s.Effect === 'Deny');
    expect(deny('DenyObjectDeletes')).toMatchObject({
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    });
    expect(deny('DenyObjectDeletes').Condition).toBeUndefined();
    expect(deny('DenyRetentionWeakening').Condition).toBeUndefined();
    expect(deny('DenyObjectAclAndTagWrites').Action).toEqual(
      expect.arrayContaining(['s3:PutObjectAcl', 's3:PutObjectTagging']),
    );
    expect(JSON.stringify(deny('DenyWritesExceptTheTrail').Condition)).toContain('app-prod-access-audit-delivery');
  });

  test('U5 GOVERNANCE only outside production', () => {
    const governance: RetentionPolicy = { ...RETENTION, auditLockMode: 'GOVERNANCE' };
    expect(() => channel({ retention: governance })).toThrow(
      "retention.auditLockMode = 'GOVERNANCE': must be COMPLIANCE in a production environment (safeguard U5)",
    );
    channel({ retention: governance, production: false }).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2557 } },
      },
    });
  });

  test.each<[string, Partial<AccessAuditChannelProps>, string]>([
    ['a short retention', { retention: { ...RETENTION, auditRetentionDays: 365 } }, 'auditRetentionDays'],
    ['a bad role name', { deliveryRoleName: 'has space' }, "deliveryRoleName = 'has space': must be an IAM role name"],
    [
      'a bad stream name',
      { streams: [{ service: 'api', streamName: 'a/b' }] },
      "streams[0].streamName = 'a/b': must be 1-64 of [a-zA-Z0-9_.-]",
    ],
    [
      'a bad service name',
      { streams: [{ service: 'Api', streamName: 'x' }] },
      "streams[0].service = 'Api': must be lower-case kebab-case",
    ],
    [
      'a service twice',
      {
        streams: [
          { service: 'api', streamName: 'a' },
          { service: 'api', streamName: 'b' },
        ],
      },
      "streams[1].service = 'api': must be unique",
    ],
    ['a buffer of 10 s', { bufferingSeconds: 10 }, 'bufferingSeconds = 10: must be an integer from 60 to 900'],
  ])('refuses %s, naming the field', (_name, props, message) => {
    expect(() => channel(props)).toThrow(message);
  });
});
