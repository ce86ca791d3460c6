import { parseArgs, usage } from '../../lib/deploy/args';
import { UsageError } from '../../lib/deploy/usage-error';

function usageError(command: Parameters<typeof parseArgs>[0], argv: string[]): string {
  try {
    parseArgs(command, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('argument parsing shared by deploy, diff, preflight and verify', () => {
  it('reads --env NAME and --env=NAME', () => {
    expect(parseArgs('deploy', ['--env', 'prod'])).toEqual({
      kind: 'run',
      command: 'deploy',
      envName: 'prod',
      createServiceLinkedRoles: false,
      force: false,
    });
    expect(parseArgs('verify', ['--env=dev'])).toMatchObject({ kind: 'run', envName: 'dev' });
  });

  it('reads the boolean flags each command accepts', () => {
    expect(parseArgs('deploy', ['--env', 'prod', '--create-service-linked-roles', '--force'])).toMatchObject({
      createServiceLinkedRoles: true,
      force: true,
    });
    expect(parseArgs('preflight', ['--create-service-linked-roles', '--env', 'prod'])).toMatchObject({
      createServiceLinkedRoles: true,
    });
  });

  it('--help and -h ask for usage, even without --env', () => {
    expect(parseArgs('diff', ['--help'])).toEqual({ kind: 'help', command: 'diff' });
    expect(parseArgs('verify', ['-h'])).toEqual({ kind: 'help', command: 'verify' });
    expect(usage('deploy')).toContain('Usage: npm run deploy -- --env NAME [--create-service-linked-roles] [--force]');
    expect(usage('verify')).toBe(
      [
        'Usage: npm run verify -- --env NAME',
        "  report each safeguard's runtime state (read-only); exit 1 on any FAIL",
        `  ${'--env NAME'.padEnd(32)} environment of lib/config/environments.ts (required)`,
        `  ${'--help'.padEnd(32)} print this help`,
      ].join('\n'),
    );
  });

  it('refuses a missing --env, naming the flag', () => {
    expect(usageError('deploy', [])).toBe(
      'missing --env NAME: deploy needs the environment to act on (e.g. --env prod)',
    );
  });

  it('refuses --env without a value', () => {
    expect(usageError('deploy', ['--env'])).toBe("flag '--env' needs a value: --env NAME");
    expect(usageError('deploy', ['--env', '--force'])).toBe("flag '--env' needs a value: --env NAME");
    expect(usageError('verify', ['--env='])).toBe("flag '--env' needs a value: --env NAME");
  });

  it('refuses an unknown flag, and flags of another command', () => {
    expect(usageError('deploy', ['--env', 'prod', '--yes'])).toBe(
      "unknown flag '--yes': deploy accepts --env, --create-service-linked-roles, --force, --help",
    );
    expect(usageError('verify', ['--env', 'prod', '--force'])).toBe(
      "unknown flag '--force': verify accepts --env, --help",
    );
  });

  it('refuses a repeated flag', () => {
    expect(usageError('deploy', ['--env', 'prod', '--env', 'dev'])).toBe("flag '--env' given twice: give it once");
    expect(usageError('deploy', ['--env', 'prod', '--force', '--force'])).toBe(
      "flag '--force' given twice: give it once",
    );
  });

  it('refuses positional arguments; the old `preflight prod` form gets a hint', () => {
    expect(usageError('preflight', ['prod'])).toBe(
      "unexpected argument 'prod': preflight takes only flags (did you mean --env prod?)",
    );
    expect(usageError('deploy', ['--env', 'prod', 'extra'])).toBe(
      "unexpected argument 'extra': deploy takes only flags",
    );
    expect(usageError('deploy', ['-x'])).toBe("unexpected argument '-x': deploy takes only flags");
  });

  it('refuses a value on a boolean flag', () => {
    expect(usageError('deploy', ['--env', 'prod', '--force=yes'])).toBe("flag '--force' takes no value (got 'yes')");
  });
});
