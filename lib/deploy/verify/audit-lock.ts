import { GetObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { HIPAA_MIN_RETENTION_DAYS } from '../../config';
import { isError } from '../core/sdk-error';
import { OUTPUTS, stackName } from '../core/stacks';
import { outputOf, VerifyCheck, VerifyRow } from './context';

const CHECK = 'audit archive Object Lock';

/**
 * U2: the audit archive has Object Lock enabled with a default retention of at least
 * max(2192, retention.auditRetentionDays) days, in COMPLIANCE mode in production (GOVERNANCE only
 * where a non-production config says so). Retention given in years counts 365 days a year.
 */
export const verifyAuditLock: VerifyCheck = async (ctx) => {
  const { config } = ctx;
  const row = (status: VerifyRow['status'], detail: string): VerifyRow[] => [
    { safeguard: 'U2', check: CHECK, status, detail },
  ];
  const bucket = outputOf(ctx, OUTPUTS.auditArchiveBucketName);
  if (!bucket) {
    return row(
      'FAIL',
      `no audit archive: stack ${stackName(config, OUTPUTS.auditArchiveBucketName.role)} is not deployed or has no output ${OUTPUTS.auditArchiveBucketName.outputName}`,
    );
  }
  let lock;
  try {
    lock = (await ctx.clients.s3(config.region).send(new GetObjectLockConfigurationCommand({ Bucket: bucket })))
      .ObjectLockConfiguration;
  } catch (e) {
    if (isError(e, 'ObjectLockConfigurationNotFoundError'))
      return row('FAIL', `${bucket} has no Object Lock configuration`);
    throw e;
  }
  if (lock?.ObjectLockEnabled !== 'Enabled') return row('FAIL', `${bucket}: Object Lock is not enabled`);
  const retention = lock.Rule?.DefaultRetention;
  if (!retention)
    return row('FAIL', `${bucket}: Object Lock has no default retention, so new audit records are not locked`);
  const days = retention.Days ?? (retention.Years !== undefined ? retention.Years * 365 : 0);
  const minDays = Math.max(HIPAA_MIN_RETENTION_DAYS, config.retention.auditRetentionDays);
  const wantedMode = config.production ? 'COMPLIANCE' : config.retention.auditLockMode;
  const problems: string[] = [];
  if (retention.Mode !== 'COMPLIANCE' && retention.Mode !== wantedMode) {
    problems.push(`mode ${retention.Mode ?? 'none'}, must be ${wantedMode}`);
  }
  if (days < minDays) problems.push(`default retention ${days} days, must be >= ${minDays}`);
  const shown = `${retention.Mode} ${retention.Days !== undefined ? `${retention.Days} days` : `${retention.Years} years`}`;
  return problems.length ? row('FAIL', `${bucket}: ${problems.join('; ')}`) : row('PASS', `${bucket}: ${shown}`);
};
