import {
  DescribePublishingDestinationCommand,
  ListDetectorsCommand,
  ListPublishingDestinationsCommand,
} from '@aws-sdk/client-guardduty';
import { GetObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { HIPAA_MIN_RETENTION_DAYS } from '../../config';
import { isError } from '../core/sdk-error';
import { OutputRef, stackName } from '../core/stacks';
import { outputOf, VerifyCheck, VerifyRow } from './context';

/** The audit stack's output naming the findings archive bucket (lib/stacks/audit-stack.ts). */
export const FINDINGS_ARCHIVE_OUTPUT: OutputRef = { role: 'audit', outputName: 'FindingsArchiveBucketName' };

const LOCK = 'findings archive Object Lock';
const EXPORT = 'GuardDuty findings export';

/**
 * D2: the six-year findings archive is in place at runtime. Its bucket has Object Lock with a default retention of at
 * least max(2192, retention.auditRetentionDays) days, COMPLIANCE in production; with GuardDuty on, the detector of
 * config.region has an S3 publishing destination into that bucket whose status is PUBLISHING (GuardDuty reports
 * UNABLE_TO_PUBLISH_FIX_DESTINATION_PROPERTY when it cannot write or encrypt). With detection.findingsArchive false,
 * one WARN row: the blueprint cannot see the archive of whoever providedBy names.
 */
export const verifyFindingsArchive: VerifyCheck = async (ctx) => {
  const { config } = ctx;
  const row = (check: string, status: VerifyRow['status'], detail: string): VerifyRow => ({
    safeguard: 'D2',
    check,
    status,
    detail,
  });
  if (config.detection.findingsArchive === false) {
    return [
      row(
        LOCK,
        'WARN',
        `detection.findingsArchive = false: findings are archived by ${config.detection.providedBy ?? 'nobody named'}, not checked here`,
      ),
    ];
  }
  const bucket = outputOf(ctx, FINDINGS_ARCHIVE_OUTPUT);
  if (!bucket) {
    return [
      row(
        LOCK,
        'FAIL',
        `no findings archive: stack ${stackName(config, FINDINGS_ARCHIVE_OUTPUT.role)} is not deployed or has no output ${FINDINGS_ARCHIVE_OUTPUT.outputName}`,
      ),
    ];
  }
  const rows = [await lockRow(ctx, bucket, row)];
  if (config.detection.guardDuty) rows.push(await exportRow(ctx, bucket, row));
  return rows;
};

type Row = (check: string, status: VerifyRow['status'], detail: string) => VerifyRow;

async function lockRow(ctx: Parameters<VerifyCheck>[0], bucket: string, row: Row): Promise<VerifyRow> {
  const { config } = ctx;
  let lock;
  try {
    lock = (await ctx.clients.s3(config.region).send(new GetObjectLockConfigurationCommand({ Bucket: bucket })))
      .ObjectLockConfiguration;
  } catch (e) {
    if (isError(e, 'ObjectLockConfigurationNotFoundError'))
      return row(LOCK, 'FAIL', `${bucket} has no Object Lock configuration`);
    throw e;
  }
  if (lock?.ObjectLockEnabled !== 'Enabled') return row(LOCK, 'FAIL', `${bucket}: Object Lock is not enabled`);
  const retention = lock.Rule?.DefaultRetention;
  if (!retention)
    return row(LOCK, 'FAIL', `${bucket}: Object Lock has no default retention, so findings are not locked`);
  const days = retention.Days ?? (retention.Years !== undefined ? retention.Years * 365 : 0);
  const minDays = Math.max(HIPAA_MIN_RETENTION_DAYS, config.retention.auditRetentionDays);
  const wantedMode = config.production ? 'COMPLIANCE' : config.retention.auditLockMode;
  const problems: string[] = [];
  if (retention.Mode !== 'COMPLIANCE' && retention.Mode !== wantedMode) {
    problems.push(`mode ${retention.Mode ?? 'none'}, must be ${wantedMode}`);
  }
  if (days < minDays) problems.push(`default retention ${days} days, must be >= ${minDays}`);
  const shown = `${retention.Mode} ${retention.Days !== undefined ? `${retention.Days} days` : `${retention.Years} years`}`;
  return problems.length
    ? row(LOCK, 'FAIL', `${bucket}: ${problems.join('; ')}`)
    : row(LOCK, 'PASS', `${bucket}: ${shown}`);
}

async function exportRow(ctx: Parameters<VerifyCheck>[0], bucket: string, row: Row): Promise<VerifyRow> {
  const client = ctx.clients.guardDuty(ctx.config.region);
  const detectorId = ((await client.send(new ListDetectorsCommand({}))).DetectorIds ?? [])[0];
  if (detectorId === undefined) return row(EXPORT, 'FAIL', `no GuardDuty detector in ${ctx.config.region}`);
  const destinations = (await client.send(new ListPublishingDestinationsCommand({ DetectorId: detectorId })))
    .Destinations;
  const s3 = (destinations ?? []).filter((d) => d.DestinationType === 'S3');
  const intoBucket = new RegExp(`^arn:[a-z-]+:s3:::${bucket.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`);
  for (const d of s3) {
    const described = await client.send(
      new DescribePublishingDestinationCommand({ DetectorId: detectorId, DestinationId: d.DestinationId }),
    );
    const arn = described.DestinationProperties?.DestinationArn ?? '';
    if (!intoBucket.test(arn)) continue;
    return described.Status === 'PUBLISHING'
      ? row(EXPORT, 'PASS', `detector ${detectorId} publishes to ${arn}`)
      : row(EXPORT, 'FAIL', `detector ${detectorId} destination ${arn} is ${described.Status ?? 'unknown'}`);
  }
  return row(
    EXPORT,
    'FAIL',
    `detector ${detectorId} has no S3 publishing destination into ${bucket} (${s3.length} other S3 destination(s)): findings last 90 days`,
  );
}
