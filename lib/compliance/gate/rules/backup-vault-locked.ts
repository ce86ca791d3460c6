import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { MIN_PITR_DAYS } from '../../../../constructs/core/backup-floors';
import { VAULT_LOCK_GRACE_DAYS } from '../../../../constructs/phi-backup';
import { entries } from '../core/policy-json';
import { cfnAbsent, cfnNumber, isIntrinsic, isObject, JsonResource } from '../core/template-json';
import { viewOf } from './template-view';

/**
 * Findings of a backup vault: a vault lock whose minimum retention is at least MIN_PITR_DAYS, in compliance mode
 * (ChangeableForDays set: immutable once its grace period ends) unless `governanceAllowed` (a non-production
 * environment, whose lock stays removable by backup:DeleteBackupVaultLockConfiguration). A ChangeableForDays that is
 * set is judged either way.
 */
export function vaultLockFindings(resource: JsonResource, governanceAllowed = false): string[] {
  const lock = resource.Properties?.LockConfiguration;
  if (!isObject(lock)) return ['LockConfiguration::none'];
  const findings: string[] = [];
  const min = typeof lock.MinRetentionDays === 'string' ? Number(lock.MinRetentionDays) : lock.MinRetentionDays;
  if (typeof min !== 'number' || Number.isNaN(min)) findings.push('LockConfiguration.MinRetentionDays::unset');
  else if (min < MIN_PITR_DAYS) findings.push(`LockConfiguration.MinRetentionDays::${min}`);
  const grace = cfnNumber(lock.ChangeableForDays);
  if (cfnAbsent(lock.ChangeableForDays)) {
    if (!governanceAllowed) findings.push('LockConfiguration.ChangeableForDays::governance-mode');
  } else if (grace === undefined || grace < VAULT_LOCK_GRACE_DAYS) {
    // Unresolved (a parameter, a condition), or below the AWS minimum (the deploy would fail or the lock stay open).
    findings.push(`LockConfiguration.ChangeableForDays::${grace ?? 'unresolved'}`);
  }
  return findings;
}

/**
 * Findings of a backup vault's resource policy (AccessPolicy): it may only deny. The blueprint ships none: the
 * deployment, AWS Backup's role and the restore validation act through their own identity policies. An Allow (or a
 * statement whose effect only deploy resolves, or a document the template does not hold) lets the principals it names
 * (another account's, everyone's) delete or shorten the recovery points once the lock's minimum retention has passed:
 * the monthly recovery points are kept six years, the lock's minimum is 35 days (found by the attacker review of
 * 2026-12-02: `backup:DeleteRecoveryPoint` allowed to `*` passed).
 */
export function vaultAccessFindings(resource: JsonResource): string[] {
  const policy = resource.Properties?.AccessPolicy;
  if (cfnAbsent(policy)) return [];
  let document: unknown = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy) as unknown;
    } catch {
      return ['AccessPolicy::unreadable'];
    }
  }
  if (!isObject(document) || isIntrinsic(document) || isIntrinsic(document.Statement))
    return ['AccessPolicy::unreadable'];
  return entries(document.Statement).some((st) => !isObject(st) || st.Effect !== 'Deny')
    ? ['AccessPolicy::allows']
    : [];
}

/**
 * I1 I2: every AWS Backup vault (it holds PHI recovery points) has a vault lock, so that no one, root included, can
 * delete a recovery point sooner than the lock's minimum retention, which is at least the 35-day floor; a grace
 * period, when set, is a whole number of days of at least the AWS minimum. Whether the lock must be in compliance
 * mode depends on the environment (config.production), which a per-resource rule does not know:
 * PhiBackupsMeetFloors requires it with config.
 */
export function BackupVaultLocked(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Backup::BackupVault') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const findings = [...vaultLockFindings(view.resource, true), ...vaultAccessFindings(view.resource)];
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
