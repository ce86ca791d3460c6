import {
  AdvancedEventSelector,
  EventSelector,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { phiBucketNames } from '../../config';
import { partitionOf } from '../preflight/deploy-target';
import { OUTPUTS, stackName } from '../core/stacks';
import { outputOf, VerifyCheck, VerifyRow } from './context';

/** Which of read and write data events a set of selectors records for one bucket's objects. */
export interface Coverage {
  readonly read: boolean;
  readonly write: boolean;
}

function covers(prefix: string, objectsArn: string): boolean {
  return objectsArn.startsWith(prefix);
}

function basicCoverage(selectors: readonly EventSelector[], objectsArn: string): Coverage {
  let read = false;
  let write = false;
  for (const s of selectors) {
    const hit = (s.DataResources ?? []).some(
      (d) => d.Type === 'AWS::S3::Object' && (d.Values ?? []).some((v) => covers(v, objectsArn)),
    );
    if (!hit) continue;
    const rw = s.ReadWriteType ?? 'All';
    if (rw === 'All' || rw === 'ReadOnly') read = true;
    if (rw === 'All' || rw === 'WriteOnly') write = true;
  }
  return { read, write };
}

/**
 * An advanced selector counts only when it selects every S3 object data event of the bucket:
 * eventCategory = Data, resources.type = AWS::S3::Object, optionally readOnly, and resources.ARN
 * absent or StartsWith a prefix of the bucket. Any other field narrows it, so it does not count.
 */
function advancedCoverage(selectors: readonly AdvancedEventSelector[], objectsArn: string): Coverage {
  let read = false;
  let write = false;
  for (const s of selectors) {
    let category = false;
    let type = false;
    let arnOk = true;
    let readOnly: string | undefined;
    let narrowed = false;
    for (const f of s.FieldSelectors ?? []) {
      const keys = Object.keys(f).filter(
        (k) => k !== 'Field' && (f as unknown as Record<string, unknown>)[k] !== undefined,
      );
      if (f.Field === 'eventCategory')
        category = keys.every((k) => k === 'Equals') && (f.Equals ?? []).includes('Data');
      else if (f.Field === 'resources.type')
        type = keys.every((k) => k === 'Equals') && (f.Equals ?? []).includes('AWS::S3::Object');
      else if (f.Field === 'readOnly' && keys.every((k) => k === 'Equals') && f.Equals?.length === 1)
        readOnly = f.Equals[0];
      else if (f.Field === 'resources.ARN')
        arnOk = keys.every((k) => k === 'StartsWith') && (f.StartsWith ?? []).some((p) => covers(p, objectsArn));
      else narrowed = true;
    }
    if (!category || !type || !arnOk || narrowed) continue;
    if (readOnly === undefined || readOnly === 'true') read = true;
    if (readOnly === undefined || readOnly === 'false') write = true;
  }
  return { read, write };
}

/** Whether the trail's selectors record read and write data events on every object of the bucket. */
export function dataEventCoverage(
  selectors: { EventSelectors?: EventSelector[]; AdvancedEventSelectors?: AdvancedEventSelector[] },
  partition: string,
  bucket: string,
): Coverage {
  const objectsArn = `arn:${partition}:s3:::${bucket}/`;
  const b = basicCoverage(selectors.EventSelectors ?? [], objectsArn);
  const a = advancedCoverage(selectors.AdvancedEventSelectors ?? [], objectsArn);
  return { read: b.read || a.read, write: b.write || a.write };
}

/**
 * U1: the trail is logging (GetTrailStatus IsLogging) and records S3 data events, read and write,
 * on every PHI bucket (GetEventSelectors, basic or advanced selectors).
 */
export const verifyTrail: VerifyCheck = async (ctx) => {
  const trail = outputOf(ctx, OUTPUTS.trailArn);
  if (!trail) {
    return [
      {
        safeguard: 'U1',
        check: 'CloudTrail logging',
        status: 'FAIL',
        detail: `no trail: stack ${stackName(ctx.config, OUTPUTS.trailArn.role)} is not deployed or has no output ${OUTPUTS.trailArn.outputName}`,
      },
    ];
  }
  const client = ctx.clients.cloudTrail(ctx.config.region);
  const rows: VerifyRow[] = [];
  const status = await client.send(new GetTrailStatusCommand({ Name: trail }));
  rows.push({
    safeguard: 'U1',
    check: 'CloudTrail logging',
    status: status.IsLogging ? 'PASS' : 'FAIL',
    detail: status.IsLogging
      ? `${trail} is logging`
      : `${trail} is NOT logging (stopped${status.StopLoggingTime ? ` at ${status.StopLoggingTime.toISOString()}` : ''}): \`aws cloudtrail start-logging --name ${trail}\``,
  });
  const selectors = await client.send(new GetEventSelectorsCommand({ TrailName: trail }));
  const partition = partitionOf(ctx.config.region);
  for (const bucket of phiBucketNames(ctx.config)) {
    const c = dataEventCoverage(selectors, partition, bucket);
    const missing = [!c.read && 'read', !c.write && 'write'].filter(Boolean).join(' and ');
    rows.push({
      safeguard: 'U1',
      check: `S3 data events on ${bucket}`,
      status: missing ? 'FAIL' : 'PASS',
      detail: missing
        ? `the trail records no ${missing} data events on every object of the PHI bucket`
        : 'read and write data events recorded',
    });
  }
  return rows;
};
