import { literalForms } from '../core/bucket-names';
import { entries, PolicyStatementJson, statementCovers, wildcardMatches } from '../core/policy-json';
import { PHI_BUCKET_NAME, isPhiStore } from '../core/phi-shapes';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  flatten,
  inStackEnvironment,
  isObject,
  partitionOfRegion,
  resourceNamed,
  StackResource,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { documentStatements, managedPoliciesNamed, roleStatements, writesShortfall } from './role-facts';

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

/**
 * Read and write coverage of one bucket by the event selectors of a trail of `stack`. An ARN names the bucket in the
 * trail's own partition (the pseudo parameter, or the literal partition of the stack's region; any where the stack
 * states no region): `arn:aws-us-gov:s3:::<bucket>/` in a trail of us-east-1 names a bucket CloudTrail never sees
 * there (the attacker review of 2026-12-04).
 */
function coverage(
  trail: Record<string, unknown>,
  bucket: string,
  stack: Pick<AssemblyStack, 'region'>,
): { read: boolean; write: boolean } {
  const out = { read: false, write: false };
  const partition = stack.region === undefined ? '[^:]+' : partitionOfRegion(stack.region);
  const arnPattern = new RegExp(`^arn:(?:<AWS::Partition>|${partition}):s3:::(.*)$`);
  const covers = (arn: string | undefined): boolean => {
    if (arn === undefined) return false;
    const m = arnPattern.exec(arn);
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
    // Field selectors are ANDed: two readOnly fields ("true" and "false") match no event at all (the attacker review
    // of 2026-12-04, second round, counted as reads and writes before).
    if (fields.filter((f) => f.Field === 'readOnly').length > 1) continue;
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

/** The service that assumes a trail's CloudWatch Logs role. */
const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/** Condition operators a trust statement may use that hold when the request's value matches (IfExists included). */
const MATCHING_OPERATORS = ['stringequals', 'stringlike', 'arnequals', 'arnlike'];

/**
 * Whether every condition of a trust Allow surely holds when CloudTrail assumes the role for `trail`: none, or only
 * the confused-deputy keys `aws:SourceAccount` (the trail's account) and `aws:SourceArn` (the trail's ARN, its name
 * literal), under matching operators, each with a value the request carries. Anything else (a date, an IP, another
 * account, a value only deploy resolves) may stop holding after deploy, when CloudTrail's role check has passed.
 */
function trustConditionHolds(statement: PolicyStatementJson, trail: StackResource): boolean {
  const condition = statement.Condition;
  if (condition === undefined) return true;
  if (!isObject(condition)) return false;
  const stack = trail.stack;
  const account = stack.account ?? '<AWS::AccountId>';
  const trailArns = literalForms(trail.resource.Properties?.TrailName, stack.template).map((name) =>
    inStackEnvironment(`arn:<AWS::Partition>:cloudtrail:<AWS::Region>:<AWS::AccountId>:trail/${name}`, stack),
  );
  const context: Record<string, readonly string[]> = { 'aws:sourceaccount': [account], 'aws:sourcearn': trailArns };
  return Object.entries(condition).every(([operator, block]) => {
    const base = operator.toLowerCase().replace(/ifexists$/, '');
    if (!MATCHING_OPERATORS.includes(base) || !isObject(block)) return false;
    return Object.entries(block).every(([key, raw]) => {
      const actual = context[key.toLowerCase()] ?? [];
      const expected = entries(raw).map((v) => {
        const text = flatten(v);
        return text === undefined ? undefined : inStackEnvironment(text, stack);
      });
      return expected.some(
        (e) => e !== undefined && actual.some((a) => (base.endsWith('like') ? wildcardMatches(e, a, false) : a === e)),
      );
    });
  });
}

/**
 * Why a trail's events may not reach CloudWatch Logs, where the security alarms' metric filters read them (undefined:
 * they do): CloudWatchLogsLogGroupArn names a log group of the assembly; CloudWatchLogsRoleArn names a role of the
 * assembly that CloudTrail may assume (a trust Allow for `cloudtrail.amazonaws.com` whose conditions surely hold, no
 * trust Deny that may cover sts:AssumeRole); its policies (any attaching form, across the assembly) allow
 * logs:CreateLogStream and logs:PutLogEvents on the group and no statement may deny them (a deny with a condition
 * counts: a date condition turns delivery off long after CloudTrail checked the role at deploy); every managed policy
 * it lists is one of the assembly (another may hold such a deny); and a permissions boundary, if any, is a managed
 * policy of the assembly that allows the same and denies neither.
 */
export function trailDeliveryShortfall(trail: StackResource, stacks: readonly AssemblyStack[]): string | undefined {
  const p = trail.resource.Properties ?? {};
  if (cfnAbsent(p.CloudWatchLogsLogGroupArn)) return 'no-log-group';
  const group = resourceNamed(p.CloudWatchLogsLogGroupArn, trail.stack, stacks);
  if (group?.resource.Type !== 'AWS::Logs::LogGroup') return 'log-group-outside-assembly';
  if (cfnAbsent(p.CloudWatchLogsRoleArn)) return 'no-role';
  const role = resourceNamed(p.CloudWatchLogsRoleArn, trail.stack, stacks);
  if (role?.resource.Type !== 'AWS::IAM::Role') return 'role-outside-assembly';
  const rp = role.resource.Properties ?? {};
  const trust = documentStatements(rp.AssumeRolePolicyDocument);
  const trusted =
    trust.some(
      (s) =>
        s.Effect === 'Allow' &&
        s.NotPrincipal === undefined &&
        isObject(s.Principal) &&
        entries(s.Principal.Service).includes(CLOUDTRAIL) &&
        statementCovers(s, 'sts:AssumeRole', 'surely') &&
        trustConditionHolds(s, trail),
    ) && !trust.some((s) => s.Effect !== 'Allow' && statementCovers(s, 'sts:AssumeRole', 'possibly'));
  if (!trusted) return 'role-not-assumable-by-cloudtrail';
  const unread = asList(rp.ManagedPolicyArns).some((arn) => {
    const named = resourceNamed(arn, role.stack, stacks);
    if (named !== undefined) return named.resource.Type !== 'AWS::IAM::ManagedPolicy';
    return !stacks.some((s) => managedPoliciesNamed(arn, s, role.stack).length > 0);
  });
  if (unread) return 'role-policy-outside-assembly';
  const writes = writesShortfall(roleStatements(role.stack, role.logicalId, stacks), group, role.stack, stacks);
  if (writes !== undefined) return `role-${writes}`;
  if (!cfnAbsent(rp.PermissionsBoundary)) {
    const named = resourceNamed(rp.PermissionsBoundary, role.stack, stacks);
    const boundaries =
      named !== undefined
        ? named.resource.Type === 'AWS::IAM::ManagedPolicy'
          ? [named]
          : []
        : stacks.flatMap((s) =>
            managedPoliciesNamed(rp.PermissionsBoundary, s, role.stack).map((resource) => ({
              stack: s,
              logicalId: '',
              resource,
            })),
          );
    if (boundaries.length !== 1) return 'boundary-outside-assembly';
    const boundary = boundaries[0]!;
    const capped = writesShortfall(
      documentStatements(boundary.resource.Properties?.PolicyDocument),
      group,
      boundary.stack,
      stacks,
    );
    if (capped !== undefined) return `boundary-${capped}`;
  }
  return undefined;
}

/**
 * U1: a CloudTrail trail exists, every trail is logging (IsLogging literally true), a logging trail records every
 * management event (reads and writes: the tamper rules and the security alarms read them), and a logging trail records
 * S3 object data events, reads and writes, on every PHI bucket of the environment (config's PHI bucket names, and
 * every bucket marked or named as one), by selectors of only the fields read here, so that every access to a PHI
 * object is in the audit trail. D1: every trail the gate relies on (a logging trail that records every management
 * event or covers a PHI bucket: the security alarms' metric filters read its log group) delivers to CloudWatch Logs
 * as trailDeliveryShortfall reads it, so that no deny (a dated one included) silences the alarms after deploy.
 */
export const TrailCoversPhiBuckets: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'There is no CloudTrail trail, a trail is not logging, no logging trail records every management event, or none records S3 data events (read and write) on a PHI bucket with selectors of only the fields it reads, or such a trail does not surely deliver to a CloudWatch Logs log group of the assembly (a role CloudTrail may assume, allowed logs:CreateLogStream and logs:PutLogEvents on it, no deny of them with or without a condition).',
  explanation:
    'Audit controls record activity on PHI (164.312(b)); reads and writes of PHI objects appear only in S3 data events, per bucket; the security alarms see only what the trail delivers to CloudWatch Logs (164.308(a)(1)(ii)(D)).',
  safeguards: ['U1', 'D1'],
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
      const seen = logging.map((t) => coverage(t.resource.Properties ?? {}, bucket, t.stack));
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
    // The trails the gate relies on: the security alarms read the log group of one recording every management event,
    // and the PHI access alarm counts the data events it delivers. A role that may stop writing there (a dated deny
    // passes CloudTrail's check at deploy) silences every metric-filter alarm.
    const relied = logging.filter((t) => {
      const p = t.resource.Properties ?? {};
      return (
        recordsAllManagementEvents(p) ||
        buckets.some((b) => {
          const c = coverage(p, b, t.stack);
          return c.read || c.write;
        })
      );
    });
    for (const t of relied) {
      const why = trailDeliveryShortfall(t, stacks);
      if (why === undefined) continue;
      findings.push(
        finding(
          NAME,
          `CloudWatchLogs::${why}`,
          t.stack,
          t.logicalId,
          `Trail ${t.logicalId} does not surely deliver its events to a CloudWatch Logs log group of the assembly (${why}): the metric filters of the security alarms would read nothing (U1, D1)`,
        ),
      );
    }
    return { findings, evaluated: buckets.length + trails.length + relied.length + 1 };
  },
};
