import {
  FINDINGS_ARCHIVE_MAX_FRESHNESS_SECONDS,
  FINDINGS_ARCHIVE_METADATA,
  GUARDDUTY_FINDING_PATTERN,
  SECURITY_HUB_IMPORTED_PATTERN,
} from '../../../../constructs/findings-archive';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnNumber,
  eventRuleEnabled,
  flatten,
  isObject,
  Json,
  localAttribute,
  localTarget,
  resolveValue,
  resourceNamed,
  StackResource,
  templateDeclaration,
} from '../core/template-json';
import { AlarmExpectation, judgeAlarms, mutedText, QUIET_WITHOUT_DATA } from './alarm-facts';
import { archiveReplicationProblems } from './archive-replication';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { detectionDeclaration } from './detection-services-present';
import { lockedAuditBucketProblems } from './locked-audit-bucket';
import { keyDomainOf } from './phi-store-key-domain';

const NAME = 'FindingsArchivePresent';

/** Object actions the archive's bucket policy must deny to everyone, with no condition. */
const REQUIRED_DENIES = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  // In place under another key (then disabled or deleted): lost as surely as deleted.
  's3:UpdateObjectEncryption',
];

/**
 * The bucket a value names: a bucket resource of the assembly (through Ref, GetAtt, stack outputs), its ARN or the ARN
 * with a folder (`<bucket ARN>/<folder>/`), or undefined. Also the flow logs' S3 destination (VpcFlowLogsComplete).
 */
export function bucketOf(
  value: unknown,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
): StackResource | undefined {
  // A publishing destination's ARN is the bucket's ARN, or `<bucket ARN>/<folder>/` (Fn::Join; see folderOf).
  let v = value;
  if (folderOf(v) !== undefined) v = asList((v as { 'Fn::Join': unknown[] })['Fn::Join'][1])[0];
  const resolved = resolveValue(v, from, stacks);
  return resolved.kind === 'resource' && resolved.target.resource.Type === 'AWS::S3::Bucket'
    ? resolved.target
    : undefined;
}

/** The folder of a destination ARN written `<bucket ARN>/<folder>/` (Fn::Join of the ARN and the folder), if any. */
function folderOf(value: unknown): string | undefined {
  if (!isObject(value) || !Array.isArray(value['Fn::Join']) || value['Fn::Join'][0] !== '') return undefined;
  const parts = asList(value['Fn::Join'][1]);
  const rest = parts.slice(1);
  return parts.length >= 2 && rest.every((p) => typeof p === 'string' && p.startsWith('/')) ? rest.join('') : undefined;
}

/** What is wrong with an archive bucket: lock, mode, retention, versioning, the audit key, the tamper denies. */
function bucketProblems(bucket: StackResource, stacks: readonly AssemblyStack[]): [string, string][] {
  return lockedAuditBucketProblems(bucket, stacks, {
    marker: FINDINGS_ARCHIVE_METADATA,
    holds: 'findings',
    requiredDenies: REQUIRED_DENIES,
  });
}

/** Whether a bucket is a findings archive (its marker) with none of bucketProblems: locked, denied, under its key. */
export function isLockedFindingsArchive(bucket: StackResource, stacks: readonly AssemblyStack[]): boolean {
  return bucketProblems(bucket, stacks).length === 0;
}

/** Longest period over which an archive alarm may evaluate its metric (seconds). */
const MAX_ALARM_PERIOD_SECONDS = 300;
/** Longest wait from the first bad datapoint to the alarm: three periods (15 minutes), not a day of them. */
const MAX_TIME_TO_ALARM_SECONDS = 3 * MAX_ALARM_PERIOD_SECONDS;
/** Firehose's buffering interval for S3 when a stream sets none (seconds). */
const DEFAULT_BUFFER_INTERVAL_SECONDS = 300;

/**
 * Failed invocations and dead letters: `statistic` of the metric with exactly `dimensions`, over at most 5 minutes,
 * firing on the first one (> 0 or >= 1) within 15 minutes, quiet at 0, missing data not breaching, an action, actions
 * enabled.
 */
