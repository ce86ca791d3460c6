import { Template } from 'aws-cdk-lib/assertions';
import { BackupCopyVault, BackupCopyVaultProps } from '../../constructs/backup-copy-vault';
import { fixtureStack, importedKey } from '../support/construct-fixtures';

function build(overrides: Partial<BackupCopyVaultProps> = {}): Template {
  const s = fixtureStack();
  new BackupCopyVault(s, 'CopyVault', {
    vaultName: 'app-prod-phi-vault-replica',
    encryptionKey: importedKey(s),
    minRetentionDays: 35,
    immutableLock: true,
    ...overrides,
  });
  return Template.fromStack(s);
}

describe('BackupCopyVault', () => {
  it('I1 E2 the copy vault: named, on the backup key, locked (immutable after 3 days in production), retained, a PHI store', () => {
    build().hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: { 'HipaaBlueprint::PhiStore': true },
      Properties: {
        BackupVaultName: 'app-prod-phi-vault-replica',
        EncryptionKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
        LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 },
      },
    });
  });

  it('I1 outside production the lock stays in governance mode; in a first deploy step 1 it is not yet a PHI store', () => {
    const lock = build({ immutableLock: false }).findResources('AWS::Backup::BackupVault');
    expect(Object.values(lock)[0]!.Properties.LockConfiguration).toEqual({ MinRetentionDays: 35 });
    const pending = build({ copiesPending: true }).findResources('AWS::Backup::BackupVault');
    expect(Object.values(pending)[0]!.Metadata?.['HipaaBlueprint::PhiStore']).toBeUndefined();
  });

  it.each<[Partial<BackupCopyVaultProps>, RegExp]>([
    [{ minRetentionDays: 7 }, /minRetentionDays = 7: must be at least 35 \(I1\)/],
    [{ lockGraceDays: 1 }, /lockGraceDays = 1: must be a whole number of at least 3/],
  ])('I1 bad props are refused with the field, value and rule: %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
