import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ARCHIVE_WRITE_EVENTS, AuditTrail } from '../../constructs/audit-trail';
import { RetentionPolicy } from '../../constructs/core/retention';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' };

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
}

describe('AuditTrail', () => {
  function trail(names: readonly string[]) {
    const s = stack();
    return new AuditTrail(s, 'T', {
      trailName: 'test-trail',
      bucket: new Bucket(s, 'B'),
      encryptionKey: new Key(s, 'K'),
      retention: RETENTION,
      dataEventBucketNames: names,
    });
  }

  test('U1 refuses to record no PHI bucket, or a malformed name', () => {
    expect(() => trail([])).toThrow(/dataEventBucketNames = \[\]: must name every PHI bucket \(safeguard U1\)/);
    expect(() => trail(['Bad_Name'])).toThrow(/dataEventBucketNames\[0\] = 'Bad_Name': not an S3 bucket name/);
  });

  test('U1 records read and write data events on every named bucket, and every management event', () => {
    const t = trail(['phi-a', 'phi-b']);
    const props = Template.fromStack(Stack.of(t)).findResources('AWS::CloudTrail::Trail');
    const selectors = Object.values(props)[0]!.Properties.AdvancedEventSelectors;
    expect(Object.values(props)[0]!.Properties.EventSelectors).toBeUndefined();
    expect(selectors.slice(0, 2)).toEqual([
      { Name: 'ManagementEvents', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      {
        Name: 'PhiObjectReadsAndWrites',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          {
            Field: 'resources.ARN',
            StartsWith: ['phi-a', 'phi-b'].map((n) => ({
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${n}/`]],
            })),
          },
        ],
      },
    ]);
  });

  test('U2 U6 records deletes and protection changes in its own archive as write-only data events, never its deliveries', () => {
    const t = trail(['phi-a']);
    const stack = Stack.of(t);
    const selectors = Object.values(Template.fromStack(stack).findResources('AWS::CloudTrail::Trail'))[0]!.Properties
      .AdvancedEventSelectors;
    const archive = selectors.find((s: { Name: string }) => s.Name === 'AuditArchiveDeletes');
    const bucketId = stack.resolve((t.trail.s3BucketName as string) ?? '') as { Ref: string };
    expect(archive.FieldSelectors).toEqual([
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'readOnly', Equals: ['false'] },
      { Field: 'resources.ARN', StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId.Ref, 'Arn'] }, '/']] }] },
      { Field: 'eventName', Equals: [...ARCHIVE_WRITE_EVENTS] },
    ]);
    // No logging loop: CloudTrail delivers with PutObject only, which is not selected.
    expect(ARCHIVE_WRITE_EVENTS).not.toContain('PutObject');
    expect(ARCHIVE_WRITE_EVENTS).toEqual(expect.arrayContaining(['DeleteObject', 'DeleteObjects']));
  });
});
