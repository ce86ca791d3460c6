/**
 * Jest runner: jest-light-runner 0.7.13 in child processes (jest.config.js `runner`), with two fixes of its
 * child_process runtime and one change. Under `-w 1` it is jest-light-runner unchanged (its main-thread runtime, in
 * Jest's process).
 *
 * 1. No lost set-up. Each child asks the parent for the Jest config once, when its first test file starts; the
 *    parent answers through a channel that tinypool shares between the children. jest-light-runner sends the answer
 *    to every child that has a task and then forgets them, so a child still starting up (not listening yet) loses its
 *    copy, and its own request later gets no answer: that child waits forever and `npm test` never ends (seen here
 *    with 2 workers). This runner answers every request and forgets no child; a child that is set up already
 *    ignores a repeated answer.
 * 2. A file that never finishes fails instead of hanging the run. jest-light-runner enforces no timeout at all
 *    (Jest's testTimeout is not applied): a test file still running after FILE_TIMEOUT_MS fails, naming the limit,
 *    and tinypool replaces its child process.
 * And one change of what it reports: a file's time includes loading it (test/support/light-runner-worker.mjs).
 */
/* global AbortSignal */
import process from 'process';
import { URL } from 'url';
import { createRunner } from 'jest-light-runner';
// jest-light-runner's own dependency (hoisted: the same copy its index.js imports).
import Tinypool from 'tinypool';

/**
 * The per-file worker: jest-light-runner's own, with each file's time counted from before it is loaded
 * (test/support/light-runner-worker.mjs).
 */
const WORKER_URL = new URL('./light-runner-worker.mjs', import.meta.url).href;

/** The messages of jest-light-runner's worker (src/worker-runner.js initialSetup). */
const REQUEST = 'jest-light-runner-get-worker-data';
const ANSWER = 'jest-light-runner-worker-data';

/** Longest a test file may run (all its tests and hooks): 10 minutes; the slowest file takes under a minute. */
export const FILE_TIMEOUT_MS = 10 * 60 * 1000;

export default class ChildProcessLightRunner extends createRunner({ runtime: 'child_process' }) {
  _runTest(test) {
    if (this._runtime !== 'child_process') return super._runTest(test);
    const projectConfig = test.context.config;
    if (!this._testRunners.has(projectConfig)) {
      const { maxWorkers } = this._globalConfig;
      const workerData = { globalConfig: this._globalConfig, projectConfig, runtime: 'child_process' };
      const pool = new Tinypool({
        filename: WORKER_URL,
        runtime: 'child_process',
        minThreads: maxWorkers,
        maxThreads: maxWorkers,
        env: process.env,
        trackUnmanagedFds: false,
        workerData,
      });
      // tinypool registers one listener per task it posts (each sends to that task's child); keep them all.
      const listeners = new Set();
      const channel = {
        onMessage: (listener) => void listeners.add(listener),
        postMessage: (message) => {
          if (message === REQUEST) for (const listener of listeners) listener({ type: ANSWER, workerData });
        },
      };
      const run = (t) =>
        pool.run(t.path, { channel, signal: AbortSignal.timeout(FILE_TIMEOUT_MS) }).catch((error) => {
          if (error?.name !== 'AbortError' && error?.name !== 'TimeoutError') throw error;
          throw new Error(
            `did not finish within ${FILE_TIMEOUT_MS / 1000} s (test/support/light-runner.mjs); its process was stopped`,
          );
        });
      this._testRunners.set(projectConfig, { pool, run });
    }
    return this._testRunners.get(projectConfig).run(test);
  }
}
