import { CommandDeps } from '../../lib/deploy/command-deps';
import { runCommand } from '../../lib/deploy/run-command';
import { ConfigValidationError, loadConfig } from '../../lib/config';
import { captureReporter, fakeClients, recordingRunner } from '../support/deploy';

function deps(extra: Partial<CommandDeps> = {}) {
  const reporter = captureReporter();
  const runner = recordingRunner();
  const d: CommandDeps = { clients: fakeClients(), runner, reporter, projectDir: '/nonexistent', ...extra };
  return { d, reporter, runner };
}

describe('command entry: user errors never print a stack trace', () => {
  it.each([
    [['prod'], "deploy: unexpected argument 'prod': deploy takes only flags (did you mean --env prod?)"],
    [[], 'deploy: missing --env NAME: deploy needs the environment to act on (e.g. --env prod)'],
    [['--env'], "deploy: flag '--env' needs a value: --env NAME"],
    [['--env', 'prod', '--env', 'dev'], "deploy: flag '--env' given twice: give it once"],
    [
      ['--env', 'prod', '--yes'],
      "deploy: unknown flag '--yes': deploy accepts --env, --create-service-linked-roles, --force, --help",
    ],
  ])('%j: one error line plus usage, exit 2, nothing run', async (argv, message) => {
    const { d, reporter, runner } = deps();
    expect(await runCommand('deploy', argv, d)).toBe(2);
    expect(reporter.errors).toHaveLength(2);
    expect(reporter.errors[0]).toBe(message);
    expect(reporter.errors[1]).toMatch(/^Usage: npm run deploy -- --env NAME/);
    expect(reporter.all()).not.toMatch(/\n\s+at /);
    expect(runner.calls).toEqual([]);
  });

  it('--help prints usage and exits 0', async () => {
    const { d, reporter } = deps();
    expect(await runCommand('preflight', ['--help'], d)).toBe(0);
    expect(reporter.lines[0]).toMatch(/^Usage: npm run preflight -- --env NAME \[--create-service-linked-roles\]/);
  });

  it('an unknown environment prints the config error (field, value, rule) and exits 1', async () => {
    const { d, reporter, runner } = deps({ loadConfig });
    expect(await runCommand('verify', ['--env', 'qa'], d)).toBe(1);
    expect(reporter.errors).toEqual([
      "Invalid blueprint configuration for environment 'qa' (1 problem):\n  - env = 'qa': unknown environment; known: dev, prod (cdk synth selects one with -c env=NAME, the commands with --env NAME; an environment in a JSON file: -c config=FILE, check-template and cost with --config FILE)",
    ]);
    expect(runner.calls).toEqual([]);
  });

  it('an invalid config is printed as validation reports it', async () => {
    const { d, reporter } = deps({
      loadConfig: () => {
        throw new ConfigValidationError('prod', ['retention.logRetentionDays = 365: must be at least 2192 days']);
      },
    });
    expect(await runCommand('diff', ['--env', 'prod'], d)).toBe(1);
    expect(reporter.errors[0]).toContain('retention.logRetentionDays = 365: must be at least 2192 days');
  });
});
