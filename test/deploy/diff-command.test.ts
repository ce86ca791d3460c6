import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { runCommand } from '../../lib/deploy/run-command';
import { testConfig } from '../support/blueprint';
import { captureReporter, fakeClients, recordingRunner, sdkError } from '../support/deploy';
import { identity, mockAllClients, restoreAllClients } from '../support/fake-aws';

const mocks = mockAllClients();
afterAll(() => restoreAllClients(mocks));
beforeEach(() => Object.values(mocks).forEach((m) => m.reset()));

function run(codes: number[] = []) {
  const reporter = captureReporter();
  const runner = recordingRunner(codes);
  const done = runCommand('diff', ['--env', 'prod'], {
    clients: fakeClients(),
    runner,
    reporter,
    projectDir: '/nonexistent',
    loadConfig: () => testConfig('prod'),
  });
  return { done, reporter, runner };
}

describe('npm run diff', () => {
  it('checks the credentials, then cdk diff of every stack (the default when no stack is named; the replica included)', async () => {
    identity(mocks);
    const { done, runner } = run();
    expect(await done).toBe(0);
    expect(runner.calls).toEqual([['diff', '-c', 'env=prod']]);
  });

  it('without credentials: exit 1 before cdk runs', async () => {
    mocks.sts
      .on(GetCallerIdentityCommand)
      .rejects(sdkError('ExpiredTokenException', 'The security token included in the request is expired'));
    const { done, runner, reporter } = run();
    expect(await done).toBe(1);
    expect(runner.calls).toEqual([]);
    expect(reporter.errors[0]).toMatch(/^credentials: AWS credentials expired/);
  });

  it('a failing cdk diff exits 1', async () => {
    identity(mocks);
    const { done, reporter } = run([1]);
    expect(await done).toBe(1);
    expect(reporter.errors).toEqual(['cdk diff exited 1 (see its output above)']);
  });
});
