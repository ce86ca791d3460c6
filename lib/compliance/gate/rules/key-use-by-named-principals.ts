import { CfnResource } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { markerOf, NAMED_KEY_USERS_METADATA } from '../../../../constructs/core/markers';
import { ADMIN_ACTIONS } from '../../../../constructs/managed-key';
import { keyPolicyOf, useActionsAllowedBy } from './kms-key-safeguards';
import { conditionValues, entries, exactValues, PolicyStatementJson, statementCovers } from './policy-statements';

/** An exact IAM role ARN named as a principal (not an account, not the root, not `*`). */
const ROLE_ARN = /^arn:[^:]+:iam::\d{12}:role\/[^*?]+$/;

/** Whether every AWS principal the statement names is an exact role (so it names who, not a whole account). */
function namesRolesOnly(principal: unknown): boolean {
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = entries((principal as { AWS?: unknown }).AWS);
  return aws.length > 0 && aws.every((a) => typeof a === 'string' && ROLE_ARN.test(a));
}

/** Whether the statement names AWS principals at all (service-only statements are scoped by KmsKeySafeguards). */
function namesAwsPrincipals(statement: PolicyStatementJson): boolean {
  const principal = statement.Principal;
  if (statement.NotPrincipal !== undefined || principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return true;
  return Object.keys(principal).some((k) => k !== 'Service');
}

/**
 * E1: on a key marked NamedKeyUsers (the PHI, audit, backup and PHI replica keys), no statement gives use
 * (encrypt, decrypt, data keys, grants) or administration (ADMIN_ACTIONS: policy, state, aliases, deletion) to
 * every principal of an account. A statement naming the account root (or `*`) must narrow it with a positive
 * aws:PrincipalArn condition of exact ARNs: the account root principal alone delegates to every identity whose
 * IAM policy allows the action (AdministratorAccess, PowerUser, the CDK execution role). Wildcards in
 * aws:PrincipalArn (`role/*`) are findings. Service principals are KmsKeySafeguards' concern.
 */
export function KeyUseByNamedPrincipals(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnKey)) return NagRuleCompliance.NOT_APPLICABLE;
  if (markerOf(node, NAMED_KEY_USERS_METADATA) === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const policy = keyPolicyOf(node);
  const findings = [...policy.findings];
  for (const [i, statement] of policy.statements.entries()) {
    if (statement.Effect !== 'Allow' || !namesAwsPrincipals(statement)) continue;
    const use =
      statement.NotAction !== undefined || entries(statement.Action).some((a) => useActionsAllowedBy(a).length > 0);
    const administration = ADMIN_ACTIONS.some((a) => statementCovers(statement, a, 'possibly'));
    if (!use && !administration) continue;
    if (statement.NotPrincipal === undefined && namesRolesOnly(statement.Principal)) continue;
    const named = conditionValues(statement.Condition, 'aws:PrincipalArn', 'positive');
    const kind = use ? 'use' : 'administration';
    if (named === undefined) findings.push(`KeyPolicy::Statement${i}-whole-account-${kind}`);
    else if (!exactValues(named)) findings.push(`KeyPolicy::Statement${i}-principal-arn-wildcard`);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
