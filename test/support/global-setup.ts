/**
 * Jest globalSetup: synthesizes the dev and prod test environments ONCE per run, the way `cdk synth`
 * does (compliance gate on; no built-in CloudFormation validation), for
 * the tests that only read whole-app templates and evidence (test/support/synthesized.ts), and the
 * shipped dev and prod exactly as `cdk synth -c env=NAME` writes them (the app's entry point, real accounts, path
 * metadata on, a Docker that fails: cdkSynthDir(env), for the template checker, its CLI, the probe set, the
 * Docker-free synth test, and, for dev, which keeps aws-cdk-lib's CloudFormation validation on as `cdk synth` does,
 * the whole-app gate test reading what it printed: cdkSynthOutput), and, right after dev's, the reports of aws-cdk-lib's
 * own CloudFormation validation plugin on its templates (test/support/cfn-reference.ts: cfnReferenceDir, the reference
 * of the worker-thread validation's test). It runs before any test file and tells the workers where the assemblies
 * are through HIPAA_TEST_SYNTH_DIR.
 *
 * The assemblies (every JOBS entry) synthesize in parallel child processes, all started at once. The assembly is kept under
 * node_modules/.cache/hipaa-test-synth/<key>, where <key> hashes every input (synth-inputs.ts:
 * bin/, lib/, constructs/, lambda/, services/, test/support/, cdk.json, package.json, package-lock.json,
 * node_modules/.package-lock.json, tsconfig.json, test/safeguard-tests.json, the Node.js version and the
 * CDK_* environment), so a later run with the same inputs reuses it and any change synthesizes afresh.
 * HIPAA_TEST_SYNTH_CACHE=off synthesizes into a temporary folder that the globalTeardown removes.
 *
 * A failed synth (a gate finding) does not stop the run: the environment's folder holds
 * SYNTH_FAILED_FILE with the error, and every test that reads that environment fails with it.
 */
import { spawn } from 'child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import { appCommandArgs, appNodeOptions } from './app-node-options';
import {
  CDK_SYNTH_ENVIRONMENTS,
  CdkSynthEnvironment,
  CDK_SYNTH_VALIDATED,
  CFN_REFERENCE_FOLDER,
  cdkSynthFolder,
  cdkSynthOutputFile,
  dockerCallsFile,
  SYNTH_CACHE_ENV,
  SYNTH_DIR_ENV,
  SYNTHESIZED_ENVIRONMENTS,
  synthInputsKey,
} from './synth-inputs';

/** Written into an environment's folder when its synth failed; holds the error. */
export const SYNTH_FAILED_FILE = 'SYNTH-FAILED.txt';
/** Written last into a complete cache entry. */
const COMPLETE_FILE = 'COMPLETE';
/** Cache entries kept (the newest); older ones are removed. */
const KEEP_ENTRIES = 3;
/** Set for the globalTeardown when the assembly is temporary (not a cache entry). */
export const TEMPORARY_DIR_ENV = 'HIPAA_TEST_SYNTH_TEMPORARY';

const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'hipaa-test-synth');
const SCRIPT = join(__dirname, 'synthesize-environment.ts');
const REFERENCE_SCRIPT = join(__dirname, 'cfn-reference.ts');
const CDK_JSON = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

/** One assembly the globalSetup synthesizes: its folder, and the Node.js arguments and environment that write it. */
interface SynthJob {
  readonly folder: string;
  readonly command: (outdir: string, dir: string) => { args: string[]; env: NodeJS.ProcessEnv };
  /** The file (beside the folder) that keeps what the synth printed, when it succeeded. */
  readonly outputFile?: string;
  /** A job that reads this one's folder: started when this one succeeded. */
  readonly then?: SynthJob;
}

/** The folder of the synth of `env`'s `docker` trap (removed once the synths are done: the list is what stays). */
const dockerTrapFolder = (dir: string, env: CdkSynthEnvironment): string =>
  join(dir, `${cdkSynthFolder(env)}.docker-trap`);

/**
 * A `docker` that lists each call in `log` and fails, put first on PATH and given as CDK_DOCKER (the executable
 * CDK's own Docker calls use): `cdk synth` must never need Docker (dev builds its sample service from a Dockerfile,
 * which only `cdk deploy` builds). Returns the environment variables that put it there.
 */
export function dockerTrap(dir: string, env: CdkSynthEnvironment): NodeJS.ProcessEnv {
  const log = join(dir, dockerCallsFile(env));
  const bin = dockerTrapFolder(dir, env);
  mkdirSync(bin, { recursive: true });
  const docker = join(bin, 'docker');
  writeFileSync(docker, `#!/bin/sh\necho "docker $*" >> '${log}'\nexit 1\n`);
  chmodSync(docker, 0o755);
  writeFileSync(log, '');
  return { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, CDK_DOCKER: docker };
}

/** The reports of aws-cdk-lib's own CloudFormation validation plugin on the `cdk synth` form of dev (cfn-reference.ts). */
const REFERENCE_JOB: SynthJob = {
  folder: CFN_REFERENCE_FOLDER,
  command: (outdir: string, dir: string) => ({
    args: [...appNodeOptions(), '--import', 'tsx', REFERENCE_SCRIPT, join(dir, cdkSynthFolder('dev')), outdir],
    env: {},
  }),
};
/**
 * The test environments (folder = env, synthesize-environment.ts) and the `cdk synth` form of the shipped ones: the
 * app's entry point run as the CDK CLI runs it (cdk.json's Node.js options, CDK_OUTDIR, CDK_CONTEXT_JSON with the
 * environment and path metadata on), with a Docker that fails; the built-in CloudFormation validation runs for
 * CDK_SYNTH_VALIDATED only (one whole-app synth with it, as `cdk synth` runs it, is enough: about 1.4 s each).
 */
