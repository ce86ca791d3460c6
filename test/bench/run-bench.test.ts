import { join } from 'path';
import { failedTests, fileTimes, globalSetupOf, ROOT, Run, timeTestRun } from '../../bench/run-bench';

describe('globalSetupOf', () => {
  const out = (...lines: string[]): string =>
    `Determining test suites to run...\n${lines.join('\n')}\nPASS test/a.test.ts\n`;

  test('warm when the globalSetup reused the synthesized assemblies; cold when it synthesized them, or failed to', () => {
    expect(globalSetupOf(out('globalSetup: reused the synthesized dev, prod (inputs 74d377a8a856, 0.1 s)'))).toBe(
      'reused',
    );
    expect(globalSetupOf(out('globalSetup: synthesized dev, prod (inputs 74d377a8a856, 34.4 s)'))).toBe('synthesized');
    // HIPAA_TEST_SYNTH_CACHE=off: into a temporary folder.
    expect(globalSetupOf(out('globalSetup: synthesized dev, prod into /tmp/x (30.1 s)'))).toBe('synthesized');
    expect(globalSetupOf(out('globalSetup: the synth FAILED (31.0 s); tests reading it will report why'))).toBe(
      'synthesized',
    );
  });

  test('only the globalSetup’s own (first) line counts: a later line, or one not at the start of a line, does not', () => {
    expect(
      globalSetupOf(out('globalSetup: synthesized dev (inputs 1, 30 s)', 'globalSetup: reused the synthesized dev')),
    ).toBe('synthesized');
    expect(globalSetupOf(out('  console.log: "globalSetup: reused the synthesized dev"'))).toBe('unknown');
    expect(globalSetupOf(out('globalSetup: something else'))).toBe('unknown');
    expect(globalSetupOf('')).toBe('unknown');
  });
});

const RESULTS = JSON.stringify({
  testResults: [
    { name: join(ROOT, 'test/a.test.ts'), startTime: 1000, endTime: 1500 },
    { name: join(ROOT, 'test/b/c.test.ts'), startTime: 2000, endTime: 11_000 },
  ],
});

describe('fileTimes', () => {
  test('each file’s own time from Jest’s JSON results, slowest first, relative to the root', () => {
    expect(fileTimes(RESULTS, ROOT)).toEqual([
      { file: 'test/b/c.test.ts', ms: 9000 },
      { file: 'test/a.test.ts', ms: 500 },
    ]);
  });

  test('nothing from results it cannot read; entries without a name or times are left out', () => {
    expect(fileTimes('not json', ROOT)).toEqual([]);
    expect(fileTimes('{"numTotalTests": 3}', ROOT)).toEqual([]);
    const partial = JSON.stringify({
      testResults: [{ name: join(ROOT, 'test/a.test.ts') }, { startTime: 1, endTime: 2 }],
    });
    expect(fileTimes(partial, ROOT)).toEqual([]);
    // Entries that are not objects are skipped, the others read.
    const mixed = JSON.stringify({ testResults: [null, 3, 'x', ...JSON.parse(RESULTS).testResults] });
    expect(fileTimes(mixed, ROOT)).toEqual(fileTimes(RESULTS, ROOT));
    expect(failedTests(mixed, ROOT)).toEqual([]);
  });
});

describe('failedTests', () => {
  test('each failed test as FILE > its describe blocks > its title, in Jest’s order; a file that failed outside its tests with its error’s first line', () => {
    const results = JSON.stringify({
      testResults: [
        {
          name: join(ROOT, 'test/a.test.ts'),
          status: 'failed',
          message: 'long message with the diff',
          assertionResults: [
            { status: 'passed', ancestorTitles: ['a'], title: 'passes' },
            { status: 'failed', ancestorTitles: ['a', 'when slow'], title: 'times out', fullName: 'times out' },
            { status: 'failed', title: 'at the top level' },
          ],
        },
        { name: join(ROOT, 'test/b.test.ts'), status: 'passed', assertionResults: [{ status: 'passed', title: 'b' }] },
        {
          name: join(ROOT, 'test/c/d.test.ts'),
          status: 'failed',
          // As Jest writes it (jest-message-util formatExecError, with its colours).
          message:
            '  \u001b[1m\u25cf \u001b[22mTest suite failed to run\n\n    did not finish within 600 s (test/support/light-runner.mjs); its process was stopped\n\n      at run (x.mjs:1:1)\n',
          assertionResults: [],
        },
        { name: join(ROOT, 'test/e.test.ts'), status: 'failed' },
      ],
    });
    expect(failedTests(results, ROOT)).toEqual([
      'test/a.test.ts > a > when slow > times out',
      'test/a.test.ts > at the top level',
      'test/c/d.test.ts (did not finish within 600 s (test/support/light-runner.mjs); its process was stopped)',
      'test/e.test.ts',
    ]);
  });

  test('none from results it cannot read, or from a run where nothing failed', () => {
    expect(failedTests('not json', ROOT)).toEqual([]);
    expect(failedTests('{"numTotalTests": 3}', ROOT)).toEqual([]);
    expect(failedTests(RESULTS, ROOT)).toEqual([]);
  });
});

