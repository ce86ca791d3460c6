import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { defersToCluster } from '../core/rds-cluster-member';
import { logicalIdOf, stackResourcesOfType, templateProperties } from './template-properties';
import { viewOf } from './template-view';

const POSTGRES = /postgres/i;
const INSTANCE = 'AWS::RDS::DBInstance';
const CLUSTER = 'AWS::RDS::DBCluster';
const GROUP = 'AWS::RDS::DBParameterGroup';
const CLUSTER_GROUP = 'AWS::RDS::DBClusterParameterGroup';

/** Findings for a parameter group's `rds.force_ssl`: [] when it is '1'. */
function forceSslFindings(properties: Record<string, unknown>): string[] {
  const value = (properties.Parameters as Record<string, unknown> | undefined)?.['rds.force_ssl'];
  return value === '1' || value === 1 ? [] : [`rds.force_ssl::${value === undefined ? 'unset' : String(value)}`];
}

/**
 * The properties of the parameter group a database references, found in the database's own stack
 * by logical id through the construct tree (works on constructs and on templates included with
 * CfnInclude alike), or a finding when the reference is missing or is not a Ref to a parameter
 * group of that stack (a literal name, an import, a group of another stack): an unresolved
 * reference is reported, never passed.
 */
function referencedGroup(node: CfnResource, reference: unknown, type: string): Record<string, unknown> | string {
  if (reference === undefined) return 'ParameterGroup::none';
  const ref = (reference as { Ref?: unknown } | null)?.Ref;
  if (typeof ref !== 'string') return 'ParameterGroup::unresolved';
  const group = stackResourcesOfType(node, type).find((c) => logicalIdOf(c) === ref);
  return group ? templateProperties(group) : 'ParameterGroup::unresolved';
}

/**
 * Whether a DB instance leaves `rds.force_ssl` to its Aurora cluster: a member of a cluster of its stack that forces
 * TLS itself. DBClusterIdentifier AWS::NoValue (no cluster), a condition, a parameter or a reference to anything but a
 * cluster may leave a standalone instance, and a cluster outside the template cannot be judged: it is checked itself.
 */
function defersToForcingCluster(node: CfnResource): boolean {
  const { resource, stack } = viewOf(node);
  return defersToCluster(stack.template, resource, (logicalId) => {
    const cluster = stackResourcesOfType(node, CLUSTER).find((c) => logicalIdOf(c) === logicalId);
    return cluster !== undefined && RdsForceSsl(cluster) === NagRuleCompliance.COMPLIANT;
  });
}

/**
 * E3: PostgreSQL accepts TLS connections only. A postgres-family DB parameter group or DB cluster
 * parameter group sets `rds.force_ssl` to '1'; a postgres DB instance (not an Aurora cluster member
 * whose cluster forces TLS: defersToForcingCluster) or DB cluster references a parameter group of its own stack
 * that does. A missing or unresolvable reference is a finding: the engine default allows clear text.
 */
export function RdsForceSsl(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (![INSTANCE, CLUSTER, GROUP, CLUSTER_GROUP].includes(type)) return NagRuleCompliance.NOT_APPLICABLE;
  const properties = templateProperties(node);
  if (type === GROUP || type === CLUSTER_GROUP) {
    if (typeof properties.Family !== 'string' || !POSTGRES.test(properties.Family)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = forceSslFindings(properties);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  }
  if (typeof properties.Engine !== 'string' || !POSTGRES.test(properties.Engine)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (type === INSTANCE && defersToForcingCluster(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const group =
    type === INSTANCE
      ? referencedGroup(node, properties.DBParameterGroupName, GROUP)
      : referencedGroup(node, properties.DBClusterParameterGroupName, CLUSTER_GROUP);
  if (typeof group === 'string') return [group];
  const findings = forceSslFindings(group).map((f) => `ParameterGroup.${f}`);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