const firesOnFirst = (
  namespace: string,
  name: string,
  statistic: string,
  dimensions: Readonly<Record<string, string | ((value: unknown) => boolean)>>,
): AlarmExpectation => ({
  metric: { namespace, name, dimensions },
  statistics: [statistic],
  maxPeriodSeconds: MAX_ALARM_PERIOD_SECONDS,
  maxTimeToAlarmSeconds: MAX_TIME_TO_ALARM_SECONDS,
  trigger: { atLeast: 1 },
  quietAt: 0,
  missingData: QUIET_WITHOUT_DATA,
});

/**
 * Freshness of a stream (its properties `p`): the oldest record's age, Maximum over at most 5 minutes, above at most
 * 30 minutes within 15 minutes, not at the stream's buffering interval (every record waits that long: an alarm there
 * stays in ALARM), missing data (nothing delivered) not breaching, an action, actions enabled.
 */
function freshnessOf(p: Json): AlarmExpectation {
  const destination = isObject(p.ExtendedS3DestinationConfiguration) ? p.ExtendedS3DestinationConfiguration : {};
  const hints = isObject(destination.BufferingHints) ? destination.BufferingHints : {};
  const interval = cfnNumber(hints.IntervalInSeconds);
  const name = p.DeliveryStreamName;
  return {
    metric: {
      namespace: 'AWS/Firehose',
      name: 'DeliveryToS3.DataFreshness',
      dimensions: { DeliveryStreamName: (v) => typeof name === 'string' && v === name },
    },
    statistics: ['Maximum'],
    maxPeriodSeconds: MAX_ALARM_PERIOD_SECONDS,
    maxTimeToAlarmSeconds: MAX_TIME_TO_ALARM_SECONDS,
    trigger: { above: FINDINGS_ARCHIVE_MAX_FRESHNESS_SECONDS },
    quietAt: interval ?? DEFAULT_BUFFER_INTERVAL_SECONDS,
    missingData: QUIET_WITHOUT_DATA,
  };
}

/**
 * The alarm of one watched metric among `alarms` (lib/compliance/gate/assembly/alarm-facts.ts): 'none' when no alarm
 * reads it, the muted alarm closest to firing and why when none fires as `expected`, undefined when one does.
 */
function alarmWatch(alarms: readonly StackResource[], expected: AlarmExpectation): 'none' | string | undefined {
  const verdict = judgeAlarms(alarms, expected);
  if (verdict.watching.length === 0) return 'none';
  return verdict.firing.length > 0 ? undefined : mutedText(verdict);
}

/**
 * Whether a role's trust admits `service` only with an aws:SourceArn that names `arnPart` (e.g. `:rule/<name>`): every
 * Allow statement for the service carries the condition, and no statement admits it without.
 */
function trustPinsSourceArn(role: StackResource | undefined, service: string, arnPart: string): boolean {
  if (role === undefined || role.resource.Type !== 'AWS::IAM::Role') return false;
  const doc = role.resource.Properties?.AssumeRolePolicyDocument;
  const statements = isObject(doc) ? asList(doc.Statement).filter(isObject) : [];
  const forService = statements.filter(
    (st) => st.Effect === 'Allow' && isObject(st.Principal) && asList(st.Principal.Service).includes(service),
  );
  if (forService.length === 0) return false;
  return forService.every((st) => {
    const condition = isObject(st.Condition) ? st.Condition : {};
    return ['ArnEquals', 'StringEquals'].some((op) => {
      const values = isObject(condition[op]) ? asList(condition[op]['aws:SourceArn']) : [];
      return (
        values.length > 0 &&
        values.every((v) => !(flatten(v) ?? JSON.stringify(v)).includes('*')) &&
        values.some((v) => (flatten(v) ?? JSON.stringify(v)).includes(arnPart))
      );
    });
  });
}

/** An enabled rule of the default bus whose pattern has exactly `keys` (sorted) and passes `matches`. */
function enabledDefaultBusRule(rule: StackResource, matches: (pattern: Json, keys: string[]) => boolean): boolean {
  const p = rule.resource.Properties ?? {};
  if (!eventRuleEnabled(p.State)) return false;
  if (p.EventBusName !== undefined && p.EventBusName !== 'default') return false;
  const pattern = p.EventPattern;
  return isObject(pattern) && matches(pattern, Object.keys(pattern).sort());
}

const same = (a: unknown, b: readonly string[]) => JSON.stringify(a) === JSON.stringify(b);

