import {
  MAX_VAULT_LOCK_GRACE_DAYS,
  MIN_MONTHLY_BACKUP_DAYS,
  MIN_PITR_DAYS,
} from '../../../../constructs/core/backup-floors';
import { VAULT_LOCK_GRACE_DAYS } from '../../../../constructs/phi-backup';
import {
  PhiBackupsMeetFloors,
  scheduleGapHours,
} from '../../../../lib/compliance/gate/assembly/phi-backups-meet-floors';
import { asAssembly, findingsOf, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

const rules = (t: Record<string, Mutable>) => t.data.Resources.Plan.Properties.BackupPlan.BackupPlanRule;
const selection = (t: Record<string, Mutable>) => t.data.Resources.Selection.Properties.BackupSelection;

describe('PhiBackupsMeetFloors', () => {
  test('I1 the shipped shape passes: a daily continuous rule kept 35 days, a monthly rule kept a year, a tag list', () => {
    expect(findingsOf(PhiBackupsMeetFloors)).toEqual([]);
    expect(
      findingsOf(PhiBackupsMeetFloors, (t) => {
        selection(t).ListOfTags = [{ ConditionKey: 'Backup', ConditionType: 'STRINGEQUALS', ConditionValue: 'phi' }];
        selection(t).NotResources = [];
        selection(t).Conditions = { StringEquals: [] };
        rules(t)[1].Lifecycle = { DeleteAfterDays: '2192' };
        rules(t)[1].CopyActions[0].Lifecycle = { DeleteAfterDays: 2192 };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the selection excluding the PHI stores it names (NotResources)',
      (t) => (selection(t).NotResources = JSON.parse(JSON.stringify(selection(t).Resources))),
      ['[Selection::not-resources] Selection'],
    ],
    [
      'NotResources a parameter gives',
      (t) => (selection(t).NotResources = { Ref: 'Excluded' }),
      ['[Selection::not-resources] Selection'],
    ],
    [
      'conditions excluding stores by tag (StringNotEquals)',
      (t) =>
        (selection(t).Conditions = {
          StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'phi' }],
        }),
      ['[Selection::conditions] Selection'],
    ],
    [
      'conditions narrowing the selection to a tag the stores lack (StringEquals)',
      (t) =>
        (selection(t).Conditions = { StringLike: [{ ConditionKey: 'aws:ResourceTag/None', ConditionValue: 'x*' }] }),
      ['[Selection::conditions] Selection'],
    ],
    [
      'the selection under a plan outside its stack',
      (t) => (t.data.Resources.Selection.Properties.BackupPlanId = 'plan-0123'),
      ['[Selection::plan-unresolved] Selection'],
    ],
    [
      'the daily rule without continuous backup and yearly',
      (t) => {
        rules(t)[0].EnableContinuousBackup = false;
        rules(t)[0].ScheduleExpression = 'cron(0 5 1 1 ? *)';
      },
      ['[Plan::no-daily-continuous-rule] Plan'],
    ],
    [
      'the daily rule without continuous backup',
      (t) => delete rules(t)[0].EnableContinuousBackup,
      ['[Plan::no-daily-continuous-rule] Plan'],
    ],
    [
      'the daily rule weekly',
      (t) => (rules(t)[0].ScheduleExpression = 'cron(0 5 ? * MON *)'),
      ['[Plan::no-daily-continuous-rule] Plan'],
    ],
    [
      'the daily rule every two days',
      (t) => (rules(t)[0].ScheduleExpression = 'rate(2 days)'),
      ['[Plan::no-daily-continuous-rule] Plan'],
    ],
    [
      'the daily rule kept 7 days (also below the vault lock minimum: every job fails)',
      (t) => (rules(t)[0].Lifecycle.DeleteAfterDays = 7),
      ['[Plan::no-daily-continuous-rule] Plan', '[Plan::retention-below-vault-lock] Plan'],
    ],
    [
      'the daily copy kept 7 days',
      (t) => (rules(t)[0].CopyActions[0].Lifecycle.DeleteAfterDays = 7),
      ['[Plan::no-daily-continuous-rule] Plan'],
    ],
    [
      'the daily retention a parameter gives',
      (t) => (rules(t)[0].Lifecycle.DeleteAfterDays = { Ref: 'Days' }),
      ['[Plan::no-daily-continuous-rule] Plan'],
    ],
    [
      'the monthly rule and its copy kept 40 days',
      (t) => {
        rules(t)[1].Lifecycle.DeleteAfterDays = 40;
        rules(t)[1].CopyActions[0].Lifecycle.DeleteAfterDays = 40;
      },
      ['[Plan::no-long-term-rule] Plan'],
    ],
    [
      'only the monthly copy kept 40 days',
      (t) => (rules(t)[1].CopyActions[0].Lifecycle.DeleteAfterDays = 40),
      ['[Plan::no-long-term-rule] Plan'],
    ],
    [
      'the monthly rule yearly',
      (t) => (rules(t)[1].ScheduleExpression = 'cron(0 6 1 1 ? *)'),
      ['[Plan::no-long-term-rule] Plan'],
    ],
    [
      'the monthly rule on the 31st (months without one are skipped)',
      (t) => (rules(t)[1].ScheduleExpression = 'cron(0 6 31 * ? *)'),
      ['[Plan::no-long-term-rule] Plan'],
    ],
    [
      'the plan rules a condition chooses',
      (t) => (t.data.Resources.Plan.Properties.BackupPlan.BackupPlanRule = { 'Fn::If': ['C', [], []] }),
      ['[Plan::no-daily-continuous-rule] Plan', '[Plan::no-long-term-rule] Plan'],
    ],
  ])('I1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(PhiBackupsMeetFloors, mutate)).toEqual(expected.sort());
  });

  test('I1 the floors are the shipped constants', () => {
    expect([MIN_PITR_DAYS, MIN_MONTHLY_BACKUP_DAYS]).toEqual([35, 365]);
  });

  test.each<[unknown, number | undefined]>([
    ['cron(0 5 * * ? *)', 24],
    ['cron(0 */6 ? * * *)', 24],
    ['rate(12 hours)', 12],
    ['rate(90 minutes)', 1.5],
    ['rate(1 day)', 24],
    ['cron(0 6 1 * ? *)', 744],
    ['cron(0 6 L * ? *)', 744],
    ['cron(0 6 ? * MON *)', 744],
    ['cron(0 5 1 1 ? *)', undefined],
    ['cron(0 5 * * ? 2030)', undefined],
    ['cron(0 6 30 * ? *)', undefined],
    [{ Ref: 'Schedule' }, undefined],
    [undefined, undefined],
  ])('the longest gap of %j is %j hours', (expression, hours) => {
    expect(scheduleGapHours(expression)).toBe(hours);
  });

  describe('recovery points within the retention window of the vault locks they go to (a job outside it fails)', () => {
    const lock = (t: Record<string, Mutable>) => t.data.Resources.Vault.Properties.LockConfiguration;
    const copyLock = (t: Record<string, Mutable>) => t.phiReplica.Resources.CopyVault.Properties.LockConfiguration;

    test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
      [
        "the vault lock's minimum raised above the daily rule's 35 days (every daily job fails)",
        (t) => (lock(t).MinRetentionDays = 36500),
        ['[Plan::retention-below-vault-lock] Plan'],
      ],
      [
        "the vault lock's maximum set below the monthly rule's year (every monthly job fails)",
        (t) => (lock(t).MaxRetentionDays = '100'),
        ['[Plan::retention-above-vault-lock] Plan'],
      ],
      [
        'a maximum on the vault and a rule that keeps its recovery points forever (no DeleteAfterDays)',
        (t) => {
          lock(t).MaxRetentionDays = 400;
          delete rules(t)[1].Lifecycle;
        },
        ['[Plan::retention-above-vault-lock] Plan'],
      ],
      [
        "the copy vault's maximum below the monthly copies' year (every monthly copy fails)",
        (t) => (copyLock(t).MaxRetentionDays = 40),
        ['[Plan::copy-retention-above-vault-lock] Plan'],
      ],
    ])('I1 %s is a finding', (_, mutate, expected) => {
      expect(findingsOf(PhiBackupsMeetFloors, mutate)).toEqual(expected);
    });

    test('I1 a window that holds every rule and copy passes (maximum at the longest retention, minimum at the shortest)', () => {
      expect(
        findingsOf(PhiBackupsMeetFloors, (t) => {
          lock(t).MinRetentionDays = 35;
          lock(t).MaxRetentionDays = 365;
          copyLock(t).MaxRetentionDays = 365;
        }),
      ).toEqual([]);
    });
  });

  describe('vault locks in compliance mode in production (attacker review: ChangeableForDays removed left the lock removable)', () => {
    const governance = (t: Record<string, Mutable>) =>
      delete t.data.Resources.Vault.Properties.LockConfiguration.ChangeableForDays;
    const check = (context: object, declared = 'prod') => {
      const t = fixtureTemplates();
      governance(t);
      for (const template of Object.values(t)) {
        if (template.Metadata?.HipaaBlueprint) template.Metadata.HipaaBlueprint.envName = declared;
      }
      return PhiBackupsMeetFloors.check(asAssembly(t), { phiBucketNames: [PHI_BUCKET], ...context }).findings.map(
        (f) => f.ruleId,
      );
    };
    const GOVERNANCE = ['Blueprint-PhiBackupsMeetFloors[Vault::vault-lock-governance-mode]'];

    test('I1 I2 governance mode is a finding with config saying production (whatever the templates declare), or without config', () => {
      expect(findingsOf(PhiBackupsMeetFloors, governance)).toEqual(['[Vault::vault-lock-governance-mode] Vault']);
      expect(check({ production: true })).toEqual(GOVERNANCE);
      expect(check({ production: true }, 'dev')).toEqual(GOVERNANCE);
      expect(check({}, 'dev')).toEqual(GOVERNANCE);
    });

    test('I1 I2 a grace period longer than the maximum is a finding in production: the lock stays removable until it ends', () => {
      const grace = (days: unknown) => (t: Record<string, Mutable>) =>
        (t.data.Resources.Vault.Properties.LockConfiguration.ChangeableForDays = days);
      expect(findingsOf(PhiBackupsMeetFloors, grace(MAX_VAULT_LOCK_GRACE_DAYS + 1))).toEqual([
        '[Vault::vault-lock-grace-too-long] Vault',
      ]);
      expect(findingsOf(PhiBackupsMeetFloors, grace('3650'))).toEqual(['[Vault::vault-lock-grace-too-long] Vault']);
      expect(findingsOf(PhiBackupsMeetFloors, grace(MAX_VAULT_LOCK_GRACE_DAYS))).toEqual([]);
      // The blueprint's own grace period is within it.
      expect(VAULT_LOCK_GRACE_DAYS).toBeLessThanOrEqual(MAX_VAULT_LOCK_GRACE_DAYS);
      const t = fixtureTemplates();
      grace(3650)(t);
      const context = { phiBucketNames: [PHI_BUCKET], production: false };
      expect(PhiBackupsMeetFloors.check(asAssembly(t), context).findings).toEqual([]);
    });

    test('I1 governance mode passes where config says not production (a file environment too)', () => {
      expect(check({ production: false })).toEqual([]);
      expect(check({ production: false }, 'staging')).toEqual([]);
    });
  });
});
