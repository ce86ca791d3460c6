/**
 * Alert formatter Lambda: EventBridge event -> formatAlert (pure, PHI-free) -> one SNS message.
 * Environment: ALERT_TOPIC_ARN (the only variable read). Publish failures are rethrown so the
 * asynchronous-invocation retry / DLQ path applies; logs carry metadata only, never the event.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { formatAlert } from './format';

/** The line the heartbeat metric filter counts (constructs/tamper-watches.ts HEARTBEAT_LOG_TERM). */
export const HEARTBEAT_LOG_TERM = 'alert-path-heartbeat';

export type LogFields = Record<string, string | number | boolean>;

export interface HandlerDeps {
  publish(subject: string, message: string): Promise<void>;
  log(message: string, fields: LogFields): void;
}

export type AlertHandler = (event: unknown) => Promise<void>;

/** Thrown when publishing fails; carries the error name only, never the payload. */
export class AlertPublishError extends Error {
  constructor(cause: string) {
    super(`Failed to publish alert to SNS (${cause})`);
    this.name = 'AlertPublishError';
  }
}

function errorName(err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err;
  return /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : 'UnknownError';
}

export function createHandler(deps: HandlerDeps): AlertHandler {
  return async (event) => {
    const alert = formatAlert(event); // parse + decide: pure, never throws
    const fields: LogFields = {
      kind: alert.kind,
      severity: alert.severity,
      droppedCount: alert.dropped.length,
      dropped: alert.dropped.join(','), // field names only
      messageLength: alert.message.length,
    };
    if (alert.kind === 'heartbeat') {
      // Counted by the heartbeat metric filter (constructs/tamper-detection.ts); never published.
      deps.log(HEARTBEAT_LOG_TERM, fields);
      return;
    }
    try {
      await deps.publish(alert.subject, alert.message); // act
    } catch (err) {
      deps.log('alert publish failed', { ...fields, error: errorName(err) });
      throw new AlertPublishError(errorName(err));
    }
    deps.log('alert published', fields);
  };
}

let sns: SNSClient | undefined; // created on first use, reused across warm invocations

/** Structured log line built from our own metadata fields only (never from the event). */
function log(message: string, fields: LogFields): void {
  console.log(JSON.stringify({ message, ...fields }));
}

export const handler: AlertHandler = async (event) => {
  const topicArn = process.env.ALERT_TOPIC_ARN;
  if (!topicArn) throw new Error('ALERT_TOPIC_ARN is not set');
  const publish = async (subject: string, message: string): Promise<void> => {
    sns ??= new SNSClient({});
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
  };
  return createHandler({ publish, log })(event);
};