/** An enabled rule matching every imported Security Hub finding (source and detail-type only, nothing narrower). */
function exportsEverySecurityHubFinding(rule: StackResource): boolean {
  return enabledDefaultBusRule(
    rule,
    (pattern, keys) =>
      same(keys, ['detail-type', 'source']) &&
      same(pattern.source, SECURITY_HUB_IMPORTED_PATTERN.source) &&
      same(pattern['detail-type'], SECURITY_HUB_IMPORTED_PATTERN.detailType),
  );
}

/** An enabled rule matching every GuardDuty finding of `region` (any severity: no detail filter). */
function exportsEveryGuardDutyFindingOf(region: string): (rule: StackResource) => boolean {
  return (rule) =>
    enabledDefaultBusRule(
      rule,
      (pattern, keys) =>
        (same(keys, ['detail-type', 'region', 'source']) || same(keys, ['region', 'source'])) &&
        same(pattern.source, GUARDDUTY_FINDING_PATTERN.source) &&
        (pattern['detail-type'] === undefined || same(pattern['detail-type'], GUARDDUTY_FINDING_PATTERN.detailType)) &&
        asList(pattern.region).includes(region),
    );
}

/** The replica region whose GuardDuty findings must be archived: a stack declaring `replicaDetection` runs a detector. */
function replicaGuardDutyRegion(
  stacks: readonly AssemblyStack[],
): { region: string; stack: AssemblyStack } | undefined {
  for (const stack of stacks) {
    const declared = templateDeclaration(stack.template)?.replicaDetection;
    if (!isObject(declared) || typeof declared.region !== 'string') continue;
    if (assemblyResources([stack], 'AWS::GuardDuty::Detector').length > 0) return { region: declared.region, stack };
  }
  return undefined;
}

/** One export: an archive rule and its Firehose target. */
interface Export {
  readonly rule: StackResource;
  readonly target: Json;
  readonly stream: StackResource;
}

/** The Firehose targets of the rules passing `matches`. */
function exportsOf(stacks: readonly AssemblyStack[], matches: (rule: StackResource) => boolean): Export[] {
  return assemblyResources(stacks, 'AWS::Events::Rule')
    .filter(matches)
    .flatMap((rule) =>
      asList(rule.resource.Properties?.Targets)
        .filter(isObject)
        .flatMap((target) => {
          const stream = resourceNamed(target.Arn, rule.stack, stacks);
          return stream?.resource.Type === 'AWS::KinesisFirehose::DeliveryStream' ? [{ rule, target, stream }] : [];
        }),
    );
}

/** What is wrong with one export's rule and target: name, dead-letter queue and its alarm, retries, role trust, alarm. */
function exportProblems(e: Export, stacks: readonly AssemblyStack[]): [string, string][] {
  const out: [string, string][] = [];
  const name = e.rule.resource.Properties?.Name;
  if (typeof name !== 'string') {
    out.push(['rule-unnamed', 'has no fixed name (its role, queue and key cannot pin its ARN)']);
  }
  const queue = isObject(e.target.DeadLetterConfig)
    ? resourceNamed(e.target.DeadLetterConfig.Arn, e.rule.stack, stacks)
    : undefined;
  if (queue?.resource.Type !== 'AWS::SQS::Queue') {
    out.push([
      'no-dead-letter-queue',
      'has no SQS dead-letter queue of the assembly: findings it cannot deliver are lost',
    ]);
  } else {
    const domain = keyDomainOf(queue.resource.Properties?.KmsMasterKeyId, queue.stack, stacks);
    if (domain !== 'audit')
      out.push([`dead-letter-key-${domain}`, 'dead-letters into a queue not encrypted with the audit key']);
    const depth = alarmWatch(
      assemblyResources([queue.stack], 'AWS::CloudWatch::Alarm'),
      firesOnFirst('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', {
        QueueName: (v) => localTarget(v) === queue.logicalId && localAttribute(v) === 'QueueName',
      }),
    );
    if (depth === 'none')
      out.push([
        'no-dead-letter-alarm',
        'has no alarm on its dead-letter queue depth (ApproximateNumberOfMessagesVisible)',
      ]);
    else if (depth !== undefined)
      out.push(['dead-letter-alarm-cannot-fire', `has a dead-letter queue depth alarm that cannot fire: ${depth}`]);
  }
  if (!isObject(e.target.RetryPolicy)) out.push(['no-retry-policy', 'has no retry policy']);
  const role = resourceNamed(e.target.RoleArn, e.rule.stack, stacks);
  if (typeof name === 'string' && !trustPinsSourceArn(role, 'events.amazonaws.com', `:rule/${name}`)) {
    out.push([
      'role-trust-without-source-arn',
      `puts findings through a role whose trust does not pin events.amazonaws.com to aws:SourceArn = this rule (rule/${name})`,
    ]);
  }
  if (typeof name === 'string') {
    const failed = alarmWatch(
      assemblyResources(stacks, 'AWS::CloudWatch::Alarm'),
      firesOnFirst('AWS/Events', 'FailedInvocations', 'Sum', { RuleName: name }),
    );
    if (failed === 'none') out.push(['no-export-alarm', 'has no alarm on its FailedInvocations']);
    else if (failed !== undefined)
      out.push(['export-alarm-cannot-fire', `has a FailedInvocations alarm that cannot fire: ${failed}`]);
  }
  return out;
}

