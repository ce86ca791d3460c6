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

describe('BackupVaultLocked: the vault access policy only denies (attacker review, 2026-12-02)', () => {
  const LOCK = { MinRetentionDays: 35, ChangeableForDays: 3 };
  const withPolicy = (policy: unknown) => {
    const t = vault(LOCK);
    (t.Resources.Vault as { Properties: Record<string, unknown> }).Properties.AccessPolicy = policy;
    return t;
  };
  const deny = {
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
    Resource: '*',
  };

  test('I1 no policy, or one that only denies (as an object or a JSON string), passes', () => {
    expect(findingsOf('BackupVaultLocked', vault(LOCK))).toEqual([]);
    expect(findingsOf('BackupVaultLocked', withPolicy({ Version: '2012-10-17', Statement: [deny] }))).toEqual([]);
    expect(findingsOf('BackupVaultLocked', withPolicy(JSON.stringify({ Statement: deny })))).toEqual([]);
  });

  test.each<[string, unknown, string]>([
    [
      'everyone allowed to delete and shorten recovery points',
      { Statement: [deny, { ...deny, Effect: 'Allow' }] },
      '[AccessPolicy::allows] Vault',
    ],
    [
      'another account allowed, in a JSON string',
      JSON.stringify({
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999999999999:root' },
          Action: 'backup:*',
          Resource: '*',
        },
      }),
      '[AccessPolicy::allows] Vault',
    ],
    [
      'an effect only deploy resolves',
      { Statement: [{ ...deny, Effect: { 'Fn::Select': [0, ['Allow', 'Deny']] } }] },
      '[AccessPolicy::allows] Vault',
    ],
    ['a document only deploy resolves', { 'Fn::Select': [0, [{ Statement: [] }]] }, '[AccessPolicy::unreadable] Vault'],
    ['text that is not JSON', 'not a policy', '[AccessPolicy::unreadable] Vault'],
  ])('I1 %s is a finding', (_, policy, expected) => {
    expect(findingsOf('BackupVaultLocked', withPolicy(policy))).toEqual([expected]);
  });
});
