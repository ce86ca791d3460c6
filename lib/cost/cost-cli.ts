import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BlueprintConfig, ConfigValidationError, ENVIRONMENTS, loadConfig } from '../config';
import { environmentFromFile } from '../config/environment-file';
import { estimateCost } from './estimate';
import { CostEstimate } from './core/model';
import { PriceBook, PriceTableError } from './core/price-book';
import { ReadmeMarkerError, replaceCostSection } from './readme-section';
import { NamedEstimate, renderMarkdown, renderReadmeSection, renderText } from './render';
import { AssemblyReadError, readAssembly, synthesizeEnvironment } from './synth-environment';
import { templateDeclaration, TemplateJson } from '../compliance/gate/core/template-json';

export const COST_USAGE = `usage: npm run cost -- --env NAME [--markdown] [--assembly DIR]
       npm run cost -- --config FILE [--markdown] [--assembly DIR]
       npm run cost -- --readme
  --env NAME       environment (lib/config/environments.ts) to price; synthesized in-process unless --assembly
  --config FILE    an environment in a JSON file (as cdk synth -c config=FILE reads it) to price instead
  --markdown       print markdown instead of plain text
  --assembly DIR   price the templates of an existing cloud assembly (e.g. cdk.out) instead
  --readme         synthesize every environment and rewrite the README's generated cost section
  --help           print this text
exit codes: 0 estimated; 1 unknown environment, invalid config or price table; 2 bad arguments or assembly;
  3 printed, but some resources are not priced (the total is a floor)`;

/** What the command line asked for. */
export type CostCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'readme' }
  | {
      readonly kind: 'estimate';
      /** The environment's name: --env's, or the JSON file's envName once read (undefined until then). */
      readonly env?: string;
      readonly configFile?: string;
      readonly markdown: boolean;
      readonly assembly?: string;
    };

/** A command line the CLI cannot run: one line naming the option, its value and the rule. */
export class CostArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostArgsError';
  }
}

const VALUE_OPTIONS = new Set(['--env', '--assembly', '--config']);
const FLAG_OPTIONS = new Set(['--markdown', '--readme', '--help', '-h']);

/** Parses the arguments after `npm run cost --`. Accepts `--opt value` and `--opt=value`. */
export function parseCostArgs(argv: readonly string[]): CostCommand {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_OPTIONS.has(name)) {
      const value = eq > 0 && name !== arg ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (name === arg && value.startsWith('--'))) {
        throw new CostArgsError(`option '${name}' needs a value`);
      }
      if (values.has(name)) throw new CostArgsError(`option '${name}' given twice`);
      values.set(name, value);
    } else if (FLAG_OPTIONS.has(arg)) {
      flags.add(arg);
    } else if (arg.startsWith('-')) {
      throw new CostArgsError(`unknown option '${arg}'`);
    } else {
      throw new CostArgsError(`unexpected argument '${arg}' (select the environment with --env NAME)`);
    }
  }
  if (flags.has('--help') || flags.has('-h')) return { kind: 'help' };
  if (flags.has('--readme')) {
    const others = [...values.keys(), ...[...flags].filter((f) => f !== '--readme')];
    if (others.length > 0) throw new CostArgsError(`option '--readme' cannot be combined with '${others[0]}'`);
    return { kind: 'readme' };
  }
  const env = values.get('--env');
  const configFile = values.get('--config');
  if (env === undefined && configFile === undefined) {
    throw new CostArgsError(
      `option '--env' is required (e.g. --env dev), or '--config FILE' for an environment in a JSON file`,
    );
  }
  if (env !== undefined && configFile !== undefined) {
    throw new CostArgsError(`option '--config' cannot be combined with '--env' (the file names its environment)`);
  }
  const assembly = values.get('--assembly');
  return {
    kind: 'estimate',
    ...(env !== undefined ? { env } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
    markdown: flags.has('--markdown'),
    ...(assembly !== undefined ? { assembly } : {}),
  };
}

