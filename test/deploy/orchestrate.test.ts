import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  deployArgs,
  REPLICA_BOOTSTRAP_DIR,
  replicaBootstrapArgs,
  replicaBootstrapSynthArgs,
  synthArgs,
} from '../../lib/deploy/cdk-commands';
import { CommandDeps } from '../../lib/deploy/command-deps';
import { DeployedStack } from '../../lib/deploy/core/deployed-state';
import { error } from '../../lib/deploy/core/finding';
import { planDeploy, postDeployStepsFor } from '../../lib/deploy/orchestrate';
import { PostDeployStep } from '../../lib/deploy/post-deploy/context';
import { runCommand } from '../../lib/deploy/run-command';
import { testConfig } from '../support/blueprint';
import {
  assembly,
  assemblyStack,
  captureReporter,
  deployedStack,
  fakeClients,
  recordingCheck,
  recordingRunner,
  sdkError,
} from '../support/deploy';
import { cloudFormation, identity, mockAllClients, restoreAllClients } from '../support/fake-aws';

const mocks = mockAllClients();
afterAll(() => restoreAllClients(mocks));
beforeEach(() => Object.values(mocks).forEach((m) => m.reset()));

const config = testConfig('prod');
const OUTPUTS = 'cdk.out/prod-outputs.json';
const SYNTH = synthArgs('prod');
const BOOTSTRAP_SYNTH = replicaBootstrapSynthArgs('prod');
const BOOTSTRAP = replicaBootstrapArgs();
const DEPLOY = deployArgs(OUTPUTS, false);
const FORCED = deployArgs(OUTPUTS, true);

/** The synthesized stacks (names only matter here), the replica in its own region. */
const templates = assembly(
  assemblyStack('hipaa-prod-keys', 'us-east-1', {}),
  assemblyStack('hipaa-prod-data', 'us-east-1', {}),
  assemblyStack('hipaa-prod-phi-replica', 'us-west-2', {}),
  assemblyStack('hipaa-prod-app', 'us-east-1', {
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: { Subnets: { 'Fn::GetStackOutput': { StackName: 'hipaa-prod-keys', OutputName: 'KeyArnOut' } } },
    },
  }),
);

const step = (
  name: string,
  status: 'done' | 'already done' | 'failed' = 'already done',
): PostDeployStep & { ran: number } => {
  const s = { name, ran: 0, run: async () => (s.ran++, { step: name, status, detail: `${name} ${status}` }) };
  return s;
};

function world(names: string[], outputs: Record<string, string> = {}): Map<string, DeployedStack> {
  return new Map(
    names.map((n) => [
      n,
      deployedStack(n, n.endsWith('replica') ? 'us-west-2' : 'us-east-1', [], {
        status: 'UPDATE_COMPLETE',
        outputs: n.endsWith('keys') ? outputs : {},
      }),
    ]),
  );
}

function deps(runner = recordingRunner(), extra: Partial<CommandDeps> = {}) {
  const reporter = captureReporter();
  return {
    reporter,
    runner,
    deps: {
      clients: fakeClients(),
      runner,
      reporter,
      projectDir: '/nonexistent',
      loadConfig: () => config,
      readAssembly: () => templates,
      checkAssembly: recordingCheck().check,
      preflightChecks: [{ name: 'passes', run: async () => [] }],
      postDeploySteps: [step('first step'), step('second step')],
      ...extra,
    } satisfies CommandDeps,
  };
}

