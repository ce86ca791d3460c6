/**
 * bin/run-app.js, how cdk.json runs the app: it bundles a TypeScript entry point with esbuild, keeps the bundle while
 * the files it was built from are unchanged, and runs it as if Node.js had run the entry point. Each test uses a
 * small entry point of its own in a scratch folder (the launcher keeps one bundle record per entry point); the
 * shipped app runs through it in every test run too (the globalSetup's `cdk synth` of dev and prod, cdkSynthOutput).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { scratchDir } from '../support/scratch';

const ROOT = join(__dirname, '..', '..');
const LAUNCHER = join(ROOT, 'bin', 'run-app.js');
const CACHE = join(ROOT, '.cache', 'hipaa-app');

const scratch = scratchDir('run-app-');
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  // The scratch entry points' bundles and records (named after the entry file: entry-<hash>...).
  for (const f of readdirSync(CACHE)) if (f.startsWith('run-app-entry-')) rmSync(join(CACHE, f), { force: true });
});

/** The bundles and records the launcher keeps for entry points named run-app-entry*. */
const cached = (): string[] => readdirSync(CACHE).filter((f) => f.startsWith('run-app-entry-'));

/** True when `bundle` (a file name in the cache) is the one recorded for `entry`. */
function bundleOf(entry: string, bundle: string): boolean {
  return readdirSync(CACHE)
    .filter((f) => f.startsWith('run-app-entry-') && f.endsWith('.json'))
    .some((f) => {
      const state = JSON.parse(readFileSync(join(CACHE, f), 'utf8')) as { entry: string; bundle: string };
      return state.entry === entry && state.bundle === bundle;
    });
}

function launch(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LAUNCHER, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An entry point (run-app-entry.ts) importing a module beside it, in a folder of its own. */
function entryPoint(folder: string, answer: string): string {
  const dir = join(scratch, folder);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'answer.ts'),
    `export const ANSWER: string = ${JSON.stringify(answer)};\nexport const WHERE = { dirname: __dirname, filename: __filename };\n`,
  );
  const entry = join(dir, 'run-app-entry.ts');
  writeFileSync(
    entry,
    [
      "import { ANSWER, WHERE } from './answer';",
      'const own = { dirname: __dirname, filename: __filename };',
      'console.log(JSON.stringify({ answer: ANSWER, where: WHERE, own, argv: process.argv.slice(1) }));',
      '',
    ].join('\n'),
  );
  return entry;
}

