import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { MIN_PITR_DAYS } from '../../../../constructs/core/backup-floors';
import { VAULT_LOCK_GRACE_DAYS } from '../../../../constructs/phi-backup';
import { cfnAbsent, cfnNumber, isObject, JsonResource } from '../core/template-json';
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
 * I1 I2: every AWS Backup vault (it holds PHI recovery points) has a vault lock, so that no one, root included, can
 * delete a recovery point sooner than the lock's minimum retention, which is at least the 35-day floor; a grace
 * period, when set, is a whole number of days of at least the AWS minimum. Whether the lock must be in compliance
 * mode depends on the environment (config.production), which a per-resource rule does not know:
 * PhiBackupsMeetFloors requires it with config.
 */
export function BackupVaultLocked(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Backup::BackupVault') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const findings = vaultLockFindings(view.resource, true);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
