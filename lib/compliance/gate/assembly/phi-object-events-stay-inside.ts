import { literalForms, sameBucketName } from '../core/bucket-names';
import { isPhiStoreIn } from '../core/phi-shapes';
import { wildcardMatches } from '../core/policy-json';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  inStackEnvironment,
  isObject,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { declaredReplicaRegion, forwardsToAnotherRegion, mainRegionsOf } from './cross-region-forwarding';
import { isLockedFindingsArchive } from './findings-archive-present';
import { provenAlertFormatters } from './tamper-detection-present';

const NAME = 'PhiObjectEventsStayInside';

/**
 * The detail types of S3's EventBridge notifications about objects ("Using EventBridge", Amazon S3 User Guide): each
 * event names the bucket, the object's key, size, version, the requester and its source IP address.
 */
export const S3_OBJECT_DETAIL_TYPES: readonly string[] = [
  'Object Created',
  'Object Deleted',
  'Object Restore Initiated',
  'Object Restore Completed',
  'Object Restore Expired',
  'Object Tags Added',
  'Object Tags Deleted',
  'Object ACL Updated',
  'Object Storage Class Changed',
  'Object Access Tier Changed',
];

/**
 * S3's object-level API operations, which CloudTrail records as data events (the PHI buckets' trail records them) and
 * delivers to EventBridge as "AWS API Call via CloudTrail" with the bucket and the key in their request parameters.
 */
export const S3_OBJECT_EVENT_NAMES: readonly string[] = [
  'AbortMultipartUpload',
  'CompleteMultipartUpload',
  'CopyObject',
  'CreateMultipartUpload',
  'DeleteObject',
  'DeleteObjects',
  'DeleteObjectTagging',
  'GetObject',
  'GetObjectAcl',
  'GetObjectAttributes',
  'GetObjectLegalHold',
  'GetObjectRetention',
  'GetObjectTagging',
  'GetObjectTorrent',
  'HeadObject',
  'ListMultipartUploads',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'ListParts',
  'PostObject',
  'PutObject',
  'PutObjectAcl',
  'PutObjectLegalHold',
  'PutObjectRetention',
  'PutObjectTagging',
  'RestoreObject',
  'SelectObjectContent',
  'UploadPart',
  'UploadPartCopy',
];

const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';

/**
 * Whether one entry of an event pattern's value list may match `value` (undefined: the event has no such field). A
 * content filter the reader does not know, or one whose operand is not plain, may match (fail closed).
 */
function entryMayMatch(entry: unknown, value: string | undefined): boolean {
  if (typeof entry === 'string') return value !== undefined && sameBucketName(entry, value);
  if (entry === null) return value === undefined;
  if (!isObject(entry)) return false; // a number or Boolean never equals a string field
  const [[operator, operand] = ['', undefined]] = Object.entries(entry);
  if (Object.keys(entry).length !== 1) return true;
  switch (operator) {
    case 'exists':
      return operand === false ? value === undefined : operand === true ? value !== undefined : true;
    case 'prefix':
      return typeof operand === 'string' ? value !== undefined && value.startsWith(operand) : true;
    case 'suffix':
      return typeof operand === 'string' ? value !== undefined && value.endsWith(operand) : true;
    case 'equals-ignore-case':
      return typeof operand === 'string' ? value !== undefined && value.toLowerCase() === operand.toLowerCase() : true;
    case 'wildcard':
      return typeof operand === 'string' ? value !== undefined && wildcardMatches(operand, value, false) : true;
    case 'anything-but': {
      const excluded = asList(operand);
      if (value === undefined) return false;
      return !excluded.every((e) => typeof e === 'string') || !excluded.includes(value);
    }
    case 'numeric':
    case 'cidr':
      return false;
    default:
      return true;
  }
}

/** Whether a pattern's filter on a field (a list of entries, or absent: not filtered) may match `value`. */
function fieldMayMatch(filter: unknown, values: ReadonlyArray<string | undefined>): boolean {
  if (filter === undefined) return true;
  if (!Array.isArray(filter)) return true; // not a list of values: a nested object or a token, read as matching
  return filter.some((entry) => values.some((value) => entryMayMatch(entry, value)));
}

/**
 * The filter at `path` of a pattern, undefined when a level is absent. A field beside an `$or` is required as well as
 * one of its alternatives (they only narrow); a field not beside it may be in an alternative: 'or', read as matching.
 */
function at(pattern: unknown, path: readonly string[]): unknown {
  let node = pattern;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    if (!(key in node) && '$or' in node) return 'or';
    node = node[key];
  }
  return node;
}

/** Whether a pattern may match an event whose fields at the paths take the values given (each a list of alternatives). */
function patternMayMatch(
  pattern: unknown,
  fields: ReadonlyArray<[readonly string[], ReadonlyArray<string | undefined>]>,
) {
  if (pattern === undefined) return false; // a schedule: no event
  if (!isObject(pattern)) return true; // only deploy resolves it
  return fields.every(([path, values]) => {
    const filter = at(pattern, path);
    return filter === 'or' || fieldMayMatch(filter, values);
  });
}

