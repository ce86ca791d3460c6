import { BlueprintConfig } from '../config';
import { CommandArgs } from './args';
import { CommandDeps } from './command-deps';
import { readDeployedState } from './core/deployed-state';
import { credentialsPhase } from './phases';
import { allStackRefs } from './core/stacks';
import { StepError } from './step-error';
import { renderTable, runVerify, VERIFY_CHECKS } from './verify/run-verify';

/**
 * `npm run verify -- --env NAME`: read-only. Reports each safeguard's runtime state in a table and
 * returns 1 on any FAIL (0 otherwise; WARN rows do not fail).
 */
export async function runVerifyCommand(
  _args: CommandArgs,
  config: BlueprintConfig,
  deps: CommandDeps,
): Promise<number> {
  const identity = await credentialsPhase(config, deps);
  if (!identity) return 1;
  deps.reporter.line(`Verify '${config.envName}' as ${identity.arn} (account ${identity.account}), read-only`);
  let deployed;
  try {
    deployed = await readDeployedState(deps.clients, allStackRefs(config));
  } catch (e) {
    throw new StepError('verify: read the stacks (CloudFormation DescribeStacks)', e);
  }
  const rows = await runVerify(
    { config, clients: deps.clients, deployed, now: (deps.now ?? (() => new Date()))() },
    deps.verifyChecks ?? VERIFY_CHECKS,
  );
  deps.reporter.line(renderTable(rows));
  const count = (s: string): number => rows.filter((x) => x.status === s).length;
  const summary = `${count('PASS')} PASS, ${count('WARN')} WARN, ${count('FAIL')} FAIL`;
  if (count('FAIL') > 0) {
    deps.reporter.error(`verify: ${summary}`);
    return 1;
  }
  deps.reporter.line(`verify: ${summary}`);
  return 0;
}
