import { z } from 'zod';

/** One problem of a config: where, and the rule it breaks (the value is read from the input at `path`). */
export interface ConfigProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Longest value shown in a problem line; longer values are cut with an ellipsis. */
export const MAX_SHOWN_VALUE_LENGTH = 80;

/** `services[0].routing.priority` from ['services', 0, 'routing', 'priority']. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(config)' : out;
}

/**
 * A value as a problem line shows it: strings in single quotes with control characters, quotes and
 * backslashes escaped (a newline or `${...}` in a value cannot break or inject into the message), other values
 * as JSON, and everything cut to MAX_SHOWN_VALUE_LENGTH characters.
 */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') {
    const escaped = JSON.stringify(value)
      .slice(1, -1)
      .replace(/\\"/g, '"')
      .replace(/'/g, "\\'")
      .replace(
        /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
    text = `'${escaped}'`;
  } else if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'number' && !Number.isFinite(value)) {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
    text = text.replace(
      /[\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  return text.length > MAX_SHOWN_VALUE_LENGTH ? `${text.slice(0, MAX_SHOWN_VALUE_LENGTH - 1)}…` : text;
}

/** The value at `path` of `input` (undefined where the path leaves the input). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = input;
  for (const part of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[part];
  }
  return at;
}

/** Levenshtein distance (edit distance) between two short strings. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known key a misspelt one most likely meant (case-insensitive edit distance), if any is close. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(key.toLowerCase(), k.toLowerCase());
    if (!best || distance < best.distance) best = { key: k, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

/** The schema of the object at `path` of `schema` (through arrays and optionals), or undefined. */
function objectSchemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let at: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
    while (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodReadonly
    ) {
      s = (s._zod.def as unknown as { innerType: z.ZodType }).innerType;
    }
    return s;
  };
  for (const part of path) {
    at = unwrap(at);
    if (at instanceof z.ZodObject) at = (at.shape as Record<string, z.ZodType>)[String(part)];
    else if (at instanceof z.ZodArray) at = at.element as z.ZodType;
    else return undefined;
  }
  at = unwrap(at);
  return at instanceof z.ZodObject ? at : undefined;
}

const TYPE_RULES: Readonly<Record<string, string>> = {
  string: 'must be a string',
  number: 'must be a number',
  int: 'must be a whole number',
  boolean: 'must be true or false (a boolean, not a string)',
  array: 'must be a list',
  object: 'must be an object',
};

/** The problems of a failed parse, in the order zod found them, with unknown keys one by one. */
export function problemsOf(schema: z.ZodType, input: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const value = valueAt(input, issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(objectSchemaAt(schema, issue.path)?.shape ?? {});
      for (const key of issue.keys) {
        const near = nearestKey(key, known);
        problems.push({
          path: [...issue.path, key],
          message: near
            ? `unknown key; did you mean ${near}?`
            : `unknown key; known keys here: ${known.join(', ') || 'none'}`,
        });
      }
    } else if (issue.code === 'invalid_type') {
      const expected = String(issue.expected);
      // A field's own message (z.string({ error })) says more than the generic rule.
      const rule = issue.message.startsWith('Invalid input')
        ? (TYPE_RULES[expected] ?? `must be ${expected}`)
        : issue.message;
      problems.push({
        path: issue.path,
        message: value === undefined ? 'is required' : value === null ? `must not be null: ${rule}` : rule,
      });
    } else if (issue.code === 'invalid_value') {
      problems.push({
        path: issue.path,
        message: issue.message.startsWith('Invalid option')
          ? `must be one of ${issue.values.map((v) => showValue(v)).join(', ')}`
          : issue.message,
      });
    } else {
      problems.push({ path: issue.path, message: issue.message });
    }
  }
  return problems;
}

/** `field = value: rule`, the form of every problem line. */
export function problemLine(input: unknown, problem: ConfigProblem): string {
  return `${fieldName(problem.path)} = ${showValue(valueAt(input, problem.path))}: ${problem.message}`;
}
