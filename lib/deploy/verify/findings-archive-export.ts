import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { OutputRef, stackName } from '../core/stacks';
import { outputOf, VerifyCheck, VerifyRow } from './context';

/** The audit stack's output naming the findings archive's dead-letter queue (lib/stacks/audit-stack.ts). */
export const FINDINGS_DEAD_LETTER_OUTPUT: OutputRef = {
  role: 'audit',
  outputName: 'FindingsArchiveDeadLetterQueueName',
};

/** The audit stack's output naming the streams' delivery error log group. */
export const FINDINGS_ERROR_LOG_OUTPUT: OutputRef = {
  role: 'audit',
  outputName: 'FindingsArchiveDeliveryLogGroupName',
};

const DEAD_LETTERS = 'findings archive dead letters';
const ERROR_LOG = 'findings archive delivery error log';
/** How far back the dead-letter queue's depth is read: its message retention (14 days). */
const LOOKBACK_MS = 14 * 24 * 3600 * 1000;

/**
 * D2: the findings archive's export path at runtime (the rest is checked at synth by FindingsArchivePresent).
 * - Dead letters: the latest ApproximateNumberOfMessagesVisible (Maximum per hour) of its dead-letter queue within the
 *   queue's 14-day retention is 0, or the queue reported nothing (SQS reports only while a queue is active, so the
 *   latest report is read, not the last hour's: a finding left in the queue shows as the last value > 0). A value
 *   > 0 is a FAIL: findings wait there instead of in the archive (redrive them into the stream).
 * - Delivery error log: the streams' log group exists, under a KMS key, with at least the configured log retention
 *   (whether the streams log into it is checked at synth; reading it here would need @aws-sdk/client-firehose).
 * With detection.findingsArchive false: nothing (verifyFindingsArchive reports the WARN).
 */
export const verifyFindingsArchiveExport: VerifyCheck = async (ctx) => {
  const { config } = ctx;
  if (config.detection.findingsArchive === false) return [];
  const row = (check: string, status: VerifyRow['status'], detail: string): VerifyRow => ({
    safeguard: 'D2',
    check,
    status,
    detail,
  });
  const rows: VerifyRow[] = [];
  const queue = outputOf(ctx, FINDINGS_DEAD_LETTER_OUTPUT);
  if (queue === undefined) {
    rows.push(
      row(
        DEAD_LETTERS,
        'FAIL',
        `no dead-letter queue: stack ${stackName(config, FINDINGS_DEAD_LETTER_OUTPUT.role)} is not deployed or has no output ${FINDINGS_DEAD_LETTER_OUTPUT.outputName}`,
      ),
    );
  } else {
    const { Datapoints } = await ctx.clients.cloudWatch(config.region).send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: queue }],
        StartTime: new Date(ctx.now.getTime() - LOOKBACK_MS),
        EndTime: ctx.now,
        Period: 3600,
        Statistics: ['Maximum'],
      }),
    );
    const latest = [...(Datapoints ?? [])]
      .filter((d) => d.Timestamp !== undefined)
      .sort((a, b) => b.Timestamp!.getTime() - a.Timestamp!.getTime())[0];
    if (latest === undefined) {
      rows.push(row(DEAD_LETTERS, 'PASS', `${queue}: no messages reported in 14 days`));
    } else if ((latest.Maximum ?? 0) > 0) {
      rows.push(
        row(
          DEAD_LETTERS,
          'FAIL',
          `${queue}: ${latest.Maximum} finding(s) visible at ${latest.Timestamp!.toISOString()}: they are not in the archive; redrive them into the stream`,
        ),
      );
    } else {
      rows.push(row(DEAD_LETTERS, 'PASS', `${queue}: empty at ${latest.Timestamp!.toISOString()}`));
    }
  }

  const name = outputOf(ctx, FINDINGS_ERROR_LOG_OUTPUT);
  if (name === undefined) {
    rows.push(
      row(
        ERROR_LOG,
        'FAIL',
        `no delivery error log group: stack ${stackName(config, FINDINGS_ERROR_LOG_OUTPUT.role)} is not deployed or has no output ${FINDINGS_ERROR_LOG_OUTPUT.outputName}`,
      ),
    );
    return rows;
  }
  const groups = (
    await ctx.clients.logs(config.region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))
  ).logGroups;
  const group = (groups ?? []).find((g) => g.logGroupName === name);
  const problems: string[] = [];
  if (group === undefined) problems.push('does not exist');
  else {
    if (group.kmsKeyId === undefined) problems.push('is not encrypted with a KMS key');
    // No retention (never expire) keeps the errors longer than required: not a failure.
    if (group.retentionInDays !== undefined && group.retentionInDays < config.retention.logRetentionDays) {
      problems.push(`keeps events ${group.retentionInDays} days, must be >= ${config.retention.logRetentionDays}`);
    }
  }
  rows.push(
    problems.length > 0
      ? row(ERROR_LOG, 'FAIL', `${name} ${problems.join('; ')}`)
      : row(ERROR_LOG, 'PASS', `${name}: KMS-encrypted, ${group!.retentionInDays ?? 'never-expiring'} days retention`),
  );
  return rows;
};
