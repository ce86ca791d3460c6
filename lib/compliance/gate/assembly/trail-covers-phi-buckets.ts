import { PHI_BUCKET_NAME, isPhiStore } from '../core/phi-shapes';
import { asList, assemblyResources, AssemblyStack, flatten, isObject } from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'TrailCoversPhiBuckets';

/** Names of the PHI buckets of the assembly: config's, the marked or PHI-named buckets' literal names. */
export function phiBucketNamesOf(stacks: readonly AssemblyStack[], context: AssemblyContext): string[] {
  const names = new Set(context.phiBucketNames ?? []);
  for (const { resource } of assemblyResources(stacks, 'AWS::S3::Bucket')) {
    const name = resource.Properties?.BucketName;
    if (typeof name === 'string' && (isPhiStore(resource, context.phiBucketNames) || PHI_BUCKET_NAME.test(name))) {
      names.add(name);
    }
  }
  return [...names].sort();
}

/** The advanced selector fields the coverage reads, each with the operators it reads. */
const READ_FIELDS: Readonly<Record<string, readonly string[]>> = {
  eventCategory: ['Equals'],
  'resources.type': ['Equals'],
  'resources.ARN': ['Equals', 'StartsWith'],
  readOnly: ['Equals'],
};

/** A field selector of a field the coverage reads, with only the operators it reads. */
function onlyReadFields(field: Record<string, unknown>): boolean {
  const operators =
    typeof field.Field === 'string' && Object.hasOwn(READ_FIELDS, field.Field) ? READ_FIELDS[field.Field]! : [];
  return Object.keys(field).every((k) => k === 'Field' || operators.includes(k));
}

/** A trail whose IsLogging is a literal true (CloudFormation also reads the string "true"). */
export function isLogging(trail: Record<string, unknown>): boolean {
  return trail.IsLogging === true || trail.IsLogging === 'true';
}

/**
 * Whether a trail's selectors record every management event, reads and writes: an advanced selector of
 * `eventCategory` = Management and nothing else, or a basic selector including management events for All.
 */
export function recordsAllManagementEvents(trail: Record<string, unknown>): boolean {
  const advanced = asList(trail.AdvancedEventSelectors).filter(isObject);
  if (advanced.length > 0) {
    return advanced.some((s) => {
      const fields = asList(s.FieldSelectors).filter(isObject);
      return (
        fields.length === 1 &&
        fields[0]!.Field === 'eventCategory' &&
        Object.keys(fields[0]!).every((k) => k === 'Field' || k === 'Equals') &&
        asList(fields[0]!.Equals).includes('Management')
      );
    });
  }
  const basic = asList(trail.EventSelectors).filter(isObject);
  // No selectors at all: CloudTrail records every management event.
  if (basic.length === 0) return true;
  return basic.some(
    (s) =>
      (s.IncludeManagementEvents === undefined ||
        s.IncludeManagementEvents === true ||
        s.IncludeManagementEvents === 'true') &&
      (s.ReadWriteType === undefined || s.ReadWriteType === 'All') &&
      s.ExcludeManagementEventSources === undefined,
  );
}

