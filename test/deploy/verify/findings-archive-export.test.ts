import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyFindingsArchiveExport } from '../../../lib/deploy/verify/findings-archive-export';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const cloudWatch = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => [cloudWatch, logs].forEach((m) => m.restore()));
beforeEach(() => [cloudWatch, logs].forEach((m) => m.reset()));

const QUEUE = 'hipaa-prod-audit-FindingsArchiveDeadLetterQueue-abc';
const LOG_GROUP = 'hipaa-prod-audit-FindingsArchiveDeliveryLogs-abc';
const NOW = new Date('2026-03-01T12:00:00Z');
const audit = deployedState(
  deployedStack('hipaa-prod-audit', 'us-east-1', [], {
    outputs: { FindingsArchiveDeadLetterQueueName: QUEUE, FindingsArchiveDeliveryLogGroupName: LOG_GROUP },
  }),
);
const depth = (...points: Array<[string, number]>) =>
  cloudWatch
    .on(GetMetricStatisticsCommand, {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: QUEUE }],
      Statistics: ['Maximum'],
    })
    .resolves({ Datapoints: points.map(([t, Maximum]) => ({ Timestamp: new Date(t), Maximum })) });
const logGroup = (group: { kmsKeyId?: string; retentionInDays?: number } | undefined) =>
  logs
    .on(DescribeLogGroupsCommand, { logGroupNamePrefix: LOG_GROUP })
    .resolves({ logGroups: group === undefined ? [] : [{ logGroupName: LOG_GROUP, ...group }] });
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000';
const run = (config = testConfig('prod'), deployed = audit) =>
  verifyFindingsArchiveExport(verifyContext(config, deployed, NOW));

describe('verify D2: the findings archive export path', () => {
  it('PASS: the dead-letter queue last reported empty, the error log group encrypted and retained', async () => {
    depth(['2026-03-01T09:00:00Z', 2], ['2026-03-01T11:00:00Z', 0]);
    logGroup({ kmsKeyId: KEY, retentionInDays: 2192 });
    expect(await run()).toEqual([
      {
        safeguard: 'D2',
        check: 'findings archive dead letters',
        status: 'PASS',
        detail: `${QUEUE}: empty at 2026-03-01T11:00:00.000Z`,
      },
      {
        safeguard: 'D2',
        check: 'findings archive delivery error log',
        status: 'PASS',
        detail: `${LOG_GROUP}: KMS-encrypted, 2192 days retention`,
      },
    ]);
  });

  it('PASS: an idle queue reports nothing', async () => {
    depth();
    logGroup({ kmsKeyId: KEY, retentionInDays: 2192 });
    expect((await run())[0]).toMatchObject({ status: 'PASS', detail: `${QUEUE}: no messages reported in 14 days` });
  });

  it('FAIL: findings waiting in the dead-letter queue when it last reported (even days ago)', async () => {
    depth(['2026-02-20T11:00:00Z', 0], ['2026-02-21T11:00:00Z', 3]);
    logGroup({ kmsKeyId: KEY, retentionInDays: 2192 });
    expect((await run())[0]).toMatchObject({
      status: 'FAIL',
      detail: `${QUEUE}: 3 finding(s) visible at 2026-02-21T11:00:00.000Z: they are not in the archive; redrive them into the stream`,
    });
  });

  it('FAIL: the audit stack without the queue output', async () => {
    logGroup({ kmsKeyId: KEY, retentionInDays: 2192 });
    expect(await run(testConfig('prod'), deployedState())).toMatchObject([
      {
        status: 'FAIL',
        detail:
          'no dead-letter queue: stack hipaa-prod-audit is not deployed or has no output FindingsArchiveDeadLetterQueueName',
      },
      {
        status: 'FAIL',
        detail:
          'no delivery error log group: stack hipaa-prod-audit is not deployed or has no output FindingsArchiveDeliveryLogGroupName',
      },
    ]);
  });

  it('FAIL: the error log group missing, unencrypted, or kept shorter than the log retention', async () => {
    depth();
    logGroup(undefined);
    expect((await run())[1]).toMatchObject({ status: 'FAIL', detail: `${LOG_GROUP} does not exist` });
    logs.reset();
    logGroup({ retentionInDays: 30 });
    expect((await run())[1]).toMatchObject({
      status: 'FAIL',
      detail: `${LOG_GROUP} is not encrypted with a KMS key; keeps events 30 days, must be >= 2192`,
    });
  });

  it('nothing when detection.findingsArchive is false (the findings archive check reports it)', async () => {
    const config = testConfig('prod');
    const off = { ...config, detection: { ...config.detection, findingsArchive: false, providedBy: 'the org' } };
    expect(await run(off)).toEqual([]);
  });
});
