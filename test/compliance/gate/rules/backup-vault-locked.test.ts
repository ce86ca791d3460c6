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
    [
      'a lock kept 7 days',
      { MinRetentionDays: 7, ChangeableForDays: 3 },
      '[LockConfiguration.MinRetentionDays::7] Vault',
    ],
  ])('I1 %s is a finding', (_name, lock, expected) => {
    expect(findingsOf('BackupVaultLocked', vault(lock))).toEqual([expected]);
  });

  test('I1 a lock without a minimum (CloudFormation requires one; CfnInclude refuses it) is a finding of the rule itself', () => {
    const resource = { Type: 'AWS::Backup::BackupVault', Properties: { LockConfiguration: { MaxRetentionDays: 100 } } };
    expect(vaultLockFindings(resource, true)).toEqual(['LockConfiguration.MinRetentionDays::unset']);
  });

  describe('the grace period, when set (attacker review; compliance mode itself: PhiBackupsMeetFloors, with config)', () => {
    const declared = (lock: Record<string, unknown>) => ({
      Metadata: { HipaaBlueprint: { appName: 'hipaa', envName: 'prod' } },
      Parameters: { Grace: { Type: 'Number', Default: 3 } },
      ...vault(lock),
    });

    test.each<[string, Record<string, unknown>, string[]]>([
      [
        'a grace period a parameter gives',
        { MinRetentionDays: 35, ChangeableForDays: { Ref: 'Grace' } },
        ['[LockConfiguration.ChangeableForDays::unresolved] Vault'],
      ],
      [
        'a grace period below the AWS minimum',
        { MinRetentionDays: 35, ChangeableForDays: 1 },
        ['[LockConfiguration.ChangeableForDays::1] Vault'],
      ],
    ])('I1 I2 %s is a finding', (_name, lock, expected) => {
      expect(findingsOf('BackupVaultLocked', declared(lock))).toEqual(expected);
    });

    test('I1 compliance mode, and governance mode (judged with the environment by PhiBackupsMeetFloors), pass here', () => {
      expect(findingsOf('BackupVaultLocked', declared({ MinRetentionDays: 35, ChangeableForDays: '3' }))).toEqual([]);
      expect(findingsOf('BackupVaultLocked', declared({ MinRetentionDays: 35 }))).toEqual([]);
      expect(vaultLockFindings(vault({ MinRetentionDays: 35 }).Resources.Vault as never)).toEqual([
        'LockConfiguration.ChangeableForDays::governance-mode',
      ]);
    });
  });
});
