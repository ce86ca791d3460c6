import { createHash } from 'crypto';
import { cpSync, existsSync } from 'fs';
import * as path from 'path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code, Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';
import { lambdaSourceHash } from './lambda-source-hash';
import { markUsed, storeRecent } from './recent-cache';

/** Options of esbuildCode. */
export interface EsbuildCodeOptions {
  /** The function's entry file (absolute), under `projectRoot`. */
  readonly entry: string;
  /** The project root: esbuild runs there, and package files, lockfiles and tsconfig.json are hashed from there. */
  readonly projectRoot: string;
  /** The Node.js runtime: esbuild's target (nodeNN) is its version. */
  readonly runtime: Runtime;
  /** Modules left out of the bundle (the Lambda runtime provides them), e.g. `@aws-sdk/*`. */
  readonly externalModules: readonly string[];
  readonly minify: boolean;
  /** Writes index.js.map next to index.js. */
  readonly sourceMap: boolean;
  /**
   * Where bundles built earlier are kept, by the hash of every input of the bundle and of where it is built from, so
   * that a synth into another output folder (each test's, a second assembly) copies the bundle instead of building it
   * again; `false` builds every time.
   * @default `node_modules/.cache/hipaa-lambda-bundles` under `projectRoot`
   */
  readonly bundleCacheDir?: string | false;
}

/** Bundles kept in the cache (the most recently used): a few versions of each of the blueprint's functions. */
const KEEP_BUNDLES = 40;

/**
 * `outputDir` filled with the cached bundle `cached` (a folder holding `files`); false when there is none, or when the
 * copy did not give every file (the build below then writes over what was copied).
 */
function copyCachedBundle(cached: string, outputDir: string, files: readonly string[]): boolean {
  if (!existsSync(cached)) return false;
  // Marked first: the most recently used entry is the last that another process's pruning would remove.
  markUsed(cached);
  try {
    cpSync(cached, outputDir, { recursive: true });
  } catch {
    return false;
  }
  return files.every((f) => existsSync(path.join(outputDir, f)));
}

/**
 * The cache entry of a bundle: its inputs' hash, and where it is built from the project root (the source map names the
 * sources relative to the bundle's folder, so a bundle built at another depth has another map).
 */
function cacheEntry(cacheDir: string, sourceHash: string, outputDir: string, projectRoot: string): string {
  const location = createHash('sha256').update(path.relative(outputDir, projectRoot)).digest('hex').slice(0, 16);
  return path.join(cacheDir, `${sourceHash}-${location}`);
}

/** The esbuild options of a bundle, without its output file: the same as NodejsFunction passes on its command line. */
function esbuildOptions(options: EsbuildCodeOptions): BuildOptions {
  if (options.runtime.family !== RuntimeFamily.NODEJS) {
    throw new Error(`esbuildCode: runtime ${options.runtime.name} is not a Node.js runtime`);
  }
  const version = /^nodejs(\d+)/.exec(options.runtime.name)?.[1];
  if (version === undefined) throw new Error(`esbuildCode: no Node.js version in runtime ${options.runtime.name}`);
  const relativeEntry = path.relative(options.projectRoot, path.resolve(options.entry));
  if (relativeEntry.startsWith('..') || path.isAbsolute(relativeEntry)) {
    throw new Error(`esbuildCode: entry ${options.entry} is not under the project root ${options.projectRoot}`);
  }
  return {
    entryPoints: [relativeEntry],
    bundle: true,
    target: `node${version}`,
    platform: 'node',
    minify: options.minify,
    sourcemap: options.sourceMap,
    external: [...options.externalModules],
    logLevel: 'warning',
  };
}

/** The version of the esbuild that tryBundle below loads (its package.json: esbuild itself is loaded only to build). */
function esbuildVersion(): string {
  return (require('esbuild/package.json') as { version: string }).version; // eslint-disable-line @typescript-eslint/no-require-imports
}

/**
 * A Lambda function's code bundled by esbuild's JavaScript API in this process, locally, never in Docker: the bundle
 * NodejsFunction builds from the same options (`--bundle ENTRY --target=nodeNN --platform=node --minify --sourcemap
 * --external:...`, run in the project root), without NodejsFunction's way of starting esbuild through
 * `npx --no-install esbuild` (about 0.5 s of npm start-up per bundle, against about 30 ms for the bundle itself).
 * Give it to NodejsFunction as `code` with the handler `index.<name>`.
 *
 * The asset is named by a hash of every input of the bundle (lambdaSourceHash, with these esbuild options and the
 * version of the esbuild that runs): a synth into an assembly that already holds the bundle skips esbuild, and any
 * change to an input gives a new bundle. A bundle built once is also kept by that hash (and where it was built from)
 * outside the assembly (`bundleCacheDir`), and copied from there into a new assembly. A failed build throws (esbuild's own message), failing
 * the synth, and keeps nothing.
 */
export function esbuildCode(options: EsbuildCodeOptions): Code {
  const buildOptions = esbuildOptions(options);
  const sourceHash = lambdaSourceHash({
    entry: options.entry,
    projectRoot: options.projectRoot,
    // The esbuild that builds the bundle (loaded from here), which may differ from the project root's for a project
    // outside this repository.
    extra: [JSON.stringify(buildOptions), `esbuild ${esbuildVersion()}`],
  });
  const cacheDir =
    options.bundleCacheDir ?? path.join(options.projectRoot, 'node_modules', '.cache', 'hipaa-lambda-bundles');
  return Code.fromAsset(options.projectRoot, {
    assetHashType: AssetHashType.CUSTOM,
    assetHash: sourceHash,
    bundling: {
      // Never pulled or run: the local bundler below returns true or throws. CDK requires an image.
      image: DockerImage.fromRegistry('local-esbuild-only'),
      local: {
        tryBundle(outputDir: string): boolean {
          const cached =
            cacheDir === false ? undefined : cacheEntry(cacheDir, sourceHash, outputDir, options.projectRoot);
          const files = options.sourceMap ? ['index.js', 'index.js.map'] : ['index.js'];
          if (cached !== undefined && copyCachedBundle(cached, outputDir, files)) return true;
          // Loaded here, not at import: a process that builds no bundle (a synth reusing staged bundles) skips it.
          const esbuild = require('esbuild') as typeof import('esbuild'); // eslint-disable-line @typescript-eslint/no-require-imports
          esbuild.buildSync({
            ...buildOptions,
            absWorkingDir: options.projectRoot,
            outfile: path.join(outputDir, 'index.js'),
          });
          if (cached !== undefined) {
            storeRecent(cached, KEEP_BUNDLES, (temporary) => cpSync(outputDir, temporary, { recursive: true }));
          }
          return true;
        },
      },
    },
  });
}
