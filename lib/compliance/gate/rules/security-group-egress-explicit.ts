import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { templateProperties } from './template-properties';

const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';

/**
 * N3: every security group states its egress inline. An AWS::EC2::SecurityGroup created without a
 * SecurityGroupEgress property gets EC2's default rule allowing all outbound traffic, and separate
 * AWS::EC2::SecurityGroupEgress resources do not remove it: they only add to it. (CDK drops its inline
 * 'disallow all' placeholder as soon as any egress rule is added, even one rendered as a separate
 * resource, so `allowAllOutbound: false` alone does not guarantee this.) An empty list, or a value
 * that is not a list (an intrinsic that may resolve to nothing), is a finding too.
 */
export function SecurityGroupEgressExplicit(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== SECURITY_GROUP) return NagRuleCompliance.NOT_APPLICABLE;
  const egress = templateProperties(node).SecurityGroupEgress;
  if (egress === undefined) return ['SecurityGroupEgress::unset'];
  if (!Array.isArray(egress)) return ['SecurityGroupEgress::not-a-list'];
  if (egress.length === 0) return ['SecurityGroupEgress::empty'];
  return NagRuleCompliance.COMPLIANT;
}
