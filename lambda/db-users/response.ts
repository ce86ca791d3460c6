/**
 * Act (the last step): the response CloudFormation waits for, PUT to the pre-signed S3 URL it sent.
 * The function runs in the application tier, which has no internet route: the PUT goes through the
 * S3 gateway endpoint, whose policy must admit s3:PutObject on the CloudFormation response bucket of
 * the region (`cloudformation-custom-resource-response-<region without dashes>`, e.g. `...-useast1`).
 */
import { request } from 'node:https';
import { errorCode, StepError } from './errors';
import type { CustomResourceEvent } from './request';

/** The response body CloudFormation reads (custom resource response objects). */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho: boolean;
  readonly Data: Readonly<Record<string, string>>;
}

/** CloudFormation limits the whole response to 4096 bytes; a reason is kept well under it. */
const MAX_REASON = 1000;

/**
 * The physical id: the event's on Update and Delete (a new id would make CloudFormation delete the
 * old one), else a fixed id per logical resource, so a repeated Create reports the same resource.
 */
export function physicalResourceId(event: CustomResourceEvent): string {
  return event.PhysicalResourceId ?? `db-users-${event.LogicalResourceId}`;
}

/** The response to `event`. `Data` carries names only (never a password or a SQL value). */
export function responseBody(
  event: CustomResourceEvent,
  status: 'SUCCESS' | 'FAILED',
  reason: string,
  data: Readonly<Record<string, string>> = {},
): CustomResourceResponse {
  return {
    Status: status,
    Reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 3)}...` : reason,
    PhysicalResourceId: physicalResourceId(event),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: data,
  };
}

/**
 * PUTs `body` to the pre-signed URL. The URL is signed without a content type, so none is sent
 * (an empty one), as CloudFormation's own cfn-response module does.
 * @throws StepError (status code or network error code only) when S3 does not answer 200.
 */
export function sendResponse(url: string, body: CustomResourceResponse, timeoutMs = 10_000): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(payload) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(new StepError(`response PUT answered HTTP ${String(res.statusCode)}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new StepError('response PUT timed out')));
    req.on('error', (err) =>
      reject(err instanceof StepError ? err : new StepError(`response PUT failed (${errorCode(err)})`)),
    );
    req.end(payload);
  });
}