describe('bin/run-app.js', () => {
  test('runs the entry point as Node.js would: its arguments, and each file s own __dirname and __filename', () => {
    const entry = entryPoint('a', 'first');
    const r = launch([entry, '--flag', 'value']);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({
      answer: 'first',
      where: { dirname: join(scratch, 'a'), filename: join(scratch, 'a', 'answer.ts') },
      own: { dirname: join(scratch, 'a'), filename: entry },
      argv: [entry, '--flag', 'value'],
    });
  });

  test('keeps the bundle while its files are unchanged, and builds it again when one changes', () => {
    const entry = entryPoint('b', 'before');
    expect(JSON.parse(launch([entry]).stdout).answer).toBe('before');
    const first = cached().filter((f) => f.endsWith('.js'));
    // Bundles are named by content, so a rebuild would keep the names: not rebuilt means no file written again.
    const written = (): number[] => cached().map((f) => statSync(join(CACHE, f)).mtimeMs);
    const before = written();
    expect(JSON.parse(launch([entry]).stdout).answer).toBe('before');
    expect(cached().filter((f) => f.endsWith('.js'))).toEqual(first);
    expect(written()).toEqual(before);

    // A file the entry point imports (not the entry point itself) changes: a new bundle, with the new content.
    writeFileSync(
      join(scratch, 'b', 'answer.ts'),
      'export const ANSWER: string = "after";\nexport const WHERE = {};\n',
    );
    expect(JSON.parse(launch([entry]).stdout).answer).toBe('after');
    expect(cached().filter((f) => f.endsWith('.js')).length).toBe(first.length + 1);
  });

  test('a file added beside an input that changes what an import resolves to: built again', () => {
    const dir = join(scratch, 'd');
    mkdirSync(join(dir, 'dep'), { recursive: true });
    writeFileSync(join(dir, 'dep', 'index.ts'), 'export const FROM = "dep/index.ts";\n');
    const entry = join(dir, 'run-app-entry.ts');
    writeFileSync(entry, "import { FROM } from './dep';\nconsole.log(FROM);\n");
    expect(launch([entry]).stdout).toBe('dep/index.ts\n');
    writeFileSync(join(dir, 'dep.ts'), 'export const FROM = "dep.ts";\n');
    expect(launch([entry]).stdout).toBe('dep.ts\n');
  });

  test('a bundle changed after it was built is not run: it is built again from the sources', () => {
    const entry = entryPoint('e', 'genuine');
    expect(JSON.parse(launch([entry]).stdout).answer).toBe('genuine');
    const bundle = cached().find((f) => f.startsWith('run-app-entry-') && f.endsWith('.js') && bundleOf(entry, f));
    expect(bundle).toBeDefined();
    const file = join(CACHE, bundle!);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"genuine"', '"tampered"'));
    expect(JSON.parse(launch([entry]).stdout).answer).toBe('genuine');
  });

  test('a #! line, an error s location through the source map, and an error thrown by the app (exit 1)', () => {
    const dir = join(scratch, 'f');
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'run-app-entry.ts');
    // __dirname is used, so the launcher adds its location: on the line after the #! line, not a line of its own.
    writeFileSync(
      entry,
      [
        '#!/usr/bin/env node',
        'const here: string = __dirname;',
        'throw new Error(`synthetic failure in ${here}`);',
        '',
      ].join('\n'),
    );
    // The first run builds the bundle: the app still runs outside the build's promise, so its error is an uncaught
    // exception (exit 1) even where unhandled rejections would only warn.
    const plain = launch([entry], { NODE_OPTIONS: '--unhandled-rejections=warn' });
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain(`Error: synthetic failure in ${dir}`);
    const mapped = spawnSync(process.execPath, ['--enable-source-maps', LAUNCHER, entry], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(mapped.status).toBe(1);
    expect(mapped.stderr).toContain(`${entry}:3:`);
  });

  test('an entry point that does not compile: exit 1, the file and esbuild s message, no stack trace', () => {
    const entry = entryPoint('c', 'x');
    writeFileSync(join(scratch, 'c', 'answer.ts'), 'export const ANSWER: string = ;\n');
    const r = launch([entry]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${entry}: cannot be built:`);
    expect(r.stderr).toContain('[ERROR] Unexpected ";"');
    expect(r.stderr).toMatch(/c\/answer\.ts:1:\d+:/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
  });

  test('a project it cannot write to (its .cache is not a folder): the bundle is kept in a folder of the temporary directory only this user can write, and still finds the packages', () => {
    // A project of its own (the launcher, an entry point and a file where .cache would be), below this project's
    // node_modules so that esbuild resolves from it.
    const project = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'run-app-unwritable-'));
    const fallback = join(tmpdir(), `hipaa-app-${createHash('sha256').update(project).digest('hex').slice(0, 12)}`);
    try {
      mkdirSync(join(project, 'bin'));
      copyFileSync(LAUNCHER, join(project, 'bin', 'run-app.js'));
      writeFileSync(join(project, '.cache'), 'not a folder\n');
      writeFileSync(
        join(project, 'entry.ts'),
        "import { Duration } from 'aws-cdk-lib';\nconst n: number = 6 * 7;\nconsole.log(`answer ${n} ${Duration.minutes(1).toSeconds()}`);\n",
      );
      rmSync(fallback, { recursive: true, force: true });
      const run = (): { status: number | null; stdout: string; stderr: string } => {
        const r = spawnSync(process.execPath, [join(project, 'bin', 'run-app.js'), 'entry.ts'], {
          cwd: project,
          encoding: 'utf8',
        });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
      };
      for (let n = 0; n < 2; n++) expect(run()).toEqual({ status: 0, stdout: 'answer 42 60\n', stderr: '' });
      expect(statSync(fallback).mode & 0o777).toBe(0o700);
      const bundles = readdirSync(fallback).filter((f) => f.startsWith('entry-') && f.endsWith('.js'));
      expect(bundles).toHaveLength(1);
      // A bundle and record planted there run only while the folder is this user's alone.
      const bundle = join(fallback, bundles[0]!);
      const planted = `console.log('planted');\n`;
      writeFileSync(bundle, planted);
      const record = readdirSync(fallback).find((f) => f.startsWith('entry-') && f.endsWith('.json'))!;
      const state = JSON.parse(readFileSync(join(fallback, record), 'utf8')) as { bundleHash: string };
      state.bundleHash = createHash('sha256').update(planted).digest('hex');
      writeFileSync(join(fallback, record), JSON.stringify(state));
      expect(run().stdout).toBe('planted\n');
      chmodSync(fallback, 0o777);
      const before = readdirSync(tmpdir()).filter((f) => /^hipaa-app-[A-Za-z0-9]{6}$/.test(f)).length;
      expect(run()).toEqual({ status: 0, stdout: 'answer 42 60\n', stderr: '' });
      // The private folder it used instead is removed when the process ends.
      expect(readdirSync(tmpdir()).filter((f) => /^hipaa-app-[A-Za-z0-9]{6}$/.test(f)).length).toBe(before);
    } finally {
      rmSync(fallback, { recursive: true, force: true });
      rmSync(project, { recursive: true, force: true });
    }
  });

  test("aws-cdk-lib's region facts come from the cache folder's snapshot, the same facts in the same order as aws-cdk-lib's own file registers; without a valid snapshot, from that file, which writes it", () => {
    // A project of its own (its own cache folder), below this project's node_modules so that packages resolve from it.
    const project = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'run-app-facts-'));
    try {
      mkdirSync(join(project, 'bin'));
      copyFileSync(LAUNCHER, join(project, 'bin', 'run-app.js'));
      writeFileSync(
        join(project, 'entry.ts'),
        "import { Fact } from 'aws-cdk-lib/region-info';\nconsole.log(JSON.stringify((Fact as unknown as { database: unknown }).database));\n",
      );
      // What aws-cdk-lib registers in a plain Node.js process.
      const reference = spawnSync(
        process.execPath,
        ['-e', "console.log(JSON.stringify(require('aws-cdk-lib/region-info').Fact.database))"],
        { cwd: ROOT, encoding: 'utf8' },
      ).stdout;
      expect(reference.length).toBeGreaterThan(100000);
      const facts = (): string => {
        const r = spawnSync(process.execPath, [join(project, 'bin', 'run-app.js'), 'entry.ts'], {
          cwd: project,
          encoding: 'utf8',
        });
        expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
        return r.stdout;
      };
      const cache = join(project, '.cache', 'hipaa-app');
      const snapshots = (): string[] => readdirSync(cache).filter((f) => f.startsWith('region-facts-'));
      const digestOf = (facts: unknown): string => createHash('sha256').update(JSON.stringify(facts)).digest('hex');
      const stored = (file: string): { digest: string; facts: unknown } =>
        JSON.parse(readFileSync(file, 'utf8')) as { digest: string; facts: unknown };
      // No snapshot yet: aws-cdk-lib's own file registers the facts, and the snapshot is written.
      expect(facts()).toBe(reference);
      expect(snapshots()).toHaveLength(1);
      const snapshot = join(cache, snapshots()[0]!);
      expect(JSON.stringify(stored(snapshot).facts)).toBe(reference.trim());
      expect(stored(snapshot).digest).toBe(digestOf(stored(snapshot).facts));
      // Then the snapshot is what registers them: a marked one registers the mark, and nothing else (a region with
      // no defined fact included, as Fact.register leaves it).
      const marked = { 'xx-test-1': { partition: 'aws-test' }, 'xx-test-2': {} };
      writeFileSync(snapshot, JSON.stringify({ digest: digestOf(marked), facts: marked }));
      expect(JSON.parse(facts())).toEqual(marked);
      // A snapshot changed since it was written (its digest no longer matches), or with no facts, is not used: the
      // file registers them, and the snapshot is written again.
      for (const bad of [
        { digest: digestOf({}), facts: marked },
        { digest: digestOf({}), facts: {} },
      ]) {
        writeFileSync(snapshot, JSON.stringify(bad));
        expect(facts()).toBe(reference);
        expect(JSON.stringify(stored(snapshot).facts)).toBe(reference.trim());
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test('builds cdk-nag into the bundle (its rules still named after their files) and keeps every other package external', () => {
    // Inside the project (git ignores .cache), so that packages resolve from its node_modules.
    const dir = join(CACHE, '..', 'run-app-test-packages');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'run-app-entry-packages.ts');
    writeFileSync(
      entry,
      [
        "import { App, Stack } from 'aws-cdk-lib';",
        "import { CfnBucket } from 'aws-cdk-lib/aws-s3';",
        'const fromNodeModules = (name: string): number =>',
        '  Object.keys(require.cache).filter((f) => f.includes(`/node_modules/${name}/`)).length;',
        'const loaded = (file: string): boolean => Object.keys(require.cache).some((f) => f.endsWith(file));',
        'const DMS = "/node_modules/aws-cdk-lib/aws-dms/lib/dms.generated.js";',
        'const QUICKSIGHT = "/node_modules/aws-cdk-lib/aws-quicksight/lib/quicksight.generated.js";',
        "const before = fromNodeModules('cdk-nag');",
        '// eslint-disable-next-line @typescript-eslint/no-require-imports',
        "const { HIPAASecurityChecks } = require('cdk-nag/lib/packs/hipaa-security');",
        'const ruleNames = (app: App): string[] =>',
        '  new HIPAASecurityChecks().validateScope(app).violations.map((v: { ruleName: string }) => v.ruleName);',
        'const app = new App();',
        "new CfnBucket(new Stack(app, 'S'), 'B');",
        'const ids = ruleNames(app);',
        'const unused = { dms: loaded(DMS), quicksight: loaded(QUICKSIGHT) };',
        '// A service the app does use once the pack has run: its module loaded now, its resource judged.',
        '// eslint-disable-next-line @typescript-eslint/no-require-imports',
        "const { CfnReplicationInstance } = require('aws-cdk-lib/aws-dms');",
        'const later = new App();',
        "new CfnReplicationInstance(new Stack(later, 'T'), 'R', { replicationInstanceClass: 'dms.t3.micro' });",
        'const laterIds = ruleNames(later);',
        "console.log(JSON.stringify({ before, after: fromNodeModules('cdk-nag'), awsCdkLib: fromNodeModules('aws-cdk-lib') > 0, ids, unused, laterIds }));",
        '',
      ].join('\n'),
    );
    try {
      const r = launch([entry]);
      expect(r).toMatchObject({ status: 0, stderr: '' });
      const out = JSON.parse(r.stdout) as {
        before: number;
        after: number;
        awsCdkLib: boolean;
        ids: string[];
        unused: Record<string, boolean>;
        laterIds: string[];
      };
      // cdk-nag ran from the bundle (no file of it loaded from node_modules), aws-cdk-lib from node_modules.
      expect(out).toMatchObject({ before: 0, after: 0, awsCdkLib: true });
      expect(out.ids).toContain('HIPAA.Security-S3BucketLoggingEnabled');
      // Its rules' `instanceof` checks loaded no L1 module of a service the app had not loaded (lazyL1Plugin)...
      expect(out.unused).toEqual({ dms: false, quicksight: false });
      // ...and judge a resource of such a service once the app has one: a DMS replication instance public by default.
      expect(out.laterIds).toContain('HIPAA.Security-DMSReplicationNotPublic');
      const state = readdirSync(CACHE)
        .filter((f) => f.startsWith('run-app-entry-packages-') && f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(CACHE, f), 'utf8')) as { inputs: Record<string, string> })[0]!;
      const inputs = Object.keys(state.inputs);
      expect(inputs.some((f) => f.includes('/node_modules/cdk-nag/lib/rules/s3/'))).toBe(true);
      // Of other packages, only the aws-cdk-lib service indexes the stand-ins were made from (which file defines which
      // L1 class) are inputs; nothing of them is built into the bundle.
      const others = inputs.filter((f) => f.includes('/node_modules/') && !f.includes('/node_modules/cdk-nag/'));
      expect(others).toContain(join(ROOT, 'node_modules', 'aws-cdk-lib', 'aws-dms', 'lib', 'index.js'));
      expect(others.filter((f) => !/\/node_modules\/aws-cdk-lib\/[a-z0-9-]+\/(lib\/)?index\.js$/.test(f))).toEqual([]);
      const bundle = readdirSync(CACHE).find((f) => f.startsWith('run-app-entry-packages-') && f.endsWith('.js'))!;
      expect(readFileSync(join(CACHE, bundle), 'utf8')).not.toMatch(/class CfnReplicationInstance\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const f of readdirSync(CACHE)) if (f.startsWith('run-app-entry-packages-')) rmSync(join(CACHE, f));
    }
  });

  test('without an entry point: usage, exit 2', () => {
    expect(launch([])).toMatchObject({ status: 2, stderr: 'usage: node bin/run-app.js ENTRY.ts [ARGS...]\n' });
  });
});
