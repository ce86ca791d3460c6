import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { PHI_LOG_DATA_IDENTIFIERS } from '../../../../constructs/phi-log-group';
import { phiLogGroupIds } from '../core/phi-shapes';
import { asList, isObject, JsonResource } from '../core/template-json';
import { viewOf } from './template-view';

/** The managed data identifiers a PHI log group must mask, by name (e.g. 'Ssn-US'). */
export const REQUIRED_MASKED_IDENTIFIERS: readonly string[] = PHI_LOG_DATA_IDENTIFIERS.map((d) => d.name);

const identifierName = (arn: unknown): string | undefined =>
  typeof arn === 'string' ? /data-identifier\/(.+)$/.exec(arn)?.[1] : undefined;

/**
 * Findings of a log group that can receive PHI: its DataProtectionPolicy must audit (findings to a destination)
 * and mask (Deidentify with MaskConfig) every identifier of REQUIRED_MASKED_IDENTIFIERS.
 */
export function dataProtectionFindings(resource: JsonResource): string[] {
  const policy = resource.Properties?.DataProtectionPolicy;
  if (!isObject(policy)) return ['DataProtectionPolicy::none'];
  const statements = asList(policy.Statement).filter(isObject);
  const operation = (s: Record<string, unknown>): Record<string, unknown> => (isObject(s.Operation) ? s.Operation : {});
  const audits = statements.some((s) => isObject(operation(s).Audit));
  const masked = new Set(
    statements
      .filter(
        (s) =>
          isObject(operation(s).Deidentify) &&
          isObject((operation(s).Deidentify as Record<string, unknown>).MaskConfig),
      )
      .flatMap((s) => asList(s.DataIdentifier).map(identifierName))
      .filter((n): n is string => n !== undefined),
  );
  const findings: string[] = [];
  if (!audits) findings.push('DataProtectionPolicy::no-audit');
  if (masked.size === 0) findings.push('DataProtectionPolicy::no-mask');
  else {
    const missing = REQUIRED_MASKED_IDENTIFIERS.filter((n) => !masked.has(n));
    if (missing.length > 0) findings.push(`DataProtectionPolicy::not-masked-${missing.join('+')}`);
  }
  return findings;
}

/**
 * U4: a log group that can receive PHI (marked `HipaaBlueprint::PhiLogGroup`, named like the database's exports or
 * WAF's logs, or written by a container, ECS Exec or Session Manager) carries a CloudWatch Logs data protection
 * policy that audits and masks the health and identity identifiers of PHI_LOG_DATA_IDENTIFIERS.
 */
export function PhiLogGroupDataProtection(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  if (!phiLogGroupIds(view.stack.template).has(view.logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  const findings = dataProtectionFindings(view.resource);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
