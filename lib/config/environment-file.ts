import { readFileSync } from 'fs';
import { ConfigValidationError } from './validate';
import { showValue } from './problems';

/**
 * An environment read from a JSON file (`-c config=FILE`, `check-template --config FILE`): its content, keyed by its envName, to be added to
 * the shipped environments. Validation happens in loadConfig like any environment.
 * @throws ConfigValidationError naming the file when it cannot be read or is not JSON.
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
  return { envName, input };
}
