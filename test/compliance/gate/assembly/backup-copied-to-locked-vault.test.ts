import { BackupCopiedToLockedVault } from '../../../../lib/compliance/gate/assembly/backup-copied-to-locked-vault';
import {
  ANOTHER_ACCOUNTS_BUS,
  asAssembly,
  findingsOf,
  fixtureTemplates,
  moveAlertRule,
  Mutable,
  PHI_BUCKET,
  PRIMARY_REGION,
  REPLICA_REGION,
} from './assembly-fixture';

const rules = (t: Record<string, Mutable>) => t.data.Resources.Plan.Properties.BackupPlan.BackupPlanRule;
const copyVault = (t: Record<string, Mutable>) => t.phiReplica.Resources.CopyVault;
/** Every rule of the PHI plan copies to the vault `arn` only. */
const copyOnlyTo = (t: Record<string, Mutable>, arn: string): void => {
  for (const rule of rules(t)) rule.CopyActions = [{ DestinationBackupVaultArn: arn }];
};
const both = (id: string) => [`[Daily::${id}] Plan`, `[Monthly::${id}] Plan`];

describe('BackupCopiedToLockedVault', () => {
  test('I1 every rule copying to the locked PHI vault of the replica stack passes', () => {
    expect(findingsOf(BackupCopiedToLockedVault)).toEqual([]);
  });

  describe('every copy action (attacker review: an extra copy to another account passed)', () => {
    const AIRGAP = 'arn:aws:backup:us-east-1:111122223333:backup-vault:airgap';
    const extraCopy = (arn: unknown) => (t: Record<string, Mutable>) => {
      for (const rule of rules(t))
        rule.CopyActions.push({ DestinationBackupVaultArn: arn, Lifecycle: { DeleteAfterDays: 35 } });
    };
    const extra = (id: string) => [`[Daily::extra-copy-${id}] Plan`, `[Monthly::extra-copy-${id}] Plan`];

    test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
      [
        "an extra copy to another account's vault",
        extraCopy('arn:aws:backup:us-east-1:999999999999:backup-vault:dr-vault'),
        extra('destination-outside-assembly'),
      ],
      [
        'an extra copy to a vault of this account outside the assembly',
        extraCopy(AIRGAP.replace('111122223333', '123456789012')),
        extra('destination-outside-assembly'),
      ],
      [
        'an extra copy whose destination a parameter gives',
        extraCopy({ Ref: 'Destination' }),
        extra('destination-not-a-literal-vault-arn'),
      ],
      [
        'an extra copy to the replica vault unlocked in another stack',
        (t) => {
          t.audit.Resources.OpenVault = {
            Type: 'AWS::Backup::BackupVault',
            Properties: { BackupVaultName: 'app-prod-open' },
          };
          extraCopy('arn:aws:backup:us-east-1:123456789012:backup-vault:app-prod-open')(t);
        },
        extra('destination-same-region'),
      ],
      [
        'the isolated vault when the environment config names none',
        extraCopy(AIRGAP),
        extra('destination-outside-assembly'),
      ],
    ])('I1 %s is a finding', (_name, mutate, expected) => {
      expect(findingsOf(BackupCopiedToLockedVault, mutate)).toEqual(expected.sort());
    });
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the copy actions removed',
      (t) => {
        for (const rule of rules(t)) delete rule.CopyActions;
      },
      both('no-copy'),
    ],
    ['the monthly rule without a copy', (t) => delete rules(t)[1].CopyActions, ['[Monthly::no-copy] Plan']],
    [
      'the replica vault removed (the copy lands outside the assembly)',
      (t) => delete t.phiReplica.Resources.CopyVault,
      both('destination-outside-assembly'),
    ],
    [
      'the replica vault unlocked',
      (t) => delete copyVault(t).Properties.LockConfiguration,
      both('destination-unlocked'),
    ],
    [
      'the copy sent to the same stack (same region) vault',
      (t) => {
        t.data.Resources.Vault.Properties.BackupVaultName = 'app-prod-phi-vault-replica';
        delete t.phiReplica.Resources.CopyVault;
      },
      both('destination-same-stack'),
    ],
    [
      'the copy region taken from the stack (the same region)',
      (t) => {
        for (const rule of rules(t)) {
          rule.CopyActions[0].DestinationBackupVaultArn = {
            'Fn::Join': [
              '',
              ['arn:aws:backup:', { Ref: 'AWS::Region' }, ':123456789012:backup-vault:app-prod-phi-vault-replica'],
            ],
          };
        }
      },
      both('destination-region-not-literal'),
    ],
    [
      'copies kept shorter than the destination lock',
      (t) => (rules(t)[0].CopyActions[0].Lifecycle.DeleteAfterDays = 7),
      ['[Daily::copy-retention-below-lock] Plan'],
    ],
    [
      'copies kept shorter than the destination lock, written as a string ("7", as CloudFormation takes it)',
      (t) => (rules(t)[0].CopyActions[0].Lifecycle.DeleteAfterDays = '7'),
      ['[Daily::copy-retention-below-lock] Plan'],
    ],
    [
      'a copy to a locked vault of another stack in the same region',
      (t) => {
        t.audit.Resources.SameRegionVault = JSON.parse(JSON.stringify(copyVault(t)));
        t.audit.Resources.SameRegionVault.Properties.BackupVaultName = 'app-prod-phi-vault-same-region';
        copyOnlyTo(t, 'arn:aws:backup:us-east-1:123456789012:backup-vault:app-prod-phi-vault-same-region');
      },
      both('destination-same-region'),
    ],
    [
      "a copy naming the replica vault with another region than its stack's (another vault of that name)",
      (t) => {
        copyOnlyTo(t, 'arn:aws:backup:us-east-2:123456789012:backup-vault:app-prod-phi-vault-replica');
      },
      both('destination-outside-assembly'),
    ],
    [
      "a copy naming the replica vault with another account (another account's vault of that name)",
      (t) => {
        copyOnlyTo(t, 'arn:aws:backup:us-west-2:999999999999:backup-vault:app-prod-phi-vault-replica');
      },
      both('destination-outside-assembly'),
    ],
    [
      'only a copy outside the assembly',
      (t) => {
        for (const rule of rules(t)) {
          rule.CopyActions = [{ DestinationBackupVaultArn: 'arn:aws:backup:us-east-2:111122223333:backup-vault:x' }];
        }
      },
      both('destination-outside-assembly'),
    ],
  ])('I1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(BackupCopiedToLockedVault, mutate)).toEqual(expected.sort());
  });

  const copyRule = (t: Record<string, Mutable>) => t.alerting.Resources.BackupCopyJobFailuresRule;
  test.each<[string, (t: Record<string, Mutable>) => void]>([
    ['the copy failure rule removed', (t) => delete t.alerting.Resources.BackupCopyJobFailuresRule],
    ['the copy failure rule disabled', (t) => (copyRule(t).Properties.State = 'DISABLED')],
    ['the copy failure rule without a target', (t) => (copyRule(t).Properties.Targets = [])],
    [
      'the copy failure rule without a target: its one target AWS::NoValue',
      (t) => (copyRule(t).Properties.Targets = [{ Ref: 'AWS::NoValue' }]),
    ],
    [
      'the copy failure rule without a target: Targets AWS::NoValue',
      (t) => (copyRule(t).Properties.Targets = { Ref: 'AWS::NoValue' }),
    ],
    [
      'without a target when a condition is false',
      (t) =>
        (copyRule(t).Properties.Targets = [
          { 'Fn::If': ['Off', copyRule(t).Properties.Targets[0], { Ref: 'AWS::NoValue' }] },
        ]),
    ],
    [
      'the copy failure rule with targets only deploy resolves',
      (t) => (copyRule(t).Properties.Targets = { Ref: 'TargetList' }),
    ],
    [
      'the copy failure rule with a target whose Arn a condition may remove',
      (t) => {
        const target = copyRule(t).Properties.Targets[0];
        target.Arn = { 'Fn::If': ['Off', target.Arn, { Ref: 'AWS::NoValue' }] };
      },
    ],
    [
      "the copy failure rule sending to another account's event bus",
      (t) => (copyRule(t).Properties.Targets = [{ Arn: ANOTHER_ACCOUNTS_BUS, Id: 'Elsewhere' }]),
    ],
    [
      'the copy failure rule sending to a queue of its stack that nobody reads',
      (t) => {
        t.alerting.Resources.Quiet = { Type: 'AWS::SQS::Queue', Properties: {} };
        copyRule(t).Properties.Targets = [{ Arn: { 'Fn::GetAtt': ['Quiet', 'Arn'] }, Id: 'Q' }];
      },
    ],
    [
      "the copy failure rule giving the formatter a constant input (a heartbeat's: dropped)",
      (t) => (copyRule(t).Properties.Targets[0].Input = '{"source":"hipaa-blueprint.alert-path"}'),
    ],
    [
      'the copy failure rule publishing the raw event to the alert topic (no formatter)',
      (t) => (copyRule(t).Properties.Targets = [{ Arn: { Ref: 'Topic' }, Id: 'T' }]),
    ],
    [
      'the copy failure rule naming the formatter by Ref (its name, not an ARN)',
      (t) => (copyRule(t).Properties.Targets = [{ Arn: { Ref: 'Formatter' }, Id: 'Target0' }]),
    ],
    [
      'the copy failure rule matching only FAILED (not PARTIAL)',
      (t) => (copyRule(t).Properties.EventPattern.detail.state = ['FAILED']),
    ],
    [
      'the copy failure rule narrowed to one resource type',
      (t) => (copyRule(t).Properties.EventPattern.detail.resourceType = ['EFS']),
    ],
    [
      'the copy failure rule narrowed to another account',
      (t) => (copyRule(t).Properties.EventPattern.account = ['000000000000']),
    ],
    [
      'the copy failure rule narrowed to some resources',
      (t) => (copyRule(t).Properties.EventPattern.resources = ['arn:aws:backup:us-east-1:123456789012:copy-job:x']),
    ],
    [
      'the copy failure rule on backup jobs instead',
      (t) => (copyRule(t).Properties.EventPattern['detail-type'] = ['Backup Job State Change']),
    ],
  ])('I1 %s (a failed copy goes unnoticed) is a finding', (_name, mutate) => {
    expect(findingsOf(BackupCopiedToLockedVault, mutate)).toEqual(['[CopyJobFailures::not-alerted] (template)']);
  });

  test("I1 the copy failure rule moved, with a formatter of its own, to a stack of the replica region (where the plan's copy jobs emit no event) is a finding naming the plan's region", () => {
    const templates = fixtureTemplates();
    moveAlertRule(templates, 'BackupCopyJobFailuresRule', 'phiReplica');
    const findings = BackupCopiedToLockedVault.check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] }).findings;
    expect(findings.map((f) => f.ruleId)).toEqual([
      'Blueprint-BackupCopiedToLockedVault[CopyJobFailures::not-alerted]',
    ]);
    expect(findings[0]!.description).toContain(
      `No enabled EventBridge rule in ${PRIMARY_REGION} (where the events happen)`,
    );
  });

  test("I1 the copy failure rule in another stack of the plan's region passes; with the stacks' regions unknown (single templates), the region is not judged", () => {
    expect(
      findingsOf(BackupCopiedToLockedVault, (t) => moveAlertRule(t, 'BackupCopyJobFailuresRule', 'audit')),
    ).toEqual([]);
    const templates = fixtureTemplates();
    moveAlertRule(templates, 'BackupCopyJobFailuresRule', 'phiReplica');
    const regionless = asAssembly(templates).map(({ region: _region, ...stack }) => stack);
    expect(BackupCopiedToLockedVault.check(regionless, { phiBucketNames: [PHI_BUCKET] }).findings).toEqual([]);
  });

  test("I1 PHI backup plans in two regions need the alert in each: a plan of the replica region's stack without one is a finding there, naming that region", () => {
    const templates = fixtureTemplates();
    const replicaPlan = JSON.parse(JSON.stringify(templates.data.Resources.Plan));
    for (const rule of replicaPlan.Properties.BackupPlan.BackupPlanRule)
      rule.TargetBackupVault = { 'Fn::GetAtt': ['CopyVault', 'BackupVaultName'] };
    templates.phiReplica.Resources.ReplicaPlan = replicaPlan;
    const alerted = BackupCopiedToLockedVault.check(asAssembly(templates), {
      phiBucketNames: [PHI_BUCKET],
    }).findings.filter((f) => f.ruleId.endsWith('[CopyJobFailures::not-alerted]'));
    expect(
      alerted.map((f) => [f.stack.stackName, f.description.includes(`in ${REPLICA_REGION} (where the events happen)`)]),
    ).toEqual([['app-prod-phiReplica', true]]);
    expect(alerted[0]!.description).not.toContain(PRIMARY_REGION);
  });

  test('I1 a copy failure rule without a state filter covers every failure', () => {
    expect(findingsOf(BackupCopiedToLockedVault, (t) => delete copyRule(t).Properties.EventPattern.detail)).toEqual([]);
  });
});
