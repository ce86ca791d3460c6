/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** a / b; throws on a non-positive denominator (a ratio to nothing is not a measurement). */
export function ratio(a: number, b: number): number {
  if (!(b > 0)) throw new Error(`ratio: denominator must be > 0, got ${b}`);
  return a / b;
}

/** Milliseconds per resource; throws when there are no resources. */
export function msPerResource(ms: number, resources: number): number {
  if (!(resources > 0)) throw new Error(`per-resource time: resource count must be > 0, got ${resources}`);
  return ms / resources;
}

/** Rounds to `digits` decimals (for the JSON file and the printout). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
