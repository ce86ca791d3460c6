import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { SAFEGUARD_IDS } from '../../../constructs/core';
import { renderSafeguardsDoc, SAFEGUARDS_DOC_FILE } from '../../../lib/compliance/evidence/safeguards-doc';
import { SAFEGUARD_TEXT } from '../../../lib/compliance/catalogue/safeguard-text';
import { readSafeguardTestIndex } from '../../../lib/compliance/evidence/test-index';

const ROOT = join(__dirname, '..', '..', '..');

describe('SAFEGUARDS.md', () => {
  test('V2 it is generated from the catalogue, the project rules and the test index (run npm run docs)', () => {
    expect(readFileSync(join(ROOT, SAFEGUARDS_DOC_FILE), 'utf8')).toBe(
      renderSafeguardsDoc(readSafeguardTestIndex(ROOT)),
    );
  });

  test('V2 every safeguard says where it is defined, and every place named exists and defines what it names', () => {
    expect(Object.keys(SAFEGUARD_TEXT).sort()).toEqual([...SAFEGUARD_IDS].sort());
    for (const [id, text] of Object.entries(SAFEGUARD_TEXT)) {
      for (const place of [text.definedIn, ...text.alsoIn]) {
        const [path, symbol] = place.split(' ')[0]!.split('#');
        expect([id, path, existsSync(join(ROOT, path!))]).toEqual([id, path, true]);
        if (symbol) {
          const source = readFileSync(join(ROOT, path!), 'utf8');
          expect([
            id,
            place,
            new RegExp(`export (const|class|function|interface|type) ${symbol}\\b`).test(source),
          ]).toEqual([id, place, true]);
        }
      }
    }
  });

  test('the README links the in-repository SAFEGUARDS.md, not a file outside the clone', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('(SAFEGUARDS.md)');
    expect(readme).not.toContain('../shared/SAFEGUARDS.md');
  });
});
