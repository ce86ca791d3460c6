import { readFileSync } from 'fs';
import { join } from 'path';
import { ENVIRONMENTS, loadConfig } from '../../lib/config';
import {
  COST_BEGIN,
  COST_END,
  estimateCost,
  estimateEnvironment,
  extractCostSection,
  PriceBook,
  readAssembly,
  README_SOURCE_NOTE,
  renderReadmeSection,
  ReadmeMarkerError,
  replaceCostSection,
} from '../../lib/cost';
import { CDK_SYNTH_ENVIRONMENTS, CdkSynthEnvironment } from '../support/synth-inputs';
import { cdkSynthDir } from '../support/synthesized';

const root = join(__dirname, '../..');

describe('README cost section', () => {
  // Every environment priced from its templates: dev's and prod's as `cdk synth` writes them (the globalSetup's synths,
  // gate on), any other environment synthesized here as `npm run cost -- --readme` does (without the rule packs).
  test('is up to date with the templates and the price table (regenerate: npm run cost -- --readme)', () => {
    const { context } = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const prices = PriceBook.load();
    const shipped = (env: string): env is CdkSynthEnvironment =>
      (CDK_SYNTH_ENVIRONMENTS as readonly string[]).includes(env);
    const estimates = Object.keys(ENVIRONMENTS).map((envName) => ({
      envName,
      estimate: shipped(envName)
        ? estimateCost(readAssembly(cdkSynthDir(envName)), prices)
        : estimateEnvironment(loadConfig(envName), prices, context),
    }));
    const block = renderReadmeSection(estimates, README_SOURCE_NOTE);
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
