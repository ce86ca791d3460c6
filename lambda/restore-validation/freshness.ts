/**
 * The freshness of the restore tests (safeguard I1): from the completed restore jobs of the restore testing plan (their
 * metadata as ListRestoreJobs returns it) to the hours since each restore tested type last had a restore test
 * validated SUCCESSFUL. Pure: the clock is an argument.
 */

/** What the freshness check reads of a listed restore job. */
export interface ListedRestoreJob {
  readonly resourceType?: string;
  readonly completionDate?: Date;
  readonly validationStatus?: string;
}

/**
 * Hours (two decimals) from the latest restore test of each type in `types` validated SUCCESSFUL to `now`; a type
 * without one in the jobs (which cover `lookbackHours`) gets `lookbackHours`, the most the check can tell.
 */
export function hoursSinceValidated(
  jobs: readonly ListedRestoreJob[],
  types: readonly string[],
  now: Date,
  lookbackHours: number,
): Record<string, number> {
  if (!Number.isFinite(lookbackHours) || lookbackHours <= 0) {
    throw new Error(`hoursSinceValidated: lookbackHours = ${lookbackHours}: must be a positive number of hours`);
  }
  const out: Record<string, number> = {};
  for (const type of types) {
    const latest = jobs
      .filter((j) => j.resourceType === type && j.validationStatus === 'SUCCESSFUL' && j.completionDate !== undefined)
      .reduce<number | undefined>((max, j) => Math.max(max ?? 0, j.completionDate!.getTime()), undefined);
    const hours = latest === undefined ? lookbackHours : (now.getTime() - latest) / 3_600_000;
    out[type] = Math.min(lookbackHours, Math.max(0, Math.round(hours * 100) / 100));
  }
  return out;
}
