import {
  asList,
  assemblyResources,
  cfnBoolean,
  cfnNumber,
  AssemblyStack,
  eventRuleEnabled,
  flatten,
  isObject,
  Json,
  localTarget,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { ACCESS_AUDIT_MAX_FRESHNESS_SECONDS } from '../../../../constructs/access-audit-alarms';
import { ACCESS_AUDIT_BUCKET_METADATA } from '../../../../constructs/core/markers';
import { AlarmExpectation, judgeAlarms, mutedText, notifies, readsMetric } from './alarm-facts';
import { archiveReplicationProblems } from './archive-replication';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { lockedAuditBucketProblems } from './locked-audit-bucket';
import { taskRoles } from './role-facts';
import { keyDomainOf } from './phi-store-key-domain';

const NAME = 'AccessAuditChannel';

/** The only Firehose actions a task role may hold: append. */
const APPEND = new Set(['firehose:putrecord', 'firehose:putrecordbatch']);

/** Bucket-policy denies (to everyone, unconditional) the channel's bucket must carry. */
const REQUIRED_DENIES = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:BypassGovernanceRetention',
  // In place under another key (then disabled or deleted): lost as surely as deleted.
  's3:UpdateObjectEncryption',
];

/** Every Allow statement of the role's own policies (inline, AWS::IAM::Policy, AWS::IAM::ManagedPolicy of its stack). */
function allowStatementsOf(role: StackResource): Json[] {
  const ref = JSON.stringify({ Ref: role.logicalId });
  const documents: unknown[] = asList(role.resource.Properties?.Policies)
    .filter(isObject)
    .map((p) => p.PolicyDocument);
  for (const [, r] of Object.entries(role.stack.template.Resources ?? {})) {
    if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
    if (asList(r.Properties?.Roles).some((x) => JSON.stringify(x) === ref))
      documents.push(r.Properties?.PolicyDocument);
  }
  return documents
    .filter(isObject)
    .flatMap((d) => asList(d.Statement))
    .filter(isObject)
    .filter((s) => s.Effect === 'Allow');
}

/** Whether `action` (maybe with wildcards) covers some action of `service`. */
const touches = (action: string, service: string): boolean => {
  const a = action.toLowerCase();
  return a === '*' || a.startsWith(`${service}:`);
};

/** The stream name of a literal (flattened) delivery stream ARN without wildcards, else undefined. */
function streamNameOf(resource: unknown): string | undefined {
  const arn = flatten(resource);
  const match =
    arn === undefined
      ? null
      : /^arn:(?:<AWS::Partition>|[a-z-]+):firehose:([a-z0-9-]+|<AWS::Region>):(\d{12}|<AWS::AccountId>):deliverystream\/([A-Za-z0-9_.-]+)$/.exec(
          arn,
        );
  return match ? match[3] : undefined;
}

/** Longest silence the silence alarm may wait for: AccessAuditAlarms allows up to 24 five-minute periods. */
const MAX_SILENT_SECONDS = 24 * 300;

/**
 * The silence alarm (constructs/access-audit-alarms.ts): the target group answered requests while the stream
 * received no record, in five-minute periods (IF(requests > 0 AND FILL(records, 0) == 0, 1, 0) >= 1).
 */
export const firesOnSilence = (stream: string): AlarmExpectation => ({
  metric: { namespace: 'AWS/Firehose', name: 'IncomingRecords', dimensions: { DeliveryStreamName: stream } },
  statistics: ['Sum'],
  maxPeriodSeconds: 300,
  trigger: { atLeast: 1 },
  quietAt: 0,
  maxTimeToAlarmSeconds: MAX_SILENT_SECONDS,
  expressions: ['IF($AWS/ApplicationELB/RequestCount > 0 AND FILL($AWS/Firehose/IncomingRecords, 0) == 0, 1, 0)'],
});

/** The delivery alarm: events older than 15 minutes in the stream (DataFreshness Maximum above 900 s at most). */
export const firesOnStaleDelivery = (stream: string): AlarmExpectation => ({
  metric: { namespace: 'AWS/Firehose', name: 'DeliveryToS3.DataFreshness', dimensions: { DeliveryStreamName: stream } },
  statistics: ['Maximum'],
  maxPeriodSeconds: 300,
  trigger: { above: ACCESS_AUDIT_MAX_FRESHNESS_SECONDS },
  quietAt: 0,
});

