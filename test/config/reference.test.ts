import { readFileSync } from 'fs';
import { join } from 'path';
import {
  CONFIG_TABLE_MARKERS,
  configJsonSchema,
  configReferenceMarkdown,
  configReferenceRows,
  JSON_SCHEMA_FILE,
} from '../../lib/config/reference';

const ROOT = join(__dirname, '..', '..');

describe('what is generated from the config schema', () => {
  test('every field of the schema says what it is and which rule it must meet', () => {
    const rows = configReferenceRows();
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows)
      expect([row.field, row.description.length > 5, row.rule.length > 2]).toEqual([row.field, true, true]);
  });

  test(`${JSON_SCHEMA_FILE} is the schema's current JSON Schema (run npm run docs)`, () => {
    expect(readFileSync(join(ROOT, JSON_SCHEMA_FILE), 'utf8')).toBe(configJsonSchema());
    const schema = JSON.parse(configJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.services.items.additionalProperties).toBe(false);
  });

  test("the README's configuration table is generated from the schema (run npm run docs)", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const begin = readme.indexOf(CONFIG_TABLE_MARKERS.begin);
    const end = readme.indexOf(CONFIG_TABLE_MARKERS.end) + CONFIG_TABLE_MARKERS.end.length;
    expect(begin).toBeGreaterThan(0);
    expect(readme.slice(begin, end)).toBe(configReferenceMarkdown());
  });
});
