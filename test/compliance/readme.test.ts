import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The rows of the markdown table under `## <heading>` in README.md, as { first cell: second cell }. */
function tableUnder(heading: string): Record<string, string> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no '## ${heading}' section`);
  const rest = readme.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .filter((cells) => !cells.every((c) => /^-*$/.test(c)));
  const [, ...body] = rows; // drop the header row
  return Object.fromEntries(body.map(([who, carries]) => [who, carries ?? '']));
}

describe('README', () => {
  const table = tableUnder('Shared responsibility');
  const row = (who: RegExp): string => {
    const found = Object.entries(table).filter(([w]) => who.test(w));
    expect([who.source, found.length]).toEqual([who.source, 1]);
    return found[0][1];
  };

  test('V3 the shared responsibility table names what AWS, the blueprint and the customer each carry', () => {
    expect(Object.keys(table)).toHaveLength(3);

    // AWS: the physical safeguards and the eligible services under the BAA.
    const aws = row(/^AWS$/);
    expect(aws).toContain('164.310');
    expect(aws).toMatch(/physical safeguards/i);

    // The blueprint: the technical safeguards, with evidence.
    const blueprint = row(/^This blueprint$/);
    expect(blueprint).toContain('164.312');
    expect(blueprint).toMatch(/technical safeguards/i);
    for (const item of [/encryption/i, /access control/i, /audit/i, /integrity/i, /evidence/i]) {
      expect([item.source, item.test(blueprint)]).toEqual([item.source, true]);
    }

    // The customer: the administrative safeguards the blueprint cannot carry.
    const customer = row(/^You\b/);
    for (const item of [
      /BAA \(164\.308\(b\)\)/,
      /risk analysis[^|]*\(164\.308\(a\)\(1\)\)/i,
      /training[^|]*\(164\.308\(a\)\(5\)\)/i,
      /incident response[^|]*\(164\.308\(a\)\(6\)\)/i,
      /contingency plan testing \(164\.308\(a\)\(7\)\)/i,
    ]) {
      expect([item.source, item.test(customer)]).toEqual([item.source, true]);
    }
  });
});