/**
 * The stream's alarm on `expected`: a finding id suffix and text when no alarm with an action reads the metric
 * ('no-...-alarm') or none of them can fire ('...-alarm-cannot-fire'), else undefined.
 */
function streamAlarmProblem(
  stacks: readonly AssemblyStack[],
  expected: AlarmExpectation,
  what: string,
): [string, string] | undefined {
  const acting = assemblyResources(stacks, 'AWS::CloudWatch::Alarm').filter(
    (a) => notifies(a.resource) && readsMetric(a.resource, expected.metric),
  );
  if (acting.length === 0) return [`no-${what}-alarm`, `has no alarm (with an action) on its ${expected.metric.name}`];
  const verdict = judgeAlarms(acting, expected);
  if (verdict.firing.length > 0) return undefined;
  return [`${what}-alarm-cannot-fire`, `has a ${what} ${mutedText(verdict)}`];
}

/** Namespace of the volume check's aggregates (lambda/access-audit-volume). */
const VOLUME_NAMESPACE = 'HipaaBlueprint/AccessAudit';
/** The hourly check's window: its alarm reads at most one window per period. */
const VOLUME_WINDOW_SECONDS = 3600;

/** The volume alarm as deployed: at least one user over the threshold in the hourly run (Maximum or Sum >= 1). */
export const USERS_OVER_THRESHOLD: AlarmExpectation = {
  metric: { namespace: VOLUME_NAMESPACE, name: 'UsersOverThreshold' },
  statistics: ['Maximum', 'Sum'],
  maxPeriodSeconds: VOLUME_WINDOW_SECONDS,
  trigger: { atLeast: 1 },
  quietAt: 0,
};

/** The schema's highest access-volume threshold (lib/config/schema.ts MAX_ACCESS_VOLUME_THRESHOLD; a test holds them equal). */
export const MAX_EVENTS_PER_USER_TRIGGER = 1_000_000;

/** The alternative: the busiest user's count above at most config's highest threshold (app.accessVolumeThresholdPerHour). */
const MAX_EVENTS_PER_USER: AlarmExpectation = {
  metric: { namespace: VOLUME_NAMESPACE, name: 'MaxEventsPerUser' },
  statistics: ['Maximum'],
  maxPeriodSeconds: VOLUME_WINDOW_SECONDS,
  trigger: { above: MAX_EVENTS_PER_USER_TRIGGER },
  quietAt: 0,
};

/**
 * The names of the Glue databases of the assembly holding a table whose location is an access-audit bucket (marked
 * ACCESS_AUDIT_BUCKET_METADATA) of the same stack, by Ref: what the volume check must count.
 */
function accessAuditDatabaseNames(stacks: readonly AssemblyStack[]): Set<string> {
  const names = new Set<string>();
  for (const table of assemblyResources(stacks, 'AWS::Glue::Table')) {
    const resources = table.stack.template.Resources;
    const input = table.resource.Properties?.TableInput;
    const location =
      isObject(input) && isObject(input.StorageDescriptor) ? input.StorageDescriptor.Location : undefined;
    const reads = Object.entries(resources).some(
      ([id, r]) =>
        r.Type === 'AWS::S3::Bucket' &&
        isObject(r.Metadata) &&
        r.Metadata[ACCESS_AUDIT_BUCKET_METADATA] !== undefined &&
        JSON.stringify(location ?? null).includes(JSON.stringify({ Ref: id })),
    );
    if (!reads) continue;
    const database = table.resource.Properties?.DatabaseName;
    const target = localTarget(database);
    const databaseInput = target !== undefined ? resources[target]?.Properties?.DatabaseInput : undefined;
    const named = target !== undefined ? (isObject(databaseInput) ? databaseInput.Name : undefined) : database;
    if (typeof named === 'string') names.add(named);
  }
  return names;
}

