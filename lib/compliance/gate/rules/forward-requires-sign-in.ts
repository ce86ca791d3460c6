import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import {
  asList,
  cfnAbsent,
  cfnBoolean,
  cfnListAlways,
  cfnNumber,
  isObject,
  Json,
  JsonResource,
  localAttribute,
  localTarget,
  TemplateJson,
} from '../core/template-json';
import { viewOf } from './template-view';

/**
 * The sign-in action types, each with the config property ELB reads for it. Only Cognito signs in: the blueprint's
 * user pool is the one identity store whose users must pass MFA (A2); config has no OIDC option (lib/config/schema.ts),
 * so an OIDC action hands the decision of who reaches PHI, and whether with MFA, to whoever runs that identity provider.
 */
const AUTHENTICATE: Readonly<Record<string, string>> = {
  'authenticate-cognito': 'AuthenticateCognitoConfig',
  'authenticate-oidc': 'AuthenticateOidcConfig',
};

/**
 * Whether a sign-in action's config keeps anonymous requests out: a plain object (not a condition choosing one) whose
 * OnUnauthenticatedRequest is absent (authenticate is the default), 'authenticate' or 'deny', exactly as ELB spells
 * them. 'allow', another spelling, a value only deploy resolves, or a config that is missing or only deploy resolves
 * may let them through.
 */
function keepsAnonymousOut(config: unknown): boolean {
  if (!isObject(config) || Object.keys(config).some((k) => k === 'Ref' || k.startsWith('Fn::'))) return false;
  const mode = config.OnUnauthenticatedRequest;
  return cfnAbsent(mode) || mode === 'authenticate' || mode === 'deny';
}

/** The resource `value` names by Ref or Fn::GetAtt in `template` when it is of `type` (and attribute), else undefined. */
function namedResource(
  value: unknown,
  template: TemplateJson,
  type: string,
  attribute: string,
): JsonResource | undefined {
  const id = localTarget(value);
  const resource = id === undefined ? undefined : template.Resources[id];
  return resource?.Type === type && localAttribute(value) === attribute ? resource : undefined;
}

/** The API sign-in flows the load balancer's client may allow: SRP, and refreshing its tokens. */
const SRP_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
/** The OAuth scopes its tokens may carry: OpenID Connect identity only. */
const IDENTITY_SCOPES = ['openid', 'email', 'profile', 'phone'];

/** The one callback a load balancer's sign-in client has: the load balancer's own, on a host name. */
const LOAD_BALANCER_CALLBACK =
  /^https:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\/oauth2\/idpresponse$/;

/**
 * Why the sign-in's app client may hand a sign-in to someone other than the load balancer (empty when it may not):
 * the authorization code grant only (AllowedOAuthFlows exactly `code`: the implicit flow puts the tokens in the
 * redirect, client credentials sign in no person), with a client secret (GenerateSecret true: without it whoever holds
 * a code exchanges it), API sign-in by SRP only (ExplicitAuthFlows), identity scopes only, and one callback URL, the load balancer's `https://<host>/oauth2/idpresponse` (any other URL
 * on the list receives the codes of users sent there; AllowListsAsConfigured compares the host with config).
 */
export function clientShortfalls(client: Json): string[] {
  const problems: string[] = [];
  if (!cfnListAlways(client.AllowedOAuthFlows, (l) => l.length === 1 && l[0] === 'code')) {
    problems.push('client-flows-not-code-only');
  }
  if (cfnBoolean(client.GenerateSecret) !== true) problems.push('client-without-secret');
  // How a user may sign in through the client's API besides the hosted pages: SRP (the password never sent) and
  // refresh only. A custom, passwordless (USER_AUTH) or plain-password flow is one the gate did not judge, and its
  // tokens are the client's too (absent: Cognito's default allows USER_PASSWORD and CUSTOM).
  if (
    !cfnListAlways(client.ExplicitAuthFlows, (l) => l.length > 0 && l.every((f) => SRP_FLOWS.includes(f as string)))
  ) {
    problems.push('client-auth-flows-beyond-srp');
  }
  // What the tokens may do: OpenID Connect identity scopes only (aws.cognito.signin.user.admin lets a token change
  // its own user's attributes and devices; a resource server's scope grants what no rule judged).
  if (!cfnListAlways(client.AllowedOAuthScopes, (l) => l.every((x) => IDENTITY_SCOPES.includes(x as string)))) {
    problems.push('client-scopes-beyond-identity');
  }
  if (
    !cfnListAlways(
      client.CallbackURLs,
      (l) => l.length === 1 && typeof l[0] === 'string' && LOAD_BALANCER_CALLBACK.test(l[0]),
    )
  ) {
    problems.push('client-callback-not-load-balancer');
  }
  return problems;
}

