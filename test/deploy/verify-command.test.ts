import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { CommandDeps } from '../../lib/deploy/command-deps';
import { runCommand } from '../../lib/deploy/run-command';
import { testConfig } from '../support/blueprint';
import { captureReporter, fakeClients, recordingRunner, sdkError } from '../support/deploy';
import {
  cloudFormation,
  deployedEnvironment,
  healthyRuntime,
  identity,
  mockAllClients,
  restoreAllClients,
  sentCommands,
} from '../support/fake-aws';

const mocks = mockAllClients();
afterAll(() => restoreAllClients(mocks));
beforeEach(() => Object.values(mocks).forEach((m) => m.reset()));

const READ_ONLY = /^(Get|Describe|List|BatchGet|Lookup)\w*Command$/;

function deps(
  reporter = captureReporter(),
  runner = recordingRunner(),
): CommandDeps & { reporter: ReturnType<typeof captureReporter> } {
  return {
    clients: fakeClients(),
    runner,
    reporter,
    projectDir: '/nonexistent',
    loadConfig: () => testConfig('prod'),
    now: () => new Date('2026-03-01T12:00:00Z'),
  };
}

describe('npm run verify', () => {
  it('PASS everywhere: prints the table and exits 0', async () => {
    identity(mocks);
    cloudFormation(mocks, deployedEnvironment());
    healthyRuntime(mocks);
    const d = deps();
    expect(await runCommand('verify', ['--env', 'prod'], d)).toBe(0);
    const out = d.reporter.all();
    expect(out).toContain('SAFEGUARD  CHECK');
    expect(out).toMatch(/^U1 +CloudTrail logging +PASS/m);
    expect(out).toMatch(/^I1 +backup of arn:aws:rds:us-east-1:123456789012:db:hipaa-prod-phi-db +PASS/m);
    expect(d.reporter.lines[d.reporter.lines.length - 1]).toMatch(/^verify: \d+ PASS, 0 WARN, 0 FAIL$/);
  });

  it('sends only read-only commands (Get*, Describe*, List*, BatchGet*, Lookup*)', async () => {
    identity(mocks);
    cloudFormation(mocks, deployedEnvironment());
    healthyRuntime(mocks);
    await runCommand('verify', ['--env', 'prod'], deps());
    const sent = sentCommands(mocks);
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.filter((name) => !READ_ONLY.test(name))).toEqual([]);
  });

  it('imports no mutating command anywhere in the verify code path', () => {
    const files = [
      ...readdirSync(join(__dirname, '../../lib/deploy/verify')).map((f) => join('verify', f)),
      'verify-command.ts',
      'core/deployed-state.ts',
      'preflight/credentials.ts',
    ];
    const imported = files.flatMap((f) => {
      const text = readFileSync(join(__dirname, '../../lib/deploy', f), 'utf8');
      return [...text.matchAll(/\b([A-Z]\w*Command)\b/g)].map((m) => m[1]);
    });
    expect(imported.length).toBeGreaterThan(10);
    expect([...new Set(imported)].filter((name) => !READ_ONLY.test(name))).toEqual([]);
  });

  it('any FAIL row: exit 1 with the counts on stderr', async () => {
    identity(mocks);
    cloudFormation(mocks, deployedEnvironment());
    healthyRuntime(mocks);
    mocks.kms.on(GetKeyRotationStatusCommand, { KeyId: 'key-ops' }).resolves({ KeyRotationEnabled: false });
    const d = deps();
    expect(await runCommand('verify', ['--env', 'prod'], d)).toBe(1);
    expect(d.reporter.all()).toMatch(/^E1 +key rotation hipaa-prod-keys\/OperationsKey +FAIL +key-ops: rotation OFF/m);
    expect(d.reporter.errors[d.reporter.errors.length - 1]).toMatch(/^verify: \d+ PASS, 0 WARN, 1 FAIL$/);
  });

  it('without credentials: exit 1 naming the missing credentials, nothing else asked', async () => {
    mocks.sts
      .on(GetCallerIdentityCommand)
      .rejects(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'));
    const d = deps();
    expect(await runCommand('verify', ['--env', 'prod'], d)).toBe(1);
    expect(d.reporter.errors).toEqual([expect.stringMatching(/^credentials: no AWS credentials found/)]);
    expect(sentCommands(mocks)).toEqual(['GetCallerIdentityCommand']);
  });
});