/**
 * U5 D1: the per-user volume check is deployed: a Lambda function that queries an Athena workgroup (its environment
 * names ATHENA_WORKGROUP), an enabled EventBridge schedule invoking it, and an alarm with an action on its
 * UsersOverThreshold or MaxEventsPerUser aggregate. Returns [id, text] pairs (empty when all three hold).
 */
function volumeCheckFindings(stacks: readonly AssemblyStack[], highestThreshold: number): [string, string][] {
  const out: [string, string][] = [];
  const functions = assemblyResources(stacks, 'AWS::Lambda::Function').filter((f) => {
    const env = f.resource.Properties?.Environment;
    return isObject(env) && isObject(env.Variables) && env.Variables.ATHENA_WORKGROUP !== undefined;
  });
  if (functions.length === 0) out.push(['VolumeCheck::no-function', 'has no access-audit volume check function']);
  // The workgroup it queries is one of the assembly, whose results the workgroup rules judge: another (the account's
  // `primary`) keeps them wherever its settings say (the second review of 2026-12-03).
  const names = new Set(assemblyResources(stacks, 'AWS::Athena::WorkGroup').map((w) => w.resource.Properties?.Name));
  const databaseNames = accessAuditDatabaseNames(stacks);
  for (const f of functions) {
    const variables = (f.resource.Properties?.Environment as Json).Variables as Json;
    // What the function counts against (lambda/access-audit-volume reads THRESHOLD and WINDOW_MINUTES from its own
    // environment): a threshold above config's alarms later than configured, or never (2,000,000,000 events an hour);
    // a window other than the hour its schedule and alarm assume leaves the rest of each hour uncounted (the attacker
    // review of 2026-12-04 set a five-minute window and a threshold of two billion, and both passed).
    const threshold = cfnNumber(variables.THRESHOLD);
    if (threshold === undefined || !Number.isInteger(threshold) || threshold < 1 || threshold > highestThreshold) {
      out.push([
        'VolumeCheck::threshold-not-configured',
        `has a volume check function (${f.logicalId}) counting against THRESHOLD ${JSON.stringify(variables.THRESHOLD ?? null)}, not a whole number from 1 to the configured ${highestThreshold} events per user per hour`,
      ]);
    }
    const window = variables.WINDOW_MINUTES;
    if (window !== undefined && cfnNumber(window) !== VOLUME_WINDOW_SECONDS / 60) {
      out.push([
        'VolumeCheck::window-not-hourly',
        `has a volume check function (${f.logicalId}) counting a WINDOW_MINUTES of ${JSON.stringify(window)}, not the 60 minutes its hourly schedule and alarm assume`,
      ]);
    }
    // The database it counts: one whose table reads the access-audit bucket (the access-audit search's). A decoy
    // database holds no events, and the alarm never fires (the attacker review of 2026-12-04, second round).
    const database = variables.GLUE_DATABASE;
    if (typeof database !== 'string' || !databaseNames.has(database)) {
      out.push([
        'VolumeCheck::database-outside-assembly',
        `has a volume check function (${f.logicalId}) counting Glue database ${JSON.stringify(database ?? null)}, not one whose table reads the access-audit bucket`,
      ]);
    }
    const wg = variables.ATHENA_WORKGROUP;
    const target = resolveValue(wg, f.stack, stacks);
    const ofAssembly =
      (typeof wg === 'string' && names.has(wg)) ||
      (target.kind === 'resource' && target.target.resource.Type === 'AWS::Athena::WorkGroup');
    if (!ofAssembly) {
      out.push([
        'VolumeCheck::workgroup-outside-assembly',
        `has a volume check function (${f.logicalId}) querying Athena workgroup ${JSON.stringify(wg)}, not one of the assembly`,
      ]);
    }
  }
  const scheduled = assemblyResources(stacks, 'AWS::Events::Rule').some((r) => {
    const p = r.resource.Properties ?? {};
    if (typeof p.ScheduleExpression !== 'string' || !eventRuleEnabled(p.State)) return false;
    return asList(p.Targets)
      .filter(isObject)
      .some((t) => {
        const id = localTarget(t.Arn);
        return functions.some((f) => f.stack === r.stack && f.logicalId === id);
      });
  });
  if (functions.length > 0 && !scheduled) {
    out.push(['VolumeCheck::no-schedule', 'has no enabled schedule invoking the access-audit volume check']);
  }
  const acting = assemblyResources(stacks, 'AWS::CloudWatch::Alarm').filter(
    (a) =>
      notifies(a.resource) &&
      [USERS_OVER_THRESHOLD, MAX_EVENTS_PER_USER].some((e) => readsMetric(a.resource, e.metric)),
  );
  if (acting.length === 0) {
    out.push(['VolumeCheck::no-alarm', `has no alarm (with an action) on ${VOLUME_NAMESPACE} UsersOverThreshold`]);
  } else {
    const verdicts = [USERS_OVER_THRESHOLD, MAX_EVENTS_PER_USER].map((e) => judgeAlarms(acting, e));
    if (!verdicts.some((v) => v.firing.length > 0)) {
      const v = verdicts.find((x) => x.muted.length > 0)!;
      out.push(['VolumeCheck::alarm-cannot-fire', `has a per-user volume ${mutedText(v)}`]);
    }
  }
  return out;
}

