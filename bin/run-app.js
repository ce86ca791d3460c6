#!/usr/bin/env node
/* global require, process, __dirname, __filename, console, setImmediate */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * How cdk.json runs the app: `node --no-concurrent-marking bin/run-app.js bin/hipaa-blueprint.ts`, and package.json
 * each command (`npm run check-template` runs `node --no-concurrent-marking bin/run-app.js bin/check-template.ts`).
 *
 * Runs a TypeScript entry point of this project as one JavaScript file that esbuild (already a dependency: it bundles
 * the Lambda functions) builds from it and the project files it imports. Packages stay external, but cdk-nag
 * (BUNDLED_PACKAGES): aws-cdk-lib and the others load from node_modules as they would under tsx. Stack traces (also the locations CDK prints with an
 * annotation, and the ones it records in the assembly's metadata) name the bundle's lines; the bundle has a source
 * map beside it, so `NODE_OPTIONS=--enable-source-maps npx cdk synth` names the TypeScript files and lines instead
 * (not on by default: mapping every stack trace CDK records costs about 0.2 s of a synth).
 *
 * The bundle is kept in .cache/hipaa-app (git ignores it; in the system's temporary directory when the project cannot
 * be written to), named by its own content hash, which is checked before it runs. It is run again as long as every file it was built from (the content esbuild compiled), the files beside each
 * of them (a new file can change what an import resolves to), tsconfig.json, package.json, esbuild's version, the
 * Node.js major version and this file are unchanged; otherwise it is built again first (about 0.2 s). A file that
 * changes while the bundle is being built is not recorded as built (the next run builds again). Against `--import tsx` this saves about 0.6 s of a synth: tsx resolves and inspects every module the process
 * loads, aws-cdk-lib's and cdk-nag's a thousand included (docs/speed-history.md).
 *
 * Each file of the bundle keeps its own `__dirname` and `__filename` (the source file's), as under tsx: the code finds
 * its data files, Lambda entry points and worker scripts beside its sources. Functions keep their names (esbuild's
 * keepNames): cdk-nag names rules after their functions, so a rule's id is the same in the bundle as under tsx.
 *
 * Plain JavaScript (CommonJS): it runs before any TypeScript loader. Reads no environment variable and no context.
 */
const { createHash } = require('crypto');
const {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('fs');
const { tmpdir } = require('os');
const { basename, dirname, join, relative, resolve } = require('path');

const ROOT = resolve(__dirname, '..');
/** Bundles kept per entry point (older ones are removed; a process still starting may be about to load one). */
const KEEP = 3;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/**
 * Where the bundles are kept: .cache/hipaa-app in the project; where the project cannot be written to (a read-only
 * checkout, a `.cache` that is not a folder), a folder of the system's temporary directory named after the project.
 * Not under node_modules: CDK skips frames of files under node_modules when it names where an annotation was made, and
 * would name this launcher instead of the code.
 */
function cacheFolder() {
  const own = join(ROOT, '.cache', 'hipaa-app');
  try {
    mkdirSync(own, { recursive: true });
    accessSync(own, constants.W_OK);
    return own;
  } catch {
    return privateTemporaryFolder(join(tmpdir(), `hipaa-app-${sha256(ROOT).slice(0, 12)}`));
  }
}

/**
 * `folder` in the system's temporary directory when it is this user's alone (created so, mode 0700: another user of a
 * shared /tmp could otherwise put a bundle and its record there for this user to run); else a new private folder of
 * this process (nothing reused).
 */
function privateTemporaryFolder(folder) {
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch {
    // it exists (checked below) or cannot be made (a private one instead)
  }
  try {
    const stat = lstatSync(folder);
    const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
    if (stat.isDirectory() && mine && (stat.mode & 0o077) === 0) return folder;
  } catch {
    // a private one instead
  }
  const own = mkdtempSync(join(tmpdir(), 'hipaa-app-'));
  process.on('exit', () => rmSync(own, { recursive: true, force: true }));
  return own;
}
const CACHE = cacheFolder();
const readOrEmpty = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/**
 * What every bundle depends on besides its source files: this file, tsconfig.json (compiler options esbuild reads),
 * package.json, esbuild's version and the Node.js major version (the build's target).
 */
function buildKey() {
  const esbuildVersion = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  return sha256(
    JSON.stringify([
      readFileSync(__filename, 'utf8'),
      readOrEmpty(join(ROOT, 'tsconfig.json')),
      readOrEmpty(join(ROOT, 'package.json')),
      esbuildVersion,
      process.versions.node.split('.')[0],
    ]),
  );
}

/** The names in each folder of `files` (a file added beside an input can change what an import resolves to). */
function folderListings(files) {
  const out = {};
  for (const folder of [...new Set(files.map((f) => dirname(f)))].sort()) out[folder] = folderListing(folder);
  return out;
}

/** A hash of the names in `folder`. */
function folderListing(folder) {
  try {
    return sha256(readdirSync(folder).sort().join('\n'));
  } catch {
    return 'unreadable';
  }
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

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The bundle recorded for the entry point when it is still current (and intact), else undefined. */
function currentBundle(stateFile, key) {
  let state;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (state.key !== key || typeof state.inputs !== 'object' || state.inputs === null) return undefined;
  const files = Object.keys(state.inputs);
  if (!same(hashes(files), state.inputs) || !same(folderListings(files), state.folders)) return undefined;
  const bundle = join(CACHE, String(state.bundle));
  try {
    if (sha256(readFileSync(bundle)) !== state.bundleHash) return undefined;
  } catch {
    return undefined;
  }
  return bundle;
}

/**
 * An esbuild plugin that reads each source file once, records the hash of what it compiled, and gives each code file
 * its own `__dirname` and `__filename` (on its first line, or after a `#!` line: line numbers stay those of the source).
 */
function sourcePlugin(compiled, listed) {
  const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };
  return {
    name: 'source-files',
    setup(build) {
      build.onLoad({ filter: /\.([mc]?[jt]s|json)$/ }, (args) => {
        const bytes = readFileSync(args.path);
        compiled.set(args.path, sha256(bytes));
        const folder = dirname(args.path);
        if (!listed.has(folder)) listed.set(folder, folderListing(folder));
        const extension = /\.[^.]+$/.exec(args.path)[0];
        const loader = LOADERS[extension];
        let contents = bytes.toString('utf8');
        if (loader !== 'json' && /\b__(dirname|filename)\b/.test(contents)) {
          const location = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
          const shebang = contents.startsWith('#!') ? contents.indexOf('\n') + 1 : 0;
          contents =
            shebang > 0 ? contents.slice(0, shebang) + location + contents.slice(shebang) : location + contents;
        }
        return { contents, loader };
      });
    },
  };
}

/**
 * Packages built into the bundle: cdk-nag, whose three packs (loaded when they first run, after the templates are
 * written: lib/compliance/gate/packs.ts) are about 270 small files; read, resolved and compiled one by one they took
 * about 0.24 s of a synth on a slow day, 0.10 s from one file (docs/speed-history.md). Its modules stay lazy in the bundle
 * (esbuild runs a bundled module's body when it is first required), keep their own `__filename` (sourcePlugin: cdk-nag
 * names each rule after its file) and their files are inputs of the bundle like the project's.
 */
const BUNDLED_PACKAGES = ['cdk-nag'];

/** An esbuild plugin that keeps every other package external: aws-cdk-lib and the rest load from node_modules. */
function externalPackages() {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        return BUNDLED_PACKAGES.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** The namespace of the stand-ins for the aws-cdk-lib service modules cdk-nag's rules import (lazyL1Plugin). */
const L1_NAMESPACE = 'cdk-nag-l1';
/** The module the stand-ins share (LAZY_L1_RUNTIME_FILE). */
const L1_RUNTIME = 'cdk-nag-l1-runtime';

/** What every stand-in runs (bin/lazy-l1.js, read when a bundle is built; an input of every bundle). */
const LAZY_L1_RUNTIME_FILE = join(__dirname, 'lazy-l1.js');

/**
 * The file that defines export `name` of the aws-cdk-lib index `file`, following its lazy re-exports
 * (`get:()=>{var value=require("./lib").CfnX;...`, then `require("./dms.generated").CfnX`); undefined when the index
 * has no such getter or its target cannot be found. `read` reads a file (and records it as an input of the bundle).
 */
function definingFile(file, name, read, depth = 0) {
  const match = new RegExp(
    `_noFold="${name}",\\{[^{}]*get:\\(\\)=>\\{var value=require\\("(\\.[^"]*)"\\)\\.${name};`,
  ).exec(read(file));
  if (match === null) return undefined;
  const target = resolve(dirname(file), match[1]);
  const found = [`${target}.js`, join(target, 'index.js'), target].find((f) => existsSync(f) && statSync(f).isFile());
  if (found === undefined) return undefined;
  return basename(found) === 'index.js' && depth < 4 ? definingFile(found, name, read, depth + 1) : found;
}

/**
 * An esbuild plugin that gives cdk-nag's rules (built into the bundle) a stand-in for each aws-cdk-lib service module
 * they import (`aws-cdk-lib/aws-dms`, ...): through it, a rule's `node instanceof CfnReplicationInstance` no longer
 * loads the service's L1 module when the app never loaded it (no instance can exist). cdk-nag's three packs import 45
 * service modules for their `instanceof` checks; the app uses about 25 of those services, and loading the others' L1
 * modules (QuickSight's alone is 5.3 MB) cost about 0.3 s of every synth (docs/speed-history.md). Which file defines each
 * `Cfn` class is read from the service's index files when the bundle is built (relative to the service's folder, which
 * is resolved when the app runs); they are inputs of the bundle. The stand-in fails closed (bin/lazy-l1.js): an object
 * with a constructor of the class's name is judged by the real class.
 */
function lazyL1Plugin(compiled) {
  const texts = new Map();
  const read = (file) => {
    if (!texts.has(file)) {
      const bytes = readFileSync(file);
      compiled.set(file, sha256(bytes));
      texts.set(file, bytes.toString('utf8'));
    }
    return texts.get(file);
  };
  return {
    name: 'cdk-nag-lazy-l1',
    setup(build) {
      build.onResolve({ filter: /^aws-cdk-lib\/[a-z0-9-]+$/ }, (args) =>
        args.namespace === 'file' && /[\\/]node_modules[\\/]cdk-nag[\\/]/.test(args.importer)
          ? { path: args.path, namespace: L1_NAMESPACE }
          : undefined,
      );
      build.onResolve({ filter: new RegExp(`^${L1_RUNTIME}$`) }, (args) =>
        args.namespace === L1_NAMESPACE ? { path: L1_RUNTIME, namespace: L1_RUNTIME } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: L1_RUNTIME }, () => ({
        contents: read(LAZY_L1_RUNTIME_FILE),
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: L1_NAMESPACE }, (args) => {
        const index = require.resolve(args.path, { paths: [ROOT] });
        const definedIn = {};
        for (const [, name] of read(index).matchAll(/_noFold="(Cfn[A-Za-z0-9]+)"/g)) {
          const file = definingFile(index, name, read);
          if (file !== undefined) definedIn[name] = relative(dirname(index), file);
        }
        const request = JSON.stringify(args.path);
        return {
          contents: `module.exports = require(${JSON.stringify(L1_RUNTIME)}).lazyL1(${request}, () => require(${request}), ${JSON.stringify(definedIn)});\n`,
          loader: 'js',
          resolveDir: ROOT,
        };
      });
    },
  };
}

/** Writes `data` to `file` through a temporary file and a rename (a reader never sees half a file). */
function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

/** Builds the bundle of `entry`; returns its path. Records it only when no input changed during the build. */
async function build(entry, id, stateFile, key) {
  const esbuild = require('esbuild');
  const compiled = new Map();
  // The names in each input's folder as esbuild resolved against them (taken when it loads the folder's first file).
  const listed = new Map();
  const outfile = join(CACHE, `${id}.js`);
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    keepNames: true,
    outfile,
    write: false,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [lazyL1Plugin(compiled), externalPackages(), sourcePlugin(compiled, listed)],
  });
  const js = result.outputFiles.find((f) => f.path === outfile);
  const map = result.outputFiles.find((f) => f.path === `${outfile}.map`);
  const bundleHash = sha256(js.contents);
  const name = `${id}-${bundleHash.slice(0, 16)}.js`;
  // The source map comment names the file esbuild was told to write: the content-named file's map instead.
  const text = js.text.replace(
    new RegExp(`//# sourceMappingURL=${id}\\.js\\.map\\s*$`),
    `//# sourceMappingURL=${name}.map\n`,
  );
  const bundle = join(CACHE, name);
  mkdirSync(CACHE, { recursive: true });
  writeAtomically(`${bundle}.map`, map.contents);
  writeAtomically(bundle, text);
  // Files only (not the stand-ins of lazyL1Plugin's namespaces), and the aws-cdk-lib index files it read.
  const files = [
    ...new Set([
      ...Object.keys(result.metafile.inputs)
        .filter((f) => !f.startsWith(`${L1_NAMESPACE}:`) && !f.startsWith(`${L1_RUNTIME}:`))
        .map((f) => resolve(ROOT, f)),
      ...compiled.keys(),
    ]),
  ];
  const inputs = {};
  for (const file of files) inputs[file] = compiled.get(file) ?? sha256(readFileSync(file));
  // Recorded only if what was compiled, and the folders imports were resolved in, are still what is on disk.
  const folders = folderListings(files);
  const unchanged = Object.entries(folders).every(([folder, hash]) => (listed.get(folder) ?? hash) === hash);
  if (unchanged && same(hashes(files), inputs)) {
    writeAtomically(
      stateFile,
      JSON.stringify({ key, entry, bundle: name, bundleHash: sha256(text), inputs, folders }, null, 1),
    );
  }
  prune(id, name);
  return bundle;
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

/** A CommonJS module object for `filename` that resolves packages from `paths`, not yet run. */
function moduleAt(filename, paths) {
  const Module = require('module');
  const m = new Module(filename, null);
  m.filename = filename;
  m.paths = paths;
  return m;
}

/**
 * aws-cdk-lib's region facts come from one generated function (region-info/lib/built-ins.generated.js) of about
 * 10,000 `Fact.register` calls, 1.4 MB that V8 compiles and runs once in every process that loads aws-cdk-lib's
 * core: about 0.15 s of each synth and command (docs/speed-history.md). The stand-in placed in its stead registers the same
 * facts, in the same order, through the same `Fact.register`, from a JSON snapshot kept in the cache folder, named
 * by the hash of that file and of fact.js. Without a readable snapshot it runs the real file and, when the facts
 * were registered into an empty table, writes the snapshot for the next process. Nothing happens until aws-cdk-lib
 * loads region-info; a process that never does pays nothing.
 */
function installRegionFactsStandIn() {
  let generated;
  try {
    generated = join(
      dirname(require.resolve('aws-cdk-lib/region-info', { paths: [ROOT] })),
      'lib',
      'built-ins.generated.js',
    );
  } catch {
    return; // no aws-cdk-lib here
  }
  if (!existsSync(generated) || require.cache[generated] !== undefined) return;
  const factFile = join(dirname(generated), 'fact.js');
  const standIn = moduleAt(generated, require('module')._nodeModulePaths(dirname(generated)));
  standIn.loaded = true;
  standIn.exports = {
    BuiltIns: {
      register() {
        const text = readFileSync(generated, 'utf8');
        const { Fact } = require(factFile);
        const snapshot = join(
          CACHE,
          `region-facts-${sha256(`${text}\0${readFileSync(factFile, 'utf8')}`).slice(0, 16)}.json`,
        );
        let facts;
        try {
          // { digest, facts }: the digest (of the facts' JSON) catches a snapshot changed or cut short since it was written.
          const stored = JSON.parse(readFileSync(snapshot, 'utf8'));
          if (stored.digest === sha256(JSON.stringify(stored.facts))) facts = stored.facts;
        } catch {
          facts = undefined;
        }
        const valid =
          facts !== null &&
          typeof facts === 'object' &&
          Object.keys(facts).length > 0 &&
          Object.values(facts).every(
            (f) => f !== null && typeof f === 'object' && Object.values(f).every((v) => typeof v === 'string'),
          );
        if (valid) {
          for (const region of Object.keys(facts)) {
            const names = Object.keys(facts[region]);
            // A region the file lists with no defined fact is in the table all the same (Fact.register adds the
            // region before it skips an undefined value).
            if (names.length === 0) Fact.register({ region, name: 'partition', value: undefined });
            for (const name of names) Fact.register({ region, name, value: facts[region][name] });
          }
          return;
        }
        const empty = Object.keys(Fact.database).length === 0;
        const real = moduleAt(generated, standIn.paths);
        real._compile(text, generated);
        real.exports.BuiltIns.register();
        if (!empty) return;
        try {
          mkdirSync(CACHE, { recursive: true });
          writeAtomically(
            snapshot,
            JSON.stringify({ digest: sha256(JSON.stringify(Fact.database)), facts: Fact.database }),
          );
        } catch {
          // only the next process's saving
        }
      },
    },
  };
  require.cache[generated] = standIn;
}

/** Runs the bundle as if Node.js had run the entry point itself (outside any promise: an error is uncaught). */
function run(bundle, entry, rest) {
  process.argv = [process.argv[0], entry, ...rest];
  installRegionFactsStandIn();
  // Packages resolve from the project, also for a bundle kept outside it (a read-only checkout: the temporary
  // directory), as for one kept in its .cache.
  const app = moduleAt(bundle, require('module')._nodeModulePaths(ROOT));
  require.cache[bundle] = app;
  app._compile(readFileSync(bundle, 'utf8'), bundle);
  app.loaded = true;
}

const [, , entryArgument, ...rest] = process.argv;
if (entryArgument === undefined) {
  console.error('usage: node bin/run-app.js ENTRY.ts [ARGS...]');
  process.exit(2);
}
const entry = resolve(entryArgument);
const id = `${basename(entry).replace(/\.[^.]+$/, '')}-${sha256(entry).slice(0, 12)}`;
const stateFile = join(CACHE, `${id}.json`);
const key = buildKey();
const bundle = currentBundle(stateFile, key);
if (bundle !== undefined) {
  run(bundle, entry, rest);
} else {
  build(entry, id, stateFile, key).then(
    (built) => setImmediate(run, built, entry, rest),
    async (e) => {
      console.error(`${entryArgument}: cannot be built:\n${await buildErrorText(e)}`);
      process.exit(1);
    },
  );
}
