import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import { AuditSink } from './access-audit-writer';

/** Firehose accepts records of at most 1,000 KiB before base64 encoding. */
export const MAX_FIREHOSE_RECORD_BYTES = 1000 * 1024;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

/** Props of a FirehoseAuditSink. */
export interface FirehoseAuditSinkProps {
  /** Name of the Firehose stream that delivers to the append-only audit store (1-64 of [a-zA-Z0-9_.-]). */
  readonly deliveryStreamName: string;
  /**
   * The Firehose client (the task role needs firehose:PutRecord on the stream).
   * @default - a client for `region` that tries twice, with 1 s to connect and 2 s per attempt
   */
  readonly client?: FirehoseClient;
  /**
   * Refuse a write that Firehose reports as not encrypted at rest (PutRecord `Encrypted` not true):
   * the stream must have server-side encryption on (E2). The record was accepted by then, so the
   * trail over-reports rather than under-reports; the request is refused all the same.
   * @default true
   */
  readonly requireEncrypted?: boolean;
  /**
   * Region of the stream, used when no client is given.
   * @default - the SDK's default chain (AWS_REGION)
   */
  readonly region?: string;
}

/**
 * Writes each access-audit record to an Amazon Data Firehose stream with PutRecord: one JSON line per
 * Firehose record, newline-terminated, so the objects Firehose delivers are JSON lines (readable by
 * Athena and any JSON-lines reader). The writer's abort signal cancels the request.
 */
export class FirehoseAuditSink implements AuditSink {
  public readonly deliveryStreamName: string;
  private readonly client: FirehoseClient;
  private readonly requireEncrypted: boolean;

  constructor(props: FirehoseAuditSinkProps) {
    if (!STREAM_NAME.test(props.deliveryStreamName)) {
      throw new Error(
        `FirehoseAuditSink: deliveryStreamName = '${props.deliveryStreamName}': must be 1-64 characters of letters, digits, '_', '.' and '-'`,
      );
    }
    this.deliveryStreamName = props.deliveryStreamName;
    this.requireEncrypted = props.requireEncrypted ?? true;
    this.client =
      props.client ??
      new FirehoseClient({
        region: props.region,
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
      });
  }

  public async write(record: string, signal: AbortSignal): Promise<void> {
    if (!record.endsWith('\n') || record.indexOf('\n') !== record.length - 1) {
      throw new Error('FirehoseAuditSink: record must be exactly one line ending in a newline (JSON lines)');
    }
    const data = Buffer.from(record, 'utf8');
    if (data.byteLength > MAX_FIREHOSE_RECORD_BYTES) {
      throw new Error(
        `FirehoseAuditSink: record of ${data.byteLength} bytes: must be at most ${MAX_FIREHOSE_RECORD_BYTES} bytes (Firehose record limit)`,
      );
    }
    const output = await this.client.send(
      new PutRecordCommand({ DeliveryStreamName: this.deliveryStreamName, Record: { Data: data } }),
      { abortSignal: signal },
    );
    if (this.requireEncrypted && output.Encrypted !== true) {
      const err = new Error(
        `FirehoseAuditSink: stream '${this.deliveryStreamName}' reported Encrypted = ${String(output.Encrypted)}: server-side encryption must be on`,
      );
      err.name = 'AuditStreamNotEncrypted';
      throw err;
    }
  }
}
