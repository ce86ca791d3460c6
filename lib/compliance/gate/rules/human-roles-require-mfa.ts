import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { templateProperties } from './template-properties';

type Conditions = Record<string, Record<string, unknown> | undefined>;

interface Statement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Conditions;
}

/** The value a condition block gives a key (condition keys are case-insensitive). */
function conditionValue(block: Record<string, unknown> | undefined, key: string): unknown {
  const hit = Object.entries(block ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase());
  return hit?.[1];
}

/**
 * Whether the statement's conditions require MFA: `Bool` aws:MultiFactorAuthPresent 'true', or a
 * maximum aws:MultiFactorAuthAge (NumericLessThan / NumericLessThanEquals). Both fail closed when
 * the request carries no MFA context. `BoolIfExists` is not accepted: in an Allow it also admits
 * requests made with long-term access keys, which carry no MFA key at all.
 */
function requiresMfa(condition: Conditions | undefined): boolean {
  const present = ([] as unknown[]).concat(conditionValue(condition?.Bool, 'aws:MultiFactorAuthPresent') ?? []);
  if (present.length > 0 && present.every((v) => v === 'true' || v === true)) return true;
  return ['NumericLessThan', 'NumericLessThanEquals'].some(
    (op) => conditionValue(condition?.[op], 'aws:MultiFactorAuthAge') !== undefined,
  );
}

/** Whether the statement admits an AWS principal (an account, a role, a user, or anyone). */
function admitsAwsPrincipal(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (principal === '*') return true;
  return typeof principal === 'object' && principal !== null && 'AWS' in principal;
}

/**
 * A2: a role people can assume (its trust policy admits an AWS principal: an account root, a role or
 * user ARN, '*') requires MFA on every Allow statement that admits one. Service and federated
 * principals are out of scope (services do not use MFA; federated sign-in enforces MFA at the
 * identity provider, e.g. the Cognito user pool). Reads the rendered template, so roles that custom
 * resource providers create as plain CfnResources are checked too.
 */
export function HumanRolesRequireMfa(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const document = templateProperties(node).AssumeRolePolicyDocument as { Statement?: unknown } | undefined;
  const statements = ([] as unknown[]).concat(document?.Statement ?? []) as Statement[];
  const findings: string[] = [];
  for (const [i, statement] of statements.entries()) {
    if (statement.Effect !== 'Allow' || !admitsAwsPrincipal(statement)) continue;
    if (!requiresMfa(statement.Condition)) findings.push(`AssumeRolePolicy::Statement${i}-no-MFA`);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
