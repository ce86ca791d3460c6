import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { DataIdentifier, DataProtectionPolicy, LogGroup } from 'aws-cdk-lib/aws-logs';
import { EncryptedLogGroup } from '../../constructs/encrypted-log-group';
import { fixtureStack, importedKey, KEY_ARN, RETENTION } from '../support/construct-fixtures';
import { testConfig } from '../support/blueprint';

const retention = testConfig().retention;

function logGroup(props: Partial<ConstructorParameters<typeof EncryptedLogGroup>[2]> = {}): Template {
  const s = fixtureStack();
  new EncryptedLogGroup(s, 'Logs', { encryptionKey: importedKey(s), retention: RETENTION, ...props });
  return Template.fromStack(s);
}

describe('EncryptedLogGroup', () => {
  it('E2 U3 I2 one log group: the customer-managed key, the policy retention, retained on deletion and replacement', () => {
    const t = logGroup();
    t.resourceCountIs('AWS::Logs::LogGroup', 1);
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: KEY_ARN, RetentionInDays: 2192 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('U3 a longer retention of the policy is applied as is', () => {
    logGroup({ retention: { ...RETENTION, logRetentionDays: 3653 } }).hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 3653,
    });
  });

  it('the construct refuses a retention below the floor', () => {
    const s = fixtureStack();
    expect(
      () =>
        new EncryptedLogGroup(s, 'Bad', {
          encryptionKey: new Key(s, 'K'),
          retention: { ...retention, logRetentionDays: 365 },
        }),
    ).toThrow(/retention.logRetentionDays = 365: must be at least 2192 days/);
  });

  it('U3 refuses a retention CloudWatch Logs does not accept, naming the owner, field and value', () => {
    expect(() => logGroup({ retention: { ...RETENTION, logRetentionDays: 2200 } })).toThrow(
      /EncryptedLogGroup S\/Logs: invalid retention policy:\n {2}- retention.logRetentionDays = 2200: must be a value CloudWatch Logs accepts/,
    );
  });

  it('defaults: a generated name and no data protection policy; both can be set', () => {
    const [group] = Object.values(logGroup().findResources('AWS::Logs::LogGroup'));
    expect(group.Properties.LogGroupName).toBeUndefined();
    expect(group.Properties.DataProtectionPolicy).toBeUndefined();

    const s = fixtureStack();
    new EncryptedLogGroup(s, 'Named', {
      encryptionKey: importedKey(s),
      retention: RETENTION,
      logGroupName: '/test/named',
      dataProtectionPolicy: new DataProtectionPolicy({
        identifiers: [DataIdentifier.EMAILADDRESS],
        logGroupAuditDestination: new LogGroup(s, 'Findings'),
      }),
    });
    Template.fromStack(s).hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/test/named',
      KmsKeyId: KEY_ARN,
      DataProtectionPolicy: { Statement: Match.anyValue() },
    });
  });
});
