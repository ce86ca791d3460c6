import { error, Finding } from '../core/finding';
import { describeError } from '../core/sdk-error';
import { checkBootstrap } from './bootstrap';
import { checkBreakGlass } from './break-glass';
import { PreflightCheck, PreflightContext } from './context';
import { checkDeployTarget } from './deploy-target';
import { checkDocker } from './docker';
import { checkDomain } from './domain';
import { checkLambdaConcurrency } from './lambda-concurrency';
import { checkLeftovers } from './leftovers';
import { checkServiceLinkedRoles } from './service-linked-roles';
import { checkSingletons } from './singletons';
import { checkStackStates } from './stack-states';

/** The checks after credentials and synth, in the order they run. */
export const PREFLIGHT_CHECKS: ReadonlyArray<{ readonly name: string; readonly run: PreflightCheck }> = [
  { name: 'deploy target', run: checkDeployTarget },
  { name: 'stack states', run: checkStackStates },
  { name: 'bootstrap', run: checkBootstrap },
  { name: 'docker', run: checkDocker },
  { name: 'service-linked roles', run: checkServiceLinkedRoles },
  { name: 'lambda concurrency', run: checkLambdaConcurrency },
  { name: 'account singletons', run: checkSingletons },
  { name: 'domain', run: checkDomain },
  { name: 'break-glass principals', run: checkBreakGlass },
  { name: 'leftovers', run: checkLeftovers },
];

/** The result of one check. */
export interface CheckOutcome {
  readonly name: string;
  readonly findings: readonly Finding[];
}

/**
 * Runs every check. A check that cannot run (access denied, throttled...) becomes an error finding
 * naming the check and the SDK error: a check that did not run never counts as passed.
 */
export async function runPreflight(
  ctx: PreflightContext,
  checks: ReadonlyArray<{ readonly name: string; readonly run: PreflightCheck }> = PREFLIGHT_CHECKS,
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    let findings: Finding[];
    try {
      findings = await check.run(ctx);
    } catch (e) {
      findings = [
        error(check.name, `could not run the ${check.name} check: ${describeError(e)}; fix access and run it again`),
      ];
    }
    outcomes.push({ name: check.name, findings });
  }
  return outcomes;
}
