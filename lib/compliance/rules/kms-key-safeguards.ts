import { CfnDeletionPolicy, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag';

/**
 * Every key-scoped KMS action that gives cryptographic use of a key, or creates a grant (a grant is
 * use: its holder can decrypt). kms:GenerateRandom is not key-scoped and cannot be granted by a key policy.
 */
export const KMS_USE_ACTIONS: readonly string[] = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:Sign',
  'kms:Verify',
  'kms:CreateGrant',
  'kms:DeriveSharedSecret',
];

/** IAM action pattern (`*` and `?` wildcards, case-insensitive) as a regular expression. */
function actionPattern(action: string): RegExp {
  const body = action
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** The use actions an Action entry allows (a non-string, e.g. an unresolved token, counts as all of them). */
export function useActionsAllowedBy(action: unknown): string[] {
  if (typeof action !== 'string') return [...KMS_USE_ACTIONS];
  const pattern = actionPattern(action);
  return KMS_USE_ACTIONS.filter((use) => pattern.test(use));
}

/**
 * E1: customer-managed keys rotate, wait 30 days before deletion, are retained, and the key policy
 * never gives cryptographic use to a principal without a condition (administration is separate from
 * use: unconditioned statements may carry administrative actions only). Wildcards are expanded
 * (`kms:Create*` includes kms:CreateGrant, `kms:*crypt*` Decrypt); Allow with NotAction is a finding.
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
    if (statement.Effect !== 'Allow') continue;
    // NotAction allows everything not listed, including actions KMS adds later.
    if (statement.NotAction !== undefined) {
      findings.push(`KeyPolicy::Statement${i}-not-action`);
      continue;
    }
    const condition = statement.Condition as Record<string, unknown> | undefined;
    if (condition !== undefined && Object.keys(condition).length > 0) continue;
    const actions = ([] as unknown[]).concat(statement.Action ?? []);
    if (actions.some((a) => useActionsAllowedBy(a).length > 0)) {
      findings.push(`KeyPolicy::Statement${i}-use-without-condition`);
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
