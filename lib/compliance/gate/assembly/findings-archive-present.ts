import { FINDINGS_ARCHIVE_METADATA, SECURITY_HUB_IMPORTED_PATTERN } from '../../../../constructs/findings-archive';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  isObject,
  Json,
  localTarget,
  resolveValue,
  StackResource,
  templateDeclaration,
} from '../core/template-json';
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
];

/** The bucket a value names: a bucket resource of the assembly (through Ref, GetAtt, stack outputs), or undefined. */
function bucketOf(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource | undefined {
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

/** Whether an enabled alarm with an action watches the stream's DeliveryToS3.DataFreshness. */
function deliveryAlarmed(stacks: readonly AssemblyStack[], streamName: unknown): boolean {
  return assemblyResources(stacks, 'AWS::CloudWatch::Alarm').some((a) => {
    const p = a.resource.Properties ?? {};
    if (asList(p.AlarmActions).length === 0 || p.ActionsEnabled === false) return false;
    return (
      p.Namespace === 'AWS/Firehose' &&
      p.MetricName === 'DeliveryToS3.DataFreshness' &&
      asList(p.Dimensions).some((d) => isObject(d) && d.Name === 'DeliveryStreamName' && d.Value === streamName)
    );
  });
}

/** An enabled rule matching every imported Security Hub finding (source and detail-type only, nothing narrower). */
function exportsEverySecurityHubFinding(rule: StackResource): boolean {
  const p = rule.resource.Properties ?? {};
  if (p.State !== undefined && p.State !== 'ENABLED') return false;
  if (p.EventBusName !== undefined && p.EventBusName !== 'default') return false;
  const pattern = p.EventPattern;
  if (!isObject(pattern)) return false;
  const keys = Object.keys(pattern).sort();
  return (
    JSON.stringify(keys) === JSON.stringify(['detail-type', 'source']) &&
    JSON.stringify(pattern.source) === JSON.stringify(SECURITY_HUB_IMPORTED_PATTERN.source) &&
    JSON.stringify(pattern['detail-type']) === JSON.stringify(SECURITY_HUB_IMPORTED_PATTERN.detailType)
  );
}

/**
 * D2 (164.316(b)(2)(i)): findings outlive GuardDuty's and Security Hub's 90 days. Unless the templates declare the
 * findings archive off (detection.findingsArchive false, with who archives instead in providedBy):
 * - with GuardDuty on, an S3 publishing destination of the detector into an archive bucket, encrypted with the audit
 *   key;
 * - an enabled EventBridge rule of the default bus matching every `Security Hub Findings - Imported` event (no
 *   narrower pattern) whose target is a Firehose stream of the assembly, encrypted with the audit key, delivering
 *   into an archive bucket under a date prefix with an error prefix, with an alarm (with an action) on its
 *   DeliveryToS3.DataFreshness;
 * - every archive bucket (a destination's or the stream's): S3 Object Lock with a default retention of at least 2192
 *   days in COMPLIANCE mode (GOVERNANCE only where its marker allows it), versioned, SSE-KMS with the audit key, and a
 *   bucket policy denying to everyone object deletes and lock weakening; and replicated into the object-locked audit
 *   replica bucket of the replica region (archiveReplicationProblems: every SSE-KMS object, no delete markers, a named
 *   role, replicas under the audit replica key, the replica locked >= 2192 days and writable only by that role) (I2).
 */
export const FindingsArchivePresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'The six-year findings archive is missing or weakened: no GuardDuty publishing destination into it, no export of every imported Security Hub finding into it through an audit-key Firehose stream with a delivery alarm, or its bucket lacks Object Lock (COMPLIANCE, >= 2192 days), versioning, the audit key, the tamper denies or its cross-region replication into the locked audit replica bucket.',
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

    // Security Hub findings: EventBridge -> Firehose -> the archive.
    evaluated++;
    const exported = assemblyResources(stacks, 'AWS::Events::Rule')
      .filter(exportsEverySecurityHubFinding)
      .flatMap((rule) =>
        asList(rule.resource.Properties?.Targets)
          .filter(isObject)
          .map((t) => resolveValue(t.Arn, rule.stack, stacks))
          .filter((r) => r.kind === 'resource' && r.target.resource.Type === 'AWS::KinesisFirehose::DeliveryStream')
          .map((r) => (r as { target: StackResource }).target),
      );
    if (exported.length === 0) {
      add(
        'SecurityHub::no-export',
        'No enabled EventBridge rule puts every imported Security Hub finding into a Firehose stream of the assembly: findings last 90 days (D2)',
      );
    }
    for (const stream of exported) {
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
      if (!deliveryAlarmed(stacks, p.DeliveryStreamName)) {
        onStream('no-delivery-alarm', 'has no alarm (with an action) on its DeliveryToS3.DataFreshness');
      }
      const destination = isObject(p.ExtendedS3DestinationConfiguration) ? p.ExtendedS3DestinationConfiguration : {};
      if (typeof destination.Prefix !== 'string' || !destination.Prefix.includes('!{timestamp:')) {
        onStream('no-date-prefix', 'does not write findings under a date prefix');
      }
      if (typeof destination.ErrorOutputPrefix !== 'string' || destination.ErrorOutputPrefix === '') {
        onStream('no-error-prefix', 'has no error output prefix');
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
