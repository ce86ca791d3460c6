import { BenchArgsError, DEFAULT_JSON, parseBenchArgs } from '../../bench/bench-args';

describe('parseBenchArgs', () => {
  test('defaults: 5 runs, cdk.out/bench.json, tests included', () => {
    expect(parseBenchArgs([])).toEqual({ runs: 5, json: DEFAULT_JSON, skipTests: false, jestArgs: [], help: false });
    expect(DEFAULT_JSON).toBe('cdk.out/bench.json');
  });

  test('options', () => {
    expect(parseBenchArgs(['--runs', '7', '--json', 'x.json', '--skip-tests'])).toMatchObject({
      runs: 7,
      json: 'x.json',
      skipTests: true,
    });
    expect(parseBenchArgs(['--jest-args', 'test/cost  test/bench'])).toMatchObject({
      jestArgs: ['test/cost', 'test/bench'],
    });
    expect(parseBenchArgs(['--help']).help).toBe(true);
  });

  test.each([
    [['--runs', '3'], "--runs = '3': must be a whole number >= 5 (the median needs at least 5 runs)"],
    [['--runs', 'many'], "--runs = 'many': must be a whole number >= 5 (the median needs at least 5 runs)"],
    [['--json'], "option '--json' needs a value"],
    [['--json', '--skip-tests'], "option '--json' needs a value"],
    [['--fast'], "unknown option '--fast'"],
    [['dev'], "unexpected argument 'dev'"],
    [['--skip-tests', '--jest-args', 'test/cost'], "option '--jest-args' cannot be combined with '--skip-tests'"],
  ])('%j -> %s', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(new BenchArgsError(message));
  });
});