/**
 * Why a Cognito sign-in's config does not pin the blueprint's MFA sign-in (empty when it does): UserPoolArn names, by
 * Fn::GetAtt Arn, a user pool of the listener's own template (a literal ARN, another stack's output or a parameter is
 * a pool no rule judged, perhaps another account's) whose MfaConfiguration is 'ON' (OPTIONAL lets a user skip it) and
 * whose users only administrators create (AdminCreateUserConfig.AllowAdminCreateUserOnly true: no self sign-up);
 * UserPoolClientId names, by Ref, a client of that pool in the template whose SupportedIdentityProviders are only
 * COGNITO (a federated identity provider's users sign in without the pool's MFA), and which hands sign-ins to the load
 * balancer only (clientShortfalls); UserPoolDomain names, by Ref, a Cognito prefix domain of that pool in the template;
 * the pool has no Lambda triggers and enforces threat protection.
 */
function cognitoShortfalls(config: unknown, template: TemplateJson): string[] {
  if (!isObject(config)) return [];
  const pool = namedResource(config.UserPoolArn, template, 'AWS::Cognito::UserPool', 'Arn');
  if (pool === undefined) return ['user-pool-not-of-this-template'];
  const problems: string[] = [];
  if (pool.Properties?.MfaConfiguration !== 'ON') problems.push('user-pool-mfa-not-on');
  // Absent or false, anyone on the internet signs up through the pool's sign-in pages, enrols their own MFA and passes
  // the load balancer (found by the attacker review of 2026-12-03).
  const adminCreateOnly = isObject(pool.Properties?.AdminCreateUserConfig)
    ? cfnBoolean(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly)
    : undefined;
  if (adminCreateOnly !== true) problems.push('user-pool-self-sign-up');
  // Lambda triggers decide who signs in and what tokens say: a UserMigration trigger creates a confirmed user for any
  // password it accepts (self sign-up again), PreTokenGeneration rewrites claims. The blueprint's pool has none.
  const triggers = pool.Properties?.LambdaConfig;
  if (!cfnAbsent(triggers) && !(isObject(triggers) && Object.values(triggers).every(cfnAbsent))) {
    problems.push('user-pool-triggers');
  }
  // Threat protection blocks compromised credentials and risky sign-ins (AUDIT only records them).
  const addOns = pool.Properties?.UserPoolAddOns;
  if (!isObject(addOns) || addOns.AdvancedSecurityMode !== 'ENFORCED') {
    problems.push('user-pool-threat-protection-not-enforced');
  }
  const client = namedResource(config.UserPoolClientId, template, 'AWS::Cognito::UserPoolClient', 'Ref');
  const poolId = localTarget(config.UserPoolArn);
  const cognitoOnly = (list: readonly unknown[]): boolean => list.every((p) => p === 'COGNITO');
  if (
    client === undefined ||
    localTarget(client.Properties?.UserPoolId) !== poolId ||
    localAttribute(client.Properties?.UserPoolId) !== 'Ref' ||
    !cfnListAlways(client.Properties?.SupportedIdentityProviders, cognitoOnly)
  ) {
    problems.push('client-not-cognito-only');
  }
  if (client !== undefined) problems.push(...clientShortfalls(client.Properties ?? {}));
  // The sign-in pages the load balancer sends users to, and exchanges their codes at with the client secret: the
  // pool's own domain (by Ref). Another host there (a literal, the attacker review of the next sitting) receives them.
  const domain = namedResource(config.UserPoolDomain, template, 'AWS::Cognito::UserPoolDomain', 'Ref');
  // And Cognito's own prefix domain (<prefix>.auth.<region>.amazoncognito.com), not a custom domain: whoever holds a
  // custom domain's DNS may later point it elsewhere (the second attacker review of 2026-12-03).
  if (
    domain === undefined ||
    localTarget(domain.Properties?.UserPoolId) !== poolId ||
    localAttribute(domain.Properties?.UserPoolId) !== 'Ref'
  ) {
    problems.push('domain-not-of-the-pool');
  } else if (
    !cfnAbsent(domain.Properties?.CustomDomainConfig) ||
    typeof domain.Properties?.Domain !== 'string' ||
    !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(domain.Properties.Domain)
  ) {
    problems.push('domain-custom');
  }
  return problems;
}

/** One action of a list as the rule reads it: what it does, and its place (undefined when only deploy resolves it). */
interface Step {
  readonly kind: 'sign-in' | 'open-sign-in' | 'foreign-sign-in' | 'forward' | 'other' | 'unresolved';
  readonly order: number | undefined;
  /** Why a Cognito sign-in is not the blueprint's (cognitoShortfalls), or 'sign-in-not-cognito' for OIDC. */
  readonly problems?: readonly string[];
}

