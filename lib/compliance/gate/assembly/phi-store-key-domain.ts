import { KEY_DOMAIN_METADATA, KeyDomainName } from '../../../../constructs/core/markers';
import { bucketNamePattern, literalForms } from '../core/bucket-names';
import { isAuditArchive, isPhiStore, PHI_LOG_GROUP_NAME_PREFIXES } from '../core/phi-shapes';
import { defersToCluster } from '../core/rds-cluster-member';
import {
  assemblyResources,
  AssemblyStack,
  cfnSwitchMayBeOn,
  flatten,
  isObject,
  JsonResource,
  metadataOf,
  resolveValue,
  sameEnvironment,
  TemplateJson,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'PhiStoreKeyDomain';
const PHI: readonly KeyDomainName[] = ['phi'];
const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);

/**
 * The key properties of a resource and the key domains each must be in; [] when the resource is not checked.
 * `clusterDefers` says whether a DB instance's storage key is its cluster's (by default never: the instance is checked).
 */
export function expectedKeyDomains(
  resource: JsonResource,
  phiBucketNames: readonly string[],
  clusterDefers: (instance: JsonResource) => boolean = () => false,
): Array<{ property: string; value: unknown; domains: readonly KeyDomainName[] }> {
  const p = resource.Properties ?? {};
  const phi: KeyDomainName[] = ['phi'];
  switch (resource.Type) {
    case 'AWS::RDS::DBInstance':
      return [
        ...(!clusterDefers(resource) ? [{ property: 'KmsKeyId', value: p.KmsKeyId, domains: phi }] : []),
        ...(cfnSwitchMayBeOn(p.EnablePerformanceInsights)
          ? [{ property: 'PerformanceInsightsKMSKeyId', value: p.PerformanceInsightsKMSKeyId, domains: phi }]
          : []),
      ];
    case 'AWS::RDS::DBCluster':
      return [
        { property: 'KmsKeyId', value: p.KmsKeyId, domains: phi },
        ...(cfnSwitchMayBeOn(p.PerformanceInsightsEnabled)
          ? [{ property: 'PerformanceInsightsKmsKeyId', value: p.PerformanceInsightsKmsKeyId, domains: phi }]
          : []),
      ];
    case 'AWS::Backup::BackupVault':
      return [{ property: 'EncryptionKeyArn', value: p.EncryptionKeyArn, domains: ['backup'] }];
    case 'AWS::ECS::Cluster':
      return [
        {
          property: 'FargateEphemeralStorageKmsKeyId',
          value: at(p, 'Configuration', 'ManagedStorageConfiguration', 'FargateEphemeralStorageKmsKeyId'),
          domains: phi,
        },
      ];
    case 'AWS::Logs::LogGroup': {
      const name = p.LogGroupName;
      // The database's exports may hold PHI: the PHI key (the PHI key admits CloudWatch Logs only for /aws/rds/).
      return typeof name === 'string' && name.startsWith(PHI_LOG_GROUP_NAME_PREFIXES[0]!)
        ? [{ property: 'KmsKeyId', value: p.KmsKeyId, domains: phi }]
        : [];
    }
    case 'AWS::CloudTrail::Trail':
      return [{ property: 'KMSKeyId', value: p.KMSKeyId, domains: ['audit'] }];
    case 'AWS::S3::Bucket': {
      const rules = at(p, 'BucketEncryption', 'ServerSideEncryptionConfiguration');
      const value = Array.isArray(rules) ? at(rules[0], 'ServerSideEncryptionByDefault', 'KMSMasterKeyID') : undefined;
      if (isPhiStore(resource, phiBucketNames)) {
        return [{ property: 'KMSMasterKeyID', value, domains: ['phi', 'phi-replica'] }];
      }
      if (isAuditArchive(resource)) return [{ property: 'KMSMasterKeyID', value, domains: ['audit', 'audit-replica'] }];
      return [];
    }
    default:
      return [];
  }
}

/** The domain of the key `value` names, followed through the assembly, or why it has none. */
export function keyDomainOf(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): string {
  let resolved = resolveValue(value, from, stacks);
  // An alias: its target key.
  if (resolved.kind === 'resource' && resolved.target.resource.Type === 'AWS::KMS::Alias') {
    resolved = resolveValue(resolved.target.resource.Properties?.TargetKeyId, resolved.target.stack, stacks);
  }
  if (resolved.kind === 'literal') return 'outside-assembly';
  if (resolved.kind === 'unresolved') return 'unresolved';
  if (resolved.target.resource.Type !== 'AWS::KMS::Key') return `not-a-key-${resolved.target.resource.Type}`;
  const domain = metadataOf(resolved.target.resource, KEY_DOMAIN_METADATA);
  return typeof domain === 'string' ? domain : 'no-domain';
}

/**
 * A regex matching the bucket names an ARN `arn:<partition>:s3:::NAME` of a replication destination can mean: a
 * literal, a join or a substitution (of `template`'s variables and pseudo parameters), each alternative it may be.
 */
