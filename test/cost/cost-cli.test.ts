import { rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { COST_USAGE, CostArgsError, parseCostArgs, runCost, runningConfig } from '../../lib/cost';
import { BlueprintConfig, ENVIRONMENTS, validateConfig } from '../../lib/config';
import { scratchDir } from '../support/scratch';
import { cdkSynthDir } from '../support/synthesized';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCost(argv, {
    context: {},
    readmePath: '/nonexistent/README.md',
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

describe('parseCostArgs', () => {
  test('accepts --env, --markdown, --assembly in either form', () => {
    expect(parseCostArgs(['--env', 'dev'])).toEqual({ kind: 'estimate', env: 'dev', markdown: false });
    expect(parseCostArgs(['--env=prod', '--markdown', '--assembly', 'cdk.out'])).toEqual({
      kind: 'estimate',
      env: 'prod',
      markdown: true,
      assembly: 'cdk.out',
    });
    expect(parseCostArgs(['--readme'])).toEqual({ kind: 'readme' });
    expect(parseCostArgs(['--help'])).toEqual({ kind: 'help' });
  });

  test.each([
    [['--env'], "option '--env' needs a value"],
    [['--env', '--markdown'], "option '--env' needs a value"],
    [['--env='], "option '--env' needs a value"],
    [['--env', 'dev', '--frobnicate'], "unknown option '--frobnicate'"],
    [['dev'], "unexpected argument 'dev' (select the environment with --env NAME)"],
    [
      ['--markdown'],
      "option '--env' is required (e.g. --env dev), or '--config FILE' for an environment in a JSON file",
    ],
    [['--env', 'dev', '--env', 'prod'], "option '--env' given twice"],
    [['--readme', '--env', 'dev'], "option '--readme' cannot be combined with '--env'"],
  ])('%j -> %s', (argv, message) => {
    expect(() => parseCostArgs(argv)).toThrow(new CostArgsError(message));
  });
});

describe('runCost', () => {
  test('--help prints the usage and exits 0', () => {
    expect(run(['--help'])).toEqual({ code: 0, out: `${COST_USAGE}\n`, err: '' });
  });

  test('an unknown flag prints one line and the usage, exit 2, no stack trace', () => {
    const r = run(['--env', 'dev', '--nope']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`cost: unknown option '--nope'\n${COST_USAGE}\n`);
    expect(r.out).toBe('');
  });

  test('a missing value exits 2', () => {
    expect(run(['--assembly'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cost: option '--assembly' needs a value\n/),
    });
  });

  test('an unknown environment prints the ConfigValidationError message and exits 1', () => {
    const r = run(['--env', 'staging']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "Invalid blueprint configuration for environment 'staging' (1 problem):\n" +
        "  - env = 'staging': unknown environment; known: dev, prod (cdk synth selects one with -c env=NAME, the commands with --env NAME; an environment in a JSON file: -c config=FILE, check-template and cost with --config FILE)\n",
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('--config FILE prices an environment of a JSON file under its own name; a bad file exits 1 naming it', () => {
    // The newcomer review of 2026-12-04: `npm run cost -- --config FILE` was an unknown option.
    const dir = scratchDir('cost-config-');
    const file = join(dir, 'qa.json');
    writeFileSync(file, JSON.stringify({ ...ENVIRONMENTS.dev, envName: 'qa', account: '444444444444' }));
    const priced = run(['--config', file]);
    expect(priced).toMatchObject({ code: 0, err: '' });
    expect(priced.out).toMatch(/qa/);
    expect(priced.out).toMatch(/\$[\d,]+\.\d\d/);
    // In another region: priced with the one table there is, and said so on stderr.
    const west = join(dir, 'west.json');
    const dev = ENVIRONMENTS.dev as BlueprintConfig;
    writeFileSync(
      west,
      JSON.stringify({
        ...dev,
        envName: 'west',
        account: '444444444444',
        region: 'us-west-2',
        phiBucket: { ...dev.phiBucket, replicaRegion: 'us-east-1' },
      }),
    );
    const other = run(['--config', west]);
    expect(other.code).toBe(0);
    expect(other.err).toBe(
      "cost: 'west' deploys to us-west-2, priced here with us-east-1's list prices (the only table in lib/cost/prices/): us-west-2's differ; add lib/cost/prices/us-west-2.json as lib/cost/prices/README.md says\n",
    );
    const missing = run(['--config', join(dir, 'missing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/config = '.*missing\.json': cannot be read \(ENOENT\)/);
    expect(run(['--config', file, '--env', 'dev'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cost: option '--config' cannot be combined with '--env'/),
    });
    rmSync(dir, { recursive: true, force: true });
  });

  test('an assembly folder that does not exist exits 2 naming it', () => {
    const r = run(['--env', 'dev', '--assembly', '/nonexistent/cdk.out']);
    expect(r).toMatchObject({ code: 2, err: "cost: --assembly = '/nonexistent/cdk.out': no such folder\n" });
  });

  /** A cloud assembly in a scratch folder: stack Tiny with a NAT gateway, and `add`'s resources. */
  const tinyAssembly = (add: (stack: Stack) => void = () => undefined): string => {
    const dir = scratchDir('cost-cli-');
    const app = new App({ outdir: dir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Tiny', { env: { account: '123456789012', region: 'us-east-1' } });
    new CfnResource(stack, 'Nat', { type: 'AWS::EC2::NatGateway', properties: { SubnetId: 'subnet-1' } });
    add(stack);
    app.synth();
    return dir;
  };

  test('--assembly prices the templates of an existing cloud assembly', () => {
    const dir = tinyAssembly();
    try {
      const r = run(['--env', 'dev', '--assembly', dir, '--markdown']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      // $0.045 x 730 h + public IPv4 $0.005 x 730 h (shipped table)
      expect(r.out).toContain('**Total fixed monthly cost (dev): $36.50**');
      expect(r.out).toMatch(/\| Tiny \| Nat \| AWS::EC2::NatGateway \| NAT gateway \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a resource the table cannot price makes the total a floor, said so, with exit 3', () => {
    // The newcomer review of 2026-12-03: a larger database class dropped the database from a total that went down.
    const dir = tinyAssembly(
      (stack) =>
        new CfnResource(stack, 'Db', {
          type: 'AWS::RDS::DBInstance',
          properties: { Engine: 'postgres', DBInstanceClass: 'db.r6g.xlarge', AllocatedStorage: '200' },
        }),
    );
    try {
      const text = run(['--env', 'dev', '--assembly', dir]);
      expect(text.code).toBe(3);
      expect(text.out).toContain(
        'Total fixed monthly cost (dev): at least $36.50  (INCOMPLETE: 1 resource(s) not priced, listed under "Not priced", are not in it; ',
      );
      expect(text.out).toMatch(
        /Not priced \(1\):\n {2}Tiny Db \(AWS::RDS::DBInstance\): DBInstanceClass = "db\.r6g\.xlarge"/,
      );
      expect(text.err).toBe(
        'cost: incomplete: 1 resource(s) not priced (under "Not priced"), so the total is a floor; add their prices to lib/cost/prices/us-east-1.json as lib/cost/prices/README.md says\n',
      );
      const markdown = run(['--env', 'dev', '--assembly', dir, '--markdown']);
      expect(markdown.code).toBe(3);
      expect(markdown.out).toContain('**Total fixed monthly cost (dev): at least $36.50** (INCOMPLETE: 1 resource(s)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--assembly names the estimate after the environment its templates declare: another --env is refused', () => {
    // The newcomer review of 2026-12-03: another environment's assembly was priced and labelled as the --env given.
    const dev = cdkSynthDir('dev');
    const wrong = run(['--env', 'prod', '--assembly', dev]);
    expect(wrong).toEqual({
      code: 2,
      out: '',
      err: `cost: --env = 'prod': the assembly ${dev} holds the templates of 'dev'; give --env its name\n`,
    });
    const right = run(['--env', 'dev', '--assembly', dev]);
    expect(right.err).toBe('');
    expect(right.code).toBe(0);
    expect(right.out).toMatch(/^Total fixed monthly cost \(dev\): \$\d+\.\d\d {2}\(usage/m);
  });
});

describe('runningConfig', () => {
  test('flips only the services that await their first image; one whose image the deploy builds stays valid', () => {
    // The newcomer review of 2026-12-04: a second service awaiting its image beside the built sample service made
    // `npm run cost -- --readme` fail (awaitingFirstImage false must be absent with imageDirectory).
    const dev = ENVIRONMENTS.dev as BlueprintConfig;
    const awaiting = { ...dev.services[0]!, name: 'billing', awaitingFirstImage: true as const };
    delete (awaiting as { buildDirectory?: string }).buildDirectory;
    const config = validateConfig({
      ...dev,
      services: [
        dev.services[0],
        {
          ...awaiting,
          imageTag: 'v1',
          routing: { pathPattern: '/billing/*', priority: 50 },
        },
      ],
    });
    const running = runningConfig(config)!;
    expect(running.services.map((s) => s.awaitingFirstImage)).toEqual([dev.services[0]!.awaitingFirstImage, false]);
    expect(() => validateConfig(running)).not.toThrow();
    expect(runningConfig(dev)).toBeUndefined();
  });
});
