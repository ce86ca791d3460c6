import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { checkVolume, VOLUME_NAMESPACE, VolumeDeps } from '../../lambda/access-audit-volume/index';
import { evaluate, settingsProblems, volumeQuery } from '../../lambda/access-audit-volume/volume';

// Synthetic user ids only.
const NOW = new Date('2026-03-04T00:30:00.000Z');
const SETTINGS = { database: 'hipaa_prod_access_audit', windowMinutes: 60, threshold: 100 };

describe('access-audit volume: the query and the decision', () => {
  test('U5 counts events per user since the window start, reading only the day partitions it touches', () => {
    expect(volumeQuery(SETTINGS, NOW)).toBe(
      'SELECT who.userid AS user_id, count(*) AS events FROM "hipaa_prod_access_audit"."events" ' +
        "WHERE day IN ('2026-03-03', '2026-03-04') AND time >= '2026-03-03T23:30:00.000Z' AND who.userid IS NOT NULL " +
        'GROUP BY who.userid ORDER BY events DESC',
    );
    expect(volumeQuery(SETTINGS, new Date('2026-03-04T12:00:00.000Z'))).toContain("day IN ('2026-03-04')");
  });

  test('refuses settings that could inject or never fire, naming the field', () => {
    expect(settingsProblems({ database: 'x"; DROP', windowMinutes: 1, threshold: 0 })).toEqual([
      `database = 'x"; DROP': must be 1-255 lower-case letters, digits and underscores`,
      'windowMinutes = 1: must be an integer from 5 to 1440',
      'threshold = 0: must be an integer of at least 1',
    ]);
    expect(() => volumeQuery({ ...SETTINGS, database: 'a-b' }, NOW)).toThrow("database = 'a-b'");
  });

  test('U5 D1 the aggregates: the largest count, the users over the threshold, the active users; no user id', () => {
    const result = evaluate(
      [
        ['user-0001', '250'],
        ['user-0002', '101'],
        ['user-0003', '100'],
      ],
      100,
    );
    expect(result).toEqual({ maxEventsPerUser: 250, usersOverThreshold: 2, activeUsers: 3 });
    expect(JSON.stringify(result)).not.toContain('user-');
    expect(evaluate([], 100)).toEqual({ maxEventsPerUser: 0, usersOverThreshold: 0, activeUsers: 0 });
    expect(() => evaluate([['user-0001', 'many']], 1)).toThrow("row 0 events = 'many': must be a count");
  });
});

describe('access-audit volume: the handler with mocked Athena and CloudWatch', () => {
  const athena = mockClient(AthenaClient);
  const cloudWatch = mockClient(CloudWatchClient);
  // Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
  afterAll(() => [athena, cloudWatch].forEach((m) => m.restore()));
  beforeEach(() => {
    athena.reset();
    cloudWatch.reset();
  });
  const deps = (overrides: Partial<VolumeDeps> = {}): VolumeDeps => ({
    athena: new AthenaClient({}),
    cloudWatch: new CloudWatchClient({}),
    settings: SETTINGS,
    workGroup: 'hipaa-prod-access-audit',
    now: () => NOW,
    sleep: async () => undefined,
    maxPolls: 3,
    ...overrides,
  });
  const row = (...values: string[]) => ({ Data: values.map((v) => ({ VarCharValue: v })) });

  test('U5 D1 runs the query in the workgroup, pages the results and publishes the aggregates only', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({ ResultSet: { Rows: [row('user_id', 'events'), row('user-0001', '150')] }, NextToken: 'p2' });
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'p2' })
      .resolves({ ResultSet: { Rows: [row('user-0002', '20')] } });
    cloudWatch.on(PutMetricDataCommand).resolves({});

    expect(await checkVolume(deps())).toEqual({ maxEventsPerUser: 150, usersOverThreshold: 1, activeUsers: 2 });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.WorkGroup).toBe('hipaa-prod-access-audit');
    const put = cloudWatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input;
    expect(put.Namespace).toBe(VOLUME_NAMESPACE);
    expect(put.MetricData!.map((m) => [m.MetricName, m.Value])).toEqual([
      ['MaxEventsPerUser', 150],
      ['UsersOverThreshold', 1],
      ['ActiveUsers', 2],
    ]);
    expect(JSON.stringify(put)).not.toContain('user-');
  });

  test('a failed or unfinished query fails the invocation and publishes nothing', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED' } } });
    await expect(checkVolume(deps())).rejects.toThrow('query q-2 FAILED');
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    await expect(checkVolume(deps())).rejects.toThrow('query q-2 still RUNNING');
    expect(cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});