describe('timeTestRun', () => {
  /** A runner that records what it was asked and answers `result`, and a busy-time counter read twice. */
  function fakes(result: Partial<Run>, busy: (number | undefined)[]) {
    const calls: { command: string; args: readonly string[]; env: NodeJS.ProcessEnv }[] = [];
    const run = (command: string, args: readonly string[], env: NodeJS.ProcessEnv): Run => {
      calls.push({ command, args, env });
      return { ms: 52_000, code: 0, stdout: '', stderr: '', ...result };
    };
    return { calls, run, busyMs: () => busy.shift(), resultsFile: '/tmp/x/jest-results.json', readFile: () => RESULTS };
  }

  test('runs npx with the environment it is given (no variable added: CDK_* ones key the synth cache)', () => {
    const env = { PATH: '/usr/bin', HOME: '/root' };
    const f = fakes({ stdout: 'globalSetup: reused the synthesized dev (inputs 1, 0.1 s)\n' }, [1_000, 101_000]);
    const t = timeTestRun(['jest', 'test/cost'], false, { ...f, env });
    // Jest writes its results where the bench reads them; the command reported is the one asked for.
    expect(f.calls).toEqual([
      { command: 'npx', args: ['jest', 'test/cost', '--json', '--outputFile=/tmp/x/jest-results.json'], env },
    ]);
    expect(f.calls[0]!.env).toBe(env);
    expect(t).toEqual({
      skipped: false,
      command: 'npx jest test/cost',
      wallMs: 52_000,
      machineCpuMs: 100_000,
      wholeSuite: false,
      globalSetup: 'reused',
      exitCode: 0,
      files: [
        { file: 'test/b/c.test.ts', ms: 9000 },
        { file: 'test/a.test.ts', ms: 500 },
      ],
      failed: [],
    });
  });

  test('reads the globalSetup’s line from stderr too; no CPU figure when a reading is missing or went backwards', () => {
    const cold = { stderr: 'globalSetup: synthesized dev (inputs 1, 30 s)\n', code: 1 };
    const missing = fakes(cold, [1_000, undefined]);
    const t = timeTestRun(['jest'], true, { ...missing, env: {} });
    expect(t).toMatchObject({ globalSetup: 'synthesized', exitCode: 1 });
    expect(t).not.toHaveProperty('machineCpuMs');
    const backwards = fakes(cold, [5_000, 4_000]);
    expect(timeTestRun(['jest'], true, { ...backwards, env: {} })).not.toHaveProperty('machineCpuMs');
    const killed = fakes({ code: null }, [0, 0]);
    expect(timeTestRun(['jest'], true, { ...killed, env: {} })).toMatchObject({
      exitCode: -1,
      machineCpuMs: 0,
      globalSetup: 'unknown',
    });
  });

  test('ARGS that ask for Jest’s results elsewhere are run as given, and no file times are read', () => {
    const f = fakes({}, [0, 0]);
    let read = false;
    const t = timeTestRun(['jest', '--json'], false, { ...f, readFile: () => ((read = true), RESULTS), env: {} });
    expect(f.calls[0]!.args).toEqual(['jest', '--json']);
    expect(read).toBe(false);
    expect(t.files).toEqual([]);
    expect(t.failed).toEqual([]);
  });
});
