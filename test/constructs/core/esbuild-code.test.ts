import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { esbuildCode, EsbuildCodeOptions } from '../../../constructs/core/esbuild-code';
import { scratchDir } from '../../support/scratch';

const ROOT = join(__dirname, '..', '..', '..');
const ENTRY = join(ROOT, 'lambda', 'alert-formatter', 'index.ts');
const OPTIONS: EsbuildCodeOptions = {
  entry: ENTRY,
  projectRoot: ROOT,
  runtime: Runtime.NODEJS_24_X,
  minify: true,
  sourceMap: true,
  externalModules: ['@aws-sdk/*'],
  // Built every time, unless a test gives a cache of its own: the project's cache would answer instead of esbuild.
  bundleCacheDir: false,
};

/**
 * Synthesizes one function into `outdir` in a fresh App; returns the bundles CDK built (AssetStaging announces each
 * bundling it runs on stderr; a staged bundle it reuses is not announced) and the staged asset folder's files.
 */
function synth(
  outdir: string,
  code: (stack: Stack) => NodejsFunction,
): { built: number; files: Record<string, Buffer>; template: Template } {
  AssetStaging.clearAssetHashCache(); // the in-process cache would hide a rebuild
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'S');
    code(stack);
    const assembly = app.synth();
    const built = write.mock.calls.filter(([chunk]) => String(chunk).startsWith('Bundling asset S/Fn/')).length;
    const template = Template.fromJSON(assembly.getStackByName('S').template as Record<string, unknown>);
    const asset = readdirSync(outdir).find((d) => d.startsWith('asset.'));
    const files: Record<string, Buffer> = {};
    for (const f of asset ? readdirSync(join(outdir, asset)) : []) files[f] = readFileSync(join(outdir, asset!, f));
    return { built, files, template };
  } finally {
    write.mockRestore();
  }
}

const withEsbuildCode =
  (options: EsbuildCodeOptions = OPTIONS) =>
  (stack: Stack): NodejsFunction =>
    new NodejsFunction(stack, 'Fn', { runtime: options.runtime, code: esbuildCode(options), handler: 'index.handler' });

