/** What `npm run bench` was asked to do. */
export interface BenchOptions {
  /** Timed runs of each measurement, after one warm-up run. */
  readonly runs: number;
  /** Where the JSON report goes. */
  readonly json: string;
  /** Leave the test-suite timing out. */
  readonly skipTests: boolean;
  /** Jest arguments for the test-suite timing (empty: the whole suite, as `npm test`). */
  readonly jestArgs: readonly string[];
  readonly help: boolean;
}

export const MIN_RUNS = 5;
export const DEFAULT_JSON = 'cdk.out/bench.json';

export const BENCH_USAGE = `usage: npm run bench -- [--runs N] [--json FILE] [--skip-tests] [--jest-args "ARGS"]
  --runs N          timed runs per measurement after one warm-up (default and minimum ${MIN_RUNS})
  --json FILE       where to write the JSON report (default ${DEFAULT_JSON})
  --skip-tests      do not time the test suite
  --jest-args ARGS  time \`npx jest ARGS\` instead of the whole suite (e.g. "test/cost")
  --help            print this text`;

/** A command line bench cannot run: one line naming the option, its value and the rule. */
export class BenchArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchArgsError';
  }
}

/** Parses the arguments after `npm run bench --`. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let runs = MIN_RUNS;
  let json = DEFAULT_JSON;
  let skipTests = false;
  let help = false;
  let jestArgs: string[] = [];
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new BenchArgsError(`option '${name}' needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs') {
      const v = value(i++, arg);
      if (!/^\d+$/.test(v) || Number(v) < MIN_RUNS) {
        throw new BenchArgsError(
          `--runs = '${v}': must be a whole number >= ${MIN_RUNS} (the median needs at least ${MIN_RUNS} runs)`,
        );
      }
      runs = Number(v);
    } else if (arg === '--json') {
      json = value(i++, arg);
    } else if (arg === '--jest-args') {
      jestArgs = value(i++, arg).split(/\s+/).filter(Boolean);
    } else if (arg === '--skip-tests') {
      skipTests = true;
    } else if (arg === '--help' || arg === '-h') {
      help = true;
    } else {
      throw new BenchArgsError(arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}'`);
    }
  }
  if (skipTests && jestArgs.length > 0)
    throw new BenchArgsError(`option '--jest-args' cannot be combined with '--skip-tests'`);
  return { runs, json, skipTests, jestArgs, help };
}
