import { CfnDeletionPolicy, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag';

const USE_ACTIONS = /^kms:(\*|Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant)/i;

/**
 * E1: customer-managed keys rotate, wait 30 days before deletion, are retained, and the key policy
 * never gives cryptographic use to a principal without a condition (administration is separate from
 * use: unconditioned statements may carry administrative actions only).
 */
export function KmsKeySafeguards(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnKey)) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  if (NagRules.resolveIfPrimitive(node, node.enableKeyRotation) !== true) findings.push('EnableKeyRotation::false');
  const window = NagRules.resolveIfPrimitive(node, node.pendingWindowInDays) as unknown;
  if (window !== 30) findings.push(`PendingWindowInDays::${String(window)}`);
  if (node.cfnOptions.deletionPolicy !== CfnDeletionPolicy.RETAIN) findings.push('DeletionPolicy::not-Retain');
  if (node.cfnOptions.updateReplacePolicy !== CfnDeletionPolicy.RETAIN)
    findings.push('UpdateReplacePolicy::not-Retain');

  const policy = Stack.of(node).resolve(node.keyPolicy) as { Statement?: Array<Record<string, unknown>> } | undefined;
  for (const [i, statement] of (policy?.Statement ?? []).entries()) {
    if (statement.Effect !== 'Allow' || statement.Condition !== undefined) continue;
    const actions = ([] as unknown[]).concat(statement.Action ?? []);
    if (actions.some((a) => typeof a !== 'string' || USE_ACTIONS.test(a))) {
      findings.push(`KeyPolicy::Statement${i}-use-without-condition`);
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