/** Read and write coverage of one bucket by a trail's event selectors. */
function coverage(trail: Record<string, unknown>, bucket: string): { read: boolean; write: boolean } {
  const out = { read: false, write: false };
  const covers = (arn: string | undefined): boolean => {
    if (arn === undefined) return false;
    const m = /^arn:(?:<AWS::Partition>|[^:]+):s3:::(.*)$/.exec(arn);
    if (!m) return false;
    const rest = m[1]!;
    // A prefix of every key of the bucket: the whole bucket, not a folder of it (`bucket/x/` misses the rest).
    return `${bucket}/`.startsWith(rest);
  };
  for (const s of asList(trail.EventSelectors).filter(isObject)) {
    const s3 = asList(s.DataResources)
      .filter(isObject)
      .filter((d) => d.Type === 'AWS::S3::Object');
    if (!s3.some((d) => asList(d.Values).some((v) => covers(flatten(v))))) continue;
    const rw = typeof s.ReadWriteType === 'string' ? s.ReadWriteType : 'All';
    if (rw === 'All' || rw === 'ReadOnly') out.read = true;
    if (rw === 'All' || rw === 'WriteOnly') out.write = true;
  }
  for (const s of asList(trail.AdvancedEventSelectors).filter(isObject)) {
    const fields = asList(s.FieldSelectors).filter(isObject);
    // Only the fields and operators read here: any other (an eventName or userIdentity.arn list, a NotStartsWith on
    // the ARN, readOnly by NotEquals) narrows the selector to some of the bucket's events, so it covers nothing.
    if (!fields.every(onlyReadFields)) continue;
    const equals = (field: string, value: string): boolean =>
      fields.some((f) => f.Field === field && asList(f.Equals).includes(value));
    if (!equals('eventCategory', 'Data') || !equals('resources.type', 'AWS::S3::Object')) continue;
    const arnField = fields.filter((f) => f.Field === 'resources.ARN');
    // Every ARN field applies (they are ANDed); an Equals names single objects, never the whole bucket.
    const arnOk =
      arnField.length === 0 ||
      arnField.every((f) => f.Equals === undefined && asList(f.StartsWith).some((v) => covers(flatten(v))));
    if (!arnOk) continue;
    if (!fields.some((f) => f.Field === 'readOnly')) {
      out.read = out.write = true;
    } else {
      if (equals('readOnly', 'true')) out.read = true;
      if (equals('readOnly', 'false')) out.write = true;
    }
  }
  return out;
}

/**
 * U1: a CloudTrail trail exists, every trail is logging (IsLogging literally true), a logging trail records every
 * management event (reads and writes: the tamper rules and the security alarms read them), and a logging trail records
 * S3 object data events, reads and writes, on every PHI bucket of the environment (config's PHI bucket names, and
 * every bucket marked or named as one), by selectors of only the fields read here, so that every access to a PHI
 * object is in the audit trail.
 */
export const TrailCoversPhiBuckets: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'There is no CloudTrail trail, a trail is not logging, no logging trail records every management event, or none records S3 data events (read and write) on a PHI bucket with selectors of only the fields it reads.',
  explanation:
    'Audit controls record activity on PHI (164.312(b)); reads and writes of PHI objects appear only in S3 data events, per bucket.',
  safeguards: ['U1'],
  hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    const trails = assemblyResources(stacks, 'AWS::CloudTrail::Trail');
    if (trails.length === 0) {
      return {
        findings: [finding(NAME, 'Trail::absent', stacks[0]!, undefined, 'The assembly has no CloudTrail trail (U1)')],
        evaluated: 1,
      };
    }
    // A trail that is not logging records nothing (IsLogging false was accepted before).
    const logging = trails.filter((t) => isLogging(t.resource.Properties ?? {}));
    for (const t of trails.filter((t) => !logging.includes(t))) {
      findings.push(
        finding(
          NAME,
          'Trail::not-logging',
          t.stack,
          t.logicalId,
          'The trail is not logging (IsLogging is not true) (U1)',
        ),
      );
    }
    if (!logging.some((t) => recordsAllManagementEvents(t.resource.Properties ?? {}))) {
      findings.push(
        finding(
          NAME,
          'ManagementEvents::not-recorded',
          trails[0]!.stack,
          trails[0]!.logicalId,
          'No logging trail records every management event, reads and writes (U1)',
        ),
      );
    }
    const buckets = phiBucketNamesOf(stacks, context);
    for (const bucket of buckets) {
      const seen = logging.map((t) => coverage(t.resource.Properties ?? {}, bucket));
      const read = seen.some((c) => c.read);
      const write = seen.some((c) => c.write);
      if (read && write) continue;
      const what = !read && !write ? 'none' : !read ? 'write-only' : 'read-only';
      findings.push(
        finding(
          NAME,
          `DataEvents::${bucket}-${what}`,
          trails[0]!.stack,
          trails[0]!.logicalId,
          `No trail records S3 data events (${what === 'none' ? 'reads and writes' : what === 'write-only' ? 'reads' : 'writes'}) on the PHI bucket ${bucket} (U1)`,
        ),
      );
    }
    return { findings, evaluated: buckets.length + trails.length + 1 };
  },
};