/**
 * Whether an Athena OutputLocation names a bucket of `stack`'s own template: `s3://` followed by a Ref of an
 * AWS::S3::Bucket of the template (Fn::Join with an empty delimiter, or Fn::Sub of `s3://${Bucket}`), then a key
 * prefix starting with `/` or nothing.
 */
function resultsInTemplateBucket(location: unknown, stack: AssemblyStack): boolean {
  const bucketOfTemplate = (id: unknown): boolean =>
    typeof id === 'string' && stack.template.Resources[id]?.Type === 'AWS::S3::Bucket';
  if (!isObject(location)) return false;
  const join = location['Fn::Join'];
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1])) {
    const [scheme, bucket, ...rest] = join[1] as unknown[];
    return (
      scheme === 's3://' &&
      isObject(bucket) &&
      Object.keys(bucket).length === 1 &&
      bucketOfTemplate(bucket.Ref) &&
      (rest.length === 0 || (rest.every((r) => typeof r === 'string') && (rest[0] as string).startsWith('/')))
    );
  }
  const sub = location['Fn::Sub'];
  const match = typeof sub === 'string' ? /^s3:\/\/\$\{([A-Za-z0-9]+)\}(\/.*)?$/s.exec(sub) : null;
  return match !== null && bucketOfTemplate(match[1]);
}

/**
 * U5 E2: the Athena workgroups of the assembly (the access-audit search the volume check queries) keep their query
 * results, which hold user and record ids, under the audit key in a bucket of their own template, and enforce that
 * configuration on every query (a client-side setting cannot send results elsewhere). Found by the attacker review
 * of 2026-12-03: results sent to another account's bucket with SSE-S3 passed.
 */
function workgroupFindings(stacks: readonly AssemblyStack[]): { at: StackResource; id: string; text: string }[] {
  const out: { at: StackResource; id: string; text: string }[] = [];
  for (const wg of assemblyResources(stacks, 'AWS::Athena::WorkGroup')) {
    const config = isObject(wg.resource.Properties?.WorkGroupConfiguration)
      ? wg.resource.Properties.WorkGroupConfiguration
      : {};
    const on = (id: string, text: string) => out.push({ at: wg, id: `WorkGroup::${id}`, text });
    if (cfnBoolean(config.EnforceWorkGroupConfiguration) !== true) {
      on('not-enforced', 'lets each query choose where its results go and how they are encrypted');
    }
    const results = isObject(config.ResultConfiguration) ? config.ResultConfiguration : {};
    const encryption = isObject(results.EncryptionConfiguration) ? results.EncryptionConfiguration : {};
    const domain = ['SSE_KMS', 'CSE_KMS'].includes(encryption.EncryptionOption as string)
      ? keyDomainOf(encryption.KmsKey, wg.stack, stacks)
      : 'none';
    if (domain !== 'audit') on(`results-encryption-${domain}`, 'does not encrypt its query results with the audit key');
    if (!resultsInTemplateBucket(results.OutputLocation, wg.stack)) {
      on('results-outside-template', 'writes its query results outside a bucket of its own template');
    }
  }
  return out;
}

