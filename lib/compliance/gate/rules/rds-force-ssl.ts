import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { isPostgresParameterGroup, mayBePostgres } from '../core/postgres-family';
import { defersToCluster } from '../core/rds-cluster-member';
import { stringForms } from '../core/string-forms';
import { cfnAbsent, TemplateJson } from '../core/template-json';
import { logicalIdOf, stackResourcesOfType, templateProperties } from './template-properties';
import { knownTemplateOf, viewOf } from './template-view';

const INSTANCE = 'AWS::RDS::DBInstance';
const CLUSTER = 'AWS::RDS::DBCluster';
const GROUP = 'AWS::RDS::DBParameterGroup';
const PROXY = 'AWS::RDS::DBProxy';
const CLUSTER_GROUP = 'AWS::RDS::DBClusterParameterGroup';

/** The TLS protocol versions PostgreSQL may be limited to that keep TLS 1.2 or later (E3), lower case. */
const CURRENT_TLS: readonly string[] = ['tlsv1.2', 'tlsv1.3'];

/**
 * Findings for a TLS protocol bound of a parameter group (`ssl_min_protocol_version`, `ssl_max_protocol_version`):
 * unset (or AWS::NoValue) is the engine's own bound; set, it must be TLSv1.2 or TLSv1.3 (PostgreSQL reads enum values
 * in any case) in every form it may take, and a value only deploy resolves is a finding. An empty
 * ssl_max_protocol_version is PostgreSQL's "no maximum".
 */
function tlsBoundFindings(parameters: Record<string, unknown>, name: string, template: TemplateJson): string[] {
  const value = parameters[name];
  if (cfnAbsent(value)) return [];
  const { forms, complete } = stringForms(value, template);
  const ok = (f: string): boolean =>
    CURRENT_TLS.includes(f.trim().toLowerCase()) || (name === 'ssl_max_protocol_version' && f.trim() === '');
  if (complete && forms.every(ok)) return [];
  const shown = typeof value === 'string' || typeof value === 'number' ? String(value) : 'unresolved';
  return [`${name}::${shown}`];
}

/**
 * Findings for a parameter group's TLS settings: `rds.force_ssl` '1', and TLS protocol bounds that keep TLS 1.2 or
 * later (tlsBoundFindings); [] when both hold.
 */
function forceSslFindings(properties: Record<string, unknown>, template: TemplateJson): string[] {
  const parameters = (
    typeof properties.Parameters === 'object' && properties.Parameters !== null ? properties.Parameters : {}
  ) as Record<string, unknown>;
  const value = parameters['rds.force_ssl'];
  return [
    ...(value === '1' || value === 1 ? [] : [`rds.force_ssl::${value === undefined ? 'unset' : String(value)}`]),
    ...tlsBoundFindings(parameters, 'ssl_min_protocol_version', template),
    ...tlsBoundFindings(parameters, 'ssl_max_protocol_version', template),
  ];
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
 * The template of `node`'s stack for reading string forms (its Mappings): the run's template; outside a validation run
 * none (a rule called directly must not cache a rendering its test then extends), so Fn::FindInMap reads as a value
 * only deploy knows: may be PostgreSQL (fail closed).
 */
const formsTemplate = (node: CfnResource): TemplateJson =>
  knownTemplateOf(Stack.of(node))?.template ?? { Resources: {} };

/**
 * Whether a DB parameter group or DB cluster parameter group is PostgreSQL's (core/postgres-family): its Family may be
 * PostgreSQL in any string form, or a DB instance or cluster of its stack that may be PostgreSQL names it. The
 * databases are found through the construct tree, as referencedGroup finds groups.
 */
export function isPostgresGroup(node: CfnResource): boolean {
  const databases = [INSTANCE, CLUSTER].flatMap((t) => stackResourcesOfType(node, t)).map(templateProperties);
  const template = formsTemplate(node);
  return isPostgresParameterGroup(templateProperties(node).Family, logicalIdOf(node), databases, template);
}

/**
 * E3: PostgreSQL accepts TLS 1.2 or later connections only. A PostgreSQL DB parameter group or DB cluster parameter
 * group (its Family may be PostgreSQL in any string form, or a PostgreSQL database names it: core/postgres-family)
 * sets `rds.force_ssl` to '1', and `ssl_min_protocol_version`, if set, to TLSv1.2 or TLSv1.3
 * (`ssl_max_protocol_version`, if set, not below TLSv1.2): rds.force_ssl refuses clear text but not TLS 1.0. Unset,
 * the engine's default applies: PostgreSQL's own default has been TLSv1.2 since version 13 (RDS documents TLS 1.1,
 * 1.2 and 1.3 as supported by RDS for PostgreSQL, without naming its default; a deployed database shows it with
 * `SHOW ssl_min_protocol_version`). A PostgreSQL DB instance (not an Aurora cluster member whose cluster forces TLS:
 * defersToForcingCluster) or DB cluster (its Engine may be PostgreSQL in any string form) references a parameter group
 * of its own stack that does. A missing or unresolvable reference is a finding: the engine default allows clear text.
 * An RDS Proxy (AWS::RDS::DBProxy) requires TLS (RequireTLS true).
 */
export function RdsForceSsl(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  // An RDS Proxy in front of the database takes clients' connections itself: without RequireTLS (false by default) it
  // accepts them in clear text, whatever the database forces (the attacker review of 2026-12-04, third round).
  if (type === PROXY) {
    const requireTls = templateProperties(node).RequireTLS;
    return requireTls === true || requireTls === 'true' ? NagRuleCompliance.COMPLIANT : ['RequireTLS::not-true'];
  }
  if (![INSTANCE, CLUSTER, GROUP, CLUSTER_GROUP].includes(type)) return NagRuleCompliance.NOT_APPLICABLE;
  const properties = templateProperties(node);
  const template = formsTemplate(node);
  if (type === GROUP || type === CLUSTER_GROUP) {
    if (!isPostgresGroup(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = forceSslFindings(properties, template);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  }
  if (!mayBePostgres(properties.Engine, template)) return NagRuleCompliance.NOT_APPLICABLE;
  if (type === INSTANCE && defersToForcingCluster(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const group =
    type === INSTANCE
      ? referencedGroup(node, properties.DBParameterGroupName, GROUP)
      : referencedGroup(node, properties.DBClusterParameterGroupName, CLUSTER_GROUP);
  if (typeof group === 'string') return [group];
  const findings = forceSslFindings(group, template).map((f) => `ParameterGroup.${f}`);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
