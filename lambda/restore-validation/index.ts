/**
 * Restore validation Lambda (safeguard I1). Two events:
 * - an AWS Backup "Restore Job State Change" event -> DescribeRestoreJob -> validateRestore (pure) -> the restore
 *   duration and the outcome (1 SUCCESSFUL, 0 FAILED) as CloudWatch metrics per resource type (the duration is alarmed
 *   against the recovery time objective) and PutRestoreValidationResult;
 * - a scheduled event (the freshness check) -> ListRestoreJobs of the restore testing plan -> hoursSinceValidated
 *   (pure) -> per resource type, the hours since a restore test was last validated SUCCESSFUL (alarmed when longer
 *   than the plan's schedule allows; CloudWatch alarms cannot look back more than 7 days themselves). Reads restore job metadata only, never the restored data; logs carry
 * the job id, status and duration only. Environment: RTO_HOURS, METRIC_NAMESPACE.
 */
import {
  BackupClient,
  DescribeRestoreJobCommand,
  paginateListRestoreJobs,
  PutRestoreValidationResultCommand,
} from '@aws-sdk/client-backup';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { hoursSinceValidated, ListedRestoreJob } from './freshness';
import { RestoreValidation, validateRestore } from './validate';

/** The metric the restore-duration alarm reads. */
export const RESTORE_DURATION_METRIC = 'RestoreTestDurationHours';
/** 1 for a restore test validated SUCCESSFUL, 0 for FAILED. */
export const RESTORE_SUCCEEDED_METRIC = 'RestoreTestSucceeded';
/** Hours since a restore test of the type was last validated SUCCESSFUL (the freshness check's gauge). */
export const HOURS_SINCE_VALIDATED_METRIC = 'HoursSinceValidatedRestoreTest';
/** How far back the freshness check lists restore jobs: the gauge is capped at this many hours. */
export const FRESHNESS_LOOKBACK_HOURS = 14 * 24;

/** What the freshness check needs besides the clients. */
export interface FreshnessSettings {
  /** ARN of the restore testing plan whose jobs are listed. */
  readonly planArn: string;
  /** The restore tested resource types (RDS, Aurora, S3): one gauge each. */
  readonly resourceTypes: readonly string[];
  readonly now: () => Date;
}

/** The clients the handler uses (replaced by mocks in tests). */
export interface RestoreValidationDeps {
  readonly backup: BackupClient;
  readonly cloudWatch: CloudWatchClient;
  readonly rtoHours: number;
  readonly namespace: string;
  readonly log: (message: string, fields: Record<string, string | number>) => void;
  /** Settings of the freshness check (scheduled events). */
  readonly freshness?: FreshnessSettings;
}

/** Whether the event is the schedule's (the freshness check) rather than a restore job's. */
export function isScheduledEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  return e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

/**
 * The freshness check: lists the completed restore jobs of the plan of the last FRESHNESS_LOOKBACK_HOURS and publishes,
 * per resource type, the hours since one was validated SUCCESSFUL. Returns what it published.
 */
export async function checkFreshness(deps: RestoreValidationDeps): Promise<Record<string, number>> {
  const settings = deps.freshness;
  if (settings === undefined) throw new Error('checkFreshness: no freshness settings (RESTORE_TESTING_PLAN_ARN)');
  const now = settings.now();
  const jobs: ListedRestoreJob[] = [];
  for await (const page of paginateListRestoreJobs(
    { client: deps.backup },
    {
      ByRestoreTestingPlanArn: settings.planArn,
      ByStatus: 'COMPLETED',
      ByCompleteAfter: new Date(now.getTime() - FRESHNESS_LOOKBACK_HOURS * 3_600_000),
    },
  )) {
    for (const j of page.RestoreJobs ?? []) {
      jobs.push({
        resourceType: j.ResourceType,
        completionDate: j.CompletionDate,
        validationStatus: j.ValidationStatus,
      });
    }
  }
  const hours = hoursSinceValidated(jobs, settings.resourceTypes, now, FRESHNESS_LOOKBACK_HOURS);
  await deps.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: deps.namespace,
      MetricData: Object.entries(hours).map(([type, value]) => ({
        MetricName: HOURS_SINCE_VALIDATED_METRIC,
        Dimensions: [{ Name: 'ResourceType', Value: type }],
        Value: value,
        Unit: 'None' as const,
      })),
    }),
  );
  deps.log('restore test freshness', { jobs: jobs.length, ...hours });
  return hours;
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
function configuration(): { rtoHours: number; namespace: string; freshness: FreshnessSettings } {
  const rtoHours = Number(process.env.RTO_HOURS);
  if (!Number.isFinite(rtoHours) || rtoHours <= 0) {
    throw new Error(`RTO_HOURS = '${process.env.RTO_HOURS ?? ''}': must be a positive number of hours`);
  }
  const namespace = process.env.METRIC_NAMESPACE ?? '';
  if (!/^[A-Za-z0-9/_.-]{1,255}$/.test(namespace)) {
    throw new Error(`METRIC_NAMESPACE = '${namespace}': must be a CloudWatch namespace`);
  }
  const planArn = process.env.RESTORE_TESTING_PLAN_ARN ?? '';
  if (!/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:restore-testing-plan:[A-Za-z0-9_-]+$/.test(planArn)) {
    throw new Error(`RESTORE_TESTING_PLAN_ARN = '${planArn}': must be an AWS Backup restore testing plan ARN`);
  }
  const resourceTypes = (process.env.RESOURCE_TYPES ?? '').split(',').filter((t) => t !== '');
  if (resourceTypes.length === 0 || !resourceTypes.every((t) => /^[A-Za-z0-9]{1,32}$/.test(t))) {
    throw new Error(`RESOURCE_TYPES = '${process.env.RESOURCE_TYPES ?? ''}': must be a comma-separated list of types`);
  }
  return { rtoHours, namespace, freshness: { planArn, resourceTypes, now: () => new Date() } };
}

let deps: RestoreValidationDeps | undefined;

/** The Lambda entry point. */
export const handler = async (event: unknown): Promise<RestoreValidation | Record<string, number>> => {
  deps ??= {
    backup: new BackupClient({}),
    cloudWatch: new CloudWatchClient({}),
    ...configuration(),
    log: (message, fields) => console.log(JSON.stringify({ message, ...fields })),
  };
  return isScheduledEvent(event) ? checkFreshness(deps) : handleRestoreEvent(event, deps);
};
