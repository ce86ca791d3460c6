import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { asList, cfnAbsent, cfnAlternatives, isIntrinsic, isObject } from '../core/template-json';
import { templateProperties } from './template-properties';

/** The value a condition block gives a key (condition keys are case-insensitive). */
function conditionValue(block: unknown, key: string): unknown {
  if (!isObject(block)) return undefined;
  const hit = Object.entries(block).find(([k]) => k.toLowerCase() === key.toLowerCase());
  return hit?.[1];
}

/**
 * Whether one condition block requires MFA: `Bool` aws:MultiFactorAuthPresent 'true', or a maximum
 * aws:MultiFactorAuthAge (NumericLessThan / NumericLessThanEquals). Both fail closed when the request carries no MFA
 * context. `BoolIfExists` is not accepted: in an Allow it also admits requests made with long-term access keys, which
 * carry no MFA key at all. A value only deploy resolves must require MFA whichever way it resolves: a condition that
 * may give `"false"` or `AWS::NoValue` (no value: the key is not tested) does not.
 */
function blockRequiresMfa(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  const present = asList(conditionValue(condition.Bool, 'aws:MultiFactorAuthPresent')).flatMap(cfnAlternatives);
  if (present.length > 0 && present.every((v) => v === 'true' || v === true)) return true;
  return ['NumericLessThan', 'NumericLessThanEquals'].some((op) => {
    const age = conditionValue(condition[op], 'aws:MultiFactorAuthAge');
    return age !== undefined && cfnAlternatives(age).every((v) => v !== undefined);
  });
}

/** Whether the statement's Condition requires MFA whatever deploy resolves (every branch of a condition does). */
const requiresMfa = (condition: unknown): boolean => cfnAlternatives(condition).every(blockRequiresMfa);

/**
 * Whether a principal may be a person signing in to AWS: anyone ('*'), or an AWS principal (an account root, a role
 * or user ARN, '*'), in any branch of a condition; a principal only deploy resolves (a parameter) may be '*'.
 * Service principals are not (services do not use MFA); federated ones are judged apart (mayBeFederated).
 */
function mayBeAwsPrincipal(principal: unknown): boolean {
  return cfnAlternatives(principal).some((p) => {
    if (p === '*' || isIntrinsic(p)) return true;
    return isObject(p) && 'AWS' in p;
  });
}

/**
 * Whether a principal may be a federated identity (`Federated`: an OIDC or SAML provider, Cognito identity pools) in
 * any branch of a condition. Its sessions carry no MFA key for the trust policy to require, and whoever the identity
 * provider admits assumes the role: the blueprint ships no such trust (its people are the break-glass role's IAM
 * users), and config names none.
 */
function mayBeFederated(principal: unknown): boolean {
  return cfnAlternatives(principal).some((p) => isObject(p) && !isIntrinsic(p) && 'Federated' in p);
}

/**
 * The findings of one trust statement at index `i` (each branch of a condition in its place judged): an Allow (or an
 * Effect only deploy resolves, which may allow) admitting an AWS principal or NotPrincipal (everyone but those
 * listed) must require MFA; one admitting a federated principal is a finding whatever its condition; a statement only
 * deploy resolves (a parameter, an import) may admit anyone.
 */
function statementFindings(statement: unknown, i: number): string[] {
  return cfnAlternatives(statement).flatMap((s) => {
    if (s === undefined) return [];
    if (!isObject(s) || isIntrinsic(s)) return [`AssumeRolePolicy::Statement${i}-only-deploy-resolves`];
    if (cfnAlternatives(s.Effect).every((effect) => effect === 'Deny')) return [];
    const federated = mayBeFederated(s.Principal) ? [`AssumeRolePolicy::Statement${i}-federated`] : [];
    // NotPrincipal of {"Ref": "AWS::NoValue"} is absent.
    const admitsPerson = !cfnAbsent(s.NotPrincipal) || mayBeAwsPrincipal(s.Principal);
    return [
      ...federated,
      ...(admitsPerson && !requiresMfa(s.Condition) ? [`AssumeRolePolicy::Statement${i}-no-MFA`] : []),
    ];
  });
}

/** The findings of a trust policy document, each branch of a condition choosing the document or its statements. */
function documentFindings(document: unknown): string[] {
  return cfnAlternatives(document).flatMap((d) => {
    if (d === undefined) return [];
    if (!isObject(d) || isIntrinsic(d)) return ['AssumeRolePolicyDocument::only-deploy-resolves'];
    return cfnAlternatives(d.Statement).flatMap((statements) => {
      if (isIntrinsic(statements)) return ['AssumeRolePolicy::Statement-only-deploy-resolves'];
      return asList(statements).flatMap(statementFindings);
    });
  });
}

/**
 * Identity providers people federate through (an OIDC provider, CDK's custom resource for one, a SAML provider, a
 * Cognito identity pool): the blueprint ships none.
 */
const IDENTITY_PROVIDER_TYPES: readonly string[] = [
  'AWS::IAM::OIDCProvider',
  'Custom::AWSCDKOpenIdConnectProvider',
  'AWS::IAM::SAMLProvider',
  'AWS::Cognito::IdentityPool',
];

/**
 * A2: a role people can assume (its trust policy admits an AWS principal: an account root, a role or user ARN, '*';
 * or NotPrincipal, everyone but those listed) requires MFA on every statement that may allow one. Service principals
 * are out of scope (services do not use MFA). A federated principal (an OIDC or SAML provider, a Cognito identity
 * pool) is a finding in any statement that may allow it, and so is an identity provider itself: the blueprint ships
 * neither (its people are the break-glass role's IAM users, with MFA), federated sessions carry no MFA key the trust
 * policy could require, and a provider admits whoever its conditions let in (every repository of an organisation, say).
 * A fork that federates acknowledges the finding with the identity provider's MFA as the compensating control. Fail
 * closed on what only deploy resolves: an Effect that may be Allow, a principal that may be an AWS one, a statement, a
 * list of statements or a document in a condition's branches (each branch judged), or a parameter in their place; MFA
 * conditions must hold in every branch. Reads the rendered template, so roles that custom resource providers create
 * as plain CfnResources are checked too.
 */
/**
 * IAM Identity Center resources that give people access to the account (a permission set and its assignment, an
 * application and its assignment, attribute-based access): whether they sign in with MFA is an Identity Center
 * instance setting the template does not state, and a permission set's session may last 12 hours; the blueprint
 * ships none (the attacker review of 2026-12-04, third round: an AdministratorAccess permission set passed).
 */
const IDENTITY_CENTER_TYPES: readonly string[] = [
  'AWS::SSO::PermissionSet',
  'AWS::SSO::Assignment',
  'AWS::SSO::Application',
  'AWS::SSO::ApplicationAssignment',
  'AWS::SSO::InstanceAccessControlAttributeConfiguration',
];

export function HumanRolesRequireMfa(node: CfnResource): NagRuleResult {
  if (IDENTITY_PROVIDER_TYPES.includes(node.cfnResourceType)) return ['IdentityProvider::not-shipped'];
  if (IDENTITY_CENTER_TYPES.includes(node.cfnResourceType)) return ['IdentityCenter::not-shipped'];
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const findings = documentFindings(templateProperties(node).AssumeRolePolicyDocument);
  return findings.length > 0 ? [...new Set(findings)] : NagRuleCompliance.COMPLIANT;
}
