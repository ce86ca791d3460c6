/**
 * The per-file worker of test/support/light-runner.mjs (in each of its child processes): jest-light-runner's own
 * worker, with each file's time counted from before the file is loaded instead of after.
 *
 * jest-light-runner starts a file's clock once the file is imported, so what a file does at its top level (a whole
 * blueprint built outside any hook: about 2 s for app-stack.test.ts) and the first load of every module it is the first
 * to import were nobody's time: about 13.5 s of a warm run's workers' time (docs/speed-history.md). Counted here, a
 * file's `perfStats` (Jest's `--json` startTime and endTime, what `npm run bench` lists, and the runtime Jest's
 * sequencer orders the next run by) cover all the work it caused. The first file of each process also carries that process's one-time set-up
 * (jest-light-runner's setup files, this project's file isolation), which jest-light-runner does inside the same call.
 */
import { createRequire } from 'module';
import { performance } from 'perf_hooks';
import { pathToFileURL, URL } from 'url';

/** jest-light-runner's per-file worker (what its index.js hands tinypool). */
const LIGHT_RUNNER_WORKER_URL = new URL(
  './worker-runner.js',
  pathToFileURL(createRequire(import.meta.url).resolve('jest-light-runner')),
).href;

const { default: runFile } = await import(LIGHT_RUNNER_WORKER_URL);

/** Runs one test file as jest-light-runner does; its perfStats start before the file is loaded. */
export default async function run(testFilePath) {
  const started = performance.now();
  const result = await runFile(testFilePath);
  return withLoadCounted(result, started);
}

/**
 * `result` with its clock started at `started` (before loading), not when its tests began. A result without numeric
 * times, or one that started before `started`, is returned as it is. (`perfStats.slow`, the default reporter's
 * "slow file" flag, stays jest-light-runner's: the tests' own time.)
 */
export function withLoadCounted(result, started) {
  const stats = result?.perfStats;
  if (typeof stats?.start !== 'number' || typeof stats?.end !== 'number' || !(started <= stats.start)) return result;
  const runtime = stats.end - started;
  return {
    ...result,
    perfStats: {
      ...stats,
      start: started,
      runtime: Math.round(runtime),
    },
  };
}