/** What the CLI needs from its caller (bin/cost.ts): the CDK context, the README, output streams. */
export interface CostCliIo {
  /** Feature flags of cdk.json, so estimates price the templates `cdk synth` writes. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Path of the README holding the generated cost section. */
  readonly readmePath: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The sentence on where the README figures come from. */
export const README_SOURCE_NOTE =
  'Each price names its AWS pricing page in `lib/cost/prices/us-east-1.json`; `lib/cost/prices/README.md` says how to refresh it.';

/** Synthesizes an environment into a temporary folder and estimates it. */
export function estimateEnvironment(
  config: BlueprintConfig,
  prices: PriceBook,
  context: Readonly<Record<string, unknown>>,
): CostEstimate {
  const outdir = mkdtempSync(join(tmpdir(), `cost-${config.envName}-`));
  try {
    return estimateCost(synthesizeEnvironment(config, { outdir, context }), prices);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The environment as it runs once its services' first images exist (every services[].awaitingFirstImage false), or
 * undefined when no service awaits one.
 */
export function runningConfig(config: BlueprintConfig): BlueprintConfig | undefined {
  if (!config.services.some((s) => s.awaitingFirstImage === true)) return undefined;
  // Only the services that await one: awaitingFirstImage must be absent with imageDirectory (a service whose image the
  // deploy builds), and setting it there failed the estimate (the newcomer review of 2026-12-04).
  return {
    ...config,
    services: config.services.map((s) => (s.awaitingFirstImage === true ? { ...s, awaitingFirstImage: false } : s)),
  };
}

/** Every environment, estimated (for the README section), and as it runs once its images exist. */
export function estimateAllEnvironments(
  prices: PriceBook,
  context: Readonly<Record<string, unknown>>,
): NamedEstimate[] {
  return Object.keys(ENVIRONMENTS).map((envName) => {
    const config = loadConfig(envName);
    const running = runningConfig(config);
    return {
      envName,
      estimate: estimateEnvironment(config, prices, context),
      ...(running ? { running: estimateEnvironment(running, prices, context) } : {}),
    };
  });
}

/**
 * Runs the cost command; returns the exit code: 0 done, 1 unknown environment or invalid
 * configuration or price table, 2 bad arguments or an unreadable assembly, 3 an estimate printed with resources the
 * price table cannot price (its total a floor). Never throws.
 */
export function runCost(argv: readonly string[], io: CostCliIo): number {
  let command: CostCommand;
  try {
    command = parseCostArgs(argv);
  } catch (e) {
    if (!(e instanceof CostArgsError)) throw e;
    io.stderr(`cost: ${e.message}\n${COST_USAGE}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout(`${COST_USAGE}\n`);
    return 0;
  }
  try {
    const prices = PriceBook.load();
    if (command.kind === 'readme') {
      const readme = readFileSync(io.readmePath, 'utf8');
      const block = renderReadmeSection(estimateAllEnvironments(prices, io.context), README_SOURCE_NOTE);
      const next = replaceCostSection(readme, block);
      if (next !== readme) writeFileSync(io.readmePath, next);
      io.stdout(`${next === readme ? 'unchanged' : 'rewrote'}: cost section of ${io.readmePath}\n`);
      return 0;
    }
    // An environment of a JSON file: validated with the shipped ones (loadConfig), priced under its own name.
    let environments: Readonly<Record<string, unknown>> = ENVIRONMENTS;
    let envName = command.env;
    if (command.configFile !== undefined) {
      const fromFile = environmentFromFile(command.configFile);
      environments = { ...ENVIRONMENTS, [fromFile.envName]: fromFile.input };
      envName = fromFile.envName;
    }
    const env = envName!;
    let estimate: CostEstimate;
    if (command.assembly !== undefined) {
      // The environment the templates declare names the estimate: another one's --env would label its figures (the
      // newcomer review of 2026-12-03: a staging assembly priced as 'prod'). A JSON file's environment, which
      // lib/config/environments.ts does not hold, is priced from its assembly under its own name.
      const stacks = readAssembly(command.assembly);
      const declared = [
        ...new Set(stacks.map((s) => templateDeclaration(s.template as TemplateJson)?.envName).filter((n) => n)),
      ];
      if (declared.length > 0 && (declared.length > 1 || declared[0] !== env)) {
        io.stderr(
          `cost: --env = '${env}': the assembly ${command.assembly} holds the templates of ${declared.map((n) => `'${String(n)}'`).join(' and ')}; give --env its name\n`,
        );
        return 2;
      }
      if (declared.length === 0) loadConfig(env, environments);
      estimate = estimateCost(stacks, prices);
    } else {
      estimate = estimateEnvironment(loadConfig(env, environments), prices, io.context);
    }
    io.stdout(command.markdown ? renderMarkdown(estimate, env) : renderText(estimate, env));
    // An environment of another region is priced with the one table there is: said where it cannot be missed (the
    // newcomer review of 2026-12-04 found it only in the header).
    const region = Object.hasOwn(environments, env) ? loadConfig(env, environments).region : undefined;
    if (region !== undefined && region !== estimate.region) {
      io.stderr(
        `cost: '${env}' deploys to ${region}, priced here with ${estimate.region}'s list prices (the only table in lib/cost/prices/): ${region}'s differ; add lib/cost/prices/${region}.json as lib/cost/prices/README.md says\n`,
      );
    }
    if (estimate.notPriced.length > 0) {
      io.stderr(
        `cost: incomplete: ${estimate.notPriced.length} resource(s) not priced (under "Not priced"), so the total is a floor; ` +
          `add their prices to lib/cost/prices/${estimate.region}.json as lib/cost/prices/README.md says\n`,
      );
      return 3;
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigValidationError || e instanceof PriceTableError || e instanceof ReadmeMarkerError) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    if (e instanceof AssemblyReadError) {
      io.stderr(`cost: ${e.message}\n`);
      return 2;
    }
    io.stderr(`cost: failed: ${(e as Error).message}\n`);
    return 1;
  }
}