/** Findings on the channel's bucket: lock, retention, versioning, the audit key, the tamper denies. */
function bucketFindings(bucket: StackResource, stacks: readonly AssemblyStack[]): [string, string][] {
  return lockedAuditBucketProblems(bucket, stacks, {
    marker: ACCESS_AUDIT_BUCKET_METADATA,
    holds: 'events',
    requiredDenies: REQUIRED_DENIES,
  });
}

/**
 * U5: every service (an ECS task definition's task role) has an access-audit channel and append-only rights on it.
 * Each task role may hold on Firehose exactly PutRecord/PutRecordBatch on named streams (no wildcard action or
 * stream) and nothing in S3 on the channel's bucket (no Resource "*"); each stream it appends to exists in the
 * assembly, is encrypted with the audit key (followed across stacks to the key's HipaaBlueprint::KeyDomain), and
 * delivers into a bucket with S3 Object Lock (COMPLIANCE, or GOVERNANCE where its marker allows it), a default
 * retention of at least 2192 days, versioning, SSE-KMS with the audit key and the tamper denies; and each stream has
 * alarms with an action on its IncomingRecords (the silence alarm) and its DeliveryToS3.DataFreshness; the bucket
 * replicates into the object-locked audit replica bucket of the replica region (archiveReplicationProblems, I2). When services
 * run, the per-user volume check is deployed: its function, an enabled schedule invoking it and an alarm on its
 * UsersOverThreshold (or MaxEventsPerUser) aggregate (D1).
 */