/**
 * Whether an EventBridge rule's pattern may match an object event of a bucket named one of `names`: S3's EventBridge
 * notification about an object, or CloudTrail's record of an object-level call (a data event), of that bucket.
 */
export function mayMatchObjectEvents(pattern: unknown, names: readonly string[]): boolean {
  const arns = names.map((n) => `arn:aws:s3:::${n}`);
  const notification = patternMayMatch(pattern, [
    [['source'], ['aws.s3']],
    [['detail-type'], S3_OBJECT_DETAIL_TYPES],
    [['detail', 'bucket', 'name'], names],
    [['resources'], arns],
    // Fields of CloudTrail's events that S3's notifications do not have: a filter on them matches none.
    [['detail', 'eventSource'], [undefined]],
    [['detail', 'eventName'], [undefined]],
  ]);
  const dataEvent = patternMayMatch(pattern, [
    [['source'], ['aws.s3']],
    [['detail-type'], [CLOUDTRAIL_API_CALL]],
    [['detail', 'eventSource'], ['s3.amazonaws.com']],
    [['detail', 'eventName'], S3_OBJECT_EVENT_NAMES],
    [['detail', 'requestParameters', 'bucketName'], names],
    // CloudTrail's events list no resources, and have no S3 notification's bucket: a filter on them matches none.
    [['resources'], [undefined]],
    [['detail', 'bucket', 'name'], [undefined]],
  ]);
  return notification || dataEvent;
}

/**
 * Service events that name a PHI object's key: GuardDuty Malware Protection's scan result of each new object, Macie's
 * findings (a sensitive data finding names the object), GuardDuty's findings (an S3 protection or malware finding names
 * the object) and Security Hub's findings (imported from GuardDuty and Macie with their resources, or sent to a custom
 * action). The blueprint hands them to the alert formatter, which leaves the key out, to the six-year findings archive
 * (Security Hub's, and the replica region's GuardDuty findings) and, from the replica region, to a primary region's
 * default bus.
 */
export const KEYED_SERVICE_EVENTS: ReadonlyArray<readonly [string, string]> = [
  ['aws.guardduty', 'GuardDuty Malware Protection Object Scan Result'],
  ['aws.macie', 'Macie Finding'],
  ['aws.guardduty', 'GuardDuty Finding'],
  ['aws.securityhub', 'Security Hub Findings - Imported'],
  ['aws.securityhub', 'Security Hub Findings - Custom Action'],
];

/** Whether a pattern may match one of KEYED_SERVICE_EVENTS. */
export function mayMatchKeyedServiceEvents(pattern: unknown): boolean {
  return KEYED_SERVICE_EVENTS.some(([source, detailType]) =>
    patternMayMatch(pattern, [
      [['source'], [source]],
      [['detail-type'], [detailType]],
    ]),
  );
}

/** Firehose destination properties whose records leave S3: an HTTP endpoint, Splunk, Redshift, OpenSearch, ... */
const S3_DESTINATIONS = new Set(['S3DestinationConfiguration', 'ExtendedS3DestinationConfiguration']);

/** Every value under a key named `key`, at any depth of `value`. */
function valuesNamed(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesNamed(v, key));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === key ? [v] : valuesNamed(v, key)));
}

/**
 * Whether a Firehose stream keeps its records in the locked findings archive: its destinations are S3 only, every
 * bucket it writes (destination and backup) is a findings archive that FindingsArchivePresent would pass (object lock,
 * the tamper denies, the audit key), and no Lambda processor sees the records.
 */
function streamIntoArchive(stream: StackResource, stacks: readonly AssemblyStack[]): boolean {
  const p = stream.resource.Properties ?? {};
  const destinations = Object.keys(p).filter((k) => k.endsWith('DestinationConfiguration'));
  if (destinations.length === 0 || destinations.some((k) => !S3_DESTINATIONS.has(k))) return false;
  const processors = valuesNamed(p, 'Processors').flatMap(asList);
  if (processors.some((pr) => !isObject(pr) || pr.Type !== 'AppendDelimiterToRecord')) return false;
  const buckets = valuesNamed(p, 'BucketARN');
  return (
    buckets.length > 0 &&
    buckets.every((arn) => {
      const bucket = resolveValue(arn, stream.stack, stacks);
      return (
        bucket.kind === 'resource' &&
        bucket.target.resource.Type === 'AWS::S3::Bucket' &&
        isLockedFindingsArchive(bucket.target, stacks)
      );
    })
  );
}

/**
 * Whether a rule target keeps the keys of the events it gets inside: the alert formatter (which drops them; the
 * function the heartbeat proves alive, provenAlertFormatters), a Firehose stream into the locked findings archive, or the default bus of a primary
 * region (the replica region's forwarding: the rules there are judged here too).
 */
