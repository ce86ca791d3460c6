import {
  MAX_VAULT_LOCK_GRACE_DAYS,
  MIN_MONTHLY_BACKUP_DAYS,
  MIN_PITR_DAYS,
} from '../../../../constructs/core/backup-floors';
import { isPhiStoreIn } from '../core/phi-shapes';
import {
  asList,
  AssemblyStack,
  cfnAbsent,
  cfnBoolean,
  cfnNumber,
  isObject,
  Json,
  localTarget,
  resourcesOf,
  StackResource,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { referencedIds, RESTORE_TEST_TYPES } from './backup-facts';
import { parseVaultArn, vaultsByName } from './backup-copied-to-locked-vault';

const NAME = 'PhiBackupsMeetFloors';

/** Longest gap between two runs of a schedule that counts as daily, and as monthly (hours). */
const DAILY_HOURS = 24;
const MONTHLY_HOURS = 31 * 24;

/** Whether a list-valued property is absent or an empty list (anything else may hold entries). */
const emptyOrAbsent = (value: unknown): boolean => cfnAbsent(value) || (Array.isArray(value) && value.length === 0);

/**
 * The longest gap in hours between two runs of an AWS Backup schedule expression, at most as precise as the floors
 * need: `rate(N unit)`; `cron(min hour day-of-month month day-of-week year)` every day (24), or every month (a
 * day-of-month of 1-28 or L, or any day-of-week: 31 days); undefined for anything else (unresolved, a yearly or
 * sparser schedule, a day-of-month some months lack).
 */
export function scheduleGapHours(expression: unknown): number | undefined {
  if (typeof expression !== 'string') return undefined;
  const rate = /^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$/.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!.replace(/s$/, '');
    return unit === 'minute' ? n / 60 : unit === 'hour' ? n : n * 24;
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  const fields = cron ? cron[1]!.trim().split(/\s+/) : [];
  if (fields.length !== 6) return undefined;
  const [, , dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if (month !== '*' || year !== '*') return undefined;
  const any = (f: string) => f === '*' || f === '?';
  if (any(dom) && any(dow)) return DAILY_HOURS;
  const daysOfMonthEveryMonth =
    dom === 'L' || dom.split(/[,/-]/).every((d) => /^\d+$/.test(d) && Number(d) >= 1 && Number(d) <= 28);
  if (any(dow) ? daysOfMonthEveryMonth : dom === '?') return MONTHLY_HOURS;
  return undefined;
}

/** Days a recovery point (or its copy) is kept: Infinity without a lifecycle deletion, undefined when unresolved. */
function keptDays(lifecycle: unknown): number | undefined {
  if (cfnAbsent(lifecycle)) return Infinity;
  if (!isObject(lifecycle)) return undefined;
  if (cfnAbsent(lifecycle.DeleteAfterDays)) return Infinity;
  return cfnNumber(lifecycle.DeleteAfterDays);
}

/** One floor a rule of the PHI plan must meet: how often it runs, whether continuously, how long it keeps. */
interface Floor {
  readonly id: string;
  readonly what: string;
  readonly gapHours: number;
  readonly continuous: boolean;
  readonly days: number;
}

/** The floors the blueprint ships (constructs/phi-backup.ts): daily continuous kept 35 days, monthly kept a year. */
const FLOORS: readonly Floor[] = [
  {
    id: 'no-daily-continuous-rule',
    what: `a daily (at most every ${DAILY_HOURS} h) continuous backup kept, with every copy, at least ${MIN_PITR_DAYS} days`,
    gapHours: DAILY_HOURS,
    continuous: true,
    days: MIN_PITR_DAYS,
  },
  {
    id: 'no-long-term-rule',
    what: `a monthly (or more frequent) backup kept, with every copy, at least ${MIN_MONTHLY_BACKUP_DAYS} days`,
    gapHours: MONTHLY_HOURS,
    continuous: false,
    days: MIN_MONTHLY_BACKUP_DAYS,
  },
];

/** Why a backup plan rule does not meet `floor` (empty when it does). */
function shortOf(rule: Json, floor: Floor): string[] {
  const out: string[] = [];
  const gap = scheduleGapHours(rule.ScheduleExpression);
  if (gap === undefined || gap > floor.gapHours)
    out.push(`ScheduleExpression ${JSON.stringify(rule.ScheduleExpression)}`);
  if (floor.continuous && cfnBoolean(rule.EnableContinuousBackup) !== true) {
    out.push(`EnableContinuousBackup ${JSON.stringify(rule.EnableContinuousBackup)}`);
  }
  const kept = keptDays(rule.Lifecycle);
  if (kept === undefined || kept < floor.days) out.push(`Lifecycle ${JSON.stringify(rule.Lifecycle)}`);
  asList(rule.CopyActions).forEach((copy, i) => {
    const days = isObject(copy) ? keptDays(copy.Lifecycle) : undefined;
    if (days === undefined || days < floor.days) {
      out.push(`CopyActions[${i}].Lifecycle ${JSON.stringify(isObject(copy) ? copy.Lifecycle : copy)}`);
    }
  });
  return out;
}

/**
 * Why the recovery points of a plan rule, or of its copies, fall outside the retention window of the vault they go to
 * (a vault lock's MinRetentionDays and MaxRetentionDays): AWS Backup fails a backup or copy job whose retention is
 * shorter than the lock's minimum or longer than its maximum (no lifecycle deletion: kept forever), so no recovery
 * point is made. The rule's target is its stack's vault (Ref or Fn::GetAtt); a copy's destination is the assembly's
 * vault of that name (BackupCopiedToLockedVault judges the rest of a copy, its minimum among them).
 */
function outsideVaultLock(
  rule: Json,
  stack: AssemblyStack,
  vaults: ReadonlyMap<string, StackResource>,
): [string, string][] {
  const out: [string, string][] = [];
  const window = (vault: StackResource | undefined): { min?: number; max?: number } => {
    const lock = vault?.resource.Properties?.LockConfiguration;
    if (!isObject(lock)) return {};
    return { min: cfnNumber(lock.MinRetentionDays), max: cfnNumber(lock.MaxRetentionDays) };
  };
  const days = (d: number): string => (d === Infinity ? 'forever (no DeleteAfterDays)' : `${d} days`);
  const targetId = localTarget(rule.TargetBackupVault);
  const target = targetId === undefined ? undefined : stack.template.Resources[targetId];
  const kept = keptDays(rule.Lifecycle);
  if (target?.Type === 'AWS::Backup::BackupVault' && kept !== undefined) {
    const { min, max } = window({ stack, logicalId: targetId!, resource: target });
    if (min !== undefined && kept < min)
      out.push([
        'retention-below-vault-lock',
        `keeps its recovery points ${days(kept)}, below ${targetId}'s lock minimum of ${min} days`,
      ]);
    if (max !== undefined && kept > max)
      out.push([
        'retention-above-vault-lock',
        `keeps its recovery points ${days(kept)}, above ${targetId}'s lock maximum of ${max} days`,
      ]);
  }
  asList(rule.CopyActions).forEach((copy, i) => {
    const arn = isObject(copy) ? parseVaultArn(copy.DestinationBackupVaultArn) : undefined;
    const vault = arn === undefined ? undefined : vaults.get(arn.name);
    const copyKept = isObject(copy) ? keptDays(copy.Lifecycle) : undefined;
    const { max } = window(vault);
    if (vault !== undefined && copyKept !== undefined && max !== undefined && copyKept > max) {
      out.push([
        'copy-retention-above-vault-lock',
        `keeps CopyActions[${i}]'s copies ${days(copyKept)}, above ${vault.logicalId}'s (${vault.stack.stackName}) lock maximum of ${max} days`,
      ]);
    }
  });
  return out;
}

/** Why a backup selection may leave out a PHI store it names ([finding id suffix, text]). */
function exclusions(body: Json): [string, string][] {
  const out: [string, string][] = [];
  if (!emptyOrAbsent(body.NotResources)) {
    out.push(['not-resources', `NotResources ${JSON.stringify(body.NotResources)} may exclude them`]);
  }
  const conditions = body.Conditions;
  if (!cfnAbsent(conditions)) {
    // Every condition (StringEquals, StringLike, StringNotEquals, StringNotLike) narrows the selection: a resource
    // must match all of them.
    const narrowing = isObject(conditions) ? Object.keys(conditions).filter((k) => !emptyOrAbsent(conditions[k])) : [];
    if (!isObject(conditions) || narrowing.length > 0) {
      out.push([
        'conditions',
        `Conditions ${JSON.stringify(conditions)} narrow the selection: a store must match every condition`,
      ]);
    }
  }
  return out;
}

/**
 * I1: every AWS Backup selection naming a PHI store (the database, a PHI bucket) by ARN backs it up without exception,
 * under a plan that meets the floors the blueprint ships (constructs/core/backup-floors.ts). The selection has no
 * NotResources and no Conditions (any condition narrows what it selects); its BackupPlanId references a plan of its
 * stack; that plan has a rule running at least every 24 hours with continuous backup (point-in-time recovery) whose
 * recovery points and copies are kept at least MIN_PITR_DAYS, and a rule running at least monthly whose recovery
 * points and copies are kept at least MIN_MONTHLY_BACKUP_DAYS. A value the template does not resolve (a parameter, a
 * condition) meets no floor. Each rule's recovery points, and its copies, fall within the lock window of the vault
 * they go to (outsideVaultLock). I1 I2: in production, every vault's lock is in compliance mode with a grace period of
 * at most MAX_VAULT_LOCK_GRACE_DAYS.
 */
export const PhiBackupsMeetFloors: AssemblyRule = {
  name: NAME,
  info: `An AWS Backup selection naming a PHI store may exclude it (NotResources, Conditions), or its plan is not a plan of its stack, or the plan lacks a daily continuous rule kept (with its copies) at least 35 days or a monthly rule kept (with its copies) at least a year, or a rule or copy keeps its recovery points outside the retention window of its vault lock (every such job fails); or a production vault lock is in governance mode or stays removable for more than ${MAX_VAULT_LOCK_GRACE_DAYS} days.`,
  explanation:
    'PHI must be recoverable (164.308(a)(7)(ii)(A), 164.308(a)(7)(ii)(B)): a selection that excludes a store backs up nothing of it, and a plan that runs yearly, without point-in-time recovery, or keeps recovery points for weeks does not restore what was lost.',
  safeguards: ['I1'],
  hipaaSections: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    const judgedPlans = new Set<string>();
    const vaults = vaultsByName(stacks);
    for (const stack of stacks) {
      for (const [selectionId, selection] of resourcesOf(stack.template, 'AWS::Backup::BackupSelection')) {
        const body = selection.Properties?.BackupSelection;
        const stores = [...new Set(referencedIds(isObject(body) ? asList(body.Resources) : []))].filter((id) => {
          const type = stack.template.Resources[id]?.Type;
          return (
            type !== undefined &&
            RESTORE_TEST_TYPES[type] !== undefined &&
            isPhiStoreIn(stack.template, id, context.phiBucketNames)
          );
        });
        if (stores.length === 0 || !isObject(body)) continue;
        evaluated++;
        const named = stores.join(', ');
        for (const [id, text] of exclusions(body)) {
          findings.push(
            finding(
              NAME,
              `${selectionId}::${id}`,
              stack,
              selectionId,
              `Backup selection ${selectionId} (${stack.stackName}) names the PHI stores ${named} but ${text}: a store left out is never backed up (I1)`,
            ),
          );
        }
        const planId = localTarget(selection.Properties?.BackupPlanId);
        const plan = planId === undefined ? undefined : stack.template.Resources[planId];
        if (planId === undefined || plan?.Type !== 'AWS::Backup::BackupPlan') {
          findings.push(
            finding(
              NAME,
              `${selectionId}::plan-unresolved`,
              stack,
              selectionId,
              `Backup selection ${selectionId} (${stack.stackName}) names the PHI stores ${named} but its BackupPlanId ${JSON.stringify(selection.Properties?.BackupPlanId)} is not a backup plan of its stack: its schedule and retention cannot be judged (I1)`,
            ),
          );
          continue;
        }
        const key = `${stack.stackName}/${planId}`;
        if (judgedPlans.has(key)) continue;
        judgedPlans.add(key);
        const planBody = plan.Properties?.BackupPlan;
        const rules = isObject(planBody) && Array.isArray(planBody.BackupPlanRule) ? planBody.BackupPlanRule : [];
        // One finding per kind, naming every rule of the plan that has it.
        const outside = new Map<string, string[]>();
        rules.forEach((r, i) => {
          if (!isObject(r)) return;
          const name = typeof r.RuleName === 'string' ? r.RuleName : `rule ${i}`;
          for (const [id, text] of outsideVaultLock(r, stack, vaults)) {
            outside.set(id, [...(outside.get(id) ?? []), `its rule ${name} ${text}`]);
          }
        });
        for (const [id, texts] of outside) {
          findings.push(
            finding(
              NAME,
              `${planId}::${id}`,
              stack,
              planId,
              `Backup plan ${planId} (${stack.stackName}) backs up the PHI stores ${named}, but ${texts.join('; ')}: AWS Backup fails every such job, and no recovery point is made (I1)`,
            ),
          );
        }
        for (const floor of FLOORS) {
          const why = rules.map((r, i) =>
            isObject(r) ? shortOf(r, floor) : [`BackupPlanRule[${i}] ${JSON.stringify(r)} unresolved`],
          );
          if (why.some((w) => w.length === 0)) continue;
          const detail =
            rules.length === 0
              ? 'it has no readable rule'
              : why
                  .map((w, i) => {
                    const r = rules[i];
                    const name = isObject(r) && typeof r.RuleName === 'string' ? r.RuleName : `rule ${i}`;
                    return `${name}: ${w.join(', ')}`;
                  })
                  .join('; ');
          findings.push(
            finding(
              NAME,
              `${planId}::${floor.id}`,
              stack,
              planId,
              `Backup plan ${planId} (${stack.stackName}) backs up the PHI stores ${named} without ${floor.what} (${detail}) (I1)`,
            ),
          );
        }
      }
    }
    // Every vault locked in compliance mode (immutable after its grace period) unless config says the environment is
    // not production (synth and check-template pass it; check-template reads the environment the templates declare).
    const production = context.production !== false;
    for (const stack of stacks) {
      for (const [vaultId, vault] of resourcesOf(stack.template, 'AWS::Backup::BackupVault')) {
        evaluated++;
        const lock = vault.Properties?.LockConfiguration;
        if (!production) continue;
        const grace = isObject(lock) ? cfnNumber(lock.ChangeableForDays) : undefined;
        if (grace !== undefined && grace > MAX_VAULT_LOCK_GRACE_DAYS) {
          findings.push(
            finding(
              NAME,
              `${vaultId}::vault-lock-grace-too-long`,
              stack,
              vaultId,
              `Backup vault ${vaultId} (${stack.stackName}) of a production environment has a vault lock that stays removable for ${grace} days (ChangeableForDays; at most ${MAX_VAULT_LOCK_GRACE_DAYS}): until then anyone allowed backup:DeleteBackupVaultLockConfiguration removes it and then the recovery points, as in governance mode (I1 I2)`,
            ),
          );
        }
        if (isObject(lock) && !cfnAbsent(lock.ChangeableForDays)) continue;
        findings.push(
          finding(
            NAME,
            `${vaultId}::vault-lock-governance-mode`,
            stack,
            vaultId,
            `Backup vault ${vaultId} (${stack.stackName}) of a production environment has a vault lock without ChangeableForDays (governance mode): anyone allowed backup:DeleteBackupVaultLockConfiguration removes the lock and then the recovery points (I1 I2)`,
          ),
        );
      }
    }
    return { findings, evaluated };
  },
};