const JOBS: readonly SynthJob[] = [
  ...SYNTHESIZED_ENVIRONMENTS.map((env) => ({
    folder: env,
    command: (outdir: string) => ({ args: [...appNodeOptions(), '--import', 'tsx', SCRIPT, env, outdir], env: {} }),
  })),
  ...CDK_SYNTH_ENVIRONMENTS.map((env) => ({
    folder: cdkSynthFolder(env),
    command: (outdir: string, dir: string) => ({
      // cdk.json's app command, as `cdk synth` runs it (the app bundled by bin/run-app.js).
      args: appCommandArgs(),
      env: {
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON.context, env, 'aws:cdk:enable-path-metadata': true }),
        ...(env === CDK_SYNTH_VALIDATED ? {} : { CDK_VALIDATION: 'false' }),
        ...dockerTrap(dir, env),
      },
    }),
    outputFile: cdkSynthOutputFile(env),
    // aws-cdk-lib's own CloudFormation validation of the dev templates, for the worker-thread validation's test.
    ...(env === 'dev' ? { then: REFERENCE_JOB } : {}),
  })),
];

const ALL = [...JOBS, REFERENCE_JOB].map((j) => j.folder).join(', ');

/**
 * Runs `job` into `dir`/its folder in a child process; resolves to the error output, or undefined on success (then
 * what it printed is kept in its outputFile, if it names one).
 */
function synthesize(job: SynthJob, dir: string): Promise<string | undefined> {
  const env = job.folder;
  const { args, env: variables } = job.command(join(dir, job.folder), dir);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...variables },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve(`could not start the synth of ${env}: ${e.message}`));
    child.on('close', (code) => {
      if (code !== 0) return resolve(`synth of ${env} exited ${code}:\n${output}`);
      if (job.outputFile !== undefined) writeFileSync(join(dir, job.outputFile), output);
      resolve(undefined);
    });
  });
}

/** Synthesizes every environment into `dir`; true when all succeeded. */
async function synthesizeAll(dir: string): Promise<boolean> {
  const errors = await Promise.all(
    JOBS.map(async (job) => {
      let failed: string | undefined;
      for (let j: SynthJob | undefined = job; j !== undefined; j = j.then) {
        const outdir = join(dir, j.folder);
        mkdirSync(outdir, { recursive: true });
        // A job reading the folder of a job that failed does not run: its folder says why.
        const error =
          failed === undefined ? await synthesize(j, dir) : `not run: it reads ${job.folder}, whose synth failed`;
        if (error !== undefined) writeFileSync(join(outdir, SYNTH_FAILED_FILE), error);
        failed ??= error;
      }
      return failed;
    }),
  );
  for (const env of CDK_SYNTH_ENVIRONMENTS) rmSync(dockerTrapFolder(dir, env), { recursive: true, force: true });
  return errors.every((e) => e === undefined);
}

/** Removes all but the newest KEEP_ENTRIES complete entries, and unfinished entries of earlier runs. */
function prune(keep: string): void {
  const entries = readdirSync(CACHE)
    .map((name) => ({ name, path: join(CACHE, name) }))
    .filter((e) => e.path !== keep);
  const complete = entries
    .filter((e) => existsSync(join(e.path, COMPLETE_FILE)))
    .sort((a, b) => statSync(b.path).mtimeMs - statSync(a.path).mtimeMs);
  const stale = [
    ...complete.slice(KEEP_ENTRIES - 1),
    ...entries.filter(
      (e) => !existsSync(join(e.path, COMPLETE_FILE)) && Date.now() - statSync(e.path).mtimeMs > 3600e3,
    ),
  ];
  for (const e of stale) rmSync(e.path, { recursive: true, force: true });
}

export default async function globalSetup(): Promise<void> {
  // The context `cdk synth` gives the app (cdk.json); test/support/cdk-context.js gives the workers the same plus
  // `aws:cdk:disable-creation-stack-traces` (which bin/hipaa-blueprint.ts gives its App).
  process.env.CDK_CONTEXT_JSON = JSON.stringify(CDK_JSON.context);
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  if (process.env[SYNTH_CACHE_ENV] === 'off') {
    const dir = mkdtempSync(join(tmpdir(), 'hipaa-test-synth-'));
    await synthesizeAll(dir);
    process.env[SYNTH_DIR_ENV] = dir;
    process.env[TEMPORARY_DIR_ENV] = dir;
    console.log(`\nglobalSetup: synthesized ${ALL} into ${dir} (${elapsed()})`);
    return;
  }

  const key = synthInputsKey(ROOT);
  const entry = join(CACHE, key);
  if (existsSync(join(entry, COMPLETE_FILE))) {
    process.env[SYNTH_DIR_ENV] = entry;
    console.log(`\nglobalSetup: reused the synthesized ${ALL} (inputs ${key.slice(0, 12)}, ${elapsed()})`);
    return;
  }
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, `${key}.partial-`));
  const ok = await synthesizeAll(work);
  if (!ok) {
    // Never cached: this run's tests read the failure; the next run synthesizes again.
    process.env[SYNTH_DIR_ENV] = work;
    process.env[TEMPORARY_DIR_ENV] = work;
    console.log(`\nglobalSetup: the synth FAILED (${elapsed()}); tests reading it will report why`);
    return;
  }
  writeFileSync(join(work, COMPLETE_FILE), `${key}\n`);
  try {
    renameSync(work, entry);
  } catch {
    // Another run completed the same entry first: same inputs, same assembly.
    rmSync(work, { recursive: true, force: true });
  }
  process.env[SYNTH_DIR_ENV] = entry;
  prune(entry);
  console.log(`\nglobalSetup: synthesized ${ALL} (inputs ${key.slice(0, 12)}, ${elapsed()})`);
}
