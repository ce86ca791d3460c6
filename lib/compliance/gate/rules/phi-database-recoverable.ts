import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { MIN_PITR_DAYS } from '../../../../constructs/core/backup-floors';
import { isPhiStoreIn } from '../core/phi-shapes';
import { clusterMembership } from '../core/rds-cluster-member';
import { cfnAlternatives, cfnBoolean, cfnNumber } from '../core/template-json';
import { viewOf } from './template-view';

const INSTANCE = 'AWS::RDS::DBInstance';
const CLUSTER = 'AWS::RDS::DBCluster';

/**
 * The finding of a property every value of which (each branch of a condition) must pass `ok`: the first failing value
 * as `<name>::<value>` (`absent`, the literal, or `unresolved` for a value only deploy resolves); none when all pass.
 */
function propertyFinding(
  name: string,
  value: unknown,
  reader: (v: unknown) => unknown,
  ok: (v: unknown) => boolean,
): string[] {
  for (const alternative of cfnAlternatives(value)) {
    if (alternative === undefined) return [`${name}::absent`];
    const read = reader(alternative);
    if (read === undefined) return [`${name}::unresolved`];
    if (!ok(read)) return [`${name}::${String(read)}`];
  }
  return [];
}

/**
 * I1 I2: the PHI database (a DB instance or cluster: every one is a PHI store, isPhiStore) can be restored to any
 * point of the last MIN_PITR_DAYS days, also after it is deleted. BackupRetentionPeriod, the window of automated
 * backups and point-in-time recovery, is at least MIN_PITR_DAYS (constructs/core/backup-floors, the floor config
 * validation and PhiDatabase enforce: the smallest value the config schema allows, in every environment); absent it is
 * CloudFormation's default of 1 day. A DB instance's (and cluster's) DeleteAutomatedBackups is false: absent, RDS deletes the automated
 * backups (the PITR window) with the instance, which the Snapshot DeletionPolicy does not keep (StatefulResourcesRetained
 * judges that); so is a cluster's. A value only deploy resolves, and any branch of a condition that fails, is a
 * finding. An Aurora cluster's member instance keeps no backups of its own (its cluster does, and is judged).
 */
export function PhiDatabaseRecoverable(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (type !== INSTANCE && type !== CLUSTER) return NagRuleCompliance.NOT_APPLICABLE;
  const { logicalId, resource, stack } = viewOf(node);
  if (!isPhiStoreIn(stack.template, logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  if (type === INSTANCE && clusterMembership(stack.template, resource).kind === 'cluster') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const p = resource.Properties ?? {};
  const findings = [
    ...propertyFinding(
      'BackupRetentionPeriod',
      p.BackupRetentionPeriod,
      cfnNumber,
      (v) => (v as number) >= MIN_PITR_DAYS,
    ),
    ...propertyFinding('DeleteAutomatedBackups', p.DeleteAutomatedBackups, cfnBoolean, (v) => v === false),
  ];
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
