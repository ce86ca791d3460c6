import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AccessAuditSearch, AccessAuditSearchProps } from '../../constructs/access-audit-search';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };

function build(props: Partial<AccessAuditSearchProps> = {}): Template {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  new AccessAuditSearch(s, 'Search', {
    eventsBucket: Bucket.fromBucketName(s, 'Events', 'app-prod-access-audit-events'),
    services: ['api', 'billing'],
    encryptionKey: new Key(s, 'AuditKey'),
    retention: RETENTION,
    accessLogs: new AccessLogBucket(s, 'Logs', { retention: RETENTION }),
    workGroupName: 'app-prod-access-audit',
    databaseName: 'app_prod_access_audit',
    ...props,
  });
  return Template.fromStack(s);
}

describe('AccessAuditSearch', () => {
  test('U5 the workgroup enforces its configuration: results SSE-KMS with the audit key in the results bucket', () => {
    build().hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'app-prod-access-audit',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          ExpectedBucketOwner: '123456789012',
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
          },
          OutputLocation: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        },
      },
    });
  });

  test('U5 results are kept for the audit retention: versioned, version deletes denied, no expiry before 2557 days', () => {
    const t = build();
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ ExpirationInDays: 2557, NoncurrentVersionExpiration: { NoncurrentDays: 2557 } })],
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
          ],
        },
      }),
    });
    const statements = Object.values(t.findResources('AWS::S3::BucketPolicy')).flatMap(
      (r: Json) => r.Properties.PolicyDocument.Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:DeleteObjectVersion' }),
    );
    // Nor may anyone move a result to another key in place (no condition).
    const reKey = statements.filter(
      (s: Json) => s.Action === 's3:UpdateObjectEncryption' && JSON.stringify(s.Resource).includes('SearchResults'),
    );
    expect(reKey).toEqual([
      {
        Sid: 'DenyObjectEncryptionUpdates',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:UpdateObjectEncryption',
        Resource: expect.anything(),
      },
    ]);
  });

  test('U5 the table reads the events of format v1 as JSON, one projected partition per service and day', () => {
    const table = Object.values(build().findResources('AWS::Glue::Table'))[0] as Json;
    const input = table.Properties.TableInput;
    expect(table.Properties.DatabaseName).toBe('app_prod_access_audit');
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.stream_service.values': 'api,billing',
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': 'NOW-9YEARS,NOW',
      'storage.location.template': 's3://app-prod-access-audit-events/events/service=${stream_service}/date=${day}/',
    });
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(input.StorageDescriptor.Columns.map((c: Json) => c.Name)).toEqual([
      'version',
      'eventid',
      'time',
      'service',
      'who',
      'what',
      'where',
    ]);
  });

  test.each<[string, Partial<AccessAuditSearchProps>, string]>([
    [
      'a database name with dashes',
      { databaseName: 'app-prod' },
      "databaseName = 'app-prod': must be 1-255 lower-case",
    ],
    ['a bad workgroup name', { workGroupName: 'a b' }, "workGroupName = 'a b': must be 1-128 of [a-zA-Z0-9._-]"],
    ['a bad service', { services: ['Api'] }, "services[0] = 'Api': must be lower-case kebab-case"],
  ])('refuses %s, naming the field', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