/**
 * D2 (164.316(b)(2)(i)): findings outlive GuardDuty's and Security Hub's 90 days. Unless the templates declare the
 * findings archive off (detection.findingsArchive false, with who archives instead in providedBy):
 * - with GuardDuty on, an S3 publishing destination of the detector into an archive bucket, encrypted with the audit
 *   key;
 * - an enabled EventBridge rule of the default bus matching every `Security Hub Findings - Imported` event (no
 *   narrower pattern) whose target is a Firehose stream of the assembly; and, when a stack declaring `replicaDetection`
 *   runs a GuardDuty detector, an enabled rule matching every GuardDuty finding (any severity) of that region (the
 *   findings it forwards) whose target is a Firehose stream of the assembly;
 * - each such rule: a fixed name; its target dead-letters into an SQS queue under the audit key whose depth alarm
 *   can fire, has a retry policy, and puts through a role whose trust pins events.amazonaws.com to aws:SourceArn =
 *   this rule's ARN (no wildcard); an alarm on its FailedInvocations that can fire (Sum, <= 5 minutes, > 0 or >= 1,
 *   not at 0);
 * - each such stream: encrypted with the audit key, delivering into an archive bucket under a date prefix with an
 *   error prefix, one record a line (AppendDelimiterToRecord), logging errors to a log group under the audit key,
 *   through a role whose trust pins firehose.amazonaws.com to aws:SourceArn = this stream's ARN, with an alarm on its
 *   DeliveryToS3.DataFreshness that can fire (Maximum, <= 5 minutes, above at most 30 minutes, not at the stream's
 *   buffering interval);
 * - every alarm above, judged by alarm-facts.ts: exactly its metric's dimensions, no Unit, at most 15 minutes from the
 *   first bad datapoint to the alarm, missing data not breaching (notBreaching or missing), actions enabled (not false
 *   nor "false"), an alarm action;
 * - every archive bucket (a destination's or the stream's): S3 Object Lock with a default retention of at least 2192
 *   days in COMPLIANCE mode (GOVERNANCE only where its marker allows it), versioned, SSE-KMS with the audit key, and a
 *   bucket policy denying to everyone object deletes and lock weakening; and replicated into the object-locked audit
 *   replica bucket of the replica region (archiveReplicationProblems: every SSE-KMS object, no delete markers, a named
 *   role, replicas under the audit replica key, the replica locked >= 2192 days and writable only by that role) (I2).
 */
