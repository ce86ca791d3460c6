import { globalSetupOf } from '../../bench/run-bench';

describe('globalSetupOf', () => {
  test('a warm run reused the synthesized assemblies, a cold one synthesized them, from the globalSetup’s own line', () => {
    const out = (line: string): string => `Determining test suites to run...\n${line}\nPASS test/a.test.ts\n`;
    expect(globalSetupOf(out('globalSetup: reused the synthesized dev, prod (inputs 74d377a8a856, 0.1 s)'))).toBe(
      'reused',
    );
    expect(globalSetupOf(out('globalSetup: synthesized dev, prod (inputs 74d377a8a856, 34.4 s)'))).toBe('synthesized');
    expect(globalSetupOf(out('globalSetup: synthesized dev, prod into /tmp/x (30.1 s)'))).toBe('synthesized');
    // Not at the start of a line (a test's own output quoting it), or absent: unknown.
    expect(globalSetupOf(out('  console.log: "globalSetup: reused the synthesized dev"'))).toBe('unknown');
    expect(globalSetupOf('')).toBe('unknown');
  });
});
