/**
 * Helpers of the project rule tests: run one template through the template checker (the same packs as synth, the
 * template included with CfnInclude) and keep the findings of one rule, as `<finding id> <logical id>`.
 */
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';

type Json = Record<string, unknown>;

/** A template from resources. */
export const template = (resources: Record<string, Json>): { Resources: Record<string, Json> } => ({
  Resources: resources,
});

/**
 * The findings of `rule` (e.g. 'BackupVaultLocked') on `t`, as '<suffix> <logicalId>' sorted; `packs` runs only those
 * packs (template-checker `packs`: the same findings of theirs as the full check, for a test that checks many parts).
 */
export function findingsOf(rule: string, t: unknown, packs?: readonly string[]): string[] {
  const prefix = `Blueprint-${rule}`;
  return checkTemplate(t, rule, { packs })
    .findings.filter((f) => f.ruleId === prefix || f.ruleId.startsWith(`${prefix}[`))
    .map((f) => `${f.ruleId.slice(prefix.length)} ${f.logicalId}`)
    .sort();
}

/** A customer-managed key ARN (a literal; references are the assembly rules' business). */
export const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
export const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } as const;
