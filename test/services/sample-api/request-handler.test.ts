/**
 * The sample service over real HTTPS on 127.0.0.1 (ephemeral port), with an injected fake record
 * store and the in-memory audit sink: no Docker, no AWS, no PostgreSQL. Safeguard U5 (every PHI
 * request audited exactly once, before any record data; fail closed) and U4 (no PHI in logs).
 */
import {
  AccessAuditWriter,
  MemoryAuditSink,
  accessAuditEventSchema,
} from '../../../services/sample-api/src/access-audit';
import { RecordStore, RecordSummary } from '../../../services/sample-api/src/record-store';
import { createRequestHandler } from '../../../services/sample-api/src/request-handler';
import { jsonLineLogger } from '../../../services/sample-api/src/request-log';
import { SampleApiServer } from '../../../services/sample-api/src/sample-api-server';
import { TlsCredentials, generateSelfSignedCertificate } from '../../../services/sample-api/src/tls-certificate';
import { httpsRequest } from './support/https-client';

// Synthetic values only.
const USER_ID = '8f14e45f-ceea-467f-a0e6-1e5f3f0c9b21';
const TRACE_ROOT = '1-67891233-abcdef012345678912345678';
const CLIENT_IP = '198.51.100.23';
const USER_AGENT = 'SyntheticBrowser/1.0 (test)';
const ACCESS_TOKEN = 'synthetic-access-token-0001';
const OIDC_DATA = 'eyJzeW50aGV0aWMiOnRydWV9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';
const UPDATED_AT = new Date('2026-01-02T03:04:05.678Z');
/** A field the fake store returns that must never reach a response (stands for PHI). */
const PHI_MARKER = 'synthetic-phi-marker-7731';

const ALB_HEADERS = {
  'x-amzn-oidc-identity': USER_ID,
  'x-amzn-oidc-data': OIDC_DATA,
  'x-amzn-oidc-accesstoken': ACCESS_TOKEN,
  'x-amzn-trace-id': `Root=${TRACE_ROOT}`,
  'x-forwarded-for': CLIENT_IP,
  'user-agent': USER_AGENT,
};

type StoreMode = 'ok' | 'fail' | 'hang';

class FakeRecordStore implements RecordStore {
  public mode: StoreMode = 'ok';
  public calls: string[] = [];
  public findRecord(recordId: string): Promise<RecordSummary | undefined> {
    this.calls.push(recordId);
    if (this.mode === 'fail') return Promise.reject(new Error('connection refused'));
    if (this.mode === 'hang') return new Promise(() => undefined);
    if (recordId !== 'rec-0001') return Promise.resolve(undefined);
    // Extra field on purpose: the handler must copy only recordId and updatedAt.
    return Promise.resolve({ recordId, updatedAt: UPDATED_AT, note: PHI_MARKER } as RecordSummary);
  }
}

interface Harness {
  readonly port: number;
  readonly store: FakeRecordStore;
  readonly sink: MemoryAuditSink;
  readonly logLines: string[];
  stop(): Promise<void>;
}

let tls: TlsCredentials;
beforeAll(async () => {
  tls = await generateSelfSignedCertificate();
});

async function startHarness(options: { auditTimeoutMs?: number; recordTimeoutMs?: number; basePath?: string } = {}) {
  const store = new FakeRecordStore();
  const sink = new MemoryAuditSink();
  const logLines: string[] = [];
  const audit = new AccessAuditWriter({ sink, service: 'sample-api', timeoutMs: options.auditTimeoutMs ?? 2000 });
  const handler = createRequestHandler({
    records: store,
    audit,
    logger: jsonLineLogger((line) => logLines.push(line)),
    recordTimeoutMs: options.recordTimeoutMs,
    basePath: options.basePath,
  });
  const server = new SampleApiServer({ tls, handler, shutdownGraceMs: 1000 });
  const { port } = await server.listen(0, '127.0.0.1');
  return { port, store, sink, logLines, stop: () => server.stop() } satisfies Harness;
}

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

describe('GET /health', () => {
  test('200 {"status":"ok"} without identity, database or audit', async () => {
    const res = await httpsRequest(h.port, '/health');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    expect(h.store.calls).toEqual([]);
    expect(h.sink.records).toEqual([]);
  });
});

