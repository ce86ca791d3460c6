import { RecordStore, RecordSummary } from './record-store';

/** One query on a pooled connection (pg's Pool and PoolClient fit). */
export interface Queryable {
  query(text: string, values?: readonly unknown[]): Promise<{ readonly rows: readonly Record<string, unknown>[] }>;
}

/** A connection checked out of the pool, for the schema transaction. */
export interface PooledConnection extends Queryable {
  release(err?: Error | boolean): void;
}

/** The pool the store uses (pg's Pool fits). */
export interface ConnectionPool extends Queryable {
  connect(): Promise<PooledConnection>;
}

/** Props of a PostgresRecordStore. */
export interface PostgresRecordStoreProps {
  /** Connection pool (createDatabasePool: IAM token as password, TLS verified against the RDS CA). */
  readonly pool: ConnectionPool;
  /** The service's own schema (named after its database user); the table is created there. */
  readonly schema: string;
}

/** The table the sample keeps its synthetic records in. */
export const RECORDS_TABLE = 'sample_records';

/** The synthetic rows a fresh database is seeded with (no PHI: ids and a placeholder only). */
export const SEED_RECORD_IDS = ['rec-0001', 'rec-0002', 'rec-0003'] as const;

const SCHEMA = /^[a-z][a-z0-9_-]{0,62}$/;

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The sample's records in PostgreSQL, in the service's own schema. On first use it creates its
 * table (CREATE TABLE IF NOT EXISTS) and, if the table is empty, a few synthetic rows, under a
 * transaction-scoped advisory lock so that tasks starting together do not race. A failed
 * initialisation is retried on the next request. Record ids are always bound parameters.
 */
export class PostgresRecordStore implements RecordStore {
  private readonly pool: ConnectionPool;
  private readonly table: string;
  private ready?: Promise<void>;

  constructor(props: PostgresRecordStoreProps) {
    if (!SCHEMA.test(props.schema)) {
      throw new Error(
        `PostgresRecordStore: schema = '${props.schema}': must be the service's schema name (lower-case letters, digits, _ and -, 1-63)`,
      );
    }
    this.pool = props.pool;
    this.table = `${quoteIdentifier(props.schema)}.${RECORDS_TABLE}`;
  }

  public async findRecord(recordId: string): Promise<RecordSummary | undefined> {
    await this.ensureReady();
    const result = await this.pool.query(`SELECT record_id, updated_at FROM ${this.table} WHERE record_id = $1`, [
      recordId,
    ]);
    const row = result.rows[0];
    if (row === undefined) return undefined;
    const updatedAt = row.updated_at instanceof Date ? row.updated_at : new Date(String(row.updated_at));
    return { recordId: String(row.record_id), updatedAt };
  }

  private ensureReady(): Promise<void> {
    if (!this.ready) {
      this.ready = this.initialise().catch((err: unknown) => {
        this.ready = undefined; // try again on the next request
        throw err;
      });
    }
    return this.ready;
  }

  private async initialise(): Promise<void> {
    const connection = await this.pool.connect();
    let failed: Error | undefined;
    try {
      await connection.query('BEGIN');
      await connection.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.table]);
      await connection.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           record_id text PRIMARY KEY CHECK (record_id ~ '^rec-[0-9]{4,12}$'),
           note text NOT NULL,
           updated_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const existing = await connection.query(`SELECT 1 FROM ${this.table} LIMIT 1`);
      if (existing.rows.length === 0) {
        await connection.query(
          `INSERT INTO ${this.table} (record_id, note) SELECT id, 'synthetic sample record' FROM unnest($1::text[]) AS id`,
          [[...SEED_RECORD_IDS]],
        );
      }
      await connection.query('COMMIT');
    } catch (err) {
      failed = err instanceof Error ? err : new Error(String(err));
      await connection.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      // A connection whose transaction failed is discarded rather than returned to the pool.
      connection.release(failed ?? false);
    }
  }
}
