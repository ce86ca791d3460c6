import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  leadingSafeguardIds,
  readSafeguardTestIndex,
  SAFEGUARD_TEST_INDEX_FILE,
  safeguardTestsOf,
} from '../../../lib/compliance/evidence/test-index';
import { scratchDir } from '../../support/scratch';

// The reporter is plain JavaScript (Jest loads it without transpiling).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const reporter = require('../../support/safeguard-test-index-reporter') as {
  indexOf(rootDir: string, results: unknown): string | undefined;
  INDEX_FILE: string;
};

/** A project root with two test files, and Jest results for them. */
function fixture(): { root: string; a: string; b: string } {
  const root = scratchDir('test-index-');
  mkdirSync(join(root, 'test', 'x'), { recursive: true });
  const a = join(root, 'test', 'a.test.ts');
  const b = join(root, 'test', 'x', 'b.test.ts');
  writeFileSync(a, '');
  writeFileSync(b, '');
  return { root, a, b };
}

const passing = (files: Record<string, [string, string][]>) => ({
  numFailedTests: 0,
  numRuntimeErrorTestSuites: 0,
  wasInterrupted: false,
  testResults: Object.entries(files).map(([testFilePath, tests]) => ({
    testFilePath,
    testResults: tests.map(([title, status]) => ({ title, status })),
  })),
});

describe('the test index (Jest results, not source text)', () => {
  test('V2 leading safeguard ids are read from test names', () => {
    expect(leadingSafeguardIds('E1, I2 key is retained')).toEqual(['E1', 'I2']);
    expect(leadingSafeguardIds('U2 audit bucket has Object Lock')).toEqual(['U2']);
    expect(leadingSafeguardIds('Z9 unknown')).toEqual([]);
    expect(leadingSafeguardIds('E1x not an id')).toEqual([]);
  });

  test('V2 only tests Jest ran and passed are indexed: skipped, todo, pending and failed ones are not', () => {
    const { root, a, b } = fixture();
    const index = reporter.indexOf(
      root,
      passing({
        [a]: [
          ['E1 runs', 'passed'],
          ['E1 skipped', 'skipped'],
          ['E1 todo', 'todo'],
          ['E1 pending', 'pending'],
          ['plain name', 'passed'],
        ],
        [b]: [['N4 flow logs', 'passed']],
      }),
    );
    expect(JSON.parse(index!).tests).toEqual([
      { file: 'test/a.test.ts', name: 'E1 runs' },
      { file: 'test/x/b.test.ts', name: 'N4 flow logs' },
    ]);
  });

  test('V2 a partial or failing run writes no index', () => {
    const { root, a, b } = fixture();
    expect(reporter.indexOf(root, passing({ [a]: [['E1 runs', 'passed']] }))).toBeUndefined();
    const failing = { ...passing({ [a]: [['E1 runs', 'passed']], [b]: [] }), numFailedTests: 1 };
    expect(reporter.indexOf(root, failing)).toBeUndefined();
  });

  test('V2 the index file is read back with validated safeguard ids; names without one are dropped', () => {
    const { root } = fixture();
    writeFileSync(
      join(root, SAFEGUARD_TEST_INDEX_FILE),
      JSON.stringify({
        tests: [
          { file: 'test/a.test.ts', name: 'E1, I2 key is retained' },
          { file: 'test/a.test.ts', name: 'Z9 not a safeguard' },
        ],
      }),
    );
    expect(readSafeguardTestIndex(root)).toEqual([
      { file: 'test/a.test.ts', name: 'E1, I2 key is retained', safeguards: ['E1', 'I2'] },
    ]);
    expect(readSafeguardTestIndex(scratchDir('no-index-'))).toEqual([]);
    expect(() => safeguardTestsOf({ tests: [{ name: 'E1 x' }] })).toThrow(/needs a file and a name/);
    expect(reporter.INDEX_FILE).toBe(SAFEGUARD_TEST_INDEX_FILE);
  });
});
