/**
 * Jest: test files run in plain Node.js processes (jest-light-runner through test/support/light-runner.mjs: one child
 * process per worker, or Jest's own process under `-w 1`), not each in a module registry of its own: aws-cdk-lib,
 * cdk-nag and the blueprint load once per process instead of once per file.
 * TypeScript runs through tsx (no type-checking here: `npm run build` type-checks the whole tree), the same way in
 * every process and for every way of starting Jest (`npm test`, `npx jest FILE`, `npm run bench`):
 *  - in this process, for globalSetup and globalTeardown (and the test files themselves under `-w 1`);
 *  - in the runner's child processes, which tinypool forks with this process's execArgv.
 * Files sharing a process must not leak state into each other: test/support/file-isolation.ts restores
 * process.env, spies, AWS SDK client mocks and more between files, and fails a file that leaves them changed.
 */
const { pathToFileURL } = require('url');

/** tsx's loader (what `node --import tsx` loads): its CommonJS and ESM hooks. */
const TSX = pathToFileURL(require.resolve('tsx')).href;
if (!process.execArgv.includes(TSX)) process.execArgv.push('--import', TSX);
// The Node.js options cdk.json's app command runs the app with (`node --no-concurrent-marking --import tsx ...`), for
// the runner's child processes too: test files synthesize and validate as `cdk synth` does (docs/speed-history.md). Under
// `-w 1` the files run in this process, which started without them.
const { appNodeOptions } = require('./test/support/app-node-options');
for (const option of appNodeOptions()) {
  if (!process.execArgv.includes(option)) process.execArgv.push(option);
}
// A larger young generation for the runner's child processes (64 MB semi-spaces against Node.js 20's 16 MB; up to
// about 144 MB more memory per worker): a worker builds construct trees that live for a test, and with small
// semi-spaces V8 copied them through about 1,000 scavenges a run, 11-13 s of the two workers' time (--trace-gc); with
// 64 MB, about 350 scavenges and 8-10 s, measured in pairs of runs (docs/speed-history.md). Not for the app: one synth's
// garbage fits either way, and `cdk synth` was no faster. Under `-w 1` the files run in this process, which started
// without it; a size given on the command line is kept.
if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  process.execArgv.push('--max-semi-space-size=64');
}

const config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // jest-light-runner in child processes, with two fixes (test/support/light-runner.mjs).
  runner: '<rootDir>/test/support/light-runner.mjs',
  // No Jest transform: tsx compiles TypeScript (above).
  transform: {},
  setupFiles: ['<rootDir>/test/support/cdk-context.js'],
  // Files share a process: each file's leaks of process-wide state are restored, and fail that file.
  setupFilesAfterEnv: ['<rootDir>/test/support/file-isolation.ts'],
  // Synthesizes dev and prod once per run for the tests that only read templates (test/support/synthesized.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // The control matrix's test index is written from Jest's own results (test/safeguard-tests.json).
  reporters: ['default', '<rootDir>/test/support/safeguard-test-index-reporter.js'],
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  // No testTimeout: jest-light-runner applies none; a test file that runs over 10 minutes fails instead
  // (FILE_TIMEOUT_MS in test/support/light-runner.mjs).
  // One worker per core (Jest's default leaves one core to its main process, which on 2 cores means running in band
  // while the main process idles): the suite is CPU-bound synths, and the main process only collects results.
  maxWorkers: '100%',
};

module.exports = async () => {
  await import(TSX);
  return config;
};
