import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AuditTrail } from '../../constructs/audit-trail';
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

  test('U1 records read and write data events on every named bucket', () => {
    const t = trail(['phi-a', 'phi-b']);
    Template.fromStack(Stack.of(t)).hasResourceProperties('AWS::CloudTrail::Trail', {
      EventSelectors: [
        {
          ReadWriteType: 'All',
          DataResources: [
            {
              Type: 'AWS::S3::Object',
              Values: ['phi-a', 'phi-b'].map((n) => ({
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${n}/`]],
              })),
            },
          ],
        },
      ],
    });
  });
});
