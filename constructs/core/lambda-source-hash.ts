import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

/** Project files that change what esbuild produces from the same sources (dependency versions, tsconfig, package type). */
const PROJECT_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json'];

/** Extensions tried, in esbuild's order, when a relative import names no file. */
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '/index.ts', '/index.js'];

/** Relative specifiers in `import ... from`, `export ... from`, `import()` and `require()`. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;

/** Options of lambdaSourceHash. */
export interface LambdaSourceHashOptions {
  /** The function's entry file (absolute). */
  readonly entry: string;
  /** The project root: package.json, package-lock.json, tsconfig.json and node_modules are read there. */
  readonly projectRoot: string;
  /**
   * Anything else the bundle depends on that CDK does not hash itself (CDK adds the bundling options to a
   * custom hash).
   * @default []
   */
  readonly extra?: readonly string[];
}

/** Every file under `dir`, recursively, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** The file a relative import resolves to, as esbuild would find it; undefined when none exists. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * A hash of every input of a Lambda function's esbuild bundle, for NodejsFunction's `bundling.assetHash`: every
 * file of the entry's folder, every file reached from the entry by relative imports (followed transitively, also
 * outside the folder), the project's package.json, lockfiles and tsconfig.json (package versions, compiler
 * options), the esbuild version, and `extra`. CDK adds the bundling options to a custom hash and names the staged
 * asset after it, so a synth into an assembly that already holds that asset skips esbuild; any change to an input
 * gives a new hash, so a new bundle. A relative import that resolves to no file throws (the bundle would fail too).
 */
export function lambdaSourceHash(options: LambdaSourceHashOptions): string {
  const files = new Set(filesUnder(path.dirname(options.entry)));
  const queue = [options.entry];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    files.add(file);
    if (!/\.[cm]?[jt]sx?$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const resolved = resolveRelative(file, match[1]!);
      if (resolved === undefined) {
        throw new Error(
          `lambdaSourceHash: import '${match[1]}' in ${path.relative(options.projectRoot, file)}: resolves to no file`,
        );
      }
      queue.push(resolved);
    }
  }
  const hash = createHash('sha256');
  const add = (label: string, content: Buffer | string): void => {
    hash.update(`${label}\0${content.length}\0`);
    hash.update(content);
  };
  for (const file of [...files].sort()) add(path.relative(options.projectRoot, file), readFileSync(file));
  for (const name of PROJECT_INPUTS) {
    const file = path.join(options.projectRoot, name);
    add(name, existsSync(file) ? readFileSync(file) : '(absent)');
  }
  const esbuildPackage = path.join(options.projectRoot, 'node_modules', 'esbuild', 'package.json');
  add(
    'esbuild',
    existsSync(esbuildPackage)
      ? String((JSON.parse(readFileSync(esbuildPackage, 'utf8')) as { version?: unknown }).version)
      : '(absent)',
  );
  for (const value of options.extra ?? []) add('extra', value);
  return hash.digest('hex');
}
