import { BlueprintConfig, ConfigValidationError, loadConfig } from '../config';
import { CommandArgs, CommandName, parseArgs, usage } from './args';
import { CommandDeps } from './command-deps';
import { runDiffCommand } from './diff-command';
import { executeDeploy } from './orchestrate';
import { runPreflightCommand } from './preflight-command';
import { describeError } from './core/sdk-error';
import { StepError } from './step-error';
import { UsageError } from './usage-error';
import { runVerifyCommand } from './verify-command';

/** Exit code of a command-line mistake. */
export const EXIT_USAGE = 2;

const COMMANDS: Readonly<
  Record<CommandName, (args: CommandArgs, config: BlueprintConfig, deps: CommandDeps) => Promise<number>>
> = {
  deploy: executeDeploy,
  diff: runDiffCommand,
  preflight: runPreflightCommand,
  verify: runVerifyCommand,
};

/**
 * Runs one command from its argv. User errors never show a stack trace: a usage error prints one line
 * plus usage (exit 2), an invalid config prints its problems (exit 1), an unexpected failure prints one
 * line naming the step and the SDK error (exit 1).
 */
export async function runCommand(command: CommandName, argv: readonly string[], deps: CommandDeps): Promise<number> {
  const r = deps.reporter;
  let args;
  try {
    args = parseArgs(command, argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    r.error(`${command}: ${e.message}`);
    r.error(usage(command));
    return EXIT_USAGE;
  }
  if (args.kind === 'help') {
    r.line(usage(command));
    return 0;
  }
  let config: BlueprintConfig;
  try {
    config = (deps.loadConfig ?? loadConfig)(args.envName);
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      r.error(e.message);
      return 1;
    }
    r.error(`${command}: step 'load config' failed: ${describeError(e)}`);
    return 1;
  }
  try {
    return await COMMANDS[command](args, config, deps);
  } catch (e) {
    r.error(
      e instanceof StepError ? `${command}: ${e.message}` : `${command}: unexpected failure: ${describeError(e)}`,
    );
    return 1;
  }
}
