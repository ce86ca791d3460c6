import { BlueprintConfig } from '../config';
import { CommandArgs } from './args';
import { diffArgs } from './cdk-commands';
import { CommandDeps } from './command-deps';
import { credentialsPhase } from './phases';

/** `npm run diff -- --env NAME`: the credentials check, then `cdk diff` of every stack. Returns the exit code. */
export async function runDiffCommand(_args: CommandArgs, config: BlueprintConfig, deps: CommandDeps): Promise<number> {
  const identity = await credentialsPhase(config, deps);
  if (!identity) return 1;
  deps.reporter.line(`[1/2] credentials: ${identity.arn} (account ${identity.account})`);
  deps.reporter.line(`[2/2] cdk diff -c env=${config.envName} (every stack)`);
  const code = await deps.runner.run(diffArgs(config.envName));
  if (code !== 0) deps.reporter.error(`cdk diff exited ${code} (see its output above)`);
  return code === 0 ? 0 : 1;
}
