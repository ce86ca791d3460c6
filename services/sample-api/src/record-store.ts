/** A record's non-PHI metadata: what the sample service is allowed to return. */
export interface RecordSummary {
  readonly recordId: string;
  /** When the record last changed (UTC). */
  readonly updatedAt: Date;
}

/**
 * Read access to records. Injected into the server so tests run without PostgreSQL; in AWS it is
 * PostgresRecordStore. `findRecord` resolves with undefined when the record does not exist and
 * rejects when the store cannot answer.
 */
export interface RecordStore {
  findRecord(recordId: string): Promise<RecordSummary | undefined>;
}

/** The synthetic record ids the sample serves: 'rec-' and 4 to 12 digits. */
export const RECORD_ID_PATTERN = /^rec-[0-9]{4,12}$/;
