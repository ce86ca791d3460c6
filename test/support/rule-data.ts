/** Helpers for tests of CloudWatch Logs filter patterns and rule data. */

/** A HIPAA Security Rule section, e.g. 164.312(b). */
export const HIPAA_SECTION = /^164\.3\d\d\(/;

/** True when every (, { and " in the pattern is closed in order and the pattern is one {...} block. */
export function isBalanced(pattern: string): boolean {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return false;
  const closing: Record<string, string> = { ')': '(', '}': '{' };
  const stack: string[] = [];
  let inString = false;
  for (const ch of trimmed) {
    if (ch === '"') {
      inString = !inString;
      continue;
    }
    if (inString) continue;
    if (ch === '(' || ch === '{') stack.push(ch);
    else if (ch === ')' || ch === '}') {
      if (stack.pop() !== closing[ch]) return false;
    }
  }
  return !inString && stack.length === 0;
}

export function duplicates(values: readonly string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}
