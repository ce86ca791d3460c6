import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { MIN_PITR_DAYS } from '../../../../constructs/core/backup-floors';
import { isObject, JsonResource } from '../core/template-json';
import { viewOf } from './template-view';

/** Findings of a backup vault: a vault lock whose minimum retention is at least MIN_PITR_DAYS. */
export function vaultLockFindings(resource: JsonResource): string[] {
  const lock = resource.Properties?.LockConfiguration;
  if (!isObject(lock)) return ['LockConfiguration::none'];
  const min = typeof lock.MinRetentionDays === 'string' ? Number(lock.MinRetentionDays) : lock.MinRetentionDays;
  if (typeof min !== 'number' || Number.isNaN(min)) return ['LockConfiguration.MinRetentionDays::unset'];
  return min < MIN_PITR_DAYS ? [`LockConfiguration.MinRetentionDays::${min}`] : [];
}

/**
 * I1: every AWS Backup vault (it holds PHI recovery points) has a vault lock, so that no one, root included, can
 * delete a recovery point sooner than the lock's minimum retention, which is at least the 35-day floor.
 */
export function BackupVaultLocked(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Backup::BackupVault') return NagRuleCompliance.NOT_APPLICABLE;
  const findings = vaultLockFindings(viewOf(node).resource);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
