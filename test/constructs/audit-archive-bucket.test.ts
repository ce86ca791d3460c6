import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { AuditArchiveBucket } from '../../constructs/audit-archive-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' };

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
}

describe('AuditArchiveBucket', () => {
  function archive(props: Partial<ConstructorParameters<typeof AuditArchiveBucket>[2]> = {}) {
    const s = stack();
    return new AuditArchiveBucket(s, 'A', {
      retention: RETENTION,
      production: true,
      encryptionKey: new Key(s, 'K'),
      accessLogs: new AccessLogBucket(s, 'L', { retention: RETENTION }),
      trailName: 'test-trail',
      configurationAdministratorArns: ['arn:aws:iam::123456789012:role/Deployment'],
      ...props,
    });
  }

  test('U2 refuses GOVERNANCE in production and retention below six years', () => {
    expect(() => archive({ retention: { ...RETENTION, auditLockMode: 'GOVERNANCE' } })).toThrow(
      /retention.auditLockMode = 'GOVERNANCE': must be COMPLIANCE in a production environment \(safeguard U2\)/,
    );
    expect(() => archive({ retention: { ...RETENTION, auditRetentionDays: 2000 } })).toThrow(
      /retention.auditRetentionDays = 2000: must be at least 2192 days/,
    );
    expect(() =>
      archive({ production: false, retention: { ...RETENTION, auditLockMode: 'GOVERNANCE' } }),
    ).not.toThrow();
  });

  test('U2 U6 refuses an archive no deployment may reconfigure, or a wildcard administrator', () => {
    expect(() => archive({ configurationAdministratorArns: [] })).toThrow(
      /configurationAdministratorArns = \[\]: must name the CloudFormation execution role/,
    );
    expect(() => archive({ configurationAdministratorArns: ['arn:aws:iam::123456789012:role/*'] })).toThrow(
      /configurationAdministratorArns\[0\] = 'arn:aws:iam::123456789012:role\/\*': must be an exact IAM role ARN/,
    );
  });

  test('U2 refuses an invalid trail name', () => {
    expect(() => archive({ trailName: 'no spaces' })).toThrow(/trailName = 'no spaces'/);
  });

  test('U2 the marker records whether GOVERNANCE is allowed', () => {
    const a = archive({ production: false, retention: { ...RETENTION, auditLockMode: 'GOVERNANCE' } });
    const template = Template.fromStack(Stack.of(a));
    template.hasResource('AWS::S3::Bucket', {
      Metadata: { 'HipaaBlueprint::AuditArchive': { governanceAllowed: true, lockMode: 'GOVERNANCE' } },
    });
  });
});
