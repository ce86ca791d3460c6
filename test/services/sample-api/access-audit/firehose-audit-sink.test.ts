/** FirehoseAuditSink with a mocked Firehose client (no AWS). */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { AccessAuditWriter, FirehoseAuditSink } from '../../../../services/sample-api/src/access-audit';

const INPUT = {
  userId: '8f14e45f-ceea-467f-a0e6-1e5f3f0c9b21',
  resourceType: 'record',
  recordId: 'rec-0001',
  action: 'read',
  outcome: 'success',
  clientIp: '198.51.100.23',
  userAgent: 'SyntheticBrowser/1.0',
  requestId: '1-67891233-abcdef012345678912345678',
} as const;

function setup() {
  const client = new FirehoseClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
  // Mock the instance: the sink may resolve its own copy of the SDK (services/sample-api/node_modules).
  const mock = mockClient(client);
  const sink = new FirehoseAuditSink({ deliveryStreamName: 'hipaa-dev-access-audit', client });
  return { client, mock, sink };
}

describe('U5 FirehoseAuditSink', () => {
  test('one PutRecord per event: the stream name and one newline-terminated JSON line as Data', async () => {
    const { mock, sink } = setup();
    mock.onAnyCommand().resolves({ RecordId: 'synthetic-record-id', Encrypted: true });
    const event = await new AccessAuditWriter({ sink, service: 'sample-api' }).record(INPUT);

    const calls = mock.calls();
    expect(calls).toHaveLength(1);
    const command = calls[0].args[0] as {
      constructor: { name: string };
      input: { DeliveryStreamName: string; Record: { Data: Uint8Array } };
    };
    expect(command.constructor.name).toBe('PutRecordCommand');
    expect(command.input.DeliveryStreamName).toBe('hipaa-dev-access-audit');
    const data = Buffer.from(command.input.Record.Data).toString('utf8');
    expect(data.endsWith('\n')).toBe(true);
    expect(data.split('\n')).toHaveLength(2);
    expect(JSON.parse(data)).toEqual(event);
  });

  test('U5 a write Firehose reports as not encrypted fails (unless requireEncrypted is false)', async () => {
    const { client, mock, sink } = setup();
    mock.onAnyCommand().resolves({ RecordId: 'synthetic-record-id', Encrypted: false });
    await expect(new AccessAuditWriter({ sink, service: 'sample-api' }).record(INPUT)).rejects.toMatchObject({
      failure: 'sink-error',
      causeName: 'AuditStreamNotEncrypted',
    });
    const lenient = new FirehoseAuditSink({
      deliveryStreamName: 'hipaa-dev-access-audit',
      client,
      requireEncrypted: false,
    });
    await expect(new AccessAuditWriter({ sink: lenient, service: 'sample-api' }).record(INPUT)).resolves.toBeDefined();
  });

  test('a Firehose error fails the write (and so the request)', async () => {
    const { mock, sink } = setup();
    const throttled = new Error('Rate exceeded');
    throttled.name = 'ServiceUnavailableException';
    mock.onAnyCommand().rejects(throttled);
    await expect(new AccessAuditWriter({ sink, service: 'sample-api' }).record(INPUT)).rejects.toMatchObject({
      failure: 'sink-error',
      message: 'Access-audit sink failed (ServiceUnavailableException)',
    });
  });

  test('the abort signal reaches the client', async () => {
    const { client, sink } = setup();
    const send = jest.spyOn(client, 'send').mockImplementation((() => Promise.resolve({ Encrypted: true })) as never);
    const controller = new AbortController();
    await sink.write('{"a":1}\n', controller.signal);
    expect(send.mock.calls[0][1]).toEqual({ abortSignal: controller.signal });
  });

  test('refuses records that are not exactly one line, and bad stream names', async () => {
    const { sink } = setup();
    await expect(sink.write('{"a":1}', new AbortController().signal)).rejects.toThrow('exactly one line');
    await expect(sink.write('{"a":1}\n{"b":2}\n', new AbortController().signal)).rejects.toThrow('exactly one line');
    expect(() => new FirehoseAuditSink({ deliveryStreamName: 'bad name' })).toThrow(
      "FirehoseAuditSink: deliveryStreamName = 'bad name': must be 1-64 characters of letters, digits, '_', '.' and '-'",
    );
  });
});
