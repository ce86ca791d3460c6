import { HIPAA_MIN_RETENTION_DAYS } from '../../../../constructs/core/retention';
import {
  asList,
  AssemblyStack,
  cfnBoolean,
  cfnNumber,
  isObject,
  metadataOf,
  StackResource,
} from '../core/template-json';
import { deniesToEveryone, PolicyStatementJson, unconditional } from '../rules/policy-statements';
import { keyDomainOf } from './phi-store-key-domain';

/** What lockedAuditBucketProblems reads of the bucket's kind. */
export interface LockedAuditBucketKind {
  /** The template metadata key of the bucket's marker (its `governanceAllowed` lets GOVERNANCE pass outside prod). */
  readonly marker: string;
  /** What the bucket keeps, for the messages ('events', 'findings'). */
  readonly holds: string;
  /** The actions the bucket policy must deny to everyone, unconditionally. */
  readonly requiredDenies: readonly string[];
}

/**
 * `[id, problem]` for an object-locked audit store of the assembly (the access-audit bucket, the findings archive):
 * S3 Object Lock with a default retention in COMPLIANCE mode (GOVERNANCE only where its marker allows it) of at least
 * six years, versioning, SSE-KMS with the audit key, and a bucket policy denying `requiredDenies` to everyone.
 */
export function lockedAuditBucketProblems(
  bucket: StackResource,
  stacks: readonly AssemblyStack[],
  kind: LockedAuditBucketKind,
): [string, string][] {
  const p = bucket.resource.Properties ?? {};
  const out: [string, string][] = [];
  if (cfnBoolean(p.ObjectLockEnabled) !== true) out.push(['ObjectLockEnabled::false', 'has no S3 Object Lock']);
  const lock = isObject(p.ObjectLockConfiguration) ? p.ObjectLockConfiguration : {};
  const retention =
    isObject(lock.Rule) && isObject(lock.Rule.DefaultRetention) ? lock.Rule.DefaultRetention : undefined;
  if (lock.ObjectLockEnabled !== 'Enabled' || retention === undefined) {
    out.push(['DefaultRetention::none', 'has no Object Lock default retention']);
  } else {
    const marker = metadataOf(bucket.resource, kind.marker);
    const governanceAllowed = isObject(marker) && marker.governanceAllowed === true;
    if (retention.Mode !== 'COMPLIANCE' && !(retention.Mode === 'GOVERNANCE' && governanceAllowed)) {
      out.push([`DefaultRetention.Mode::${String(retention.Mode)}`, 'is not locked in COMPLIANCE mode']);
    }
    // "2192" is 2192 to CloudFormation (cfnNumber); an intrinsic only deploy resolves is not long enough.
    const days = cfnNumber(retention.Days);
    const years = cfnNumber(retention.Years);
    const longEnough = (days !== undefined && days >= HIPAA_MIN_RETENTION_DAYS) || (years !== undefined && years >= 6);
    if (!longEnough) {
      out.push([
        `DefaultRetention::${days !== undefined ? `${days}d` : years !== undefined ? `${years}y` : 'unresolved'}`,
        `keeps ${kind.holds} less than ${HIPAA_MIN_RETENTION_DAYS} days`,
      ]);
    }
  }
  const versioning = isObject(p.VersioningConfiguration) ? p.VersioningConfiguration.Status : undefined;
  if (versioning !== 'Enabled') out.push(['Versioning::not-Enabled', 'is not versioned']);
  const sse = asList(isObject(p.BucketEncryption) ? p.BucketEncryption.ServerSideEncryptionConfiguration : undefined)
    .filter(isObject)
    .map((r) => (isObject(r.ServerSideEncryptionByDefault) ? r.ServerSideEncryptionByDefault : {}))[0];
  const domain = sse?.SSEAlgorithm === 'aws:kms' ? keyDomainOf(sse.KMSMasterKeyID, bucket.stack, stacks) : 'none';
  if (domain !== 'audit') out.push([`Encryption::${domain}`, 'is not encrypted with the audit key']);
  const ref = JSON.stringify({ Ref: bucket.logicalId });
  const statements = Object.values(bucket.stack.template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties?.Bucket) === ref)
    .flatMap((r) => asList(isObject(r.Properties?.PolicyDocument) ? r.Properties.PolicyDocument.Statement : undefined))
    .filter(isObject) as PolicyStatementJson[];
  // Each denied to everyone, with no condition, on every object of this bucket (not a prefix, not another resource).
  const missing = kind.requiredDenies.filter(
    (a) => !deniesToEveryone(statements, [a], 'objects', unconditional, bucket.logicalId),
  );
  if (missing.length > 0) {
    out.push([`TamperDenies::${missing.join(',')}`, `does not deny ${missing.join(', ')} to everyone`]);
  }
  return out;
}
