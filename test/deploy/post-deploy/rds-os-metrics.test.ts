import {
  AssociateKmsKeyCommand,
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { PostDeployContext } from '../../../lib/deploy/post-deploy/context';
import { rdsOsMetricsStep } from '../../../lib/deploy/post-deploy/rds-os-metrics';
import { testConfig } from '../../support/blueprint';
import { fakeClients } from '../../support/deploy';

const logs = mockClient(CloudWatchLogsClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => logs.restore());
beforeEach(() => logs.reset());

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/ops';
function ctx(outputs: Record<string, string> = { OperationsKeyArn: KEY }): PostDeployContext {
  return { config: testConfig('prod'), clients: fakeClients(), output: (ref) => outputs[ref.outputName] };
}
function group(g: { kmsKeyId?: string; retentionInDays?: number } | undefined): void {
  logs
    .on(DescribeLogGroupsCommand)
    .resolves({ logGroups: g ? [{ logGroupName: 'RDSOSMetrics', ...g }] : [{ logGroupName: 'RDSOSMetricsOther' }] });
  logs.on(AssociateKmsKeyCommand).resolves({});
  logs.on(PutRetentionPolicyCommand).resolves({});
}

describe('post-deploy: RDSOSMetrics log group', () => {
  it('needed: associates the operations key and sets 2192 days', async () => {
    group({});
    expect(await rdsOsMetricsStep.run(ctx())).toEqual({
      step: 'RDSOSMetrics log group',
      status: 'done',
      detail: `encrypted with the operations key ${KEY}; retention never expire -> 2192 days`,
    });
    expect(logs.commandCalls(AssociateKmsKeyCommand)[0].args[0].input).toEqual({
      logGroupName: 'RDSOSMetrics',
      kmsKeyId: KEY,
    });
    expect(logs.commandCalls(PutRetentionPolicyCommand)[0].args[0].input).toEqual({
      logGroupName: 'RDSOSMetrics',
      retentionInDays: 2192,
    });
  });

  it('already done: acts on nothing', async () => {
    group({ kmsKeyId: KEY, retentionInDays: 2192 });
    expect(await rdsOsMetricsStep.run(ctx())).toEqual({
      step: 'RDSOSMetrics log group',
      status: 'already done',
      detail: `encrypted with ${KEY}; retention 2192 days`,
    });
    expect(logs.commandCalls(AssociateKmsKeyCommand)).toHaveLength(0);
    expect(logs.commandCalls(PutRetentionPolicyCommand)).toHaveLength(0);
  });

  it('never shortens a longer retention, never replaces another key; raises a shorter retention', async () => {
    group({ kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/other-env', retentionInDays: 365 });
    const result = await rdsOsMetricsStep.run(ctx());
    expect(result.status).toBe('done');
    expect(logs.commandCalls(AssociateKmsKeyCommand)).toHaveLength(0);
    expect(logs.commandCalls(PutRetentionPolicyCommand)).toHaveLength(1);
    logs.reset();
    group({ kmsKeyId: KEY, retentionInDays: 3653 });
    expect((await rdsOsMetricsStep.run(ctx())).status).toBe('already done');
  });

  it('not created yet: pending, says when it will exist and that a re-run fixes it', async () => {
    group(undefined);
    expect(await rdsOsMetricsStep.run(ctx())).toEqual({
      step: 'RDSOSMetrics log group',
      status: 'pending',
      detail:
        "RDSOSMetrics does not exist yet in us-east-1: RDS creates it after the database's first minute of enhanced monitoring; run the deploy again later to encrypt it and set its retention",
    });
  });

  it('fails, naming the missing output, when the keys stack does not emit OperationsKeyArn', async () => {
    group({});
    expect(await rdsOsMetricsStep.run(ctx({}))).toEqual({
      step: 'RDSOSMetrics log group',
      status: 'failed',
      detail:
        'RDSOSMetrics is not encrypted, and stack hipaa-prod-keys has no output OperationsKeyArn to encrypt it with',
    });
  });
});
