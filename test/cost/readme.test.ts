import { readFileSync } from 'fs';
import { join } from 'path';
import {
  COST_BEGIN,
  COST_END,
  estimateAllEnvironments,
  extractCostSection,
  PriceBook,
  README_SOURCE_NOTE,
  renderReadmeSection,
  ReadmeMarkerError,
  replaceCostSection,
} from '../../lib/cost';

const root = join(__dirname, '../..');

describe('README cost section', () => {
  // The only test that synthesizes every environment for cost (without the rule packs).
  test('is up to date with the templates and the price table (regenerate: npm run cost -- --readme)', () => {
    const { context } = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = renderReadmeSection(estimateAllEnvironments(PriceBook.load(), context), README_SOURCE_NOTE);
    expect(extractCostSection(readme).trim()).toBe(block.trim());
    expect(block).toMatch(/\| Fixed charge \| dev \| prod \|/);
    expect(block).toMatch(/Not priced in dev: none\./);
  });

  test('replace and extract need exactly one ordered pair of markers', () => {
    const doc = `a\n${COST_BEGIN}\nold\n${COST_END}\nb\n`;
    expect(replaceCostSection(doc, 'new')).toBe(`a\n${COST_BEGIN}\nnew\n${COST_END}\nb\n`);
    expect(extractCostSection(replaceCostSection(doc, 'new')).trim()).toBe('new');
    expect(() => extractCostSection('no markers')).toThrow(ReadmeMarkerError);
    expect(() => extractCostSection(`${COST_END}\n${COST_BEGIN}`)).toThrow(/cost:end comes before cost:begin/);
    expect(() => extractCostSection(`${doc}${COST_BEGIN}`)).toThrow(/more than once/);
  });
});
