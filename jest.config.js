/**
 * Jest: TypeScript is transpiled by ts-jest file by file (isolatedModules in tsconfig: no
 * type-checking here, `npm run build` type-checks the whole tree).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFiles: ['<rootDir>/test/support/cdk-context.js'],
  // Synthesizes dev and prod once per run for the tests that only read templates (test/support/synthesized.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // The control matrix's test index is written from Jest's own results (test/safeguard-tests.json).
  reporters: ['default', '<rootDir>/test/support/safeguard-test-index-reporter.js'],
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  testTimeout: 120000,
  // One worker per core (Jest's default leaves one core to its main process, which on 2 cores means running in band
  // while the main process idles): the suite is CPU-bound synths, and the main process only collects results.
  maxWorkers: '100%',
};