describe('deploy plan (pure)', () => {
  const base = { envName: 'prod', force: false, postDeploySteps: ['RDSOSMetrics log group'] };

  it('an environment without a domain: both deploys name every stack but the app stack instead of --all', () => {
    const stacks = ['Dev/Keys', 'Dev/Network'];
    const plan = planDeploy({ ...base, envName: 'dev', replicaDeployed: true, dataDeployed: true, stacks });
    const deploy = plan.find((s) => s.kind === 'deploy') as { args: readonly string[] };
    const refresh = plan.find((s) => s.kind === 'refresh-references') as { args: readonly string[] };
    expect(deploy.args.slice(0, 5)).toEqual(['deploy', '--app', 'cdk.out', 'Dev/Keys', 'Dev/Network']);
    expect(deploy.args).not.toContain('--all');
    expect(refresh.args).toEqual(expect.arrayContaining(['Dev/Keys', 'Dev/Network', '--force']));
    expect(refresh.args).not.toContain('--all');
  });

  it('first deploy (replica and data absent): replica bootstrap, then the normal deploy', () => {
    expect(planDeploy({ ...base, replicaDeployed: false, dataDeployed: false })).toEqual([
      { kind: 'credentials' },
      { kind: 'synth', args: SYNTH },
      { kind: 'preflight' },
      { kind: 'replica-bootstrap', synthArgs: BOOTSTRAP_SYNTH, args: BOOTSTRAP },
      { kind: 'deploy', args: DEPLOY },
      { kind: 'refresh-references', args: FORCED },
      { kind: 'post-deploy', name: 'RDSOSMetrics log group' },
      { kind: 'summary' },
    ]);
    // Each deploy deploys the assembly its synth wrote and check-template passed, as it is (no second synth).
    expect(BOOTSTRAP_SYNTH).toEqual([
      'synth',
      '-c',
      'env=prod',
      '-c',
      'phiReplicaBootstrap=true',
      '--quiet',
      '--output',
      'cdk.out/replica-bootstrap',
    ]);
    expect(BOOTSTRAP).toEqual([
      'deploy',
      '--app',
      'cdk.out/replica-bootstrap',
      '--all',
      '--require-approval',
      'broadening',
    ]);
    expect(DEPLOY).toEqual([
      'deploy',
      '--app',
      'cdk.out',
      '--all',
      '--require-approval',
      'broadening',
      '--outputs-file',
      OUTPUTS,
    ]);
    expect(SYNTH).toEqual(['synth', '-c', 'env=prod', '--quiet', '--output', 'cdk.out']);
  });

  it('later deploy (replica present): normal deploy only', () => {
    expect(planDeploy({ ...base, replicaDeployed: true, dataDeployed: true }).map((s) => s.kind)).toEqual([
      'credentials',
      'synth',
      'preflight',
      'deploy',
      'refresh-references',
      'post-deploy',
      'summary',
    ]);
  });

  it('never bootstraps once the data stack exists (its PHI bucket is the destination the replica needs)', () => {
    expect(planDeploy({ ...base, replicaDeployed: false, dataDeployed: true }).map((s) => s.kind)).not.toContain(
      'replica-bootstrap',
    );
  });

  it('--force: the normal deploy is forced and needs no refresh step', () => {
    const plan = planDeploy({ ...base, replicaDeployed: true, dataDeployed: true, force: true });
    expect(plan.find((s) => s.kind === 'deploy')).toEqual({ kind: 'deploy', args: [...DEPLOY, '--force'] });
    expect(plan.map((s) => s.kind)).not.toContain('refresh-references');
  });

  it('post-deploy steps follow the detection switches', () => {
    expect(postDeployStepsFor(config).map((s) => s.name)).toEqual([
      'RDSOSMetrics log group',
      'Macie classification job',
      'Amazon Inspector',
      'Alert subscriptions',
    ]);
    const off = testConfig('prod', { detection: { macie: false, inspector: false } });
    expect(postDeployStepsFor(off).map((s) => s.name)).toEqual(['RDSOSMetrics log group', 'Alert subscriptions']);
  });
});