export function destinationName(value: unknown, template: TemplateJson = { Resources: {} }): RegExp | undefined {
  const names = literalForms(value, template).flatMap((arn) => {
    const match = /^arn:(?:<AWS::Partition>|[a-z-]+):s3:::([^/*?]+)$/.exec(arn);
    return match ? [bucketNamePattern(match[1]!).source] : [];
  });
  return names.length === 0 ? undefined : new RegExp(names.join('|'));
}

/**
 * The domain of the key a replica key ARN names (`arn:...:kms:REGION:ACCOUNT:alias/NAME`), the replica being in `stack`:
 * an alias of that stack, else of another stack of its account and region (the keys stack's).
 */
export function replicaKeyDomain(value: unknown, stack: AssemblyStack, stacks: readonly AssemblyStack[]): string {
  const arn = flatten(value);
  const alias =
    arn === undefined
      ? null
      : /:kms:(<AWS::Region>|[^:]*):(<AWS::AccountId>|[^:]*):(alias\/[A-Za-z0-9/_-]+)$/.exec(arn);
  if (!alias) return keyDomainOf(value, stack, stacks);
  // The alias of another account, or of another region than the replica's, is not this assembly's alias of that name.
  const [, region, account] = alias;
  const literal = (part: string): string | undefined => (/^<AWS::/.test(part) ? undefined : part);
  if (!sameEnvironment(stack, literal(account!), literal(region!))) return 'outside-assembly';
  const named = (s: AssemblyStack) =>
    Object.values(s.template.Resources ?? {}).find(
      (r) => r.Type === 'AWS::KMS::Alias' && r.Properties?.AliasName === alias[3],
    );
  const home = [stack, ...stacks.filter((s) => s !== stack && sameEnvironment(s, stack.account, stack.region))].find(
    (s) => named(s) !== undefined,
  );
  if (home === undefined) return `no-alias-${alias[3]}`;
  return keyDomainOf(named(home)!.Properties?.TargetKeyId, home, stacks);
}

/**
 * E1/E2: each store is encrypted with the key of its data domain, followed across stacks to the AWS::KMS::Key and
 * its `HipaaBlueprint::KeyDomain` marker: the PHI database (storage, Performance Insights), the PHI buckets, the
 * database's log groups and the tasks' Fargate storage with the PHI key (the replica bucket with the replica's),
 * the backup vault with the backup key, the trail and the audit archive with the audit key; and the replicas any
 * bucket writes into a PHI bucket with a PHI key (ReplicaKmsKeyID, by alias in the destination's account and region).
 * A key outside the assembly (a literal ARN) or without a domain is a finding: the gate cannot show it is the right
 * one.
 */
export const PhiStoreKeyDomain: AssemblyRule = {
  name: NAME,
  info: 'A PHI store, the backup vault, the trail or the audit archive is not encrypted with the customer-managed key of its data domain (followed across stacks to the key and its HipaaBlueprint::KeyDomain marker), or names a key the assembly does not hold.',
  explanation:
    'One key per data domain (164.312(a)(2)(iv)): PHI under the PHI key, whose policy admits only the services that store PHI; a store moved to another domain key (or an outside key) is readable by whoever that key admits.',
  safeguards: ['E1', 'E2'],
  hipaaSections: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    for (const { stack, logicalId, resource } of assemblyResources(stacks)) {
      // An Aurora member's storage key is its cluster's, when the cluster (of its template) is on the PHI key.
      const clusterDefers = (instance: JsonResource): boolean =>
        defersToCluster(stack.template, instance, (_, cluster) =>
          PHI.includes(keyDomainOf(cluster.Properties?.KmsKeyId, stack, stacks) as KeyDomainName),
        );
      const expected = expectedKeyDomains(resource, context.phiBucketNames ?? [], clusterDefers);
      for (const { property, value, domains } of expected) {
        if (value === undefined) continue; // no key at all: StoreCustomerManagedKey's finding
        evaluated++;
        const domain = keyDomainOf(value, stack, stacks);
        if (domains.includes(domain as KeyDomainName)) continue;
        findings.push(
          finding(
            NAME,
            `${property}::${domain}`,
            stack,
            logicalId,
            `${resource.Type} ${logicalId} (${stack.stackName}): ${property} must be the ${domains.join(' or ')} key; it is ${domain}`,
          ),
        );
      }
    }
    // Replicas written into a PHI bucket are encrypted with the key the SOURCE's replication rule names
    // (ReplicaKmsKeyID), not with the destination's default encryption, and S3 authorizes them as s3:ReplicateObject,
    // which no PutObject deny of the destination reaches: that key must be a PHI key too.
    for (const source of assemblyResources(stacks, 'AWS::S3::Bucket')) {
      const rules = at(source.resource.Properties, 'ReplicationConfiguration', 'Rules');
      for (const rule of Array.isArray(rules) ? rules : []) {
        const destination = at(rule, 'Destination');
        const name = destinationName(at(destination, 'Bucket'), source.stack.template);
        if (name === undefined) {
          // A destination only deploy resolves (an attribute, an import) may be a PHI bucket: not judged, a finding.
          evaluated++;
          findings.push(
            finding(
              NAME,
              'ReplicaDestination::unresolved',
              source.stack,
              source.logicalId,
              `AWS::S3::Bucket ${source.logicalId} (${source.stack.stackName}) replicates into a bucket whose ARN the template does not hold (a literal, a join or a substitution): whether its replicas land in a PHI bucket under another key cannot be judged`,
            ),
          );
          continue;
        }
        for (const target of assemblyResources(stacks, 'AWS::S3::Bucket')) {
          const n = flatten(target.resource.Properties?.BucketName);
          if (n === undefined || !name.test(n) || !isPhiStore(target.resource, context.phiBucketNames ?? [])) continue;
          evaluated++;
          const key = at(destination, 'EncryptionConfiguration', 'ReplicaKmsKeyID');
          const domain = key === undefined ? 'none' : replicaKeyDomain(key, target.stack, stacks);
          if (domain === 'phi' || domain === 'phi-replica') continue;
          findings.push(
            finding(
              NAME,
              `ReplicaKmsKeyID::${domain}`,
              source.stack,
              source.logicalId,
              `AWS::S3::Bucket ${source.logicalId} (${source.stack.stackName}) replicates into the PHI bucket ${n}: its ReplicaKmsKeyID must be a PHI key; it is ${domain}`,
            ),
          );
        }
      }
    }
    return { findings, evaluated };
  },
};
