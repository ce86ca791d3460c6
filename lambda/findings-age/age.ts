/**
 * The decision of the critical findings age check (V2, D2): which Security Hub findings count (ACTIVE, CRITICAL,
 * workflow NEW or NOTIFIED, created before `now - maxAgeDays`) and what a page of them adds up to. Pure: no AWS, no
 * clock of its own. Reads only a finding's ProductName: titles, descriptions and resource ids never leave Security
 * Hub (CloudWatch is not a findings store).
 */
import type { AwsSecurityFindingFilters } from '@aws-sdk/client-securityhub';

/** What the check reads. */
export interface AgeSettings {
  /** Whole days a critical finding may stay open before it counts (1-90). */
  readonly maxAgeDays: number;
}

/** The aggregates the check publishes: counts only. */
export interface AgeResult {
  /** Critical findings open longer than maxAgeDays. */
  readonly total: number;
  /** The same count per Security Hub ProductName (e.g. Inspector, GuardDuty, Macie, Security Hub). */
  readonly byProduct: Readonly<Record<string, number>>;
  /** Whether the page limit stopped the count early (the total is then a lower bound). */
  readonly truncated: boolean;
}

/** Lower bound of the creation date filter: before Security Hub existed, so every old finding is inside it. */
export const FILTER_START = '2015-01-01T00:00:00.000Z';

/** Product name recorded for a finding without one. */
export const UNKNOWN_PRODUCT = 'unknown';

/** Problems of the settings, each naming the field, the value and the rule (empty when valid). */
export function settingsProblems(s: AgeSettings): string[] {
  return Number.isInteger(s.maxAgeDays) && s.maxAgeDays >= 1 && s.maxAgeDays <= 90
    ? []
    : [`maxAgeDays = ${s.maxAgeDays}: must be a whole number of days from 1 to 90`];
}

/** The instant before which a finding must have been created to count. */
export function cutoff(s: AgeSettings, now: Date): Date {
  return new Date(now.getTime() - s.maxAgeDays * 86_400_000);
}

/**
 * The GetFindings filters: severity label CRITICAL, record state ACTIVE, workflow status NEW or NOTIFIED (EQUALS
 * filters on one field are ORed), CreatedAt from FILTER_START to the cutoff. CreatedAt is required in every finding
 * (FirstObservedAt is optional), and is when the provider first created it.
 * @throws Error naming the field when the settings are invalid.
 */
export function findingsFilter(s: AgeSettings, now: Date): AwsSecurityFindingFilters {
  const problems = settingsProblems(s);
  if (problems.length > 0) throw new Error(`findings age: ${problems.join('; ')}`);
  return {
    SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }],
    RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    WorkflowStatus: [
      { Value: 'NEW', Comparison: 'EQUALS' },
      { Value: 'NOTIFIED', Comparison: 'EQUALS' },
    ],
    CreatedAt: [{ Start: FILTER_START, End: cutoff(s, now).toISOString() }],
  };
}

/** A metric dimension value from a product name: printable ASCII, at most 255 characters. */
export function productDimension(name: unknown): string {
  if (typeof name !== 'string') return UNKNOWN_PRODUCT;
  const clean = name.replace(/[^\x20-\x7e]/g, '').trim();
  return clean.length === 0 ? UNKNOWN_PRODUCT : clean.slice(0, 255);
}

/** Adds one page of findings (only their ProductName is read) to the running counts. */
export function addPage(counts: Map<string, number>, findings: readonly { readonly ProductName?: unknown }[]): void {
  for (const f of findings) {
    const product = productDimension(f.ProductName);
    counts.set(product, (counts.get(product) ?? 0) + 1);
  }
}

/** The aggregates of the counts. */
export function result(counts: ReadonlyMap<string, number>, truncated: boolean): AgeResult {
  const byProduct = Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return { total: [...counts.values()].reduce((n, c) => n + c, 0), byProduct, truncated };
}