describe('deploy executor (runner recorder, mocked AWS)', () => {
  it('first deploy: synth, replica bootstrap, normal deploy, post-deploy steps, summary; numbered progress', async () => {
    identity(mocks);
    const stacks = new Map<string, DeployedStack>();
    cloudFormation(mocks, stacks);
    const runner = recordingRunner([], (args) => {
      if (args[0] === 'deploy' && args.includes(REPLICA_BOOTSTRAP_DIR))
        world(['hipaa-prod-phi-replica']).forEach((v, k) => stacks.set(k, v));
      else if (args[0] === 'deploy')
        world(['hipaa-prod-keys', 'hipaa-prod-data', 'hipaa-prod-phi-replica', 'hipaa-prod-app']).forEach((v, k) =>
          stacks.set(k, v),
        );
    });
    const { deps: d, reporter } = deps(runner);
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(0);
    expect(runner.calls).toEqual([SYNTH, BOOTSTRAP_SYNTH, BOOTSTRAP, DEPLOY]);
    const progress = reporter.lines.filter((l) => /^\[\d+\/\d+\]/.test(l));
    expect(progress).toEqual([
      '[1/9] credentials: arn:aws:sts::123456789012:assumed-role/Deployer/session (account 123456789012)',
      '[2/9] synth -c env=prod (compliance gate)',
      '[3/9] preflight',
      '[4/9] deploy hipaa-prod-phi-replica in us-west-2 (first deploy, step 1: replica bucket without replication)',
      '[5/9] deploy hipaa-prod-keys, hipaa-prod-data, hipaa-prod-phi-replica, hipaa-prod-app (cdk deploy --all)',
      '[6/9] cross-stack references: no referenced output changed, no forced update needed',
      '[7/9] post-deploy: first step',
      '[8/9] post-deploy: second step',
      '[9/9] summary',
    ]);
    expect(reporter.lines).toContain(`      ${'hipaa-prod-data'.padEnd(32)} UPDATE_COMPLETE`);
    expect(reporter.lines).toContain('Left to a human:');
  });

  it('later deploy (replica present): synth then the normal deploy only', async () => {
    identity(mocks);
    cloudFormation(mocks, world(['hipaa-prod-keys', 'hipaa-prod-data', 'hipaa-prod-phi-replica', 'hipaa-prod-app']));
    const { deps: d, runner } = deps();
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(0);
    expect(runner.calls).toEqual([SYNTH, DEPLOY]);
  });

  it('no credentials: exit 1 naming the missing credentials before any CDK command', async () => {
    mocks.sts
      .on(GetCallerIdentityCommand)
      .rejects(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'));
    const { deps: d, runner, reporter } = deps();
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(runner.calls).toEqual([]);
    expect(reporter.errors).toEqual([expect.stringMatching(/^credentials: no AWS credentials found/)]);
  });

  it('a failed compliance gate (synth exits non-zero) stops before any deploy', async () => {
    identity(mocks);
    cloudFormation(mocks, new Map());
    const { deps: d, runner, reporter } = deps(recordingRunner([1]));
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(runner.calls).toEqual([SYNTH]);
    expect(reporter.errors).toEqual([
      'synth failed (exit 1): the compliance gate or the config refused the templates (see the output above); nothing was deployed',
    ]);
  });

  it('V2 a finding of the template check of what synth wrote stops before preflight and any deploy', async () => {
    identity(mocks);
    cloudFormation(mocks, new Map());
    const check = recordingCheck(1);
    const { deps: d, runner, reporter } = deps(recordingRunner(), { checkAssembly: check.check });
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(runner.calls).toEqual([SYNTH]);
    expect(check.calls).toEqual([{ directory: '/nonexistent/cdk.out', envName: 'prod' }]);
    expect(reporter.lines).toContain('      /nonexistent/cdk.out: 1 finding(s)');
    expect(reporter.errors).toEqual([
      expect.stringMatching(/^check-template cdk\.out --env prod failed \(exit 1\): .*nothing was deployed$/),
    ]);
  });

  it('V2 the replica bootstrap deploys only an assembly of its own that passed the template check: a finding there deploys nothing', async () => {
    identity(mocks);
    cloudFormation(mocks, new Map());
    const calls: string[] = [];
    const checkAssembly = (directory: string, _env: string, out: (line: string) => void): number => {
      calls.push(directory);
      out(`${directory}: ${directory.endsWith('replica-bootstrap') ? '1 finding(s)' : 'clean'}`);
      return directory.endsWith('replica-bootstrap') ? 1 : 0;
    };
    const { deps: d, runner, reporter } = deps(recordingRunner(), { checkAssembly });
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(calls).toEqual(['/nonexistent/cdk.out', '/nonexistent/cdk.out/replica-bootstrap']);
    expect(runner.calls).toEqual([SYNTH, BOOTSTRAP_SYNTH]);
    expect(reporter.errors).toEqual([
      expect.stringMatching(
        /^check-template cdk\.out\/replica-bootstrap --env prod failed \(exit 1\): .*nothing was deployed$/,
      ),
    ]);
  });

  it('a failed preflight stops before any deploy', async () => {
    identity(mocks);
    cloudFormation(mocks, new Map());
    const {
      deps: d,
      runner,
      reporter,
    } = deps(recordingRunner(), {
      preflightChecks: [{ name: 'domain', run: async () => [error('domain', 'no certificate')] }],
    });
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(runner.calls).toEqual([SYNTH]);
    expect(reporter.errors).toEqual([
      '      ERROR  domain: no certificate',
      'preflight refused: 1 error(s); fix them and run the command again (nothing was deployed)',
    ]);
  });

  it('a failed deploy stops: no post-deploy step runs', async () => {
    identity(mocks);
    cloudFormation(mocks, world(['hipaa-prod-data', 'hipaa-prod-phi-replica']));
    const steps = [step('first step')];
    const { deps: d, runner, reporter } = deps(recordingRunner([0, 1]), { postDeploySteps: steps });
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(runner.calls).toEqual([SYNTH, DEPLOY]);
    expect(steps[0].ran).toBe(0);
    expect(reporter.errors[0]).toMatch(
      /^deploy failed \(exit 1\): see the CDK output above; `npm run preflight -- --env prod` names each failed stack/,
    );
  });

  it('a referenced output that changed value triggers a forced deploy so consumers re-read it', async () => {
    identity(mocks);
    const stacks = world(['hipaa-prod-keys', 'hipaa-prod-data', 'hipaa-prod-phi-replica', 'hipaa-prod-app'], {
      KeyArnOut: 'old',
    });
    cloudFormation(mocks, stacks);
    const runner = recordingRunner([], (args) => {
      if (args[0] === 'deploy')
        stacks.set('hipaa-prod-keys', { ...stacks.get('hipaa-prod-keys')!, outputs: { KeyArnOut: 'new' } });
    });
    const { deps: d, reporter } = deps(runner);
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(0);
    expect(runner.calls).toEqual([SYNTH, DEPLOY, FORCED]);
    expect(reporter.lines).toContain(
      '[5/8] refresh cross-stack references (changed: hipaa-prod-keys.KeyArnOut): cdk deploy --all --force',
    );
  });

  it('a failed post-deploy step: the others still run, the summary prints, exit 1', async () => {
    identity(mocks);
    cloudFormation(mocks, world(['hipaa-prod-data', 'hipaa-prod-phi-replica']));
    const steps = [step('first step', 'failed'), step('second step', 'done')];
    const { deps: d, reporter } = deps(recordingRunner(), { postDeploySteps: steps });
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(steps.map((s) => s.ran)).toEqual([1, 1]);
    expect(reporter.lines).toContain('Left to a human:');
    expect(reporter.errors).toEqual([
      '      failed: first step failed',
      'deploy finished, but a post-deploy step failed (see above): fix it and run the deploy again (every step is idempotent)',
    ]);
  });

  it('an unexpected SDK failure prints one line naming the step and the error, no stack trace', async () => {
    identity(mocks);
    mocks.cloudFormation.rejects(
      sdkError('AccessDenied', 'User is not authorized to perform: cloudformation:DescribeStacks', 403),
    );
    const { deps: d, runner, reporter } = deps();
    expect(await runCommand('deploy', ['--env', 'prod'], d)).toBe(1);
    expect(runner.calls).toEqual([]);
    expect(reporter.errors).toEqual([
      "deploy: step 'plan: read the replica and data stacks (CloudFormation DescribeStacks)' failed: AccessDenied: User is not authorized to perform: cloudformation:DescribeStacks",
    ]);
  });
});
