import { readFileSync } from 'fs';
import { ENVIRONMENTS } from './environments';
import { ConfigValidationError } from './validate';
import { showValue } from './problems';

/**
 * An environment read from a JSON file (`-c config=FILE`, `check-template --config FILE`): its content, keyed by its envName, to be added to
 * the shipped environments. Validation happens in loadConfig like any environment.
 * @throws ConfigValidationError naming the file when it cannot be read, is not JSON, has no envName or names a shipped
 *   environment.
 *
 * Its own module, apart from lib/synthesize.ts: check-template reads a config file without loading the stacks.
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
  // A file adds an environment: one named like a shipped environment would replace it silently, deploying that
  // environment's stacks (Dev/*) to the file's account (found by the newcomer review of 2026-12-03).
  if (Object.hasOwn(ENVIRONMENTS, envName)) {
    throw new ConfigValidationError('(file)', [
      `config = ${showValue(file)}: envName = ${showValue(envName)}: names a shipped environment (lib/config/environments.ts: ${Object.keys(ENVIRONMENTS).join(', ')}); a file adds an environment: give it a name of its own, or edit the shipped one`,
    ]);
  }
  return { envName, input };
}
