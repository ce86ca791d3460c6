/**
 * No input can crash validation: every field of the shipped configs (and every section) replaced by values of
 * every wrong kind gives problem lines, never an exception.
 */
import { configProblems, ENVIRONMENTS } from '../../lib/config';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOSTILE: readonly unknown[] = [
  null,
  undefined,
  '',
  'x',
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  [null],
  {},
  { toString: 'x' },
  'x'.repeat(10000),
  '${process.exit(1)}\n\u0000\u202e',
  '__proto__',
];

/** Every path of a JSON value (objects and arrays included, the root excluded). */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const path = [...prefix, Array.isArray(value) ? Number(k) : k];
    return [path, ...paths(v, path)];
  });
}

function replaced(base: Json, path: (string | number)[], value: unknown): Json {
  const copy = JSON.parse(JSON.stringify(base));
  let at = copy;
  for (const part of path.slice(0, -1)) at = at[part];
  at[path[path.length - 1]!] = value;
  return copy;
}

describe.each(['dev', 'prod'] as const)('validation of %s never throws', (env) => {
  const base = ENVIRONMENTS[env];
  const all = paths(base);

  test('every field and section replaced by every wrong kind of value gives problems, not an exception', () => {
    expect(all.length).toBeGreaterThan(50);
    let checked = 0;
    for (const path of all) {
      for (const value of HOSTILE) {
        const input = replaced(base, path, value);
        let problems: string[] = [];
        expect(() => (problems = configProblems(input))).not.toThrow();
        for (const line of problems) expect(line).toMatch(/^\S+ = .*: .+$/s);
        checked++;
      }
    }
    expect(checked).toBe(all.length * HOSTILE.length);
  });

  test('a prototype-polluting key is an unknown key, not a crash', () => {
    const input = JSON.parse(JSON.stringify(base).replace('{', '{"__proto__":{"polluted":true},'));
    expect(() => configProblems(input)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
