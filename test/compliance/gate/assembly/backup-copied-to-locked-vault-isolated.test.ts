import { BackupCopiedToLockedVault } from '../../../../lib/compliance/gate/assembly/backup-copied-to-locked-vault';
import { asAssembly, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

const AIRGAP = 'arn:aws:backup:us-east-1:111122223333:backup-vault:airgap';

const extraCopy = (arn: string) => (t: Record<string, Mutable>) => {
  for (const rule of t.data.Resources.Plan.Properties.BackupPlan.BackupPlanRule) {
    rule.CopyActions.push({ DestinationBackupVaultArn: arn, Lifecycle: { DeleteAfterDays: 35 } });
  }
};

/** The rule's findings with config's isolated vault (backup.isolatedCopyVaultArn) in the context, as synth passes it. */
function findings(mutate: (t: Record<string, Mutable>) => void, isolatedCopyVaultArn: string | null = AIRGAP) {
  const t = fixtureTemplates();
  mutate(t);
  return BackupCopiedToLockedVault.check(asAssembly(t), {
    phiBucketNames: [PHI_BUCKET],
    production: true,
    ...(isolatedCopyVaultArn !== null ? { isolatedCopyVaultArn } : {}),
  })
    .findings.map((f) => `${f.ruleId.slice('Blueprint-BackupCopiedToLockedVault'.length)} ${f.logicalId}`)
    .sort();
}
const OUTSIDE = [
  '[Daily::extra-copy-destination-outside-assembly] Plan',
  '[Monthly::extra-copy-destination-outside-assembly] Plan',
];

describe('BackupCopiedToLockedVault with an isolated copy vault in config', () => {
  test('I1 an extra copy to the isolated vault config names passes; to another vault, or without it in config, it is a finding', () => {
    expect(findings(extraCopy(AIRGAP))).toEqual([]);
    expect(findings(extraCopy(AIRGAP.replace('airgap', 'other')))).toEqual(OUTSIDE);
    expect(findings(extraCopy(AIRGAP), null)).toEqual(OUTSIDE);
  });

  test('I1 the isolated vault instead of the replica region copy is still a finding (in addition, never instead)', () => {
    expect(
      findings((t) => {
        for (const rule of t.data.Resources.Plan.Properties.BackupPlan.BackupPlanRule) {
          rule.CopyActions = [{ DestinationBackupVaultArn: AIRGAP }];
        }
      }),
    ).toEqual(['[Daily::destination-outside-assembly] Plan', '[Monthly::destination-outside-assembly] Plan']);
  });
});
