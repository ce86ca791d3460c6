/**
 * Structured JSON log lines (stdout, collected by awslogs into the masked log group). Only fields
 * the service chose are written: never a raw path, query string, header, record id or body.
 */

/** One request's log line. */
export interface RequestLogLine {
  /** HTTP method (one of the methods Node's parser accepts). */
  readonly method: string;
  /** The route template matched ('/records/:id'), never the raw path. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  /** Request id (the load balancer trace Root, or generated), shared with the audit event. */
  readonly requestId: string;
  /** Audit outcome where the route is audited. */
  readonly auditOutcome?: string;
  /** Failure class where the request failed (an error name, or 'audit-timeout' etc.). */
  readonly failure?: string;
}

export type LogFields = Readonly<Record<string, string | number | boolean>>;

/** Where the service writes its log lines. */
export interface ServiceLogger {
  request(line: RequestLogLine): void;
  event(message: string, fields?: LogFields): void;
}

/** A logger writing one JSON object per line through `write` (default: stdout). */
export function jsonLineLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  now: () => Date = () => new Date(),
): ServiceLogger {
  const emit = (fields: Record<string, unknown>): void => {
    write(`${JSON.stringify({ time: now().toISOString(), ...fields })}\n`);
  };
  return {
    request: (line) => emit({ message: 'request', ...line }),
    event: (message, fields) => emit({ message, ...fields }),
  };
}
