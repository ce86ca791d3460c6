import { BlueprintConfig } from '../config';
import { CommandArgs } from './args';
import { CommandDeps } from './command-deps';
import { credentialsPhase, preflightPhase, Progress, synthPhase } from './phases';

/**
 * `npm run preflight -- --env NAME`: credentials, synth (compliance gate), then every deploy
 * prerequisite; deploys nothing (it creates missing service-linked roles only with
 * `--create-service-linked-roles`). Returns the exit code.
 */
export async function runPreflightCommand(
  args: CommandArgs,
  config: BlueprintConfig,
  deps: CommandDeps,
): Promise<number> {
  const identity = await credentialsPhase(config, deps);
  if (!identity) return 1;
  const progress = new Progress(deps, 3);
  progress.step(`credentials: ${identity.arn} (account ${identity.account})`);
  progress.step(`synth -c env=${config.envName} (compliance gate)`);
  const assembly = await synthPhase(config, deps);
  if (!assembly) return 1;
  progress.step('preflight');
  const result = await preflightPhase(
    config,
    identity,
    assembly,
    { createServiceLinkedRoles: args.createServiceLinkedRoles },
    deps,
  );
  if (!result.ok) return 1;
  deps.reporter.line(`Preflight ok for '${config.envName}': \`npm run deploy -- --env ${config.envName}\` can start.`);
  return 0;
}
