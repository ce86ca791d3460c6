import { vaultLockFindings } from '../../../../lib/compliance/gate/rules/backup-vault-locked';
import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

const vault = (lock?: Record<string, unknown>) =>
  template({
    Vault: {
      Type: 'AWS::Backup::BackupVault',
      ...RETAIN,
      Properties: { BackupVaultName: 'v', EncryptionKeyArn: KEY_ARN, ...(lock ? { LockConfiguration: lock } : {}) },
    },
  });

describe('BackupVaultLocked', () => {
  test('I1 a vault locked for at least 35 days passes', () => {
    expect(findingsOf('BackupVaultLocked', vault({ MinRetentionDays: 35, ChangeableForDays: 3 }))).toEqual([]);
  });

  test.each([
    ['no vault lock', undefined, '[LockConfiguration::none] Vault'],
    ['a lock kept 7 days', { MinRetentionDays: 7 }, '[LockConfiguration.MinRetentionDays::7] Vault'],
  ])('I1 %s is a finding', (_name, lock, expected) => {
    expect(findingsOf('BackupVaultLocked', vault(lock))).toEqual([expected]);
  });

  test('I1 a lock without a minimum (CloudFormation requires one; CfnInclude refuses it) is a finding of the rule itself', () => {
    const resource = { Type: 'AWS::Backup::BackupVault', Properties: { LockConfiguration: { MaxRetentionDays: 100 } } };
    expect(vaultLockFindings(resource)).toEqual(['LockConfiguration.MinRetentionDays::unset']);
  });
});
