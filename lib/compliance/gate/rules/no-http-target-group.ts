import { CfnResource } from 'aws-cdk-lib';
import { CfnTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag/lib/nag-rules';

/**
 * E3 (end to end): load balancer to task traffic is encrypted. An instance, IP or ALB target group
 * must use Protocol HTTPS (or TLS for a network load balancer); its health check must not fall back
 * to plain HTTP either. Lambda target groups have no protocol and are not applicable.
 */
export function NoHttpTargetGroup(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnTargetGroup)) return NagRuleCompliance.NOT_APPLICABLE;
  if (NagRules.resolveIfPrimitive(node, node.targetType) === 'lambda') return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  const protocol = NagRules.resolveIfPrimitive(node, node.protocol) as unknown;
  if (protocol !== 'HTTPS' && protocol !== 'TLS') findings.push(`Protocol::${String(protocol ?? 'none')}`);
  const healthCheck = NagRules.resolveIfPrimitive(node, node.healthCheckProtocol) as unknown;
  if (healthCheck === 'HTTP' || healthCheck === 'TCP') findings.push(`HealthCheckProtocol::${String(healthCheck)}`);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
