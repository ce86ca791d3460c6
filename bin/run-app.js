#!/usr/bin/env node
/* global require, process, __dirname, __filename, console */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * How cdk.json runs the app: `node --no-concurrent-marking bin/run-app.js bin/hipaa-blueprint.ts`.
 *
 * Runs a TypeScript entry point of this project as one JavaScript file that esbuild (already a dependency: it bundles
 * the Lambda functions) builds from it and the project files it imports. Packages stay external: aws-cdk-lib, cdk-nag
 * and the others load from node_modules as they would under tsx. Stack traces (also the locations CDK prints with an
 * annotation, and the ones it records in the assembly's metadata) name the bundle's lines; the bundle has a source
 * map beside it, so `NODE_OPTIONS=--enable-source-maps npx cdk synth` names the TypeScript files and lines instead
 * (not on by default: mapping every stack trace CDK records costs about 0.2 s of a synth).
 *
 * The bundle is kept in .cache/hipaa-app (git ignores it) and run again as long as every file it was built from (by
 * content), tsconfig.json, esbuild's version and this file are unchanged; otherwise it is built again first (about
 * 0.2 s). Against `--import tsx` this saves about 0.6 s of a synth: tsx resolves and inspects every module the process
 * loads, aws-cdk-lib's and cdk-nag's a thousand included (README, Speed).
 *
 * Each file of the bundle keeps its own `__dirname` and `__filename` (the source file's), as under tsx: the code finds
 * its data files, Lambda entry points and worker scripts beside its sources.
 *
 * Plain JavaScript (CommonJS): it runs before any TypeScript loader. Reads no environment variable and no context.
 */
const { createHash } = require('crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('fs');
const { basename, dirname, join, resolve } = require('path');

const ROOT = resolve(__dirname, '..');
// Not under node_modules: CDK skips frames of files under node_modules when it names where an annotation was made, and
// would name this launcher instead of the code.
const CACHE = join(ROOT, '.cache', 'hipaa-app');
/** Bundles kept per entry point (older ones are removed; a process still starting may be about to load one). */
const KEEP = 3;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/**
 * What every bundle depends on besides its source files: this file, tsconfig.json (compiler options esbuild reads)
 * and esbuild's version.
 */
function buildKey() {
  const esbuildVersion = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  const tsconfig = join(ROOT, 'tsconfig.json');
  return sha256(
    JSON.stringify([
      readFileSync(__filename, 'utf8'),
      existsSync(tsconfig) ? readFileSync(tsconfig, 'utf8') : '',
      esbuildVersion,
    ]),
  );
}

/** The content hash of each file, or undefined when one cannot be read. */
function hashes(files) {
  const out = {};
  for (const file of files) {
    try {
      out[file] = sha256(readFileSync(file));
    } catch {
      return undefined;
    }
  }
  return out;
}

/** The bundle recorded for `entry` when it is still current, else undefined. */
function currentBundle(stateFile, key) {
  let state;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (state.key !== key || typeof state.inputs !== 'object' || state.inputs === null) return undefined;
  const bundle = join(CACHE, String(state.bundle));
  if (!existsSync(bundle)) return undefined;
  const now = hashes(Object.keys(state.inputs));
  if (now === undefined) return undefined;
  for (const [file, hash] of Object.entries(state.inputs)) if (now[file] !== hash) return undefined;
  return bundle;
}

/** An esbuild plugin that gives each TypeScript file of the project its own `__dirname` and `__filename`. */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const uses = /\b__(dirname|filename)\b/.test(source);
      const header = uses
        ? `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};\n`
        : '';
      return { contents: header + source, loader: 'ts' };
    });
  },
};

/** Builds the bundle of `entry`; returns its path. Writes new files only, then records them (renamed into place). */
async function build(entry, id, stateFile, key) {
  const esbuild = require('esbuild');
  const name = `${id}-${process.pid}-${Date.now()}.js`;
  const outfile = join(CACHE, name);
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outfile,
    write: false,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceLocation],
  });
  const inputs = hashes(Object.keys(result.metafile.inputs).map((f) => resolve(ROOT, f)));
  if (inputs === undefined) throw new Error('a source file changed while the app was being built; run it again');
  mkdirSync(CACHE, { recursive: true });
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  const temporary = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ key, entry, bundle: name, inputs }, null, 1));
  renameSync(temporary, stateFile);
  prune(id, name);
  return outfile;
}

/** Removes all but the KEEP newest bundles of entry `id` (never `keep`). */
function prune(id, keep) {
  try {
    const bundles = readdirSync(CACHE)
      .filter((f) => f.startsWith(`${id}-`) && f.endsWith('.js') && f !== keep)
      .map((f) => ({ f, at: statSync(join(CACHE, f)).mtimeMs }))
      .sort((a, b) => b.at - a.at)
      .slice(KEEP - 1);
    for (const { f } of bundles) {
      rmSync(join(CACHE, f), { force: true });
      rmSync(join(CACHE, `${f}.map`), { force: true });
    }
  } catch {
    // only housekeeping
  }
}

/** The esbuild errors of a failed build, as esbuild prints them; else the error's message. */
async function buildErrorText(e) {
  if (Array.isArray(e && e.errors) && e.errors.length > 0) {
    const esbuild = require('esbuild');
    return (await esbuild.formatMessages(e.errors, { kind: 'error', color: false })).join('');
  }
  return e instanceof Error ? e.message : String(e);
}

async function main() {
  const [, , entryArgument, ...rest] = process.argv;
  if (entryArgument === undefined) {
    console.error('usage: node bin/run-app.js ENTRY.ts [ARGS...]');
    process.exit(2);
  }
  const entry = resolve(entryArgument);
  const id = `${basename(entry, '.ts')}-${sha256(entry).slice(0, 12)}`;
  const stateFile = join(CACHE, `${id}.json`);
  const key = buildKey();
  let bundle = currentBundle(stateFile, key);
  if (bundle === undefined) {
    try {
      bundle = await build(entry, id, stateFile, key);
    } catch (e) {
      console.error(`${entryArgument}: cannot be built:\n${await buildErrorText(e)}`);
      process.exit(1);
    }
  }
  // As if Node.js had run the entry point itself.
  process.argv = [process.argv[0], entry, ...rest];
  require(bundle);
}

main();
