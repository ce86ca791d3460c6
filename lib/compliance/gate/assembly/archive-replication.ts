import { AUDIT_ARCHIVE_METADATA } from '../../../../constructs/core/markers';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../constructs/core/retention';
import {
  asList,
  cfnBoolean,
  cfnNumber,
  assemblyResources,
  AssemblyStack,
  flatten,
  isObject,
  Json,
  localAttribute,
  localTarget,
  metadataOf,
  StackResource,
} from '../core/template-json';
import { deniesToEveryone, PolicyStatementJson, unconditional } from '../rules/policy-statements';
import { destinationName, keyDomainOf, replicaKeyDomain } from './phi-store-key-domain';

/** Object deletes and lock weakening the replica's bucket policy must deny to everyone, with no condition. */
const REPLICA_REQUIRED_DENIES = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:BypassGovernanceRetention',
  // In place under another key (then disabled or deleted): lost as surely as deleted.
  's3:UpdateObjectEncryption',
];

/** Writes nobody may make directly in the replica (only S3 replication writes there). */
const REPLICA_DIRECT_WRITES = ['s3:PutObject', 's3:ReplicateDelete'];

/** The Deny statements of the bucket policies of `bucket` (in its own stack). */
function denyStatements(bucket: StackResource): Json[] {
  return Object.values(bucket.stack.template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy' && localTarget(r.Properties?.Bucket) === bucket.logicalId)
    .flatMap((r) => asList(isObject(r.Properties?.PolicyDocument) ? r.Properties.PolicyDocument.Statement : undefined))
    .filter(isObject)
    .filter(
      (s) =>
        s.Effect === 'Deny' &&
        (s.Principal === '*' || (isObject(s.Principal) && asList(s.Principal.AWS).includes('*'))),
    );
}

/** The replica bucket's problems: lock (COMPLIANCE unless its marker allows GOVERNANCE, >= 2192 days), key, denies. */
function replicaProblems(replica: StackResource, roleArnSuffix: string | undefined, stacks: readonly AssemblyStack[]) {
  const out: [string, string][] = [];
  const p = replica.resource.Properties ?? {};
  const lock = isObject(p.ObjectLockConfiguration) ? p.ObjectLockConfiguration : {};
  const retention =
    isObject(lock.Rule) && isObject(lock.Rule.DefaultRetention) ? lock.Rule.DefaultRetention : undefined;
  const marker = metadataOf(replica.resource, AUDIT_ARCHIVE_METADATA);
  const governanceAllowed = isObject(marker) && marker.governanceAllowed === true;
  if (cfnBoolean(p.ObjectLockEnabled) !== true || lock.ObjectLockEnabled !== 'Enabled' || retention === undefined) {
    out.push([
      'replica-not-locked',
      `replicates into ${replica.logicalId}, which has no Object Lock default retention`,
    ]);
  } else {
    if (retention.Mode !== 'COMPLIANCE' && !(retention.Mode === 'GOVERNANCE' && governanceAllowed)) {
      out.push([
        `replica-mode-${String(retention.Mode)}`,
        `replicates into ${replica.logicalId}, not locked in COMPLIANCE mode`,
      ]);
    }
    // String forms as CloudFormation reads them (cfnNumber); an intrinsic only deploy resolves counts as 0 days.
    const days = cfnNumber(retention.Days) ?? (cfnNumber(retention.Years) ?? 0) * 366;
    if (days < HIPAA_MIN_RETENTION_DAYS) {
      out.push([
        'replica-retention',
        `replicates into ${replica.logicalId}, which keeps objects less than ${HIPAA_MIN_RETENTION_DAYS} days`,
      ]);
    }
  }
  if (!isObject(marker))
    out.push(['replica-not-audit-archive', `replicates into ${replica.logicalId}, which is not an audit archive`]);
  const versioning = isObject(p.VersioningConfiguration) ? p.VersioningConfiguration.Status : undefined;
  if (versioning !== 'Enabled')
    out.push(['replica-not-versioned', `replicates into ${replica.logicalId}, which is not versioned`]);
  const sse = asList(isObject(p.BucketEncryption) ? p.BucketEncryption.ServerSideEncryptionConfiguration : undefined)
    .filter(isObject)
    .map((r) => (isObject(r.ServerSideEncryptionByDefault) ? r.ServerSideEncryptionByDefault : {}))[0];
  const domain = sse?.SSEAlgorithm === 'aws:kms' ? keyDomainOf(sse.KMSMasterKeyID, replica.stack, stacks) : 'none';
  if (domain !== 'audit-replica') {
    out.push([
      `replica-encryption-${domain}`,
      `replicates into ${replica.logicalId}, which is not encrypted with the audit replica key`,
    ]);
  }
  const denies = denyStatements(replica);
  // Each denied to everyone, with no condition, on every object of the replica (not a prefix, not another resource).
  const missing = [...REPLICA_REQUIRED_DENIES, ...REPLICA_DIRECT_WRITES].filter(
    (a) => !deniesToEveryone(denies as PolicyStatementJson[], [a], 'objects', unconditional, replica.logicalId),
  );
  if (missing.length > 0) {
    out.push([
      `replica-denies-${missing.join(',')}`,
      `replicates into ${replica.logicalId}, whose policy does not deny ${missing.join(', ')} to everyone`,
    ]);
  }
  // Only the source's replication role replicates into the replica: a deny of s3:ReplicateObject to every other
  // principal (aws:PrincipalArn), naming that role exactly.
  const onlyTheRole = denies.some((s) => {
    if (!asList(s.Action).map(String).includes('s3:ReplicateObject')) return false;
    const cond = isObject(s.Condition) && isObject(s.Condition.ArnNotEquals) ? s.Condition.ArnNotEquals : undefined;
    const arns = asList(cond?.['aws:PrincipalArn']).map(flatten);
    return roleArnSuffix !== undefined && arns.length === 1 && arns[0]?.endsWith(roleArnSuffix) === true;
  });
  if (!onlyTheRole) {
    out.push([
      'replica-writers',
      `replicates into ${replica.logicalId}, which does not deny s3:ReplicateObject to every principal but the source's replication role`,
    ]);
  }
  return out;
}

/**
 * I2 (with D2 / U5): what is wrong with an object-locked audit-domain bucket's cross-region replication, as
 * [finding id, text] pairs (empty when it holds). The bucket replicates every SSE-KMS object (an enabled rule, empty
 * prefix filter, SseKmsEncryptedObjects Enabled), delete markers not replicated, as a named role of its stack, into a
 * bucket of ANOTHER stack of the assembly (matched by name: the destination is named, not referenced across regions)
 * that is an audit archive (marker) with S3 Object Lock (COMPLIANCE unless its marker allows GOVERNANCE, >= 2192
 * days), versioned, SSE-KMS with the audit replica key (the replica region's), whose policy denies object deletes,
 * lock weakening and direct writes to everyone and s3:ReplicateObject to all but that role; replicas are encrypted
 * with a key of the audit-replica domain (ReplicaKmsKeyID, an alias of the destination stack).
 */
export function archiveReplicationProblems(
  bucket: StackResource,
  stacks: readonly AssemblyStack[],
): [string, string][] {
  const config = bucket.resource.Properties?.ReplicationConfiguration;
  if (!isObject(config)) return [['none', 'is not replicated to another region']];
  const out: [string, string][] = [];
  const roleId = localAttribute(config.Role) === 'Arn' ? localTarget(config.Role) : undefined;
  const role = roleId === undefined ? undefined : bucket.stack.template.Resources?.[roleId];
  const roleName = role?.Type === 'AWS::IAM::Role' ? flatten(role.Properties?.RoleName) : undefined;
  if (roleName === undefined) out.push(['role-not-named', 'replicates as a role without a fixed name in its stack']);
  const rules = asList(config.Rules).filter(isObject);
  const everything = rules.filter((r) => {
    if (r.Status !== 'Enabled') return false;
    const filter = r.Filter;
    const all =
      filter === undefined
        ? (r.Prefix ?? '') === ''
        : isObject(filter) && Object.keys(filter).join() === 'Prefix' && filter.Prefix === '';
    const sse =
      isObject(r.SourceSelectionCriteria) && isObject(r.SourceSelectionCriteria.SseKmsEncryptedObjects)
        ? r.SourceSelectionCriteria.SseKmsEncryptedObjects.Status
        : undefined;
    return all && sse === 'Enabled';
  });
  if (everything.length === 0) {
    out.push([
      'not-every-object',
      'has no enabled replication rule covering every SSE-KMS object (empty prefix filter, SseKmsEncryptedObjects Enabled)',
    ]);
    return out;
  }
  for (const rule of everything) {
    const markers = isObject(rule.DeleteMarkerReplication) ? rule.DeleteMarkerReplication.Status : undefined;
    if (markers === 'Enabled') out.push(['delete-markers', 'replicates delete markers (a delete would hide replicas)']);
    const destination = isObject(rule.Destination) ? rule.Destination : {};
    const name = destinationName(destination.Bucket);
    const replicas =
      name === undefined
        ? []
        : assemblyResources(stacks, 'AWS::S3::Bucket').filter((b) => {
            const n = flatten(b.resource.Properties?.BucketName);
            return n !== undefined && name.test(n);
          });
    const replica = replicas.find((b) => b.stack !== bucket.stack);
    if (replica === undefined) {
      out.push(['destination-outside-assembly', 'replicates into no bucket of another stack of the assembly']);
      continue;
    }
    const replicaKey = isObject(destination.EncryptionConfiguration)
      ? destination.EncryptionConfiguration.ReplicaKmsKeyID
      : undefined;
    const keyDomain = replicaKey === undefined ? 'none' : replicaKeyDomain(replicaKey, replica.stack, stacks);
    if (keyDomain !== 'audit-replica') {
      out.push([
        `replica-key-${keyDomain}`,
        `does not encrypt its replicas with the audit replica key (ReplicaKmsKeyID)`,
      ]);
    }
    out.push(...replicaProblems(replica, roleName === undefined ? undefined : `:role/${roleName}`, stacks));
  }
  return out;
}
