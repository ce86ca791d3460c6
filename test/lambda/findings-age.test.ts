import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import {
  addPage,
  cutoff,
  FILTER_START,
  findingsFilter,
  productDimension,
  result,
  settingsProblems,
} from '../../lambda/findings-age/age';
import {
  AgeDeps,
  checkFindingsAge,
  FINDINGS_AGE_METRIC,
  FINDINGS_AGE_NAMESPACE,
  PAGE_SIZE,
} from '../../lambda/findings-age/index';

// Synthetic findings only: ids, titles and resources are placeholders the check must never publish.
const NOW = new Date('2026-03-31T06:00:00.000Z');
const finding = (n: number, product: string): AwsSecurityFinding => ({
  SchemaVersion: '2018-10-08',
  Id: `finding-${n}`,
  ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/inspector',
  GeneratorId: `generator-${n}`,
  AwsAccountId: '123456789012',
  CreatedAt: '2026-01-01T00:00:00.000Z',
  UpdatedAt: '2026-01-02T00:00:00.000Z',
  ProductName: product,
  Title: `SYNTHETIC-TITLE-${n}`,
  Description: `SYNTHETIC-DESCRIPTION-${n}`,
  Resources: [{ Id: `arn:aws:ecr:us-east-1:123456789012:repository/rec-000${n}`, Type: 'AwsEcrContainerImage' }],
});

describe('critical findings age: the filter and the decision', () => {
  test('V2 D2 filters ACTIVE CRITICAL findings still NEW or NOTIFIED, created before now - maxAgeDays', () => {
    expect(findingsFilter({ maxAgeDays: 30 }, NOW)).toEqual({
      SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      WorkflowStatus: [
        { Value: 'NEW', Comparison: 'EQUALS' },
        { Value: 'NOTIFIED', Comparison: 'EQUALS' },
      ],
      CreatedAt: [{ Start: FILTER_START, End: '2026-03-01T06:00:00.000Z' }],
    });
    expect(cutoff({ maxAgeDays: 1 }, NOW).toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });

  test('refuses an age that is not a whole number of days from 1 to 90, naming the field', () => {
    for (const bad of [0, 91, 1.5, Number.NaN]) {
      expect(settingsProblems({ maxAgeDays: bad })).toEqual([
        `maxAgeDays = ${bad}: must be a whole number of days from 1 to 90`,
      ]);
    }
    expect(settingsProblems({ maxAgeDays: 90 })).toEqual([]);
    expect(() => findingsFilter({ maxAgeDays: 0 }, NOW)).toThrow('maxAgeDays = 0');
  });

  test('V2 counts per product, reading only the product name', () => {
    const counts = new Map<string, number>();
    addPage(counts, [finding(1, 'Inspector'), finding(2, 'GuardDuty'), finding(3, 'Inspector')]);
    addPage(counts, [{ ProductName: undefined }, { ProductName: ' Macie\u0007 ' }]);
    expect(result(counts, false)).toEqual({
      total: 5,
      byProduct: { GuardDuty: 1, Inspector: 2, Macie: 1, unknown: 1 },
      truncated: false,
    });
    expect(productDimension('x'.repeat(300))).toHaveLength(255);
    expect(productDimension('')).toBe('unknown');
  });
});

describe('critical findings age: the handler', () => {
  const hub = mockClient(SecurityHubClient);
  const cw = mockClient(CloudWatchClient);
  // Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
  afterAll(() => [hub, cw].forEach((m) => m.restore()));
  const deps = (over: Partial<AgeDeps> = {}): AgeDeps => ({
    securityHub: new SecurityHubClient({}),
    cloudWatch: new CloudWatchClient({}),
    settings: { maxAgeDays: 15 },
    now: () => NOW,
    maxPages: 100,
    ...over,
  });
  let logged: string[];
  beforeEach(() => {
    hub.reset();
    cw.reset();
    logged = [];
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  test('V2 D2 pages through every finding and publishes the total and the per-product counts, nothing else', async () => {
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [finding(1, 'Inspector'), finding(2, 'GuardDuty')], NextToken: 'page-2' })
      .resolvesOnce({ Findings: [finding(3, 'Inspector')] });
    cw.on(PutMetricDataCommand).resolves({});
    const out = await checkFindingsAge(deps());
    expect(out.total).toBe(3);
    const calls = hub.commandCalls(GetFindingsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input).toEqual({
      Filters: findingsFilter({ maxAgeDays: 15 }, NOW),
      MaxResults: PAGE_SIZE,
      NextToken: undefined,
    });
    expect(calls[1]!.args[0].input.NextToken).toBe('page-2');
    const puts = cw.commandCalls(PutMetricDataCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.args[0].input).toEqual({
      Namespace: FINDINGS_AGE_NAMESPACE,
      MetricData: [
        { MetricName: FINDINGS_AGE_METRIC, Value: 3, Unit: 'Count', Timestamp: NOW },
        {
          MetricName: FINDINGS_AGE_METRIC,
          Dimensions: [{ Name: 'ProductName', Value: 'GuardDuty' }],
          Value: 1,
          Unit: 'Count',
          Timestamp: NOW,
        },
        {
          MetricName: FINDINGS_AGE_METRIC,
          Dimensions: [{ Name: 'ProductName', Value: 'Inspector' }],
          Value: 2,
          Unit: 'Count',
          Timestamp: NOW,
        },
      ],
    });
    const published = JSON.stringify(puts[0]!.args[0].input) + logged.join('\n');
    expect(published).not.toMatch(/SYNTHETIC|finding-\d|rec-000|repository/);
  });

  test('V2 publishes a zero when nothing is over the age (the not-run alarm needs a datapoint on every run)', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    cw.on(PutMetricDataCommand).resolves({});
    await checkFindingsAge(deps());
    expect(cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData).toEqual([
      { MetricName: FINDINGS_AGE_METRIC, Value: 0, Unit: 'Count', Timestamp: NOW },
    ]);
  });

  test('stops at the page limit and reports the count as a lower bound', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [finding(1, 'Inspector')], NextToken: 'more' });
    cw.on(PutMetricDataCommand).resolves({});
    const out = await checkFindingsAge(deps({ maxPages: 3 }));
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(3);
    expect(out).toEqual({ total: 3, byProduct: { Inspector: 3 }, truncated: true });
  });

  test('fails the run (no datapoint) when Security Hub refuses, and when the settings are invalid', async () => {
    hub.on(GetFindingsCommand).rejects(new Error('AccessDeniedException'));
    await expect(checkFindingsAge(deps())).rejects.toThrow('AccessDeniedException');
    await expect(checkFindingsAge(deps({ settings: { maxAgeDays: 0 } }))).rejects.toThrow('maxAgeDays = 0');
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});
