import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { evaluate, VolumeResult, volumeQuery, VolumeSettings } from './volume';

/** Namespace of the published aggregates. */
export const VOLUME_NAMESPACE = 'HipaaBlueprint/AccessAudit';

/** What the handler needs, injectable for tests. */
export interface VolumeDeps {
  readonly athena: Pick<AthenaClient, 'send'>;
  readonly cloudWatch: Pick<CloudWatchClient, 'send'>;
  readonly settings: VolumeSettings;
  /** The Athena workgroup (its enforced configuration encrypts and keeps the results). */
  readonly workGroup: string;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** Polls of the query's state before giving up. */
  readonly maxPolls: number;
}

/**
 * Runs the per-user volume query through the workgroup, waits for it, and publishes MaxEventsPerUser,
 * UsersOverThreshold and ActiveUsers (no user id) to VOLUME_NAMESPACE. Throws (the invocation fails, and the
 * failure alarms) when the query fails or does not finish.
 */
export async function checkVolume(deps: VolumeDeps): Promise<VolumeResult> {
  const now = deps.now();
  const started = await deps.athena.send(
    new StartQueryExecutionCommand({ QueryString: volumeQuery(deps.settings, now), WorkGroup: deps.workGroup }),
  );
  const id = started.QueryExecutionId;
  if (id === undefined) throw new Error('access-audit volume: Athena returned no query execution id');
  for (let poll = 0; ; poll++) {
    const state = (await deps.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution
      ?.Status?.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') throw new Error(`access-audit volume: query ${id} ${state}`);
    if (poll + 1 >= deps.maxPolls) throw new Error(`access-audit volume: query ${id} still ${String(state)}`);
    await deps.sleep(2000);
  }
  const rows: string[][] = [];
  let token: string | undefined;
  do {
    const page = await deps.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
    for (const row of page.ResultSet?.Rows ?? []) rows.push((row.Data ?? []).map((d) => d.VarCharValue ?? ''));
    token = page.NextToken;
  } while (token !== undefined);
  const result = evaluate(rows.slice(1), deps.settings.threshold);
  await deps.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: VOLUME_NAMESPACE,
      MetricData: [
        { MetricName: 'MaxEventsPerUser', Value: result.maxEventsPerUser, Unit: 'Count', Timestamp: now },
        { MetricName: 'UsersOverThreshold', Value: result.usersOverThreshold, Unit: 'Count', Timestamp: now },
        { MetricName: 'ActiveUsers', Value: result.activeUsers, Unit: 'Count', Timestamp: now },
      ],
    }),
  );
  return result;
}

/** Scheduled entry point: settings from this function's own environment. */
export async function handler(): Promise<VolumeResult> {
  const env = process.env;
  return checkVolume({
    athena: new AthenaClient({}),
    cloudWatch: new CloudWatchClient({}),
    settings: {
      database: env.GLUE_DATABASE ?? '',
      windowMinutes: Number(env.WINDOW_MINUTES ?? '60'),
      threshold: Number(env.THRESHOLD ?? ''),
    },
    workGroup: env.ATHENA_WORKGROUP ?? '',
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    maxPolls: 100,
  });
}