export const AccessAuditChannel: AssemblyRule = {
  name: NAME,
  presence: true,
  info: "A service's access-audit channel is missing or weakened: its task role may do more than append (PutRecord, PutRecordBatch on named streams) or touches the channel's bucket, or its stream is missing, not encrypted with the audit key, or delivers to a bucket without Object Lock, a 2192-day COMPLIANCE retention, versioning, the audit key, the tamper denies or its cross-region replication into the locked audit replica bucket, or has no silence or delivery alarm, or the per-user volume check (function querying a workgroup of the assembly, schedule, alarm) is missing, or an Athena workgroup does not enforce its configuration, encrypt its query results with the audit key or keep them in a bucket of its own template.",
  explanation:
    'Every access to PHI through an application is recorded in an append-only store the application cannot read, alter or delete, kept six years (164.312(b), 164.308(a)(1)(ii)(D), 164.316(b)(2)(i)).',
  safeguards: ['U5', 'I2'],
  hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.316(b)(2)(i)'],
  check(stacks: readonly AssemblyStack[], context?: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const streams = assemblyResources(stacks, 'AWS::KinesisFirehose::DeliveryStream');
    const checkedBuckets = new Set<string>();
    let evaluated = 0;
    for (const role of taskRoles(stacks)) {
      evaluated++;
      const on = (id: string, text: string) =>
        findings.push(finding(NAME, id, role.stack, role.logicalId, `Task role ${role.logicalId} ${text} (U5).`));
      const appended = new Set<string>();
      for (const s of allowStatementsOf(role)) {
        const actions = asList(s.Action).map(String);
        const resources = asList(s.Resource);
        if (s.NotAction !== undefined || s.NotResource !== undefined) {
          on(
            'TaskRole::not-action',
            'has an Allow with NotAction or NotResource, which may cover the access-audit channel',
          );
          continue;
        }
        for (const action of actions.filter((a) => touches(a, 'firehose'))) {
          if (!APPEND.has(action.toLowerCase())) {
            on(
              `TaskRole::firehose-beyond-append:${action}`,
              `may ${action} on Firehose: only PutRecord and PutRecordBatch`,
            );
          }
        }
        if (actions.some((a) => touches(a, 'firehose'))) {
          for (const r of resources) {
            const name = streamNameOf(r);
            if (name === undefined)
              on('TaskRole::stream-not-named', `has Firehose rights on ${JSON.stringify(r)}, not one named stream`);
            else if (actions.some((a) => APPEND.has(a.toLowerCase()))) appended.add(name);
          }
        }
        if (actions.some((a) => touches(a, 's3'))) {
          for (const r of resources) {
            const flat = flatten(r);
            const target = resolveValue(r, role.stack, stacks);
            const channelBucket =
              target.kind === 'resource' &&
              streams.some(
                (st) =>
                  JSON.stringify(st.resource.Properties?.ExtendedS3DestinationConfiguration ?? null).includes(
                    `"${target.target.logicalId}"`,
                  ) && st.stack === target.target.stack,
              );
            if (flat === '*' || /^arn:(?:<AWS::Partition>|[a-z-]+):s3:::\*/.test(flat ?? '') || channelBucket) {
              on(
                'TaskRole::bucket-access',
                `has S3 rights on ${flat ?? 'the access-audit bucket'}, which covers the access-audit bucket`,
              );
            }
          }
        }
      }
      if (appended.size === 0) on('TaskRole::no-append', 'may append to no access-audit stream');
      for (const name of appended) {
        const stream = streams.find((st) => st.resource.Properties?.DeliveryStreamName === name);
        if (stream === undefined) {
          on('Stream::missing', `appends to access-audit stream ${name}, which the assembly does not hold`);
          continue;
        }
        const onStream = (id: string, text: string) =>
          findings.push(finding(NAME, id, stream.stack, stream.logicalId, `Access-audit stream ${name} ${text} (U5).`));
        const enc = stream.resource.Properties?.DeliveryStreamEncryptionConfigurationInput;
        const keyDomain =
          isObject(enc) && enc.KeyType === 'CUSTOMER_MANAGED_CMK'
            ? keyDomainOf(enc.KeyARN, stream.stack, stacks)
            : 'none';
        if (keyDomain !== 'audit') onStream(`Stream::encryption-${keyDomain}`, 'is not encrypted with the audit key');
        for (const [expected, what] of [
          [firesOnSilence(name), 'silence'],
          [firesOnStaleDelivery(name), 'delivery'],
        ] as const) {
          const problem = streamAlarmProblem(stacks, expected, what);
          if (problem !== undefined) onStream(`Stream::${problem[0]}`, problem[1]);
        }
        const destination = stream.resource.Properties?.ExtendedS3DestinationConfiguration;
        const target = isObject(destination) ? resolveValue(destination.BucketARN, stream.stack, stacks) : undefined;
        if (target?.kind !== 'resource' || target.target.resource.Type !== 'AWS::S3::Bucket') {
          onStream('Stream::no-bucket', 'does not deliver into an S3 bucket of the assembly');
          continue;
        }
        const key = `${target.target.stack.stackName}/${target.target.logicalId}`;
        if (checkedBuckets.has(key)) continue;
        checkedBuckets.add(key);
        evaluated++;
        const problems: [string, string][] = [
          ...bucketFindings(target.target, stacks),
          ...archiveReplicationProblems(target.target, stacks).map(([id, text]): [string, string] => [
            `Replication::${id}`,
            `${text} (I2;`,
          ]),
        ];
        for (const [id, text] of problems) {
          findings.push(
            finding(
              NAME,
              `Bucket::${id}`,
              target.target.stack,
              target.target.logicalId,
              `The access-audit bucket ${text}${text.endsWith('(I2;') ? ' U5).' : ' (U5).'}`,
            ),
          );
        }
      }
    }
    const roles = taskRoles(stacks);
    if (roles.length > 0) {
      evaluated++;
      const anchor = roles[0];
      for (const [id, text] of volumeCheckFindings(
        stacks,
        context?.accessVolumeThreshold ?? MAX_EVENTS_PER_USER_TRIGGER,
      )) {
        findings.push(finding(NAME, id, anchor.stack, anchor.logicalId, `The assembly ${text} (U5, D1).`));
      }
    }
    evaluated += assemblyResources(stacks, 'AWS::Athena::WorkGroup').length;
    for (const { at, id, text } of workgroupFindings(stacks)) {
      findings.push(finding(NAME, id, at.stack, at.logicalId, `Athena workgroup ${at.logicalId} ${text} (U5, E2).`));
    }
    return { findings, evaluated };
  },
};