function stepOf(action: unknown, position: number, template: TemplateJson): Step {
  // An intrinsic in place of the action (a condition choosing one) has neither a known kind nor a known place.
  if (!isObject(action) || action.Type === undefined) return { kind: 'unresolved', order: undefined };
  // Order decides (lowest first); without Order, the list order. An Order only deploy resolves has no known place.
  const order = action.Order !== undefined ? cfnNumber(action.Order) : position;
  if (typeof action.Type !== 'string') return { kind: 'unresolved', order };
  const configProperty = Object.prototype.hasOwnProperty.call(AUTHENTICATE, action.Type)
    ? AUTHENTICATE[action.Type]
    : undefined;
  if (configProperty !== undefined) {
    // The config of the action's own type: a Cognito config on an OIDC action is not what ELB reads.
    const config = action[configProperty];
    if (!keepsAnonymousOut(config)) return { kind: 'open-sign-in', order };
    const problems =
      action.Type === 'authenticate-cognito' ? cognitoShortfalls(config, template) : ['sign-in-not-cognito'];
    return problems.length > 0 ? { kind: 'foreign-sign-in', order, problems } : { kind: 'sign-in', order };
  }
  return { kind: action.Type === 'forward' ? 'forward' : 'other', order };
}

/**
 * Findings of an action list of `template`: each forward comes after the blueprint's sign-in, an authenticate-cognito
 * action that does not let anonymous requests through, of a user pool of the template with MFA on and a client of it
 * with no federated identity provider (cognitoShortfalls). An OIDC sign-in, or a Cognito one of another pool, is no
 * sign-in: it is a finding of its own, and the forward after it is not signed in. Fail closed: a forward (or an
 * action, or a list, only deploy resolves, which may be one) is signed in only when a sign-in's Order and its own are
 * both known and the sign-in's is lower.
 */
export function signInFindings(actions: unknown, where: string, template: TemplateJson): string[] {
  // A list only deploy resolves (a condition choosing between lists) may hold a forward without sign-in.
  if (isObject(actions) && actions.Type === undefined) return [`${where}::action-only-deploy-resolves`];
  // An entry of {"Ref": "AWS::NoValue"} is no action: CloudFormation drops it (and the list closes up).
  const steps = asList(actions)
    .filter((a) => !cfnAbsent(a))
    .map((a, i) => stepOf(a, i + 1, template));
  const signIns = steps.filter((s) => s.kind === 'sign-in' && s.order !== undefined).map((s) => s.order!);
  const signedInBefore = (step: Step): boolean => step.order !== undefined && signIns.some((o) => o < step.order!);
  const findings = new Set<string>();
  for (const step of steps) {
    if (step.kind === 'open-sign-in') findings.add(`${where}::sign-in-allows-anonymous`);
    else if (step.kind === 'foreign-sign-in') step.problems!.forEach((p) => findings.add(`${where}::${p}`));
    else if (step.kind === 'forward' && !signedInBefore(step)) findings.add(`${where}::forward-without-sign-in`);
    else if (step.kind === 'unresolved' && !signedInBefore(step)) findings.add(`${where}::action-only-deploy-resolves`);
  }
  return [...findings].sort();
}

/** The protocol of the listener a rule belongs to, when it is in the same template. */
function listenerProtocol(rule: Json, template: TemplateJson): unknown {
  const id = localTarget(rule.ListenerArn);
  return id === undefined ? undefined : template.Resources[id]?.Properties?.Protocol;
}

/**
 * A2: every request the application load balancer forwards to a PHI service has signed in first, with MFA, through
 * the blueprint's Cognito user pool: on an HTTPS listener, the default action and every rule's actions put an
 * authenticate-cognito action that does not `allow` unauthenticated requests, of a user pool of the template with MFA
 * on and a client of it without federated identity providers, before any forward (by an Order both have:
 * signInFindings). (Plain HTTP listeners may only redirect: NoHttpForwardListener.)
 */
export function ForwardRequiresSignIn(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (type !== 'AWS::ElasticLoadBalancingV2::Listener' && type !== 'AWS::ElasticLoadBalancingV2::ListenerRule') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const view = viewOf(node);
  const p: Json = view.resource.Properties ?? {};
  let findings: string[];
  if (type === 'AWS::ElasticLoadBalancingV2::Listener') {
    if (p.Protocol === 'HTTP') return NagRuleCompliance.NOT_APPLICABLE;
    findings = signInFindings(p.DefaultActions, 'DefaultActions', view.stack.template);
  } else {
    // A rule of an HTTP listener is NoHttpForwardListener's; an unknown listener is held to this rule.
    if (listenerProtocol(p, view.stack.template) === 'HTTP') return NagRuleCompliance.NOT_APPLICABLE;
    findings = signInFindings(p.Actions, 'Actions', view.stack.template);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
