import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { phiLogGroupIds } from '../core/phi-shapes';
import { stringForms } from '../core/string-forms';
import { cfnAbsent, cfnBoolean, isIntrinsic, isObject, localTarget } from '../core/template-json';
import { stackEnvironmentOf, viewOf } from './template-view';

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
const LOG_GROUP = 'AWS::Logs::LogGroup';
const SERVICE = 'AWS::ECS::Service';

/**
 * The awslogs driver options a container may set. Anything else (an option a later driver version adds, such as an
 * endpoint override) changes where or how the logs go and is a finding until the rule knows it.
 */
export const AWSLOGS_OPTIONS: readonly string[] = [
  'awslogs-group',
  'awslogs-region',
  'awslogs-stream-prefix',
  'awslogs-datetime-format',
  'awslogs-multiline-pattern',
  'awslogs-create-group',
  'mode',
  'max-buffer-size',
];

/** Findings of one container definition's LogConfiguration (empty when it logs to a judged log group). */
function containerFindings(
  container: unknown,
  view: ReturnType<typeof viewOf>,
  region: string | undefined,
  judged: ReadonlySet<string>,
): string[] {
  if (!isObject(container) || isIntrinsic(container)) return ['ContainerDefinitions::unresolved'];
  const logging = container.LogConfiguration;
  if (cfnAbsent(logging)) return ['LogConfiguration::unset'];
  if (!isObject(logging) || isIntrinsic(logging)) return ['LogConfiguration::unresolved'];
  if (logging.LogDriver !== 'awslogs') {
    const driver = typeof logging.LogDriver === 'string' ? logging.LogDriver : 'unresolved';
    return [`LogDriver::${driver}`];
  }
  const findings: string[] = [];
  if (!cfnAbsent(logging.SecretOptions)) findings.push('SecretOptions::set');
  const options = logging.Options;
  if (!isObject(options)) return [...findings, 'awslogs-group::unset'];
  for (const key of Object.keys(options)) {
    if (!AWSLOGS_OPTIONS.includes(key)) findings.push(`Options::${key}`);
  }
  // The group the driver writes to is a log group of this template, by reference: the one the log group rules (its
  // key, retention and, as a container's group, its data protection policy: core/phi-shapes) judge.
  const target = localTarget(options['awslogs-group']);
  const isRef = isObject(options['awslogs-group']) && typeof options['awslogs-group'].Ref === 'string';
  if (
    !isRef ||
    target === undefined ||
    view.stack.template.Resources[target]?.Type !== LOG_GROUP ||
    !judged.has(target)
  ) {
    findings.push('awslogs-group::not-a-log-group-of-this-stack');
  }
  // The driver creating a group it does not find makes one without key, retention or masking.
  const create = options['awslogs-create-group'];
  if (!cfnAbsent(create) && cfnBoolean(create) !== false) findings.push('awslogs-create-group::true');
  // The group of that name in another region is not the judged group.
  const forms = stringForms(options['awslogs-region'], view.stack.template);
  const sameRegion =
    !cfnAbsent(options['awslogs-region']) &&
    forms.complete &&
    forms.forms.every((f) => f === '<AWS::Region>' || (region === undefined ? /^[a-z0-9-]+$/.test(f) : f === region));
  if (!sameRegion) findings.push('awslogs-region::not-this-region');
  return findings;
}

/**
 * U3/U4/E2: every container of every ECS task definition logs with the awslogs driver to a log group of its own
 * template, named by `Ref` (the group whose key, retention and data protection policy the log group rules judge:
 * core/phi-shapes recognises a container's group by that reference), in the stack's own region, with options the rule
 * knows and `awslogs-create-group` not true. Another driver (splunk, syslog, fluentd, awsfirelens...) sends the logs
 * outside CloudWatch Logs, where no key, retention or masking applies; a literal group name, one of another stack or
 * one the driver creates is a group no rule judged. A container without a log configuration keeps no logs at all. A
 * value only deploy resolves (a condition, a parameter) is a finding.
 */
export function ContainerLogsToManagedLogGroup(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType === SERVICE) return serviceConnectFindings(node);
  if (node.cfnResourceType !== TASK_DEFINITION) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const containers = view.resource.Properties?.ContainerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) return ['ContainerDefinitions::unresolved'];
  const region = stackEnvironmentOf(node).region;
  const judged = phiLogGroupIds(view.stack.template);
  const findings = new Set(containers.flatMap((c) => containerFindings(c, view, region, judged)));
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

/**
 * An ECS service's Service Connect proxy (Envoy) logs its own way: its `ServiceConnectConfiguration.LogConfiguration`
 * is judged as a container's (awslogs, to a container's log group of the template, in its region, no group created),
 * and its access log may not include query parameters (a request's query string may carry PHI: U4). A value only
 * deploy resolves is a finding (the attacker review of 2026-12-04, third round: Envoy's access logs with query
 * parameters to a group the driver created passed).
 */
function serviceConnectFindings(node: CfnResource): NagRuleResult {
  const view = viewOf(node);
  const config = view.resource.Properties?.ServiceConnectConfiguration;
  if (cfnAbsent(config)) return NagRuleCompliance.NOT_APPLICABLE;
  if (!isObject(config) || isIntrinsic(config)) return ['ServiceConnectConfiguration::unresolved'];
  if (cfnBoolean(config.Enabled) === false) return NagRuleCompliance.COMPLIANT;
  const findings = new Set<string>();
  if (!cfnAbsent(config.LogConfiguration)) {
    const judged = phiLogGroupIds(view.stack.template);
    for (const f of containerFindings(config, view, stackEnvironmentOf(node).region, judged)) {
      findings.add(`ServiceConnect.${f}`);
    }
  }
  const access = config.AccessLogConfiguration;
  if (!cfnAbsent(access)) {
    const include = isObject(access) && !isIntrinsic(access) ? access.IncludeQueryParameters : access;
    if (!cfnAbsent(include) && include !== 'DISABLED')
      findings.add('ServiceConnect.IncludeQueryParameters::not-DISABLED');
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}
