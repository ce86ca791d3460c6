import { randomUUID } from 'node:crypto';
import { AccessAuditError } from './access-audit-error';
import {
  ACCESS_AUDIT_FORMAT_VERSION,
  AccessAction,
  AccessAuditEvent,
  AccessOutcome,
  accessAuditEventSchema,
} from './access-audit-event';

/**
 * Where events go: one call per event, `record` being one JSON object followed by a newline (JSON
 * lines). The sink must honour `signal`: the writer aborts it when its time bound passes.
 */
export interface AuditSink {
  write(record: string, signal: AbortSignal): Promise<void>;
}

/** What a caller knows about one access; the writer adds version, eventId, time and service. */
export interface AccessAuditInput {
  /** Stable user id (x-amzn-oidc-identity), or null for a request refused for lack of one. */
  readonly userId: string | null;
  /** Kind of resource, lower-case kebab-case, e.g. 'record'. */
  readonly resourceType: string;
  /** Record identifier, or null for a list or a refused request whose id was not valid. */
  readonly recordId: string | null;
  readonly action: AccessAction;
  readonly outcome: AccessOutcome;
  /** Client address (clientIpFromHeaders), or null when unknown. */
  readonly clientIp: string | null;
  /** Bounded user agent (userAgentFromHeaders), or null. */
  readonly userAgent: string | null;
  /** Request id (requestIdFromHeaders). */
  readonly requestId: string;
}

/** Props of an AccessAuditWriter. */
export interface AccessAuditWriterProps {
  /** Where events are written (FirehoseAuditSink in AWS, MemoryAuditSink in tests). */
  readonly sink: AuditSink;
  /** The service writing the events, lower-case kebab-case (event field `service`). */
  readonly service: string;
  /**
   * Longest wait for the sink, in milliseconds (1-30000). A sink that has not answered by then is
   * aborted and the write fails closed.
   * @default 2000
   */
  readonly timeoutMs?: number;
  /**
   * Clock, for tests.
   * @default () => new Date()
   */
  readonly now?: () => Date;
  /**
   * Event id generator, for tests.
   * @default crypto.randomUUID
   */
  readonly newEventId?: () => string;
}

/** Default bound on one sink write, in milliseconds. */
export const DEFAULT_AUDIT_TIMEOUT_MS = 2000;
/** Highest bound a writer accepts, in milliseconds. */
export const MAX_AUDIT_TIMEOUT_MS = 30_000;

/**
 * Records access-audit events (safeguard U5): each event is validated against format v1 before it
 * is sent (an invalid event is a programming error: refused, never sent), then written to the sink
 * within a time bound. `record` resolves only once the sink has accepted the event; otherwise it
 * rejects with an AccessAuditError, and the caller must refuse the access.
 */
export class AccessAuditWriter {
  private readonly sink: AuditSink;
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly newEventId: () => string;

  constructor(props: AccessAuditWriterProps) {
    const timeoutMs = props.timeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_AUDIT_TIMEOUT_MS) {
      throw new Error(
        `AccessAuditWriter: timeoutMs = ${timeoutMs}: must be an integer from 1 to ${MAX_AUDIT_TIMEOUT_MS}`,
      );
    }
    const service = accessAuditEventSchema.shape.service.safeParse(props.service);
    if (!service.success) {
      throw new Error(
        `AccessAuditWriter: service = '${props.service}': must be a lower-case kebab-case name of at most 64 characters`,
      );
    }
    this.sink = props.sink;
    this.service = props.service;
    this.timeoutMs = timeoutMs;
    this.now = props.now ?? (() => new Date());
    this.newEventId = props.newEventId ?? randomUUID;
  }

  /** Builds the event for `input`, validates it and writes it; resolves with the event written. */
  public async record(input: AccessAuditInput): Promise<AccessAuditEvent> {
    const event = {
      version: ACCESS_AUDIT_FORMAT_VERSION,
      eventId: this.newEventId(),
      time: this.now().toISOString(),
      service: this.service,
      who: { userId: input.userId },
      what: {
        resourceType: input.resourceType,
        recordId: input.recordId,
        action: input.action,
        outcome: input.outcome,
      },
      where: { clientIp: input.clientIp, userAgent: input.userAgent, requestId: input.requestId },
    };
    await this.write(event);
    return event as AccessAuditEvent;
  }

  /** Validates a complete event and writes it to the sink within the time bound. */
  public async write(event: unknown): Promise<void> {
    const parsed = accessAuditEventSchema.safeParse(event);
    if (!parsed.success) {
      // Field paths and rules only: an invalid value may be the very PHI that must not leak.
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'} (${i.message})`);
      throw new AccessAuditError('invalid-event', `Access-audit event refused, not sent: ${fields.join('; ')}`);
    }
    const record = `${JSON.stringify(parsed.data)}\n`;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Settle the race first: aborting makes the sink reject synchronously with its own error.
        reject(new AccessAuditError('timeout', `Access-audit sink did not answer within ${this.timeoutMs} ms`));
        controller.abort();
      }, this.timeoutMs);
    });
    try {
      await Promise.race([this.sink.write(record, controller.signal), timeout]);
    } catch (err) {
      if (err instanceof AccessAuditError) throw err;
      throw new AccessAuditError('sink-error', `Access-audit sink failed (${errorName(err)})`, errorName(err));
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The error's class name, if it looks like one: never its message, which may echo input. */
export function errorName(err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err;
  return /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : 'UnknownError';
}
