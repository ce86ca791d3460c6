import { BatchGetAccountStatusCommand, EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import { PostDeployContext } from '../../../lib/deploy/post-deploy/context';
import { inspectorStep } from '../../../lib/deploy/post-deploy/inspector';
import { testConfig } from '../../support/blueprint';
import { fakeClients } from '../../support/deploy';

const inspector = mockClient(Inspector2Client);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => inspector.restore());
beforeEach(() => inspector.reset());

const ctx: PostDeployContext = { config: testConfig('prod'), clients: fakeClients(), output: () => undefined };
function status(ecr: string, lambda: string): void {
  inspector.on(BatchGetAccountStatusCommand).resolves({
    accounts: [
      {
        accountId: '123456789012',
        state: { status: 'ENABLED' },
        resourceState: { ec2: { status: 'DISABLED' }, ecr: { status: ecr }, lambda: { status: lambda } },
      },
    ] as never,
  });
}

describe('post-deploy: Amazon Inspector', () => {
  it('needed: enables only the scan types that are off', async () => {
    status('ENABLED', 'DISABLED');
    inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [] });
    expect(await inspectorStep.run(ctx)).toEqual({
      step: 'Amazon Inspector',
      status: 'done',
      detail: 'enabled LAMBDA scanning in us-east-1 (was ECR ENABLED, LAMBDA DISABLED)',
    });
    expect(inspector.commandCalls(EnableCommand)[0].args[0].input).toEqual({
      accountIds: ['123456789012'],
      resourceTypes: ['LAMBDA'],
    });
  });

  it('already done: ECR and Lambda on (or turning on), nothing enabled', async () => {
    status('ENABLED', 'ENABLING');
    expect(await inspectorStep.run(ctx)).toEqual({
      step: 'Amazon Inspector',
      status: 'already done',
      detail: 'ECR ENABLED, LAMBDA ENABLING in us-east-1',
    });
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
  });

  it('a refused enable is a failure naming the error', async () => {
    status('DISABLED', 'DISABLED');
    inspector.on(EnableCommand).resolves({
      accounts: [],
      failedAccounts: [{ accountId: '123456789012', errorCode: 'ACCESS_DENIED', errorMessage: 'no' }] as never,
    });
    expect(await inspectorStep.run(ctx)).toEqual({
      step: 'Amazon Inspector',
      status: 'failed',
      detail: 'enable ECR, LAMBDA failed: ACCESS_DENIED no',
    });
  });
});
