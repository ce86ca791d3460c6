import { isPhiStoreIn } from '../core/phi-shapes';
import {
  asList,
  AssemblyStack,
  cfnNumber,
  eventRuleAlertsInTemplate,
  eventRuleEnabled,
  flatten,
  inRegionsText,
  isObject,
  resourcesOf,
  StackResource,
  stacksInRegion,
  regionsLacking,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { referencedIds } from './backup-facts';

const NAME = 'BackupCopiedToLockedVault';

/** Region, account and vault name of a backup vault ARN written literally (pseudo-parameters allowed but for the region). */
export function parseVaultArn(value: unknown): { region: string; account: string; name: string } | undefined {
  // Pseudo-parameters (`<AWS::Partition>`) hold colons: `{Partition}` while parsing.
  const arn = flatten(value)?.replace(/<AWS::(\w+)>/g, '{$1}');
  const match = arn === undefined ? null : /^arn:[^:]+:backup:([^:]+):([^:]+):backup-vault:([A-Za-z0-9_-]+)$/.exec(arn);
  return match === null ? undefined : { region: match[1]!, account: match[2]!, name: match[3]! };
}

/** The vaults of the assembly by physical name. */
export function vaultsByName(stacks: readonly AssemblyStack[]): Map<string, StackResource> {
  const out = new Map<string, StackResource>();
  for (const stack of stacks) {
    for (const [logicalId, resource] of resourcesOf(stack.template, 'AWS::Backup::BackupVault')) {
      const name = resource.Properties?.BackupVaultName;
      if (typeof name === 'string') out.set(name, { stack, logicalId, resource });
    }
  }
  return out;
}

/** Why one copy action does not land in a locked vault of another region of the assembly, or undefined. */
function copyProblem(copy: unknown, from: AssemblyStack, vaults: Map<string, StackResource>): string | undefined {
  if (!isObject(copy)) return 'unreadable';
  const arn = parseVaultArn(copy.DestinationBackupVaultArn);
  if (arn === undefined) return 'destination-not-a-literal-vault-arn';
  if (arn.region.startsWith('{')) return 'destination-region-not-literal';
  const vault = vaults.get(arn.name);
  if (vault === undefined) return 'destination-outside-assembly';
  if (vault.stack === from) return 'destination-same-stack';
  // A vault of that name in another region than its stack's is another vault, outside the assembly; a copy within the
  // plan's region is lost with that region.
  if (vault.stack.region !== undefined && arn.region !== vault.stack.region) return 'destination-outside-assembly';
  // Likewise another account's vault of that name (an account written out; the blueprint writes ${AWS::AccountId}).
  if (/^\d{12}$/.test(arn.account) && vault.stack.account !== undefined && arn.account !== vault.stack.account)
    return 'destination-outside-assembly';
  if (from.region !== undefined && arn.region === from.region) return 'destination-same-region';
  const lock = vault.resource.Properties?.LockConfiguration;
  const minDays = cfnNumber(isObject(lock) ? lock.MinRetentionDays : undefined);
  if (minDays === undefined) return 'destination-unlocked';
  const lifecycle = copy.Lifecycle;
  const keep = cfnNumber(isObject(lifecycle) ? lifecycle.DeleteAfterDays : undefined);
  if (keep !== undefined && keep < minDays) return 'copy-retention-below-lock';
  return undefined;
}

/** Whether a copy action's destination is, written out, the isolated copy vault ARN config names. */
function isolatedCopy(copy: unknown, isolated: string | undefined): boolean {
  return isolated !== undefined && isObject(copy) && flatten(copy.DestinationBackupVaultArn) === isolated;
}

/** The copy job states that mean a recovery point did not reach its destination. */
const COPY_FAILURE_STATES = ['FAILED', 'PARTIAL'];

/**
 * Whether an enabled EventBridge rule of a stack in `region` whose target is an alert path of its own stack
 * (eventRuleAlertsInTemplate) routes AWS Backup copy jobs that FAILED or were PARTIAL (a pattern without a state
 * filter, or whose state list holds both, covers them; copy jobs have no ABORTED state). A copy job runs, and emits its
 * events, in the region of the plan that made the recovery point: a rule of another region's stack never sees them.
 */
function copyFailuresRouted(stacks: readonly AssemblyStack[], region: string | undefined): boolean {
  return stacksInRegion(stacks, region).some((stack) =>
    resourcesOf(stack.template, 'AWS::Events::Rule').some(([, rule]) => {
      const p = rule.Properties ?? {};
      if (!eventRuleEnabled(p.State) || !eventRuleAlertsInTemplate(stack.template, p.Targets)) return false;
      if (!isObject(p.EventPattern)) return false;
      const pattern = p.EventPattern;
      const listed = (v: unknown, value: string) => asList(v).includes(value);
      if (!listed(pattern.source, 'aws.backup') || !listed(pattern['detail-type'], 'Copy Job State Change'))
        return false;
      // A field beyond these (account, region, resources) narrows the copy jobs the rule sees.
      if (Object.keys(pattern).some((k) => !['source', 'detail-type', 'detail'].includes(k))) return false;
      const detail = pattern.detail;
      if (detail === undefined) return true;
      if (!isObject(detail) || Object.keys(detail).some((k) => k !== 'state')) return false;
      return detail.state === undefined || COPY_FAILURE_STATES.every((state) => listed(detail.state, state));
    }),
  );
}

/**
 * I1: every rule of a backup plan that backs up into a PHI vault copies its recovery points to a locked vault in
 * another region: a copy action whose destination ARN names, with a literal region, a vault of another stack of the
 * assembly (the replica region's, a PHI store like every vault) that has a vault lock, and keeps no copy shorter than its lock. Every
 * other copy action of the rule lands in such a vault too, or in the isolated vault (logically air-gapped, or another
 * account's) the environment's shipped config names (backup.isolatedCopyVaultArn: in addition, never instead); a copy
 * to any other vault (a literal ARN of another account, a vault no template of the assembly locks) is a finding. A copy that fails must be seen: an enabled EventBridge rule of a stack in the plan's region, whose target
 * is a Lambda function of its own stack (the alert formatter) given the event as it is, routes AWS Backup `Copy Job
 * State Change` events in state FAILED and PARTIAL (the alert pipeline's BackupCopyJobFailures).
 */
export const BackupCopiedToLockedVault: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'A rule of the PHI backup plan has no copy action to a locked PHI vault of another region in the assembly (missing, same stack, same region, unlocked, outside the assembly only, or kept shorter than the destination lock), or also copies to a vault that is neither such a vault nor the isolated copy vault config names, or no rule in the region of the plan alerts on a failed copy job.',
  explanation:
    'Backups are kept apart from what they protect (164.308(a)(7)(ii)(A), 164.310(d)(2)(iv)): recovery points in one region and one vault are lost with that region or to whoever can reach that vault; a locked copy in a second region survives both.',
  safeguards: ['I1'],
  hipaaSections: ['164.308(a)(7)(ii)(A)', '164.310(d)(2)(iv)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const vaults = vaultsByName(stacks);
    // The one vault outside the assembly a copy may go to: the isolated vault config names (none without config).
    const isolated = context.isolatedCopyVaultArn;
    let evaluated = 0;
    // The stacks holding a plan that backs up PHI, whose copy jobs must alert when they fail.
    const planStacks = new Set<AssemblyStack>();
    for (const stack of stacks) {
      for (const [planId, plan] of resourcesOf(stack.template, 'AWS::Backup::BackupPlan')) {
        const body = plan.Properties?.BackupPlan;
        for (const rule of asList(isObject(body) ? body.BackupPlanRule : undefined).filter(isObject)) {
          const target = referencedIds(rule.TargetBackupVault)[0];
          if (target === undefined || !isPhiStoreIn(stack.template, target, context.phiBucketNames)) continue;
          evaluated++;
          planStacks.add(stack);
          const ruleName = typeof rule.RuleName === 'string' ? rule.RuleName : 'rule';
          const copies = asList(rule.CopyActions);
          const problems = copies.map((c) => copyProblem(c, stack, vaults));
          if (problems.some((p) => p === undefined)) {
            // Every other copy lands there too, or in the isolated vault config names: a recovery point copied
            // anywhere else (another account's vault, a vault no template of the assembly locks) is PHI outside.
            const extra = copies
              .map((c, i) => (problems[i] === undefined || isolatedCopy(c, isolated) ? undefined : problems[i]))
              .filter((p): p is string => p !== undefined);
            if (extra.length === 0) continue;
            const extraId = [...new Set(extra)].sort().join('+');
            findings.push(
              finding(
                NAME,
                `${ruleName}::extra-copy-${extraId}`,
                stack,
                planId,
                `Backup plan ${planId} (${stack.stackName}) rule ${ruleName} also copies PHI recovery points to a vault that is not a locked PHI vault of another region in the assembly, nor the isolated copy vault the environment's config names (backup.isolatedCopyVaultArn): ${extraId} (I1)`,
              ),
            );
            continue;
          }
          const id = copies.length === 0 ? 'no-copy' : [...new Set(problems)].sort().join('+');
          findings.push(
            finding(
              NAME,
              `${ruleName}::${id}`,
              stack,
              planId,
              `Backup plan ${planId} (${stack.stackName}) rule ${ruleName} backs up into the PHI vault ${target} without a copy to a locked PHI vault of another region: ${id} (I1)`,
            ),
          );
        }
      }
    }
    if (planStacks.size > 0) {
      evaluated++;
      // In each region of those plans: a rule of a stack in that region (an unknown region matches any).
      const lacking = regionsLacking(
        [...planStacks].map((st) => st.region),
        (region) => copyFailuresRouted(stacks, region),
      );
      if (lacking.length > 0) {
        findings.push(
          finding(
            NAME,
            'CopyJobFailures::not-alerted',
            // A stack of plans whose region lacks the rule.
            [...planStacks].find((st) => st.region === lacking[0]) ?? [...planStacks][0]!,
            undefined,
            `No enabled EventBridge rule${inRegionsText(lacking)} alerting through a Lambda function of its stack (the alert formatter) routes AWS Backup 'Copy Job State Change' events in state ${COPY_FAILURE_STATES.join(' and ')}: a recovery point that never reaches the replica region's vault goes unnoticed (I1)`,
          ),
        );
      }
    }
    return { findings, evaluated };
  },
};
