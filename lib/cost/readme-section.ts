/** Markers around the generated cost section of the README. */
export const COST_BEGIN = '<!-- cost:begin -->';
export const COST_END = '<!-- cost:end -->';

/** A README without exactly one well-ordered pair of cost markers. */
export class ReadmeMarkerError extends Error {
  constructor(reason: string) {
    super(`README: ${reason}: it needs one '${COST_BEGIN}' line followed by one '${COST_END}' line`);
    this.name = 'ReadmeMarkerError';
  }
}

function bounds(readme: string): { start: number; end: number } {
  const start = readme.indexOf(COST_BEGIN);
  const end = readme.indexOf(COST_END);
  if (start < 0 || end < 0) throw new ReadmeMarkerError('cost markers missing');
  if (readme.indexOf(COST_BEGIN, start + 1) >= 0 || readme.indexOf(COST_END, end + 1) >= 0) {
    throw new ReadmeMarkerError('cost markers appear more than once');
  }
  if (end < start) throw new ReadmeMarkerError('cost:end comes before cost:begin');
  return { start: start + COST_BEGIN.length, end };
}

/** The text between the markers. */
export function extractCostSection(readme: string): string {
  const { start, end } = bounds(readme);
  return readme.slice(start, end);
}

/** The README with the text between the markers replaced by `block`. */
export function replaceCostSection(readme: string, block: string): string {
  const { start, end } = bounds(readme);
  return `${readme.slice(0, start)}\n${block.trim()}\n${readme.slice(end)}`;
}
