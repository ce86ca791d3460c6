/**
 * AWS Organizations service control policy (SCP) that denies every AWS action outside the
 * HIPAA-eligible IAM prefixes plus the control-plane allowances.
 *
 * Semantics of `Deny` + `NotAction` (double-checked against the IAM policy evaluation rules):
 * the statement applies to every action that matches NONE of the `NotAction` patterns, and denies
 * it. Actions that do match a pattern (e.g. `kms:Decrypt` against `kms:*`) are simply not covered
 * by this statement; it does NOT allow them. They still need an Allow from the SCP chain (e.g. the
 * default FullAWSAccess SCP) and from identity/resource policies. An explicit Deny always wins, so
 * no other policy can re-enable a denied service. SCPs do not restrict the management account or
 * service-linked roles. Action matching is case-insensitive.
 */
import { eligibleIamPrefixes } from './eligible-services';
import { CONTROL_PLANE_ALLOWANCES } from './resource-service-map';

/** Maximum size of an SCP document in characters (AWS Organizations quota; whitespace counts). */
export const SCP_MAX_CHARS = 5120;

/** Sid of the deny statement. */
export const SCP_STATEMENT_SID = 'DenyNonHipaaEligibleServices';

/** An SCP document as built here. */
export interface EligibilityScp {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Deny';
    readonly NotAction: readonly string[];
    readonly Resource: '*';
  }[];
}

/** IAM prefixes the SCP leaves usable: the eligible list plus control-plane allowances, sorted. */
export function allowedIamPrefixes(): string[] {
  const prefixes = new Set([...eligibleIamPrefixes, ...CONTROL_PLANE_ALLOWANCES.map((a) => a.iamPrefix)]);
  return [...prefixes].sort();
}

/** Builds the SCP: one condition-free Deny statement with `NotAction: ['<prefix>:*', ...]`. */
export function buildEligibilityScp(): EligibilityScp {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: SCP_STATEMENT_SID,
        Effect: 'Deny',
        NotAction: allowedIamPrefixes().map((prefix) => `${prefix}:*`),
        Resource: '*',
      },
    ],
  };
}

/**
 * Renders a policy as minified JSON (no whitespace) and enforces the SCP size limit.
 * @throws Error naming how many characters the policy is over the limit.
 */
export function renderScp(policy: object): string {
  const json = JSON.stringify(policy);
  if (json.length > SCP_MAX_CHARS) {
    throw new Error(
      `SCP is ${json.length - SCP_MAX_CHARS} characters over the ${SCP_MAX_CHARS}-character limit ` +
        `(${json.length} characters minified); split it into several SCPs or use broader wildcards.`,
    );
  }
  return json;
}

/** The eligibility SCP as minified JSON, guaranteed to fit the SCP size limit. */
export function renderEligibilityScp(): string {
  return renderScp(buildEligibilityScp());
}
