import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import { isSafeguardId, SafeguardId } from '../catalogue/safeguards';

/** A test whose name starts with one or more safeguard ids (team convention: 'U2 audit bucket ...'). */
export interface SafeguardTest {
  /** File path relative to the project root, e.g. 'test/stacks/audit-stack.test.ts'. */
  readonly file: string;
  /** The test name as written. */
  readonly name: string;
  readonly safeguards: readonly SafeguardId[];
}

/** A test call: `it(` / `test(` with optional modifiers (`.only`, `.concurrent`, `.skip`, `.todo`, `.failing`). */
const TEST_CALL = /\b(?:it|test)((?:\.(?:only|skip|concurrent|failing|todo))*)\(\s*(['"`])((?:\\.|(?!\2)[^\\])*)\2/g;
/** Modifiers of a test that does not run, or passes only when its body fails. */
const NOT_RUN = /\.(?:skip|todo|failing)\b/;
/** A describe block whose tests do not run. */
const SKIPPED_DESCRIBE = /(?:\bxdescribe|\bdescribe(?:\.\w+)*\.skip)\s*\(/g;
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

/**
 * Index just past the parenthesis that closes the one before `open` (source[open - 1] is '('),
 * skipping string literals and comments; the end of the source when it is unbalanced.
 */
function closingParen(source: string, open: number): number {
  let depth = 1;
  for (let i = open; i < source.length; i++) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
    else if (c === '/' && source[i + 1] === '*')
      i = source.indexOf('*/', i + 2) < 0 ? source.length : source.indexOf('*/', i + 2) + 1;
    else if (c === "'" || c === '"' || c === '`') {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return source.length;
}

/**
 * Safeguard tests declared in one test file's source. Tests that do not run are excluded:
 * `it.skip` / `test.skip`, `.todo`, `.failing` (passes only when its body fails), `xit` / `xtest`
 * (never matched), and every test inside `describe.skip` / `xdescribe`. The index names tests;
 * whether they pass is `npm test`'s to say.
 */
export function safeguardTestsIn(source: string, file: string): SafeguardTest[] {
  const skipped: [number, number][] = [];
  for (const d of source.matchAll(SKIPPED_DESCRIBE)) {
    const open = d.index + d[0].length;
    skipped.push([open, closingParen(source, open)]);
  }
  const out: SafeguardTest[] = [];
  for (const m of source.matchAll(TEST_CALL)) {
    if (NOT_RUN.test(m[1] ?? '')) continue;
    if (skipped.some(([from, to]) => m.index >= from && m.index < to)) continue;
    const name = m[3]!;
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
