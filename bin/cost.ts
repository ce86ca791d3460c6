#!/usr/bin/env node
/**
 * Estimated idle monthly cost of an environment, per resource, from its synthesized templates:
 *
 *   npm run cost -- --env dev [--markdown] [--assembly cdk.out]
 *   npm run cost -- --readme      (rewrites the README's generated cost section)
 *
 * Synthesizes in-process (no rule packs, no CloudFormation validation, no bundling) unless
 * --assembly names an existing cloud assembly. Exit 0 done, 1 unknown environment or invalid
 * configuration, 2 bad arguments.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { runCost } from '../lib/cost/cost-cli';

const root = join(__dirname, '..');
const { context } = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
process.exitCode = runCost(process.argv.slice(2), {
  context,
  readmePath: join(root, 'README.md'),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});
