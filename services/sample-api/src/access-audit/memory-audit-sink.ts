import { AuditSink } from './access-audit-writer';

/** What a MemoryAuditSink does with the next writes (tests). */
export type MemorySinkMode =
  /** Accept and keep each record. */
  | 'accept'
  /** Reject each write with an error. */
  | 'fail'
  /** Never answer (until aborted): a hung sink. */
  | 'hang';

/**
 * An in-memory sink for tests and local runs: keeps the JSON lines it accepted, and can be told to
 * fail or to hang so that fail-closed behaviour can be exercised.
 */
export class MemoryAuditSink implements AuditSink {
  /** Every record accepted, in order (each a JSON object and a newline). */
  public readonly records: string[] = [];
  /** Writes that were aborted by the writer's time bound. */
  public aborted = 0;
  public mode: MemorySinkMode;

  constructor(mode: MemorySinkMode = 'accept') {
    this.mode = mode;
  }

  public write(record: string, signal: AbortSignal): Promise<void> {
    if (this.mode === 'fail') return Promise.reject(new Error('MemoryAuditSink told to fail'));
    if (this.mode === 'hang') {
      return new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          this.aborted += 1;
          reject(new Error('aborted'));
        });
      });
    }
    this.records.push(record);
    return Promise.resolve();
  }

  /** The accepted records, parsed. */
  public events(): unknown[] {
    return this.records.map((r) => JSON.parse(r) as unknown);
  }
}
