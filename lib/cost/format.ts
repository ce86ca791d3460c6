/** `$1,234.56`. */
export function money(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const [whole, cents] = Math.abs(usd).toFixed(2).split('.');
  return `${sign}$${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** A unit price with the digits it needs: `$0.0225`, `$1.00`, `$0.0000133334`. */
export function unitPrice(usd: number | null): string {
  if (usd === null) return 'no confirmed price';
  const fixed = usd.toFixed(10).replace(/0+$/, '');
  const [whole, decimals = ''] = fixed.split('.');
  return `$${whole}.${decimals.padEnd(2, '0')}`;
}

/** Plain-text table with aligned columns; `right` lists the right-aligned columns. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]): string =>
    r
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** Markdown table; pipes in cells are escaped. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const cell = (c: string): string => c.replace(/\|/g, '\\|');
  const line = (r: readonly string[]): string => `| ${r.map(cell).join(' | ')} |`;
  return [
    line(header),
    `| ${header.map((_, i) => (right.includes(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}
