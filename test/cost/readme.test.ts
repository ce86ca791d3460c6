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
  runningConfig,
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
    const estimates = Object.keys(ENVIRONMENTS).map((envName) => {
      // An environment whose services await their first image, priced as it runs once they exist (synthesized here).
      const running = runningConfig(loadConfig(envName));
      return {
        envName,
        estimate: shipped(envName)
          ? estimateCost(readAssembly(cdkSynthDir(envName)), prices)
          : estimateEnvironment(loadConfig(envName), prices, context),
        ...(running ? { running: estimateEnvironment(running, prices, context) } : {}),
      };
    });
    const block = renderReadmeSection(estimates, README_SOURCE_NOTE);
    expect(extractCostSection(readme).trim()).toBe(block.trim());
    expect(block).toMatch(/\| Fixed charge \| dev \| prod \|/);
    expect(block).toMatch(/Not priced in dev: none\./);
    // The newcomer review of 2026-12-03: prod's Fargate line read $0 (its image not pushed yet) with no word on it.
    expect(block).toMatch(
      /prod runs no service task until its first image is pushed .*its total is \*\*\$[\d,.]+\*\* \(Fargate tasks \$[\d,.]+ \(2 tasks x 0\.5 vCPU/,
    );
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
