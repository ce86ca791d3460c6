import { dirname, join } from 'path';

/**
 * A file of aws-cdk-lib that its package exports do not name (a private module the gate uses): found by path, next to
 * the entry point of the exported module `entry` (e.g. 'core', 'cloudformation-include').
 */
export function awsCdkLibFile(entry: string, ...parts: string[]): string {
  return join(dirname(require.resolve(`aws-cdk-lib/${entry}`)), ...parts);
}
