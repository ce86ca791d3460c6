/**
 * PostgresRecordStore against a scripted fake pool (no PostgreSQL here): the table is created in the
 * service's own schema once, seeded only when empty, under an advisory lock in one transaction;
 * record ids are bound parameters; a failed initialisation is rolled back and retried.
 */
import {
  ConnectionPool,
  PooledConnection,
  PostgresRecordStore,
  SEED_RECORD_IDS,
} from '../../../services/sample-api/src/postgres-record-store';

interface Call {
  readonly on: 'pool' | 'connection';
  readonly text: string;
  readonly values?: readonly unknown[];
}

class FakePool implements ConnectionPool {
  public readonly calls: Call[] = [];
  public released: unknown[] = [];
  public tableHasRows = false;
  public failOn?: RegExp;
  public rows: Record<string, unknown>[] = [];

  private answer(on: Call['on'], text: string, values?: readonly unknown[]) {
    this.calls.push({ on, text, values });
    if (this.failOn?.test(text)) return Promise.reject(new Error('synthetic failure'));
    if (/SELECT 1 FROM/.test(text)) return Promise.resolve({ rows: this.tableHasRows ? [{ '?column?': 1 }] : [] });
    if (/SELECT record_id, updated_at/.test(text)) return Promise.resolve({ rows: this.rows });
    return Promise.resolve({ rows: [] });
  }

  public query(text: string, values?: readonly unknown[]) {
    return this.answer('pool', text, values);
  }

  public connect(): Promise<PooledConnection> {
    return Promise.resolve({
      query: (text: string, values?: readonly unknown[]) => this.answer('connection', text, values),
      release: (err?: unknown) => void this.released.push(err),
    });
  }
}

const compact = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('PostgresRecordStore', () => {
  test('first use: one transaction creates the table in the schema and seeds it; then the lookup binds the id', async () => {
    const pool = new FakePool();
    pool.rows = [{ record_id: 'rec-0001', updated_at: new Date('2026-01-02T03:04:05.678Z') }];
    const store = new PostgresRecordStore({ pool, schema: 'sample-api' });

    await expect(store.findRecord('rec-0001')).resolves.toEqual({
      recordId: 'rec-0001',
      updatedAt: new Date('2026-01-02T03:04:05.678Z'),
    });
    const texts = pool.calls.map((c) => `${c.on}: ${compact(c.text)}`);
    expect(texts[0]).toBe('connection: BEGIN');
    expect(texts[1]).toBe('connection: SELECT pg_advisory_xact_lock(hashtext($1))');
    expect(texts[2]).toMatch(/^connection: CREATE TABLE IF NOT EXISTS "sample-api"\.sample_records \(/);
    expect(texts[3]).toBe('connection: SELECT 1 FROM "sample-api".sample_records LIMIT 1');
    expect(texts[4]).toMatch(/^connection: INSERT INTO "sample-api"\.sample_records/);
    expect(pool.calls[4].values).toEqual([[...SEED_RECORD_IDS]]);
    expect(texts[5]).toBe('connection: COMMIT');
    expect(texts[6]).toBe('pool: SELECT record_id, updated_at FROM "sample-api".sample_records WHERE record_id = $1');
    expect(pool.calls[6].values).toEqual(['rec-0001']);
    expect(pool.released).toEqual([false]);
  });

  test('the schema is created once per process; an existing table with rows is not seeded again', async () => {
    const pool = new FakePool();
    pool.tableHasRows = true;
    const store = new PostgresRecordStore({ pool, schema: 'api' });
    await expect(store.findRecord('rec-0404')).resolves.toBeUndefined();
    await store.findRecord('rec-0405');
    expect(pool.calls.filter((c) => /CREATE TABLE/.test(c.text))).toHaveLength(1);
    expect(pool.calls.filter((c) => /INSERT/.test(c.text))).toHaveLength(0);
    // The id is never part of the SQL text.
    expect(pool.calls.some((c) => c.text.includes('rec-04'))).toBe(false);
  });

  test('a failed initialisation is rolled back, its connection discarded, and retried on the next request', async () => {
    const pool = new FakePool();
    pool.failOn = /CREATE TABLE/;
    const store = new PostgresRecordStore({ pool, schema: 'api' });
    await expect(store.findRecord('rec-0001')).rejects.toThrow('synthetic failure');
    expect(pool.calls.map((c) => compact(c.text)).slice(-1)).toEqual(['ROLLBACK']);
    expect(pool.released[0]).toBeInstanceOf(Error);

    pool.failOn = undefined;
    await store.findRecord('rec-0001');
    expect(pool.calls.filter((c) => /CREATE TABLE/.test(c.text))).toHaveLength(2);
  });

  test('refuses a schema name that is not the service schema rule', () => {
    expect(() => new PostgresRecordStore({ pool: new FakePool(), schema: 'api"; DROP' })).toThrow(
      `PostgresRecordStore: schema = 'api"; DROP': must be the service's schema name`,
    );
  });
});
