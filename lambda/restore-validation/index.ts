/**
 * Restore validation Lambda (safeguard I1): an AWS Backup "Restore Job State Change" event -> DescribeRestoreJob ->
 * validateRestore (pure) -> the restore duration and the outcome (1 SUCCESSFUL, 0 FAILED) as CloudWatch metrics per
 * resource type (alarmed against the recovery time objective, and when no restore test succeeded for a week) and
 * PutRestoreValidationResult. Reads restore job metadata only, never the restored data; logs carry
 * the job id, status and duration only. Environment: RTO_HOURS, METRIC_NAMESPACE.
 */
import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { RestoreValidation, validateRestore } from './validate';

/** The metric the restore-duration alarm reads. */
export const RESTORE_DURATION_METRIC = 'RestoreTestDurationHours';
/** 1 for a restore test validated SUCCESSFUL, 0 for FAILED: the alarm on no validated restore test reads its sum. */
export const RESTORE_SUCCEEDED_METRIC = 'RestoreTestSucceeded';

/** The clients the handler uses (replaced by mocks in tests). */
export interface RestoreValidationDeps {
  readonly backup: BackupClient;
  readonly cloudWatch: CloudWatchClient;
  readonly rtoHours: number;
  readonly namespace: string;
  readonly log: (message: string, fields: Record<string, string | number>) => void;
}

/** The restore job id of an AWS Backup restore job event, or undefined. */
export function restoreJobIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const detail = (event as { detail?: unknown }).detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const id = (detail as { restoreJobId?: unknown }).restoreJobId;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,128}$/.test(id) ? id : undefined;
}

/** Handles one event; returns what it decided (for tests and logs). */
export async function handleRestoreEvent(event: unknown, deps: RestoreValidationDeps): Promise<RestoreValidation> {
  const restoreJobId = restoreJobIdOf(event);
  if (restoreJobId === undefined) return { action: 'skip', reason: 'not a restore job event' };
  const job = await deps.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
  const decision = validateRestore(
    {
      status: job.Status,
      resourceType: job.ResourceType,
      createdResourceArn: job.CreatedResourceArn,
      creationDate: job.CreationDate,
      completionDate: job.CompletionDate,
      restoreTestingPlanArn: job.CreatedBy?.RestoreTestingPlanArn,
    },
    deps.rtoHours,
  );
  if (decision.action === 'skip') {
    deps.log('restore validation skipped', { restoreJobId, reason: decision.reason });
    return decision;
  }
  const dimensions = [{ Name: 'ResourceType', Value: job.ResourceType ?? 'unknown' }];
  await deps.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: deps.namespace,
      MetricData: [
        ...(decision.durationHours !== undefined
          ? [
              {
                MetricName: RESTORE_DURATION_METRIC,
                Dimensions: dimensions,
                Value: decision.durationHours,
                Unit: 'None' as const,
              },
            ]
          : []),
        {
          MetricName: RESTORE_SUCCEEDED_METRIC,
          Dimensions: dimensions,
          Value: decision.status === 'SUCCESSFUL' ? 1 : 0,
          Unit: 'Count',
        },
      ],
    }),
  );
  await deps.backup.send(
    new PutRestoreValidationResultCommand({
      RestoreJobId: restoreJobId,
      ValidationStatus: decision.status,
      ValidationStatusMessage: decision.message,
    }),
  );
  deps.log('restore validated', {
    restoreJobId,
    status: decision.status,
    durationHours: decision.durationHours ?? -1,
  });
  return decision;
}

/** Reads the function's own configuration (its environment), refusing a bad value by name. */
function configuration(): { rtoHours: number; namespace: string } {
  const rtoHours = Number(process.env.RTO_HOURS);
  if (!Number.isFinite(rtoHours) || rtoHours <= 0) {
    throw new Error(`RTO_HOURS = '${process.env.RTO_HOURS ?? ''}': must be a positive number of hours`);
  }
  const namespace = process.env.METRIC_NAMESPACE ?? '';
  if (!/^[A-Za-z0-9/_.-]{1,255}$/.test(namespace)) {
    throw new Error(`METRIC_NAMESPACE = '${namespace}': must be a CloudWatch namespace`);
  }
  return { rtoHours, namespace };
}

let deps: RestoreValidationDeps | undefined;

/** The Lambda entry point. */
export const handler = async (event: unknown): Promise<RestoreValidation> => {
  deps ??= {
    backup: new BackupClient({}),
    cloudWatch: new CloudWatchClient({}),
    ...configuration(),
    log: (message, fields) => console.log(JSON.stringify({ message, ...fields })),
  };
  return handleRestoreEvent(event, deps);
};