export const FindingsArchivePresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'The six-year findings archive is missing or weakened: no GuardDuty publishing destination into it, no export of every imported Security Hub finding (and of every GuardDuty finding the replica region forwards) into it through a named rule with a dead-letter queue, retries and a source-pinned role into an audit-key Firehose stream with error logging, a record delimiter and a source-pinned role, an alarm that cannot fire on its freshness, failures or dead letters, or its bucket lacks Object Lock (COMPLIANCE, >= 2192 days), versioning, the audit key, the tamper denies or its cross-region replication into the locked audit replica bucket.',
  explanation:
    'Security findings are audit evidence (164.308(a)(1)(ii)(D), 164.312(b)) and documentation kept six years (164.316(b)(2)(i)); GuardDuty and Security Hub keep findings 90 days, so they are exported into an object-locked archive nobody can shorten or delete.',
  safeguards: ['D2', 'I2'],
  hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)', '164.316(b)(2)(i)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    const declared = detectionDeclaration(stacks);
    const where = declared?.stack ?? stacks[0]!;
    const detection = templateDeclaration(where.template)?.detection;
    const add = (id: string, description: string, at: StackResource | undefined = undefined) =>
      findings.push(finding(NAME, id, at?.stack ?? where, at?.logicalId, description));
    if (isObject(detection) && detection.findingsArchive === false) {
      if (declared?.providedBy === undefined) {
        add(
          'FindingsArchive::off-no-provider',
          'The findings archive is switched off but the templates name no one who archives findings (detection.providedBy) (D2)',
        );
      }
      return { findings, evaluated: 1 };
    }
    let evaluated = 1;
    const archives = new Map<string, StackResource>();
    const archive = (bucket: StackResource) => archives.set(`${bucket.stack.stackName}/${bucket.logicalId}`, bucket);

    // GuardDuty's publishing destination.
    if (declared?.services.guardDuty !== false) {
      const detector = assemblyResources(stacks, 'AWS::GuardDuty::Detector')[0];
      const destinations = assemblyResources(stacks, 'AWS::GuardDuty::PublishingDestination').filter(
        (d) =>
          d.resource.Properties?.DestinationType === 'S3' &&
          (detector === undefined ||
            (d.stack === detector.stack && localTarget(d.resource.Properties?.DetectorId) === detector.logicalId)),
      );
      if (destinations.length === 0) {
        add(
          'GuardDuty::no-publishing-destination',
          'GuardDuty is on but its detector exports no findings to an S3 publishing destination: findings last 90 days (D2)',
          detector,
        );
      }
      for (const d of destinations) {
        evaluated++;
        const props = isObject(d.resource.Properties?.DestinationProperties)
          ? d.resource.Properties.DestinationProperties
          : {};
        const bucket = bucketOf(props.DestinationArn, d.stack, stacks);
        if (bucket === undefined) {
          add(
            'GuardDuty::destination-outside-assembly',
            `GuardDuty publishing destination ${d.logicalId} does not export into a bucket of the assembly (D2)`,
            d,
          );
        } else archive(bucket);
        const folder = folderOf(props.DestinationArn);
        if (folder !== undefined) {
          // GuardDuty refuses a destination folder that does not exist as an object, and the archive denies every
          // write but GuardDuty's and the delivery role's: the destination could never be created.
          add(
            'GuardDuty::destination-folder',
            `GuardDuty publishing destination ${d.logicalId} exports into the folder '${folder}' of the archive: GuardDuty requires the folder object to exist and the archive lets nobody create it; export to the bucket itself (GuardDuty writes under AWSLogs/<account>/GuardDuty/) (D2)`,
            d,
          );
        }
        const domain = keyDomainOf(props.KmsKeyArn, d.stack, stacks);
        if (domain !== 'audit') {
          add(
            `GuardDuty::destination-key-${domain}`,
            `GuardDuty publishing destination ${d.logicalId} does not encrypt findings with the audit key (D2)`,
            d,
          );
        }
      }
    }

    // Security Hub findings (this region's and the replica region's, forwarded): EventBridge -> Firehose -> the archive.
    evaluated++;
    const securityHub = exportsOf(stacks, exportsEverySecurityHubFinding);
    if (securityHub.length === 0) {
      add(
        'SecurityHub::no-export',
        'No enabled EventBridge rule puts every imported Security Hub finding into a Firehose stream of the assembly: findings last 90 days (D2)',
      );
    }
    // The replica region's GuardDuty findings, forwarded to this region's bus (its publishing destination would need
    // a key ARN across regions): a rule on every GuardDuty finding of that region into a stream of the archive.
    const exports = [...securityHub];
    const replica = declared?.services.guardDuty !== false ? replicaGuardDutyRegion(stacks) : undefined;
    if (replica !== undefined) {
      evaluated++;
      const forwarded = exportsOf(stacks, exportsEveryGuardDutyFindingOf(replica.region));
      if (forwarded.length === 0) {
        add(
          'GuardDuty::forwarded-not-archived',
          `GuardDuty runs in the replica region ${replica.region} but no enabled EventBridge rule puts every GuardDuty finding forwarded from it (source aws.guardduty, region ${replica.region}, any severity) into a Firehose stream of the assembly: its findings last 90 days (D2)`,
        );
      }
      exports.push(...forwarded);
    }
    for (const e of exports) {
      evaluated++;
      for (const [id, text] of exportProblems(e, stacks)) {
        add(`Export::${id}`, `Findings archive rule ${e.rule.logicalId} ${text} (D2)`, e.rule);
      }
    }

    const streams = new Map(exports.map((e) => [`${e.stream.stack.stackName}/${e.stream.logicalId}`, e.stream]));
    for (const stream of streams.values()) {
      evaluated++;
      const p: Json = stream.resource.Properties ?? {};
      const onStream = (id: string, text: string) =>
        add(`Stream::${id}`, `Findings archive stream ${stream.logicalId} ${text} (D2)`, stream);
      const enc = p.DeliveryStreamEncryptionConfigurationInput;
      const domain =
        isObject(enc) && enc.KeyType === 'CUSTOMER_MANAGED_CMK'
          ? keyDomainOf(enc.KeyARN, stream.stack, stacks)
          : 'none';
      if (domain !== 'audit') onStream(`encryption-${domain}`, 'is not encrypted with the audit key');
      const freshness = alarmWatch(assemblyResources(stacks, 'AWS::CloudWatch::Alarm'), freshnessOf(p));
      if (freshness === 'none') {
        onStream('no-delivery-alarm', 'has no alarm (with an action) on its DeliveryToS3.DataFreshness');
      } else if (freshness !== undefined) {
        onStream('delivery-alarm-cannot-fire', `has a DeliveryToS3.DataFreshness alarm that cannot fire: ${freshness}`);
      }
      const destination = isObject(p.ExtendedS3DestinationConfiguration) ? p.ExtendedS3DestinationConfiguration : {};
      if (typeof destination.Prefix !== 'string' || !destination.Prefix.includes('!{timestamp:')) {
        onStream('no-date-prefix', 'does not write findings under a date prefix');
      }
      if (typeof destination.ErrorOutputPrefix !== 'string' || destination.ErrorOutputPrefix === '') {
        onStream('no-error-prefix', 'has no error output prefix');
      }
      const processing = isObject(destination.ProcessingConfiguration) ? destination.ProcessingConfiguration : {};
      const delimited =
        processing.Enabled === true &&
        asList(processing.Processors).some((pr) => isObject(pr) && pr.Type === 'AppendDelimiterToRecord');
      if (!delimited) {
        onStream(
          'no-record-delimiter',
          'concatenates findings without a delimiter (AppendDelimiterToRecord processor)',
        );
      }
      const logging = isObject(destination.CloudWatchLoggingOptions) ? destination.CloudWatchLoggingOptions : {};
      const logGroup = logging.Enabled === true ? resourceNamed(logging.LogGroupName, stream.stack, stacks) : undefined;
      if (logGroup?.resource.Type !== 'AWS::Logs::LogGroup' || typeof logging.LogStreamName === 'undefined') {
        onStream(
          'no-error-logging',
          'does not log delivery errors to a log group of the assembly (CloudWatchLoggingOptions)',
        );
      } else {
        const logDomain = keyDomainOf(logGroup.resource.Properties?.KmsKeyId, logGroup.stack, stacks);
        if (logDomain !== 'audit')
          onStream(
            `log-group-key-${logDomain}`,
            'logs delivery errors to a log group not encrypted with the audit key',
          );
      }
      const name = p.DeliveryStreamName;
      const role = resourceNamed(destination.RoleARN, stream.stack, stacks);
      if (typeof name !== 'string' || !trustPinsSourceArn(role, 'firehose.amazonaws.com', `:deliverystream/${name}`)) {
        onStream(
          'role-trust-without-source-arn',
          `delivers through a role whose trust does not pin firehose.amazonaws.com to aws:SourceArn = this stream (deliverystream/${String(name)})`,
        );
      }
      const bucket = bucketOf(destination.BucketARN, stream.stack, stacks);
      if (bucket === undefined) onStream('no-bucket', 'does not deliver into an S3 bucket of the assembly');
      else archive(bucket);
    }

    for (const bucket of archives.values()) {
      evaluated++;
      for (const [id, text] of bucketProblems(bucket, stacks)) {
        add(`Bucket::${id}`, `The findings archive bucket ${bucket.logicalId} ${text} (D2)`, bucket);
      }
      for (const [id, text] of archiveReplicationProblems(bucket, stacks)) {
        add(`Replication::${id}`, `The findings archive bucket ${bucket.logicalId} ${text} (D2, I2)`, bucket);
      }
    }
    return { findings, evaluated };
  },
};