describe('GET /', () => {
  test('an HTML page naming the user by stable id and linking to the record endpoint; no audit', async () => {
    const res = await httpsRequest(h.port, '/', ALB_HEADERS);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain(USER_ID);
    expect(res.body).toContain('href="/records/rec-0001"');
    expect(h.store.calls).toEqual([]);
    expect(h.sink.records).toEqual([]);
  });

  test('says nobody is signed in when no identity is forwarded', async () => {
    const res = await httpsRequest(h.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('No signed-in user');
  });
});

describe('U5 GET /records/:id: one access-audit event per request, before any record data', () => {
  test('U5 success: 200 with recordId, found and updatedAt only, and one event with the documented fields', async () => {
    const before = Date.now();
    const res = await httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS);
    const after = Date.now();

    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ recordId: 'rec-0001', found: true, updatedAt: UPDATED_AT.toISOString() });
    expect(res.body).not.toContain(PHI_MARKER);
    expect(res.headers['cache-control']).toBe('no-store');

    expect(h.sink.records).toHaveLength(1);
    expect(h.sink.records[0].endsWith('\n')).toBe(true);
    const event = h.sink.events()[0] as Record<string, unknown>;
    expect(accessAuditEventSchema.safeParse(event).success).toBe(true);
    expect(event).toEqual({
      version: 1,
      eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      service: 'sample-api',
      who: { userId: USER_ID },
      what: { resourceType: 'record', recordId: 'rec-0001', action: 'read', outcome: 'success' },
      where: { clientIp: CLIENT_IP, userAgent: USER_AGENT, requestId: TRACE_ROOT },
    });
    const time = Date.parse(event.time as string);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
    expect(JSON.stringify(event)).not.toContain(PHI_MARKER);
    expect(res.headers['x-request-id']).toBe(TRACE_ROOT);
  });

  test('U5 the response waits for the audit write: nothing is sent while the sink has not accepted the event', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const accepted: string[] = [];
    const write = h.sink.write.bind(h.sink);
    h.sink.write = async (record, signal) => {
      await gate;
      accepted.push(record);
      return write(record, signal);
    };
    let answered = false;
    const pending = httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    expect(h.store.calls).toEqual(['rec-0001']);
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(accepted).toHaveLength(1);
  });

  test('U5 not found: 404 {found:false} and one event with outcome not-found', async () => {
    const res = await httpsRequest(h.port, '/records/rec-0404', ALB_HEADERS);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ recordId: 'rec-0404', found: false });
    expect(h.sink.events()).toEqual([
      expect.objectContaining({
        who: { userId: USER_ID },
        what: { resourceType: 'record', recordId: 'rec-0404', action: 'read', outcome: 'not-found' },
      }),
    ]);
  });

  test('U5 missing identity: 401, the store is not asked, one event with outcome denied and no user', async () => {
    const anonymous: Record<string, string> = { ...ALB_HEADERS };
    delete anonymous['x-amzn-oidc-identity'];
    const res = await httpsRequest(h.port, '/records/rec-0001', anonymous);
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('updatedAt');
    expect(h.store.calls).toEqual([]);
    expect(h.sink.events()).toEqual([
      expect.objectContaining({
        who: { userId: null },
        what: { resourceType: 'record', recordId: 'rec-0001', action: 'read', outcome: 'denied' },
      }),
    ]);
  });

  test('an identity that looks like an e-mail address is refused (401) and never recorded', async () => {
    const res = await httpsRequest(h.port, '/records/rec-0001', {
      ...ALB_HEADERS,
      'x-amzn-oidc-identity': 'jane.doe@example.com',
    });
    expect(res.status).toBe(401);
    expect(h.sink.records).toHaveLength(1);
    expect(h.sink.records[0]).not.toContain('example.com');
    expect(h.sink.events()[0]).toMatchObject({ who: { userId: null }, what: { outcome: 'denied' } });
  });

  test.each([
    ['free text', '/records/john.smith'],
    ['wrong prefix', '/records/abc-0001'],
    ['too few digits', '/records/rec-01'],
    ['extra segment', '/records/rec-0001/notes'],
    ['encoded characters', '/records/rec-0001%20x'],
    ['empty', '/records/'],
  ])(
    'U5 invalid id (%s): 400, not echoed, store not asked, one denied event without record id',
    async (_name, path) => {
      const res = await httpsRequest(h.port, path, ALB_HEADERS);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: "invalid record id: must be 'rec-' followed by 4 to 12 digits" });
      expect(h.store.calls).toEqual([]);
      expect(h.sink.events()).toEqual([
        expect.objectContaining({
          who: { userId: USER_ID },
          what: { resourceType: 'record', recordId: null, action: 'read', outcome: 'denied' },
        }),
      ]);
      expect(h.sink.records[0]).not.toContain('john');
    },
  );

  test('U5 database error: 503 and one event with outcome error', async () => {
    h.store.mode = 'fail';
    const res = await httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ error: 'record store unavailable' });
    expect(h.sink.events()).toEqual([expect.objectContaining({ what: expect.objectContaining({ outcome: 'error' }) })]);
  });

  test('a hung database: 503 after the record bound and one event with outcome error', async () => {
    await h.stop();
    h = await startHarness({ recordTimeoutMs: 200 });
    h.store.mode = 'hang';
    const res = await httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS);
    expect(res.status).toBe(503);
    expect(h.sink.events()).toEqual([expect.objectContaining({ what: expect.objectContaining({ outcome: 'error' }) })]);
  });

  test('U5 a failing audit sink: 503 and the body holds no record data (fail closed)', async () => {
    h.sink.mode = 'fail';
    const res = await httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ error: 'access audit unavailable; request refused' });
    expect(res.body).not.toMatch(/rec-0001|updatedAt|found|2026-01-02/);
    expect(h.store.calls).toEqual(['rec-0001']);
    expect(h.sink.records).toEqual([]);
  });

  test('a failing audit sink also turns a denial into 503 (no event, no answer)', async () => {
    h.sink.mode = 'fail';
    const res = await httpsRequest(h.port, '/records/rec-0001', {});
    expect(res.status).toBe(503);
  });

  test('U5 a hanging audit sink: 503 within the bound, the write is aborted, no record data', async () => {
    await h.stop();
    h = await startHarness({ auditTimeoutMs: 300 });
    h.sink.mode = 'hang';
    const started = Date.now();
    const res = await httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.body).not.toMatch(/rec-0001|updatedAt/);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2000);
    expect(h.sink.aborted).toBe(1);
    expect(JSON.parse(h.logLines[0])).toMatchObject({ status: 503, failure: 'audit-timeout' });
  });

  test('client IP is the hop the load balancer appended, not a client-written left-most entry', async () => {
    await httpsRequest(h.port, '/records/rec-0001', {
      ...ALB_HEADERS,
      'x-forwarded-for': `203.0.113.99, ${CLIENT_IP}`,
    });
    expect(h.sink.events()[0]).toMatchObject({ where: { clientIp: CLIENT_IP } });
  });

  test('a long user agent is cut to 256 characters in the event', async () => {
    await httpsRequest(h.port, '/records/rec-0001', { ...ALB_HEADERS, 'user-agent': `UA/${'x'.repeat(1000)}` });
    const event = h.sink.events()[0] as { where: { userAgent: string } };
    expect(event.where.userAgent).toHaveLength(256);
  });

  test('without a trace header the request id is generated, and the event and the response share it', async () => {
    const untraced: Record<string, string> = { ...ALB_HEADERS };
    delete untraced['x-amzn-trace-id'];
    const res = await httpsRequest(h.port, '/records/rec-0001', untraced);
    const requestId = (h.sink.events()[0] as { where: { requestId: string } }).where.requestId;
    expect(requestId).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(res.headers['x-request-id']).toBe(requestId);
  });

  test('other methods: 405, nothing read, nothing audited', async () => {
    const res = await httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS, 'DELETE');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(h.store.calls).toEqual([]);
    expect(h.sink.records).toEqual([]);
  });
});

