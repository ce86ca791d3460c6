import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { isSafeguardId, SafeguardId } from '../catalogue/safeguards';

/** A test whose name starts with one or more safeguard ids (team convention: 'U2 audit bucket ...'). */
export interface SafeguardTest {
  /** File path relative to the project root, e.g. 'test/stacks/audit-stack.test.ts'. */
  readonly file: string;
  /** The test name as written. */
  readonly name: string;
  readonly safeguards: readonly SafeguardId[];
}

/**
 * The file Jest writes after a full passing run (test/support/safeguard-test-index-reporter.js): the tests it
 * ran and passed, by file and name. The index is Jest's own view of the suite: skipped, todo and failed tests
 * are never in it, and neither is any string of a test's source.
 */
export const SAFEGUARD_TEST_INDEX_FILE = 'test/safeguard-tests.json';

const LEADING_ID = /^([A-Z]\d)(?=[\s,/&+:-]|$)[\s,/&+:-]*/;

/** Safeguard ids a test name starts with: 'E1, I2 key is retained' -> ['E1', 'I2']. */
export function leadingSafeguardIds(name: string): SafeguardId[] {
  const ids: SafeguardId[] = [];
  let rest = name.trim();
  for (let m = LEADING_ID.exec(rest); m; m = LEADING_ID.exec(rest)) {
    const id = m[1]!;
    if (!isSafeguardId(id)) break;
    ids.push(id);
    rest = rest.slice(m[0].length);
  }
  return ids;
}

/** The project root: the nearest folder above this file that holds package.json. */
export function projectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}

/** Safeguard tests of an index file's content (entries whose name starts with no safeguard id are dropped). */
export function safeguardTestsOf(index: unknown): SafeguardTest[] {
  const tests = (index as { tests?: unknown } | null)?.tests;
  if (!Array.isArray(tests)) throw new Error(`${SAFEGUARD_TEST_INDEX_FILE}: no "tests" list`);
  return tests.flatMap((t: { file?: unknown; name?: unknown }) => {
    if (typeof t?.file !== 'string' || typeof t?.name !== 'string') {
      throw new Error(`${SAFEGUARD_TEST_INDEX_FILE}: entry ${JSON.stringify(t)} needs a file and a name`);
    }
    const safeguards = leadingSafeguardIds(t.name);
    return safeguards.length > 0 ? [{ file: t.file, name: t.name, safeguards }] : [];
  });
}

/**
 * The safeguard tests of the last full passing `npm test` (SAFEGUARD_TEST_INDEX_FILE under `root`); none
 * when the file is absent (the matrix then reports every safeguard as without tests).
 */
export function readSafeguardTestIndex(root: string = projectRoot()): SafeguardTest[] {
  const file = join(root, SAFEGUARD_TEST_INDEX_FILE);
  if (!existsSync(file)) return [];
  return safeguardTestsOf(JSON.parse(readFileSync(file, 'utf8')));
}
