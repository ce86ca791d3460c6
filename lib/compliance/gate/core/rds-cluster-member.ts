/**
 * Whether an RDS DB instance of a template is a member of an Aurora cluster, read from its DBClusterIdentifier. A
 * member's storage (its key) and its TLS setting are its cluster's, so a rule checks them on the cluster and not on the
 * member; but only a DBClusterIdentifier that surely names a cluster of the template lets an instance defer. Absent
 * or `{"Ref": "AWS::NoValue"}` (which CloudFormation reads as absent) is a standalone instance; a value only deploy
 * resolves (a condition, a parameter, an import) may be one too, and so may a reference to something that is not a
 * cluster: the instance is checked as standalone. So is a member of a cluster the template does not hold (a literal
 * identifier naming none of its clusters): that cluster cannot be judged. Pure: no CDK, no file system.
 */
import { cfnAbsent, JsonResource, localTarget, resourcesOf, TemplateJson } from './template-json';

const CLUSTER = 'AWS::RDS::DBCluster';

/** What an instance's DBClusterIdentifier says it belongs to. */
export type ClusterMembership =
  /** No cluster: DBClusterIdentifier absent, AWS::NoValue or empty. */
  | { readonly kind: 'standalone' }
  /** A cluster of the same template: a Ref or Fn::GetAtt to it, or its literal DBClusterIdentifier. */
  | { readonly kind: 'cluster'; readonly logicalId: string; readonly cluster: JsonResource }
  /** A literal identifier no cluster of the template has: a cluster the template cannot judge. */
  | { readonly kind: 'outside'; readonly identifier: string }
  /** A value only deploy resolves, or a reference to a resource that is not a cluster: may be standalone. */
  | { readonly kind: 'unknown' };

/** The membership of `instance` (an AWS::RDS::DBInstance of `template`) as its DBClusterIdentifier says. */
export function clusterMembership(template: TemplateJson, instance: JsonResource): ClusterMembership {
  const value = instance.Properties?.DBClusterIdentifier;
  if (cfnAbsent(value) || value === null || value === '') return { kind: 'standalone' };
  if (typeof value === 'string') {
    // RDS identifiers are case-insensitive (stored in lower case).
    const found = resourcesOf(template, CLUSTER).find(
      ([, c]) =>
        typeof c.Properties?.DBClusterIdentifier === 'string' &&
        c.Properties.DBClusterIdentifier.toLowerCase() === value.toLowerCase(),
    );
    return found ? { kind: 'cluster', logicalId: found[0], cluster: found[1] } : { kind: 'outside', identifier: value };
  }
  const target = localTarget(value);
  const cluster = target === undefined ? undefined : template.Resources?.[target];
  if (target !== undefined && cluster?.Type === CLUSTER) return { kind: 'cluster', logicalId: target, cluster };
  return { kind: 'unknown' };
}

/**
 * Whether `instance` leaves its instance-level storage and TLS checks to its cluster: a member of a cluster of the
 * template that passes the same check (`clusterPasses`). A standalone instance, one whose membership only deploy
 * resolves, one whose cluster fails and one of a cluster outside the template (which no rule can judge: fail closed)
 * is checked itself.
 */
export function defersToCluster(
  template: TemplateJson,
  instance: JsonResource,
  clusterPasses: (logicalId: string, cluster: JsonResource) => boolean,
): boolean {
  const m = clusterMembership(template, instance);
  return m.kind === 'cluster' && clusterPasses(m.logicalId, m.cluster);
}
