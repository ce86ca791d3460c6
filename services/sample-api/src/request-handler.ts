import { IncomingMessage, ServerResponse } from 'node:http';
import {
  AccessAuditError,
  AccessAuditWriter,
  AccessOutcome,
  clientIpFromHeaders,
  errorName,
  requestIdFromHeaders,
  userAgentFromHeaders,
  userIdFromHeaders,
} from './access-audit';
import { homePage } from './home-page';
import { RECORD_ID_PATTERN, RecordStore } from './record-store';
import { ServiceLogger } from './request-log';

/** What the request handler works with; all injected, so tests need no AWS and no database. */
export interface RequestHandlerDeps {
  /** Where records are read (PostgresRecordStore in AWS). */
  readonly records: RecordStore;
  /** Records one access-audit event per PHI request, or fails (then the request is refused). */
  readonly audit: AccessAuditWriter;
  readonly logger: ServiceLogger;
  /**
   * Path prefix of the application routes, e.g. '/api' when the load balancer routes '/api/*' here.
   * /health is always served at the root.
   * @default ''
   */
  readonly basePath?: string;
  /**
   * Longest wait for the record store, in milliseconds, on top of the pool's own bounds.
   * @default 10000
   */
  readonly recordTimeoutMs?: number;
  /**
   * Proxies in front of the service that append to x-forwarded-for (the load balancer only: 1).
   * @default 1
   */
  readonly trustedProxies?: number;
}

/** Route templates, as logged (never the raw path). */
export const ROUTES = {
  health: '/health',
  home: '/',
  record: '/records/:id',
  unmatched: '(unmatched)',
} as const;

/** The resource type recorded in audit events for this service's records. */
export const RESOURCE_TYPE = 'record';

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auditOutcome?: AccessOutcome;
  readonly failure?: string;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

function json(status: number, body: unknown, extra: Partial<Reply> = {}): Reply {
  return { status, body: JSON.stringify(body), contentType: 'application/json; charset=utf-8', ...extra };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`${what} did not answer within ${ms} ms`);
      err.name = 'TimeoutError';
      reject(err);
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The sample service's routes:
 * - GET /health: 200 {"status":"ok"}; no identity, no database, no audit.
 * - GET {basePath}/: a small HTML page naming the signed-in user by stable id only.
 * - GET {basePath}/records/:id: the PHI endpoint. Exactly one access-audit event per request
 *   (success, not-found, denied, error), written before any record data is sent; if it cannot be
 *   written the request is refused with 503 and no record data.
 * One JSON log line per request: method, route template, status, duration, request id.
 */
export function createRequestHandler(deps: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const basePath = deps.basePath ?? '';
  const recordTimeoutMs = deps.recordTimeoutMs ?? 10_000;
  const trustedProxies = deps.trustedProxies ?? 1;
  const recordPrefix = `${basePath}/records/`;

  const readRecord = async (req: IncomingMessage, requestId: string, rawId: string): Promise<Reply> => {
    const userId = userIdFromHeaders(req.headers);
    const recordId = RECORD_ID_PATTERN.test(rawId) ? rawId : null;
    let reply: Reply;
    if (userId === null) {
      reply = json(401, { error: 'not signed in' }, { auditOutcome: 'denied' });
    } else if (recordId === null) {
      // The raw value is neither echoed nor audited nor logged: it may be anything a user typed.
      reply = json(
        400,
        { error: "invalid record id: must be 'rec-' followed by 4 to 12 digits" },
        { auditOutcome: 'denied' },
      );
    } else {
      try {
        const found = await withTimeout(deps.records.findRecord(recordId), recordTimeoutMs, 'record store');
        reply = found
          ? json(200, { recordId, found: true, updatedAt: found.updatedAt.toISOString() }, { auditOutcome: 'success' })
          : json(404, { recordId, found: false }, { auditOutcome: 'not-found' });
      } catch (err) {
        reply = json(503, { error: 'record store unavailable' }, { auditOutcome: 'error', failure: errorName(err) });
      }
    }
    // Before anything is sent: record the access, or refuse (fail closed, U5).
    try {
      await deps.audit.record({
        userId,
        resourceType: RESOURCE_TYPE,
        recordId,
        action: 'read',
        outcome: reply.auditOutcome ?? 'error',
        clientIp: clientIpFromHeaders(req.headers, req.socket.remoteAddress, trustedProxies),
        userAgent: userAgentFromHeaders(req.headers),
        requestId,
      });
    } catch (err) {
      // No auditOutcome on this reply: no event was recorded.
      const failure =
        err instanceof AccessAuditError
          ? `audit-${err.failure}${err.causeName ? ` (${err.causeName})` : ''}`
          : errorName(err);
      return json(503, { error: 'access audit unavailable; request refused' }, { failure });
    }
    return reply;
  };

  const route = async (req: IncomingMessage, requestId: string): Promise<[string, Reply]> => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    const onlyGet = json(405, { error: 'method not allowed' }, { headers: { allow: 'GET' } });
    if (path === ROUTES.health) {
      return [ROUTES.health, method === 'GET' ? json(200, { status: 'ok' }) : onlyGet];
    }
    if (path === `${basePath}/` || (basePath !== '' && path === basePath)) {
      if (method !== 'GET') return [ROUTES.home, onlyGet];
      const html = homePage({ userId: userIdFromHeaders(req.headers), recordsPath: `${recordPrefix}rec-0001` });
      return [ROUTES.home, { status: 200, body: html, contentType: 'text/html; charset=utf-8' }];
    }
    if (path.startsWith(recordPrefix)) {
      if (method !== 'GET') return [ROUTES.record, onlyGet];
      return [ROUTES.record, await readRecord(req, requestId, path.slice(recordPrefix.length))];
    }
    return [ROUTES.unmatched, json(404, { error: 'not found' })];
  };

  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFromHeaders(req.headers);
    req.resume(); // no route reads a body; drain it
    const send = (template: string, reply: Reply): void => {
      res.writeHead(reply.status, {
        ...SECURITY_HEADERS,
        'content-type': reply.contentType ?? 'application/json; charset=utf-8',
        'x-request-id': requestId,
        ...reply.headers,
      });
      res.end(reply.body);
      deps.logger.request({
        method: req.method ?? 'UNKNOWN',
        route: template,
        status: reply.status,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        requestId,
        ...(reply.auditOutcome ? { auditOutcome: reply.auditOutcome } : {}),
        ...(reply.failure ? { failure: reply.failure } : {}),
      });
    };
    route(req, requestId)
      .then(([template, reply]) => send(template, reply))
      .catch((err: unknown) =>
        send(ROUTES.unmatched, json(500, { error: 'internal error' }, { failure: errorName(err) })),
      );
  };
}
