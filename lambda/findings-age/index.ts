/**
 * Critical findings age check (V2, D2): on a schedule, pages through Security Hub GetFindings for ACTIVE CRITICAL
 * findings (Inspector ECR and Lambda, GuardDuty, Macie, Security Hub controls) still NEW or NOTIFIED and created more
 * than MAX_AGE_DAYS ago, and publishes the count (total, and per ProductName) to CloudWatch. Never logs or publishes a
 * finding's title, description or resource: counts only. Environment: MAX_AGE_DAYS.
 */
import { CloudWatchClient, MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { addPage, AgeResult, AgeSettings, findingsFilter, result } from './age';

/** Namespace of the published counts. */
export const FINDINGS_AGE_NAMESPACE = 'HipaaBlueprint/Findings';

/** The count of critical findings over the age (no dimension: the alarmed metric; per product: ProductName). */
export const FINDINGS_AGE_METRIC = 'CriticalFindingsOverAge';

/** Findings per GetFindings page (the API maximum). */
export const PAGE_SIZE = 100;

/** What the handler needs, injectable for tests. */
export interface AgeDeps {
  readonly securityHub: Pick<SecurityHubClient, 'send'>;
  readonly cloudWatch: Pick<CloudWatchClient, 'send'>;
  readonly settings: AgeSettings;
  readonly now: () => Date;
  /** Pages read before stopping (the count is then a lower bound, still above zero). */
  readonly maxPages: number;
}

/**
 * Counts and publishes. Throws (the invocation fails, the failure alarm fires, and no datapoint means the not-run
 * alarm fires too) when Security Hub or CloudWatch refuses.
 */
export async function checkFindingsAge(deps: AgeDeps): Promise<AgeResult> {
  const now = deps.now();
  const filters = findingsFilter(deps.settings, now);
  const counts = new Map<string, number>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await deps.securityHub.send(
      new GetFindingsCommand({ Filters: filters, MaxResults: PAGE_SIZE, NextToken: token }),
    );
    addPage(counts, page.Findings ?? []);
    token = page.NextToken === '' ? undefined : page.NextToken;
    pages++;
  } while (token !== undefined && pages < deps.maxPages);
  const out = result(counts, token !== undefined);
  const data: MetricDatum[] = [
    { MetricName: FINDINGS_AGE_METRIC, Value: out.total, Unit: 'Count', Timestamp: now },
    ...Object.entries(out.byProduct).map(([product, n]) => ({
      MetricName: FINDINGS_AGE_METRIC,
      Dimensions: [{ Name: 'ProductName', Value: product }],
      Value: n,
      Unit: 'Count' as const,
      Timestamp: now,
    })),
  ];
  // PutMetricData takes at most 1000 datums per call; products are a handful.
  for (let i = 0; i < data.length; i += 1000) {
    await deps.cloudWatch.send(
      new PutMetricDataCommand({ Namespace: FINDINGS_AGE_NAMESPACE, MetricData: data.slice(i, i + 1000) }),
    );
  }
  console.log(JSON.stringify({ check: 'critical-findings-age', total: out.total, truncated: out.truncated }));
  return out;
}

/** Scheduled entry point: settings from this function's own environment. */
export async function handler(): Promise<AgeResult> {
  return checkFindingsAge({
    securityHub: new SecurityHubClient({}),
    cloudWatch: new CloudWatchClient({}),
    settings: { maxAgeDays: Number(process.env.MAX_AGE_DAYS ?? '') },
    now: () => new Date(),
    maxPages: 100,
  });
}
