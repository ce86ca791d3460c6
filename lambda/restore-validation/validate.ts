/**
 * The decision of the restore validation (safeguard I1): from a restore job's metadata (never its data) to the
 * validation result AWS Backup records for a restore test, and the restore duration measured against the recovery
 * time objective. Pure: no AWS call, no clock.
 */

/** What validate reads of a restore job (DescribeRestoreJob). */
export interface RestoreJobFacts {
  readonly status?: string;
  readonly resourceType?: string;
  readonly createdResourceArn?: string;
  readonly creationDate?: Date;
  readonly completionDate?: Date;
  /** Set when a restore testing plan started the job. */
  readonly restoreTestingPlanArn?: string;
}

/** The outcome: skip (not a completed restore test), or a validation result with the measured duration. */
export type RestoreValidation =
  | { readonly action: 'skip'; readonly reason: string }
  | {
      readonly action: 'report';
      readonly status: 'SUCCESSFUL' | 'FAILED';
      readonly message: string;
      /** Hours from the job's creation to its completion, when both are known. */
      readonly durationHours?: number;
    };

/** Rounds to two decimals for messages and metrics. */
const hours = (ms: number): number => Math.round((ms / 3_600_000) * 100) / 100;

/**
 * A completed restore test is SUCCESSFUL when it created a resource and finished within `rtoHours` of its start;
 * FAILED otherwise, with a reason that names durations and the resource type only. Jobs that are not restore tests,
 * or not completed (AWS Backup reports failed and aborted restores itself), are skipped.
 */
export function validateRestore(job: RestoreJobFacts, rtoHours: number): RestoreValidation {
  if (!Number.isFinite(rtoHours) || rtoHours <= 0) {
    throw new Error(`validateRestore: rtoHours = ${rtoHours}: must be a positive number of hours`);
  }
  if (job.restoreTestingPlanArn === undefined) return { action: 'skip', reason: 'not a restore test' };
  if (job.status !== 'COMPLETED') return { action: 'skip', reason: `restore job ${job.status ?? 'without status'}` };
  const type = job.resourceType ?? 'resource';
  if (job.creationDate === undefined || job.completionDate === undefined) {
    return { action: 'report', status: 'FAILED', message: `${type} restore completed without start or end time` };
  }
  const durationHours = hours(job.completionDate.getTime() - job.creationDate.getTime());
  if (job.createdResourceArn === undefined || job.createdResourceArn === '') {
    return { action: 'report', status: 'FAILED', message: `${type} restore created no resource`, durationHours };
  }
  if (durationHours > rtoHours) {
    return {
      action: 'report',
      status: 'FAILED',
      message: `${type} restored in ${durationHours} h, over the recovery time objective of ${rtoHours} h`,
      durationHours,
    };
  }
  return {
    action: 'report',
    status: 'SUCCESSFUL',
    message: `${type} restored in ${durationHours} h (recovery time objective ${rtoHours} h)`,
    durationHours,
  };
}

/** The longest validation message recorded (the failed checks are cut beyond it, with their count). */
export const MAX_VALIDATION_MESSAGE_CHARS = 1000;

/**
 * Joins the inspection of the restored copy (lambda/restore-validation/inspect.ts) to a reported decision: any failed
 * check makes it FAILED, with the checks named after the timing (property, expected, found; no data). A skip stays a
 * skip.
 */
export function withInspection(decision: RestoreValidation, failedChecks: readonly string[]): RestoreValidation {
  if (decision.action === 'skip' || failedChecks.length === 0) return decision;
  const head = `${decision.message}; the restored copy failed ${failedChecks.length} check${failedChecks.length === 1 ? '' : 's'}: `;
  let message = head + failedChecks.join('; ');
  if (message.length > MAX_VALIDATION_MESSAGE_CHARS) {
    const suffix = ` ... (${failedChecks.length} checks in all)`;
    message = message.slice(0, MAX_VALIDATION_MESSAGE_CHARS - suffix.length) + suffix;
  }
  return { ...decision, status: 'FAILED', message };
}