describe('base path', () => {
  test("routes live under BASE_PATH ('/api'); /health stays at the root", async () => {
    await h.stop();
    h = await startHarness({ basePath: '/api' });
    expect((await httpsRequest(h.port, '/api/records/rec-0001', ALB_HEADERS)).status).toBe(200);
    expect((await httpsRequest(h.port, '/records/rec-0001', ALB_HEADERS)).status).toBe(404);
    expect((await httpsRequest(h.port, '/health')).status).toBe(200);
    const home = await httpsRequest(h.port, '/api/', ALB_HEADERS);
    expect(home.body).toContain('href="/api/records/rec-0001"');
    expect(h.sink.records).toHaveLength(1);
  });
});

describe('U4 request logs', () => {
  test('U4 one JSON line per request: method, route template, status, duration, request id; no record id, header values or query', async () => {
    await httpsRequest(h.port, '/records/rec-0001?name=synthetic-query-value', ALB_HEADERS);
    await httpsRequest(h.port, '/records/rec-0404', ALB_HEADERS);
    await httpsRequest(h.port, '/records/john.smith', ALB_HEADERS);
    await httpsRequest(h.port, '/health', ALB_HEADERS);
    await httpsRequest(h.port, '/', ALB_HEADERS);
    h.sink.mode = 'fail';
    await httpsRequest(h.port, '/records/rec-0002', ALB_HEADERS);

    expect(h.logLines).toHaveLength(6);
    const lines = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of lines) {
      expect(line).toEqual(
        expect.objectContaining({
          message: 'request',
          method: 'GET',
          status: expect.any(Number),
          durationMs: expect.any(Number),
          requestId: TRACE_ROOT,
        }),
      );
    }
    expect(lines.map((l) => [l.route, l.status])).toEqual([
      ['/records/:id', 200],
      ['/records/:id', 404],
      ['/records/:id', 400],
      ['/health', 200],
      ['/', 200],
      ['/records/:id', 503],
    ]);
    expect(lines[0].auditOutcome).toBe('success');
    expect(lines[5].failure).toBe('audit-sink-error (Error)');
    const all = h.logLines.join('');
    for (const secret of [
      'rec-0001',
      'rec-0404',
      'rec-0002',
      'john',
      'synthetic-query-value',
      USER_ID,
      CLIENT_IP,
      USER_AGENT,
      'SyntheticBrowser',
      ACCESS_TOKEN,
      OIDC_DATA,
      PHI_MARKER,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
