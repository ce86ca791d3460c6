import { GetBucketReplicationCommand, ReplicationRule } from '@aws-sdk/client-s3';
import { auditArchiveReplicaBucketName } from '../../config/names';
import { partitionOf } from '../../config/rules';
import { isError } from '../core/sdk-error';
import { OutputRef, stackName } from '../core/stacks';
import { outputOf, VerifyCheck, VerifyRow } from './context';

/** The audit stack's buckets that replicate into the audit replica bucket, by the safeguard each serves. */
export const REPLICATED_AUDIT_BUCKETS: ReadonlyArray<{
  readonly safeguard: string;
  readonly what: string;
  readonly output: OutputRef;
}> = [
  { safeguard: 'U2', what: 'audit archive', output: { role: 'audit', outputName: 'AuditArchiveBucketName' } },
  { safeguard: 'D2', what: 'findings archive', output: { role: 'audit', outputName: 'FindingsArchiveBucketName' } },
  { safeguard: 'U5', what: 'access-audit bucket', output: { role: 'audit', outputName: 'AccessAuditBucketName' } },
];

/** Why a deployed replication rule does not carry every object into `destinationArn` as the blueprint requires. */
function ruleProblem(rule: ReplicationRule, destinationArn: string): string | undefined {
  if (rule.Status !== 'Enabled') return `rule ${rule.ID ?? '?'} is ${rule.Status ?? 'without status'}`;
  if (rule.Destination?.Bucket !== destinationArn)
    return `rule ${rule.ID ?? '?'} replicates into ${rule.Destination?.Bucket ?? 'nothing'}`;
  const filter = rule.Filter;
  const everything =
    (filter === undefined && (rule.Prefix ?? '') === '') ||
    (filter !== undefined && (filter.Prefix ?? '') === '' && filter.Tag === undefined && filter.And === undefined);
  if (!everything) return `rule ${rule.ID ?? '?'} replicates only part of the objects (a filter)`;
  if (rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status !== 'Enabled') {
    return `rule ${rule.ID ?? '?'} skips SSE-KMS objects (every object here is SSE-KMS)`;
  }
  if (rule.DeleteMarkerReplication?.Status === 'Enabled') return `rule ${rule.ID ?? '?'} replicates delete markers`;
  if (rule.Destination.EncryptionConfiguration?.ReplicaKmsKeyID === undefined) {
    return `rule ${rule.ID ?? '?'} names no replica key`;
  }
  // D1: the failed-replication and stall alarms watch the rule's S3 Replication metrics.
  if (rule.Destination.Metrics?.Status !== 'Enabled') {
    return `rule ${rule.ID ?? '?'} publishes no S3 Replication metrics (its alarms cannot fire)`;
  }
  return undefined;
}

/**
 * I2 (with U2, D2, U5): at runtime, the audit archive, the findings archive (unless detection.findingsArchive is false)
 * and the access-audit bucket each have an enabled replication rule carrying every SSE-KMS object, without delete
 * markers, under a replica key and with S3 Replication metrics (what its alarms watch), into the audit replica bucket of config.phiBucket.replicaRegion (GetBucketReplication
 * in config.region). A bucket whose output is missing is a FAIL; the replication's progress itself is not measured.
 */
export const verifyArchiveReplication: VerifyCheck = async (ctx) => {
  const { config } = ctx;
  const replica = auditArchiveReplicaBucketName(config);
  const destinationArn = `arn:${partitionOf(config.region)}:s3:::${replica}`;
  const rows: VerifyRow[] = [];
  for (const source of REPLICATED_AUDIT_BUCKETS) {
    if (source.output.outputName === 'FindingsArchiveBucketName' && config.detection.findingsArchive === false)
      continue;
    const row = (status: VerifyRow['status'], detail: string): VerifyRow => ({
      safeguard: 'I2',
      check: `${source.what} replication`,
      status,
      detail,
    });
    const bucket = outputOf(ctx, source.output);
    if (!bucket) {
      rows.push(
        row(
          'FAIL',
          `no ${source.what}: stack ${stackName(config, source.output.role)} is not deployed or has no output ${source.output.outputName}`,
        ),
      );
      continue;
    }
    let rules: ReplicationRule[];
    try {
      const got = await ctx.clients.s3(config.region).send(new GetBucketReplicationCommand({ Bucket: bucket }));
      rules = got.ReplicationConfiguration?.Rules ?? [];
    } catch (e) {
      if (!isError(e, 'ReplicationConfigurationNotFoundError')) throw e;
      rules = [];
    }
    if (rules.length === 0) {
      rows.push(row('FAIL', `${bucket} is not replicated to ${config.phiBucket.replicaRegion}`));
      continue;
    }
    const problems = rules.map((r) => ruleProblem(r, destinationArn));
    rows.push(
      problems.some((p) => p === undefined)
        ? row('PASS', `${bucket} replicates every object into ${replica} (${config.phiBucket.replicaRegion})`)
        : row('FAIL', `${bucket}: ${problems.join('; ')}`),
    );
  }
  return rows;
};
