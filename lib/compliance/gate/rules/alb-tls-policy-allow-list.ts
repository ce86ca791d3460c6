import { CfnResource } from 'aws-cdk-lib';
import { CfnListener } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag/lib/nag-rules';
import { ALLOWED_TLS_POLICIES } from '../../../../constructs/core/tls-policies';

/**
 * E3: every HTTPS (or TLS) listener names a security policy from ALLOWED_TLS_POLICIES. A missing
 * policy fails too: the ELB default (ELBSecurityPolicy-2016-08) still negotiates TLS 1.0.
 */
export function AlbTlsPolicyAllowList(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnListener)) return NagRuleCompliance.NOT_APPLICABLE;
  const protocol = NagRules.resolveIfPrimitive(node, node.protocol) as unknown;
  if (protocol !== 'HTTPS' && protocol !== 'TLS') return NagRuleCompliance.NOT_APPLICABLE;
  const policy = NagRules.resolveIfPrimitive(node, node.sslPolicy) as unknown;
  if (typeof policy !== 'string') return ['SslPolicy::none'];
  return ALLOWED_TLS_POLICIES.includes(policy) ? NagRuleCompliance.COMPLIANT : [`SslPolicy::${policy}`];
}