function keepsKeysInside(
  target: unknown,
  stack: AssemblyStack,
  stacks: readonly AssemblyStack[],
  mainRegions: ReadonlySet<string>,
  formatters: ReadonlySet<string>,
): boolean {
  if (!isObject(target)) return false;
  const resolved = resolveValue(target.Arn, stack, stacks);
  if (resolved.kind === 'resource') {
    const type = resolved.target.resource.Type;
    // The alert formatter the heartbeat proves alive (any function of the assembly where none is proven: that is
    // TamperDetectionPresent's finding); another function (one that logs the event) gets the keys as they are.
    if (type === 'AWS::Lambda::Function') {
      return formatters.size === 0 || formatters.has(`${resolved.target.stack.stackName}/${resolved.target.logicalId}`);
    }
    if (type === 'AWS::KinesisFirehose::DeliveryStream') return streamIntoArchive(resolved.target, stacks);
    return false;
  }
  return forwardsToAnotherRegion(target, stack, declaredReplicaRegion(stack), mainRegions);
}

/** The names a PHI bucket may have, its stack's account and region written in where the stack states them. */
function namesOf(bucket: StackResource): string[] {
  return literalForms(bucket.resource.Properties?.BucketName, bucket.stack.template).map((n) =>
    inStackEnvironment(n, bucket.stack),
  );
}

/**
 * A3 U4: no EventBridge rule of the assembly sends a PHI bucket's object events anywhere: S3's notifications about its
 * objects (on for AWS Backup and GuardDuty Malware Protection, which read them through their own managed rules) and
 * CloudTrail's data events of it each name an object's key (which may itself be PHI: a patient's name in a file name),
 * its size, the requester and its IP address. The bucket's policy keeps its listing to the named principals; a rule
 * routing these events to a queue, a topic, a function, a stream or a log group (of this account: EventTargetsInAccount
 * judges the account) hands that listing to whoever reads the target. A rule whose pattern may match them (its source,
 * detail type, event names, bucket name and resources read as filters, content filters included; `$or`, an unknown
 * filter or a pattern only deploy resolves may match) and has a target is a finding; a rule of another region than the
 * bucket's, or a disabled one, is not. Filters on other fields (a key prefix) narrow it to some objects, which still
 * leak.
 */
function check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  const buckets = assemblyResources(stacks, 'AWS::S3::Bucket').filter((b) =>
    isPhiStoreIn(b.stack.template, b.logicalId, context.phiBucketNames ?? []),
  );
  const rules = assemblyResources(stacks, 'AWS::Events::Rule');
  const mainRegions = mainRegionsOf(stacks);
  const formatters = provenAlertFormatters(stacks);
  let evaluated = 0;
  for (const rule of rules) {
    const p = rule.resource.Properties ?? {};
    if (p.State === 'DISABLED' || asList(p.Targets).length === 0) continue;
    evaluated++;
    const reached = buckets.filter(
      (b) =>
        (rule.stack.region === undefined || b.stack.region === undefined || rule.stack.region === b.stack.region) &&
        mayMatchObjectEvents(p.EventPattern, namesOf(b)),
    );
    // Keyed service events go to a function (the formatter), the locked findings archive or a primary region's
    // default bus only: a topic, a queue, another stream or bus gets them raw.
    const raw = asList(p.Targets).filter(
      (target) => !keepsKeysInside(target, rule.stack, stacks, mainRegions, formatters),
    );
    if (raw.length > 0 && mayMatchKeyedServiceEvents(p.EventPattern)) {
      findings.push(
        finding(
          NAME,
          `${rule.logicalId}::routes-object-keys-unformatted`,
          rule.stack,
          rule.logicalId,
          `EventBridge rule ${rule.logicalId} (${rule.stack.stackName}) may match GuardDuty's or Macie's findings, Security Hub's findings or GuardDuty Malware Protection's scan results (each may name a PHI object's key) and sends them, as they are, to a target that is not a function of the assembly, a Firehose stream into the locked findings archive only, or a primary region's default bus (a topic, a queue, another stream or bus): the key reaches whoever reads it; the alert formatter leaves it out (A3 U4)`,
        ),
      );
    }
    if (reached.length === 0) continue;
    findings.push(
      finding(
        NAME,
        `${rule.logicalId}::routes-phi-object-events`,
        rule.stack,
        rule.logicalId,
        `EventBridge rule ${rule.logicalId} (${rule.stack.stackName}) may match the object events of PHI bucket ${reached.map((b) => `${b.logicalId} (${b.stack.stackName})`).join(', ')} (S3's notifications or CloudTrail's data events: each names an object's key, its size and the requester) and sends them to its targets: whoever reads a target reads the bucket's listing, which its policy keeps to named principals (A3 U4)`,
      ),
    );
  }
  return { findings, evaluated };
}

export const PhiObjectEventsStayInside: AssemblyRule = {
  name: NAME,
  info: "An EventBridge rule with a target may match a PHI bucket's object events (S3's notifications about its objects, or CloudTrail's data events of it).",
  explanation:
    "Access control and minimum necessary (164.312(a)(1), 164.308(a)(4)): an object event names the object's key (which may be PHI), its size and the requester; the PHI bucket's policy keeps its listing to named principals, and a rule sending its events to a queue, topic, function or stream hands that listing to whoever reads the target.",
  safeguards: ['A3', 'U4'],
  hipaaSections: ['164.312(a)(1)', '164.308(a)(4)'],
  check,
};
