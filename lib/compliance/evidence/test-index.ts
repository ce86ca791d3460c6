import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import { isSafeguardId, SafeguardId } from './safeguards';

/** A test whose name starts with one or more safeguard ids (team convention: 'U2 audit bucket ...'). */
export interface SafeguardTest {
  /** File path relative to the project root, e.g. 'test/stacks/audit-stack.test.ts'. */
  readonly file: string;
  /** The test name as written. */
  readonly name: string;
  readonly safeguards: readonly SafeguardId[];
}

const TEST_CALL = /\b(?:it|test)(?:\.(?:only|skip|concurrent|failing))?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
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

/** Safeguard tests declared in one test file's source. */
export function safeguardTestsIn(source: string, file: string): SafeguardTest[] {
  const out: SafeguardTest[] = [];
  for (const m of source.matchAll(TEST_CALL)) {
    const name = m[2]!;
    const safeguards = leadingSafeguardIds(name);
    if (safeguards.length > 0) out.push({ file, name, safeguards });
  }
  return out;
}

/** The project root: the nearest folder above this file that holds package.json. */
export function projectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(full);
    return e.isFile() && e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Scans `<root>/test/**\/*.test.ts` for tests named after a safeguard, sorted by file. */
export function indexSafeguardTests(root: string = projectRoot()): SafeguardTest[] {
  return walk(join(root, 'test'))
    .sort()
    .flatMap((f) => safeguardTestsIn(readFileSync(f, 'utf8'), relative(root, f).split('\\').join('/')));
}
