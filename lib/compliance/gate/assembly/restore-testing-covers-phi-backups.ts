import { asList, AssemblyStack, isObject, resourcesOf } from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { backedUpPhiStores, referencedIds, RESTORE_TEST_TYPES } from './backup-facts';

const NAME = 'RestoreTestingCoversPhiBackups';

/** Names of the restore testing plans of a template that would run: a schedule and at least one vault to pick from. */
function runnablePlans(stack: AssemblyStack): Map<string, string> {
  const plans = new Map<string, string>();
  for (const [id, plan] of resourcesOf(stack.template, 'AWS::Backup::RestoreTestingPlan')) {
    const p = plan.Properties ?? {};
    const selection = p.RecoveryPointSelection;
    const vaults = isObject(selection) ? asList(selection.IncludeVaults) : [];
    if (typeof p.ScheduleExpression !== 'string' || vaults.length === 0) continue;
    if (typeof p.RestoreTestingPlanName === 'string') plans.set(p.RestoreTestingPlanName, id);
    plans.set(id, id);
  }
  return plans;
}

/**
 * I1: every PHI store the backups name (the database, the PHI bucket) is restored on a schedule: an AWS Backup restore
 * testing selection of the same stack names it by ARN, with the restore testing type of the store (RDS, Aurora, S3),
 * in a restore testing plan that has a schedule and a vault to pick recovery points from. Without it nothing shows
 * that a recovery point restores (the proposed 164.308(a)(7) rule: restore within 72 hours, tested).
 */
export const RestoreTestingCoversPhiBackups: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'A PHI store the AWS Backup selections back up has no restore test: no restore testing selection names it with its type in a scheduled restore testing plan.',
  explanation:
    'Contingency plans are tested (164.308(a)(7)(ii)(D)): a backup that was never restored is a hope, not a control; AWS Backup restore testing restores the latest recovery point on a schedule and records the result.',
  safeguards: ['I1'],
  hipaaSections: ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(D)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const stores = backedUpPhiStores(stacks, context.phiBucketNames ?? []);
    for (const store of stores) {
      const type = RESTORE_TEST_TYPES[store.resource.Type]!;
      const plans = runnablePlans(store.stack);
      const selections = resourcesOf(store.stack.template, 'AWS::Backup::RestoreTestingSelection').filter(([, s]) =>
        referencedIds(s.Properties?.ProtectedResourceArns).includes(store.logicalId),
      );
      const tested = selections.some(([, s]) => {
        const p = s.Properties ?? {};
        const planName = p.RestoreTestingPlanName;
        const plan =
          typeof planName === 'string' ? plans.get(planName) : referencedIds(planName).find((id) => plans.has(id));
        return p.ProtectedResourceType === type && plan !== undefined;
      });
      if (tested) continue;
      const why =
        selections.length === 0
          ? 'no restore testing selection names it'
          : `no restore testing selection of type ${type} in a scheduled restore testing plan with a vault names it`;
      findings.push(
        finding(
          NAME,
          `${store.logicalId}::no-restore-test`,
          store.stack,
          store.logicalId,
          `${store.resource.Type} ${store.logicalId} (${store.stack.stackName}) is backed up by ${store.selectionId} but never restored: ${why} (I1)`,
        ),
      );
    }
    return { findings, evaluated: stores.length };
  },
};
