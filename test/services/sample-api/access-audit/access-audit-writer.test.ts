/** AccessAuditWriter (safeguard U5): validate before sending, bounded wait, fail closed. */
import {
  AccessAuditError,
  AccessAuditInput,
  AccessAuditWriter,
  MemoryAuditSink,
} from '../../../../services/sample-api/src/access-audit';

// Synthetic values only.
const INPUT: AccessAuditInput = {
  userId: '8f14e45f-ceea-467f-a0e6-1e5f3f0c9b21',
  resourceType: 'record',
  recordId: 'rec-0001',
  action: 'read',
  outcome: 'success',
  clientIp: '198.51.100.23',
  userAgent: 'SyntheticBrowser/1.0',
  requestId: '1-67891233-abcdef012345678912345678',
};

function writer(sink: MemoryAuditSink, timeoutMs = 500): AccessAuditWriter {
  return new AccessAuditWriter({
    sink,
    service: 'sample-api',
    timeoutMs,
    now: () => new Date('2026-03-04T05:06:07.089Z'),
    newEventId: () => '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
  });
}

describe('U5 AccessAuditWriter', () => {
  test('writes one newline-terminated JSON line with version, id, UTC time and service added', async () => {
    const sink = new MemoryAuditSink();
    await writer(sink).record(INPUT);
    expect(sink.records).toEqual([
      `${JSON.stringify({
        version: 1,
        eventId: '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
        time: '2026-03-04T05:06:07.089Z',
        service: 'sample-api',
        who: { userId: INPUT.userId },
        what: { resourceType: 'record', recordId: 'rec-0001', action: 'read', outcome: 'success' },
        where: { clientIp: INPUT.clientIp, userAgent: INPUT.userAgent, requestId: INPUT.requestId },
      })}\n`,
    ]);
  });

  test('U5 an invalid event is refused and never reaches the sink; the error names fields, not values', async () => {
    const sink = new MemoryAuditSink();
    const attempt = writer(sink).record({ ...INPUT, userId: 'jane.doe@example.com', recordId: 'John Smith' });
    await expect(attempt).rejects.toThrow(AccessAuditError);
    await attempt.catch((err: AccessAuditError) => {
      expect(err.failure).toBe('invalid-event');
      expect(err.message).toMatch(/who\.userId/);
      expect(err.message).toMatch(/what\.recordId/);
      expect(err.message).not.toMatch(/jane|John/);
    });
    expect(sink.records).toEqual([]);
  });

  test('write() validates a complete event too: unknown keys refused', async () => {
    const sink = new MemoryAuditSink();
    const event = JSON.parse(
      (await writer(new MemoryAuditSink()).record(INPUT).then(JSON.stringify)) as string,
    ) as Record<string, unknown>;
    await expect(writer(sink).write({ ...event, diagnosis: 'synthetic' })).rejects.toMatchObject({
      failure: 'invalid-event',
    });
    expect(sink.records).toEqual([]);
  });

  test('U5 a failing sink rejects with sink-error and the error class only', async () => {
    const sink = new MemoryAuditSink('fail');
    await expect(writer(sink).record(INPUT)).rejects.toMatchObject({
      failure: 'sink-error',
      message: 'Access-audit sink failed (Error)',
    });
  });

  test('U5 a hung sink is aborted and the write fails closed after the bound', async () => {
    const sink = new MemoryAuditSink('hang');
    const started = Date.now();
    await expect(writer(sink, 200).record(INPUT)).rejects.toMatchObject({ failure: 'timeout' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
    expect(sink.aborted).toBe(1);
  });

  test('bad props are refused with field, value and rule', () => {
    const sink = new MemoryAuditSink();
    expect(() => new AccessAuditWriter({ sink, service: 'sample-api', timeoutMs: 0 })).toThrow(
      'AccessAuditWriter: timeoutMs = 0: must be an integer from 1 to 30000',
    );
    expect(() => new AccessAuditWriter({ sink, service: 'Sample API' })).toThrow(
      "AccessAuditWriter: service = 'Sample API': must be a lower-case kebab-case name of at most 64 characters",
    );
  });
});
