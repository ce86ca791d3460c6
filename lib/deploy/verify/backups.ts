import { ListBackupJobsCommand } from '@aws-sdk/client-backup';
import { liveResources } from '../core/deployed-state';
import { partitionOf } from '../preflight/deploy-target';
import { OUTPUTS, stackRef } from '../core/stacks';
import { outputOf, VerifyCheck, VerifyRow } from './context';

/** A completed backup job must be at most this old (daily rule plus its start and completion windows). */
export const BACKUP_MAX_AGE_HOURS = 26;

/**
 * I1: each protected resource (the data stack's database and the PHI bucket) has a COMPLETED backup
 * job in the last 26 hours (ListBackupJobs). Within 26 hours of the data stack's creation, a missing
 * job is a WARN (the first daily window may not have come yet).
 */
export const verifyBackups: VerifyCheck = async (ctx) => {
  const { config } = ctx;
  const ref = stackRef(config, 'data');
  const data = ctx.deployed.get(ref.stackName);
  const partition = partitionOf(config.region);
  const arns: string[] = [
    ...liveResources(data, 'AWS::RDS::DBInstance').map(
      (r) => `arn:${partition}:rds:${ref.region}:${config.account}:db:${r.physicalId}`,
    ),
    ...liveResources(data, 'AWS::RDS::DBCluster').map(
      (r) => `arn:${partition}:rds:${ref.region}:${config.account}:cluster:${r.physicalId}`,
    ),
  ];
  const bucket = outputOf(ctx, OUTPUTS.phiBucketName);
  if (bucket) arns.push(`arn:${partition}:s3:::${bucket}`);
  if (!data || arns.length === 0) {
    return [
      {
        safeguard: 'I1',
        check: 'backup jobs',
        status: 'FAIL',
        detail: `no protected resource: stack ${ref.stackName} is not deployed`,
      },
    ];
  }
  const since = new Date(ctx.now.getTime() - BACKUP_MAX_AGE_HOURS * 3600 * 1000);
  const young = data.creationTime !== undefined && data.creationTime > since;
  const backup = ctx.clients.backup(ref.region);
  const rows: VerifyRow[] = [];
  for (const arn of arns) {
    const check = `backup of ${arn}`;
    const done = await backup.send(
      new ListBackupJobsCommand({ ByResourceArn: arn, ByState: 'COMPLETED', ByCreatedAfter: since }),
    );
    const job = (done.BackupJobs ?? [])[0];
    if (job) {
      rows.push({
        safeguard: 'I1',
        check,
        status: 'PASS',
        detail: `job ${job.BackupJobId} completed ${job.CompletionDate?.toISOString() ?? ''}`.trim(),
      });
      continue;
    }
    const recent = await backup.send(new ListBackupJobsCommand({ ByResourceArn: arn, ByCreatedAfter: since }));
    const states = (recent.BackupJobs ?? []).map((j) => `${j.State}${j.StatusMessage ? ` (${j.StatusMessage})` : ''}`);
    const seen = states.length ? `; jobs since then: ${states.join(', ')}` : '; no job since then';
    rows.push({
      safeguard: 'I1',
      check,
      status: young ? 'WARN' : 'FAIL',
      detail: `no completed backup job since ${since.toISOString()}${seen}${young ? ` (stack created ${data.creationTime?.toISOString()}: the first daily window may not have come yet)` : ''}`,
    });
  }
  return rows;
};
