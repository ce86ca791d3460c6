/**
 * The decision of the per-user access volume check (U5, D1): the Athena query that counts each user's access-audit
 * events in the last window, and what the counts mean. Pure: no AWS, no clock of its own.
 */

/** What the check reads. */
export interface VolumeSettings {
  /** Glue database of the access-audit table (lower case, digits, underscores). */
  readonly database: string;
  /** Minutes counted back from `now` (5-1440). */
  readonly windowMinutes: number;
  /** Events per user in the window above which a user counts as anomalous (>= 1). */
  readonly threshold: number;
}

/** The aggregates the check publishes: never a user id (CloudWatch is not an audit store). */
export interface VolumeResult {
  /** The largest number of events of one user in the window (0 when there were none). */
  readonly maxEventsPerUser: number;
  /** How many users exceeded the threshold. */
  readonly usersOverThreshold: number;
  /** How many distinct users had events. */
  readonly activeUsers: number;
}

const DATABASE = /^[a-z0-9_]{1,255}$/;

/** Problems of the settings, each naming the field, the value and the rule (empty when valid). */
export function settingsProblems(s: VolumeSettings): string[] {
  const out: string[] = [];
  if (!DATABASE.test(s.database)) {
    out.push(`database = '${s.database}': must be 1-255 lower-case letters, digits and underscores`);
  }
  if (!Number.isInteger(s.windowMinutes) || s.windowMinutes < 5 || s.windowMinutes > 1440) {
    out.push(`windowMinutes = ${s.windowMinutes}: must be an integer from 5 to 1440`);
  }
  if (!Number.isInteger(s.threshold) || s.threshold < 1) {
    out.push(`threshold = ${s.threshold}: must be an integer of at least 1`);
  }
  return out;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * The query: events per user id since `now - windowMinutes`, reading only the day partitions the window touches
 * (partition projection on `day`), denied requests without a user id left out.
 */
export function volumeQuery(s: VolumeSettings, now: Date): string {
  const problems = settingsProblems(s);
  if (problems.length > 0) throw new Error(`access-audit volume: ${problems.join('; ')}`);
  const from = new Date(now.getTime() - s.windowMinutes * 60_000);
  const days = [...new Set([day(from), day(now)])].map((d) => `'${d}'`).join(', ');
  return [
    'SELECT who.userid AS user_id, count(*) AS events',
    `FROM "${s.database}"."events"`,
    `WHERE day IN (${days}) AND time >= '${from.toISOString()}' AND who.userid IS NOT NULL`,
    'GROUP BY who.userid',
    'ORDER BY events DESC',
  ].join(' ');
}

/** The aggregates of the query's rows (`[user_id, events]`, header row excluded). */
export function evaluate(rows: readonly (readonly string[])[], threshold: number): VolumeResult {
  const counts = rows.map((r, i) => {
    const n = Number(r[1]);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`access-audit volume: row ${i} events = '${r[1]}': must be a count`);
    return n;
  });
  return {
    maxEventsPerUser: counts.reduce((m, n) => Math.max(m, n), 0),
    usersOverThreshold: counts.filter((n) => n > threshold).length,
    activeUsers: counts.length,
  };
}
