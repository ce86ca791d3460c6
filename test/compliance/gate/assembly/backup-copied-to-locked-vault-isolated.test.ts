import { BlueprintConfig, ENVIRONMENTS } from '../../../../lib/config';
import { BackupCopiedToLockedVault } from '../../../../lib/compliance/gate/assembly/backup-copied-to-locked-vault';
import { findingsOf, Mutable } from './assembly-fixture';

const AIRGAP = 'arn:aws:backup:us-east-1:111122223333:backup-vault:airgap';

// The shipped prod environment (the fixture declares envName 'prod') with an isolated copy vault in config
// (backup.isolatedCopyVaultArn), for this file only (the rule loads a replaced environment object anew).
const shippedProd = ENVIRONMENTS.prod!;
beforeAll(() => {
  (ENVIRONMENTS as Record<string, BlueprintConfig>).prod = {
    ...shippedProd,
    backup: { ...shippedProd.backup, isolatedCopyVaultArn: AIRGAP },
  };
});
afterAll(() => {
  (ENVIRONMENTS as Record<string, BlueprintConfig>).prod = shippedProd;
});

const extraCopy = (arn: string) => (t: Record<string, Mutable>) => {
  for (const rule of t.data.Resources.Plan.Properties.BackupPlan.BackupPlanRule) {
    rule.CopyActions.push({ DestinationBackupVaultArn: arn, Lifecycle: { DeleteAfterDays: 35 } });
  }
};

describe('BackupCopiedToLockedVault with an isolated copy vault in config', () => {
  test('I1 an extra copy to the isolated vault the environment config names passes; to another vault it is a finding', () => {
    expect(findingsOf(BackupCopiedToLockedVault, extraCopy(AIRGAP))).toEqual([]);
    expect(findingsOf(BackupCopiedToLockedVault, extraCopy(AIRGAP.replace('airgap', 'other')))).toEqual([
      '[Daily::extra-copy-destination-outside-assembly] Plan',
      '[Monthly::extra-copy-destination-outside-assembly] Plan',
    ]);
  });

  test('I1 the isolated vault instead of the replica region copy is still a finding (in addition, never instead)', () => {
    expect(
      findingsOf(BackupCopiedToLockedVault, (t) => {
        for (const rule of t.data.Resources.Plan.Properties.BackupPlan.BackupPlanRule) {
          rule.CopyActions = [{ DestinationBackupVaultArn: AIRGAP }];
        }
      }),
    ).toEqual(['[Daily::destination-outside-assembly] Plan', '[Monthly::destination-outside-assembly] Plan']);
  });
});
