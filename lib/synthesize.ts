import { readFileSync } from 'fs';
import { App } from 'aws-cdk-lib';
import { buildBlueprint } from './blueprint-app';
import { BlueprintConfig, ConfigValidationError, loadConfig } from './config';
import { showValue } from './config/problems';

/** Where synthesis reports what it refused. */
export interface SynthesisLog {
  error(message: string): void;
}

/** Options of synthesizeEnvironment. */
export interface SynthesizeOptions {
  /** The environment to synthesize (a key of `environments`). */
  readonly envName: string;
  /** The environments it is chosen from (lib/config/environments.ts, plus a JSON one given with -c config=FILE). */
  readonly environments: Readonly<Record<string, unknown>>;
  /**
   * Step 1 of a first deploy only (see buildBlueprint).
   * @default false
   */
  readonly phiReplicaBootstrap?: boolean;
  /**
   * Where problems are written.
   * @default console
   */
  readonly log?: SynthesisLog;
}

/** The construct path a CDK construct error names, if any (aws-cdk-lib ConstructError#constructPath). */
function constructPathOf(error: unknown): string | undefined {
  const path = (error as { constructPath?: unknown } | null)?.constructPath;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

/**
 * Validates the environment's config, builds the blueprint into `app` and synthesizes it. Returns the exit
 * code: 0, or 1 after writing one message (never a stack trace) when the config is invalid (nothing is built,
 * so nothing is written) or a construct refuses its props (the message names the construct path).
 */
export function synthesizeEnvironment(app: App, options: SynthesizeOptions): number {
  const log = options.log ?? console;
  let config: BlueprintConfig;
  try {
    config = loadConfig(options.envName, options.environments);
  } catch (e) {
    if (!(e instanceof ConfigValidationError)) throw e;
    log.error(e.message);
    return 1;
  }
  try {
    buildBlueprint(app, config, { phiReplicaBootstrap: options.phiReplicaBootstrap ?? false });
    app.synth();
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const path = constructPathOf(e);
    log.error(
      `Synthesis of environment '${config.envName}' failed${path ? ` at construct ${path}` : ''}: ${message.split('\n')[0]}` +
        (message.includes('\n') ? `\n${message.split('\n').slice(1).join('\n')}` : ''),
    );
    return 1;
  }
}

/**
 * An environment read from a JSON file (`-c config=FILE`): its content, keyed by its envName, to be added to
 * the shipped environments. Validation happens in loadConfig like any environment.
 * @throws ConfigValidationError naming the file when it cannot be read or is not JSON.
 */
export function environmentFromFile(file: string): { envName: string; input: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigValidationError('(file)', [
      `config = ${showValue(file)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new ConfigValidationError('(file)', [`config = ${showValue(file)}: is not JSON (${(e as Error).message})`]);
  }
  const envName = (input as { envName?: unknown } | null)?.envName;
  if (typeof envName !== 'string') {
    throw new ConfigValidationError('(file)', [
      `config = ${showValue(file)}: envName is missing; the file holds one environment`,
    ]);
  }
  return { envName, input };
}