describe('esbuildCode: Lambda code bundled by local esbuild', () => {
  const dirs: string[] = [];
  const scratch = (): string => {
    const d = scratchDir('esbuild-code-');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('builds the same bundle, byte for byte, as NodejsFunction builds from the same options', () => {
    const ours = synth(scratch(), withEsbuildCode());
    const theirs = synth(
      scratch(),
      (stack) =>
        new NodejsFunction(stack, 'Fn', {
          entry: ENTRY,
          projectRoot: ROOT,
          depsLockFilePath: join(ROOT, 'package-lock.json'),
          runtime: Runtime.NODEJS_24_X,
          bundling: { minify: true, sourceMap: true, externalModules: ['@aws-sdk/*'], forceDockerBundling: false },
        }),
    );
    expect(ours.built).toBe(1);
    expect(Object.keys(ours.files).sort()).toEqual(['index.js', 'index.js.map']);
    expect(Object.keys(theirs.files).sort()).toEqual(['index.js', 'index.js.map']);
    expect(ours.files['index.js']!.equals(theirs.files['index.js']!)).toBe(true);
    expect(ours.files['index.js.map']!.equals(theirs.files['index.js.map']!)).toBe(true);
    // The SDK is left out: the bundle requires it from the runtime.
    expect(ours.files['index.js']!.toString()).toMatch(/require\("@aws-sdk\/client-/);
    ours.template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs24.x' });
  });

  it('skips esbuild on a second synth into the same assembly, and rebuilds when an option changes', () => {
    const outdir = scratch();
    expect(synth(outdir, withEsbuildCode()).built).toBe(1);
    expect(synth(outdir, withEsbuildCode()).built).toBe(0);
    const unminified = synth(outdir, withEsbuildCode({ ...OPTIONS, minify: false }));
    expect(unminified.built).toBe(1);
  });

  it('a bundle built once is kept by the hash of its inputs and copied into a new assembly; a changed input builds anew', () => {
    const cache = scratch();
    const options = { ...OPTIONS, bundleCacheDir: cache };
    const first = synth(scratch(), withEsbuildCode(options));
    const [entry, ...more] = readdirSync(cache);
    expect(more).toEqual([]);
    expect(readdirSync(join(cache, entry!)).sort()).toEqual(['index.js', 'index.js.map']);
    expect(readFileSync(join(cache, entry!, 'index.js')).equals(first.files['index.js']!)).toBe(true);
    // Marked, so that the next assembly shows where its bundle came from: the cache, not esbuild.
    writeFileSync(join(cache, entry!, 'index.js'), `${first.files['index.js']!.toString()}\n// from the cache\n`);
    const second = synth(scratch(), withEsbuildCode(options));
    expect(second.files['index.js']!.toString()).toMatch(/\/\/ from the cache\n$/);
    expect(second.files['index.js.map']!.equals(first.files['index.js.map']!)).toBe(true);
    // An entry that lost a file (another process pruning it while it was copied) is built again, whole.
    rmSync(join(cache, entry!, 'index.js.map'));
    const rebuilt = synth(scratch(), withEsbuildCode(options));
    expect(rebuilt.files['index.js']!.equals(first.files['index.js']!)).toBe(true);
    expect(rebuilt.files['index.js.map']!.equals(first.files['index.js.map']!)).toBe(true);
    // Another input (an esbuild option) is another bundle, built by esbuild.
    const unminified = synth(scratch(), withEsbuildCode({ ...options, minify: false }));
    expect(unminified.files['index.js']!.toString()).not.toMatch(/from the cache/);
    expect(readdirSync(cache)).toHaveLength(2);
    // The source map names the sources relative to the assembly: a bundle built at another depth is another entry,
    // with the map a fresh build there gives.
    const deeper = join(scratch(), 'a', 'b');
    const atDepth = synth(deeper, withEsbuildCode(options));
    const fresh = synth(join(scratch(), 'c', 'd'), withEsbuildCode({ ...options, bundleCacheDir: false }));
    expect(atDepth.files['index.js.map']!.equals(fresh.files['index.js.map']!)).toBe(true);
    expect(atDepth.files['index.js.map']!.equals(first.files['index.js.map']!)).toBe(false);
    expect(readdirSync(cache)).toHaveLength(3);
    // Without a cache folder nothing is kept.
    synth(scratch(), withEsbuildCode({ ...options, minify: false, sourceMap: false, bundleCacheDir: false }));
    expect(readdirSync(cache)).toHaveLength(3);
  });

  it('fails the synth with esbuild’s message when the code does not build', () => {
    const root = scratch();
    mkdirSync(join(root, 'fn'));
    writeFileSync(
      join(root, 'fn', 'index.ts'),
      "import { missing } from './nowhere-to-be-found';\nexport const handler = missing;\n",
    );
    writeFileSync(join(root, 'fn', 'nowhere.ts'), 'export const x = 1;\n');
    const cache = join(root, 'cache');
    const options = { ...OPTIONS, entry: join(root, 'fn', 'index.ts'), projectRoot: root, bundleCacheDir: cache };
    expect(() => synth(scratch(), withEsbuildCode(options))).toThrow(/nowhere-to-be-found/);
    // Nothing is kept of a failed build.
    expect(existsSync(cache)).toBe(false);
  });

  it('refuses a runtime that is not Node.js and an entry outside the project root, naming them', () => {
    expect(() => esbuildCode({ ...OPTIONS, runtime: Runtime.PYTHON_3_13 })).toThrow(
      'esbuildCode: runtime python3.13 is not a Node.js runtime',
    );
    expect(() => esbuildCode({ ...OPTIONS, entry: '/elsewhere/index.ts' })).toThrow(
      `esbuildCode: entry /elsewhere/index.ts is not under the project root ${ROOT}`,
    );
  });
});
