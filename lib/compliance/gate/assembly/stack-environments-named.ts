import { AssemblyStack } from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'StackEnvironmentsNamed';

/**
 * V2 D3 (for I1 and D2): every stack names the account and the region it deploys to, and all of them the
 * environment's account (config.account; where it is not known, the account most stacks name). The rules that
 * require an alert rule in the region where its events happen (ThreatProtectionPresent, BackupCopiedToLockedVault)
 * compare the stacks' regions: an environment-agnostic stack deploys wherever the deploying credentials point, and a
 * stack of another account has another event bus, so neither can be judged to see the environment's events. The
 * blueprint's stacks always name both (config.account, config.region and the replica region); check-template refuses
 * a manifest stack that names neither (and reports one of another account), synth a stack a fork adds without `env`.
 * One synth is one environment: the assembly rules judge the app's stacks as one set.
 */
export const StackEnvironmentsNamed: AssemblyRule = {
  name: NAME,
  info: "A stack does not name the account or the region it deploys to (an environment-agnostic stack), or names another account than the environment's.",
  explanation:
    "Audit and alerting (164.312(b), 164.308(a)(1)(ii)(D)): an alert rule sees only its own account's and region's events; the gate can judge that only for stacks whose account and region are known, and one environment is one account.",
  safeguards: ['V2', 'D3', 'I1', 'D2'],
  hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    // The environment's account; without it, the account most stacks name (the first such in stack order on a tie).
    const counts = new Map<string, number>();
    for (const s of stacks) if (s.account !== undefined) counts.set(s.account, (counts.get(s.account) ?? 0) + 1);
    const account =
      context.account ??
      [...counts].reduce<[string, number] | undefined>(
        (a, b) => (a === undefined || b[1] > a[1] ? b : a),
        undefined,
      )?.[0];
    for (const stack of stacks) {
      const unnamed = [stack.account === undefined ? 'account' : '', stack.region === undefined ? 'region' : ''].filter(
        (x) => x !== '',
      );
      if (unnamed.length > 0) {
        findings.push(
          finding(
            NAME,
            `${unnamed.join('+')}::not-named`,
            stack,
            undefined,
            `Stack ${stack.stackName} names no ${unnamed.join(' and no ')} to deploy to (environment-agnostic): it would deploy wherever the credentials point, so whether its alert rules see the environment's events cannot be judged (V2, D3)`,
          ),
        );
      } else if (stack.account !== account) {
        findings.push(
          finding(
            NAME,
            'account::another',
            stack,
            undefined,
            `Stack ${stack.stackName} deploys to account ${stack.account}, the environment to ${account}: an alert rule there sees none of this environment's events (V2, D3)`,
          ),
        );
      }
    }
    return { findings, evaluated: stacks.length };
  },
};
