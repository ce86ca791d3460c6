import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import * as os from 'os';
import { dirname, join, relative, resolve, sep } from 'path';
import { performance } from 'perf_hooks';
import { BenchArgsError, BENCH_USAGE, BenchOptions, parseBenchArgs } from './bench-args';
import { lambdaBundleSizes } from './bundle-sizes';
import { machineBusyMs } from './machine-cpu';
import { BenchMeasurements, buildBenchReport, renderBenchReport, TestRun } from './report';
import { BreakdownRun } from './synth-breakdown';
import { ValidationEngineRun } from './validation-engine';

/** Repository root (bench/..). */
export const ROOT = resolve(__dirname, '..');

/** A measured command that failed: names the command, its exit code and the end of its stderr. */
export class BenchCommandError extends Error {
  constructor(command: string, code: number | null, stderr: string) {
    super(`'${command}' exited ${code ?? 'by signal'}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    this.name = 'BenchCommandError';
  }
}

export interface Run {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Run {
  const t = performance.now();
  const r = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.error) throw new BenchCommandError(`${command} ${args.join(' ')}`, null, r.error.message);
  return { ms, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv): number {
  const r = runCommand(command, args, env);
  if (r.code !== 0) throw new BenchCommandError(`${command} ${args.join(' ')}`, r.code, r.stderr);
  return r.ms;
}

/** Runs `fns` warm-up + `runs` times, interleaved (so load spikes hit every measurement alike). */
function repeat(runs: number, fns: readonly (() => void)[], log: (t: string) => void, label: string): void {
  for (let i = 0; i <= runs; i++) {
    log(`  ${label}: ${i === 0 ? 'warm-up' : `run ${i}/${runs}`}\n`);
    for (const fn of fns) fn();
  }
}

/** The stack templates in `dir` and the resources they hold. */
function countTemplates(dir: string): { templates: number; resources: number } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.template.json'));
  const resources = files.reduce(
    (n, f) =>
      n +
      Object.keys((JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Resources?: object }).Resources ?? {}).length,
    0,
  );
  return { templates: files.length, resources };
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

async function esbuildTimes(runs: number): Promise<Record<string, number[]>> {
  const esbuild = await import('esbuild');
  const entries = readdirSync(join(ROOT, 'lambda'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'shared')
    .map((d) => join('lambda', d.name, 'index.ts'));
  const out: Record<string, number[]> = {};
  for (const entry of entries) {
    out[entry] = [];
    for (let i = 0; i <= runs; i++) {
      const t = performance.now();
      await esbuild.build({
        entryPoints: [join(ROOT, entry)],
        bundle: true,
        minify: true,
        sourcemap: true,
        platform: 'node',
        target: 'node20',
        external: ['@aws-sdk/*'],
        write: false,
        logLevel: 'silent',
      });
      if (i > 0) out[entry].push(performance.now() - t);
    }
  }
  return out;
}

/**
 * Whether a test run's globalSetup reused the synthesized assemblies of an earlier run (a warm run) or synthesized them
 * (a cold one, also when that synth failed), from the first line it printed (test/support/global-setup.ts).
 */
export function globalSetupOf(output: string): 'reused' | 'synthesized' | 'unknown' {
  const line = /^globalSetup: (.*)$/m.exec(output)?.[1];
  if (line === undefined) return 'unknown';
  if (line.startsWith('reused ')) return 'reused';
  if (line.startsWith('synthesized ') || line.startsWith('the synth FAILED')) return 'synthesized';
  return 'unknown';
}

/** The per-file entries (`testResults`) of the results Jest writes with `--json`; none from results it cannot read. */
function jestFileResults(resultsJson: string): Record<string, unknown>[] {
  let results: unknown;
  try {
    results = JSON.parse(resultsJson);
  } catch {
    return [];
  }
  const files = (results as { testResults?: unknown } | null)?.testResults;
  if (!Array.isArray(files)) return [];
  return files.filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null);
}

/** `file` relative to `root`, '/'-separated (as the printout and the JSON report name test files). */
const projectPath = (root: string, file: string): string => relative(root, file).split(sep).join('/');

/**
 * Each test file's own time (Jest's start to end of the file: loading it, its top level and its tests, as the project's
 * runner counts it: test/support/light-runner-worker.mjs; under `-w 1`, its tests only), from the results Jest writes
 * with `--json --outputFile`, slowest first, with paths relative to `root`. None from results it cannot read.
 */
export function fileTimes(resultsJson: string, root: string): { readonly file: string; readonly ms: number }[] {
  const files = jestFileResults(resultsJson);
  return files
    .flatMap((f: { name?: unknown; startTime?: unknown; endTime?: unknown }) =>
      typeof f.name === 'string' && typeof f.startTime === 'number' && typeof f.endTime === 'number'
        ? [{ file: projectPath(root, f.name), ms: f.endTime - f.startTime }]
        : [],
    )
    .sort((x, y) => y.ms - x.ms || x.file.localeCompare(y.file));
}

/** A terminal colour code (chalk's, in Jest's messages). */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

/** Jest's title line of a file that failed outside its tests (jest-message-util formatExecError). */
const EXEC_ERROR_TITLE = /^\u25cf\s*Test suite failed to run$/;

/**
 * The tests that failed, from the results Jest writes with `--json --outputFile`, as `FILE > DESCRIBE > ... > TEST`
 * (paths relative to `root`), in Jest's order; a file that failed outside its tests (it did not load, a hook at its top
 * level threw, it ran past the runner's time limit) as `FILE (the first line of its error)`. None from results it cannot
 * read. Test names are the suite's own; an error's first line is a message, not a diff or a value compared.
 */
export function failedTests(resultsJson: string, root: string): string[] {
  const files = jestFileResults(resultsJson);
  return files.flatMap(
    (f: { name?: unknown; status?: unknown; message?: unknown; assertionResults?: unknown }): string[] => {
      if (typeof f.name !== 'string') return [];
      const file = projectPath(root, f.name);
      const tests = Array.isArray(f.assertionResults) ? f.assertionResults : [];
      const failed = tests.flatMap((a: { status?: unknown; ancestorTitles?: unknown; title?: unknown }) => {
        if (a.status !== 'failed') return [];
        const ancestors = Array.isArray(a.ancestorTitles) ? a.ancestorTitles.map(String) : [];
        return [[file, ...ancestors, String(a.title)].join(' > ')];
      });
      if (failed.length > 0 || f.status !== 'failed') return failed;
      const first = errorLine(f.message);
      return [first ? `${file} (${first})` : file];
    },
  );
}

/** The first line of a file's error as Jest formats it: without colours and Jest's "Test suite failed to run" title. */
function errorLine(message: unknown): string {
  if (typeof message !== 'string') return '';
  const line = message
    .replace(ANSI_COLOUR, '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !EXEC_ERROR_TITLE.test(l));
  return (line ?? '').slice(0, 200);
}

/**
 * Times one test run, `npx ARGS` (`wholeSuite`: whether that is the whole suite): its wall time, the CPU the machine
 * was busy meanwhile (`busyMs` before and after; none when either is unknown or the difference is negative), whether
 * it was warm, its exit code, each file's own time and the tests that failed (Jest's results in `resultsFile`, unless ARGS ask for them
 * elsewhere). With `env`, the bench's own environment, not the synths' (every CDK_* variable is part of the key of the
 * synthesized assemblies the test run reuses: with another one the run would synthesize them first).
 */
export function timeTestRun(
  args: readonly string[],
  wholeSuite: boolean,
  deps: {
    readonly run: (command: string, args: readonly string[], env: NodeJS.ProcessEnv) => Run;
    readonly busyMs: () => number | undefined;
    readonly env: NodeJS.ProcessEnv;
    readonly resultsFile: string;
    readonly readFile: (path: string) => string | undefined;
  },
): TestRun {
  const ownResults = !args.some((a) => a === '--json' || a.startsWith('--outputFile'));
  const runArgs = ownResults ? [...args, '--json', `--outputFile=${deps.resultsFile}`] : args;
  const before = deps.busyMs();
  const r = deps.run('npx', runArgs, deps.env);
  const after = deps.busyMs();
  const cpu = before !== undefined && after !== undefined && after >= before ? after - before : undefined;
  const results = ownResults ? deps.readFile(deps.resultsFile) : undefined;
  return {
    skipped: false,
    command: `npx ${args.join(' ')}`,
    wallMs: r.ms,
    ...(cpu !== undefined ? { machineCpuMs: cpu } : {}),
    wholeSuite,
    globalSetup: globalSetupOf(`${r.stdout}\n${r.stderr}`),
    exitCode: r.code ?? -1,
    files: results === undefined ? [] : fileTimes(results, ROOT),
    failed: results === undefined ? [] : failedTests(results, ROOT),
  };
}

/** Measures everything; returns the raw numbers. `log` receives progress lines. */
export async function measure(opts: BenchOptions, log: (t: string) => void): Promise<BenchMeasurements> {
  const { context, app } = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
    app: string;
  };
  // The app as cdk.json runs it ("node --no-concurrent-marking bin/run-app.js bin/hipaa-blueprint.ts"), and the trivial
  // app run the same way.
  const appWords = app.split(' ');
  if (appWords.at(-1) !== 'bin/hipaa-blueprint.ts') {
    throw new Error(`cdk.json: app '${app}' does not end with bin/hipaa-blueprint.ts`);
  }
  const [appCommand, ...appArgs] = appWords;
  const trivialApp = [...appWords.slice(0, -1), 'bench/trivial-app.ts'].join(' ');
  const breakdownApp = [...appWords.slice(0, -1), 'bench/breakdown-worker.ts'].join(' ');
  const envName = 'dev';
  const tmp = mkdtempSync(join(tmpdir(), 'bench-'));
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' };
  try {
    const startLoad = loadavg();
    // The commit measured: taken before the runs (a commit made meanwhile is not what was timed).
    const gitInfo = { commit: git(['rev-parse', 'HEAD']), dirty: git(['status', '--porcelain']) !== '' };
    const cliSynthMs: number[] = [];
    const trivialSynthMs: number[] = [];
    let first = true;
    const keep = (list: number[], ms: number): void => {
      if (!first) list.push(ms);
    };
    const cliOut = join(tmp, 'cli-blueprint');
    log('cdk synth: blueprint vs trivial app\n');
    repeat(
      opts.runs,
      [
        () => keep(cliSynthMs, timed('npx', ['cdk', 'synth', '-q', '--no-notices', '-o', cliOut], baseEnv)),
        () =>
          keep(
            trivialSynthMs,
            timed(
              'npx',
              ['cdk', 'synth', '-q', '--no-notices', '--app', trivialApp, '-o', join(tmp, 'cli-trivial')],
              baseEnv,
            ),
          ),
        () => (first = false),
      ],
      log,
      'cdk synth',
    );

    const appEnv = (outdir: string, validation: boolean): NodeJS.ProcessEnv => ({
      ...baseEnv,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      ...(validation ? {} : { CDK_VALIDATION: 'false' }),
    });
    const appWithValidationMs: number[] = [];
    const appWithoutValidationMs: number[] = [];
    // The validation engine alone on the templates the app just wrote (a floor for the app with validation), in the
    // same rounds as the app, so that the machine's load changes hit both alike.
    const validationEngine: ValidationEngineRun[] = [];
    first = true;
    log(
      `app process (${app}), with and without CDK_VALIDATION=false, and the validation engine alone (bench/validation-engine-worker.ts)\n`,
    );
    repeat(
      opts.runs,
      [
        () => keep(appWithValidationMs, timed(appCommand!, appArgs, appEnv(join(tmp, 'app-on'), true))),
        () => keep(appWithoutValidationMs, timed(appCommand!, appArgs, appEnv(join(tmp, 'app-off'), false))),
        () => {
          const dir = join(tmp, 'app-on');
          const args = [...appArgs.slice(0, -1), 'bench/validation-engine-worker.ts', dir];
          const r = runCommand(appCommand!, args, baseEnv);
          if (r.code !== 0) throw new BenchCommandError(`${appCommand} ${args.join(' ')}`, r.code, r.stderr);
          if (!first) validationEngine.push(JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ValidationEngineRun);
        },
        () => (first = false),
      ],
      log,
      'app process',
    );
    const { templates, resources } = countTemplates(join(tmp, 'app-on'));

    const breakdown: BreakdownRun[] = [];
    first = true;
    log('in-process breakdown (bench/breakdown-worker.ts, fresh process per run)\n');
    repeat(
      opts.runs,
      [
        () => {
          // As `cdk synth` runs it again and again: into the folder the warm-up synthesized into (its templates prewarm
          // the validation engine, its staged Lambda bundles are reused). Emptied before the warm-up only.
          const out = join(tmp, 'breakdown');
          if (first) rmSync(out, { recursive: true, force: true });
          // With the runner and Node.js flags cdk.json runs the app with.
          const r = runCommand(
            appCommand!,
            [...appArgs.slice(0, -1), 'bench/breakdown-worker.ts', envName, out],
            baseEnv,
          );
          if (r.code !== 0) throw new BenchCommandError(`${breakdownApp} ${envName} ${out}`, r.code, r.stderr);
          const line = r.stdout.trim().split('\n').pop() ?? '';
          if (!first) breakdown.push(JSON.parse(line) as BreakdownRun);
        },
        () => (first = false),
      ],
      log,
      'breakdown',
    );

    log('esbuild per Lambda entry\n');
    const esbuildMs = await esbuildTimes(opts.runs);

    let tests: BenchMeasurements['tests'] = { skipped: true };
    if (!opts.skipTests) {
      const args = ['jest', ...opts.jestArgs];
      log(`test suite: npx ${args.join(' ')} (once)\n`);
      tests = timeTestRun(args, opts.jestArgs.length === 0, {
        run: runCommand,
        busyMs: machineBusyMs,
        env: process.env,
        resultsFile: join(tmp, 'jest-results.json'),
        readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
      });
    }

    const endLoad = loadavg();
    return {
      date: new Date().toISOString(),
      git: gitInfo,
      machine: {
        nproc: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus().length,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpu: cpus()[0]?.model ?? 'unknown',
        loadavg: [startLoad[0]!, endLoad[0]!],
      },
      envName,
      warmupRuns: 1,
      cliSynthMs,
      trivialSynthMs,
      appWithValidationMs,
      appWithoutValidationMs,
      resources,
      templates,
      validationEngine,
      breakdown,
      esbuildMs,
      tests,
      bundles: lambdaBundleSizes(cliOut),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `npm run bench`: returns the exit code (0 done, 1 a measured command failed, 2 bad arguments). */
export async function runBench(
  argv: readonly string[],
  io: { stdout: (t: string) => void; stderr: (t: string) => void },
): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof BenchArgsError)) throw e;
    io.stderr(`bench: ${e.message}\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    io.stdout(`${BENCH_USAGE}\n`);
    return 0;
  }
  try {
    const report = buildBenchReport(await measure(opts, io.stderr));
    const jsonPath = resolve(ROOT, opts.json);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    io.stdout(renderBenchReport(report, jsonPath));
    return 0;
  } catch (e) {
    io.stderr(`bench: ${(e as Error).message}\n`);
    return 1;
  }
}
