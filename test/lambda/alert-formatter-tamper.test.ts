import {
  CLOUDTRAIL_API_CALL as FORMATTER_CLOUDTRAIL_API_CALL,
  formatAlert,
  HEARTBEAT_EVENT as FORMATTER_HEARTBEAT_EVENT,
} from '../../lambda/alert-formatter/format';
import {
  createHandler,
  HEARTBEAT_LOG_TERM as FORMATTER_HEARTBEAT_TERM,
  LogFields,
} from '../../lambda/alert-formatter/index';
import { CLOUDTRAIL_API_CALL, HEARTBEAT_EVENT, HEARTBEAT_LOG_TERM } from '../../constructs/tamper-watches';

// Synthetic data only: account 123456789012, a fake role and bucket, a fake record id planted as a canary.
const CANARY = 'rec-0001';
const ROLE = 'arn:aws:sts::123456789012:assumed-role/app-prod-admin/someone';

/** A CloudTrail management event as EventBridge delivers it (PutBucketPolicy with a policy in the request). */
function putBucketPolicy(): Record<string, unknown> {
  return {
    version: '0',
    id: '11111111-2222-3333-4444-555555555555',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: '123456789012',
    time: '2026-01-02T03:04:05Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', arn: ROLE, accountId: '123456789012' },
      eventTime: '2026-01-02T03:04:05Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: `aws-cli ${CANARY}`,
      requestParameters: {
        bucketName: 'app-prod-phi-data-123456789012-us-east-1',
        bucketPolicy: { Statement: [{ Sid: CANARY, Effect: 'Allow' }] },
        key: `patients/${CANARY}.pdf`,
      },
      responseElements: { note: CANARY },
      additionalEventData: { x: CANARY },
      eventID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      resources: [{ ARN: `arn:aws:s3:::app-prod-phi-data-123456789012-us-east-1/${CANARY}`, type: 'AWS::S3::Object' }],
    },
  };
}

describe('alert formatter: tamper and heartbeat', () => {
  test('the formatter and the constructs agree on the detail-type, the heartbeat event and its log term', () => {
    expect(FORMATTER_CLOUDTRAIL_API_CALL).toBe(CLOUDTRAIL_API_CALL);
    expect(FORMATTER_HEARTBEAT_EVENT).toEqual(HEARTBEAT_EVENT);
    expect(FORMATTER_HEARTBEAT_TERM).toBe(HEARTBEAT_LOG_TERM);
  });

  test('U6 a watched CloudTrail call becomes a tamper alert with the actor and the resource, never request data', () => {
    const alert = formatAlert(putBucketPolicy());
    expect(alert.kind).toBe('tamper');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toContain('Tamper: PutBucketPolicy (s3.amazonaws.com) by AssumedRole');
    expect(alert.message).toContain(`Actor: AssumedRole ${ROLE}`);
    expect(alert.message).toContain('bucketName=app-prod-phi-data-123456789012-us-east-1');
    // The object key of the listed resource is cut to the bucket ARN.
    expect(alert.message).toContain('  - arn:aws:s3:::app-prod-phi-data-123456789012-us-east-1\n');
    expect(alert.message).toContain('CloudTrail event id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(alert.message).toContain('Outcome: succeeded');
    expect(`${alert.subject}\n${alert.message}`).not.toContain(CANARY);
    expect(alert.message).not.toContain('198.51.100.7');
    expect(alert.dropped).toEqual(
      expect.arrayContaining([
        'detail.requestParameters.bucketPolicy',
        'detail.requestParameters.key',
        'detail.responseElements',
        'detail.additionalEventData',
        'detail.resources[].ARN[].objectKey',
      ]),
    );
  });

  test('U6 a denied attempt says so; an actor without an ARN (an AWS service) is named by invokedBy', () => {
    const event = putBucketPolicy();
    const detail = event.detail as Record<string, unknown>;
    detail.errorCode = 'AccessDenied';
    detail.errorMessage = `denied for ${CANARY}`;
    detail.userIdentity = { type: 'AWSService', invokedBy: 'backup.amazonaws.com' };
    const alert = formatAlert(event);
    expect(alert.subject).toContain('[AccessDenied]');
    expect(alert.message).toContain('Outcome: failed (AccessDenied)');
    expect(alert.message).toContain('Actor: AWSService backup.amazonaws.com');
    expect(alert.message).not.toContain(CANARY);
    expect(alert.dropped).toContain('detail.errorMessage');
  });

  test('U6 a resource parameter that is not an identifier is dropped by name, never quoted', () => {
    const event = putBucketPolicy();
    ((event.detail as Record<string, unknown>).requestParameters as Record<string, unknown>).bucketName =
      `bad name ${CANARY}`;
    const alert = formatAlert(event);
    expect(alert.message).not.toContain(CANARY);
    expect(alert.dropped).toContain('detail.requestParameters.bucketName');
  });

  test('D3 the heartbeat is logged with its term and never published', async () => {
    const published: string[] = [];
    const logs: Array<[string, LogFields]> = [];
    const handle = createHandler({
      publish: async (subject) => {
        published.push(subject);
      },
      log: (message, fields) => logs.push([message, fields]),
    });
    await handle({
      source: HEARTBEAT_EVENT.source,
      'detail-type': HEARTBEAT_EVENT.detailType,
      account: '123456789012',
      region: 'us-east-1',
      time: '2026-01-02T03:00:00Z',
      id: '11111111-2222-3333-4444-555555555555',
    });
    expect(published).toEqual([]);
    expect(logs).toEqual([[HEARTBEAT_LOG_TERM, expect.objectContaining({ kind: 'heartbeat' })]]);
    // A tamper event is published, and its log line is not the heartbeat's.
    await handle(putBucketPolicy());
    expect(published).toHaveLength(1);
    expect(logs[1]![0]).toBe('alert published');
  });
});
