import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, cfnAbsent, cfnNumber, isObject, Json, localTarget, TemplateJson } from '../core/template-json';
import { viewOf } from './template-view';

/** The sign-in action types, each with the config property ELB reads for it. */
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

/** One action of a list as the rule reads it: what it does, and its place (undefined when only deploy resolves it). */
interface Step {
  readonly kind: 'sign-in' | 'open-sign-in' | 'forward' | 'other' | 'unresolved';
  readonly order: number | undefined;
}

function stepOf(action: unknown, position: number): Step {
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
    return { kind: keepsAnonymousOut(action[configProperty]) ? 'sign-in' : 'open-sign-in', order };
  }
  return { kind: action.Type === 'forward' ? 'forward' : 'other', order };
}

/**
 * Findings of an action list: each forward comes after an authenticate action that does not let anonymous requests
 * through. Fail closed: a forward (or an action, or a list, only deploy resolves, which may be one) is signed in only
 * when a sign-in's Order and its own are both known and the sign-in's is lower.
 */
export function signInFindings(actions: unknown, where: string): string[] {
  // A list only deploy resolves (a condition choosing between lists) may hold a forward without sign-in.
  if (isObject(actions) && actions.Type === undefined) return [`${where}::action-only-deploy-resolves`];
  // An entry of {"Ref": "AWS::NoValue"} is no action: CloudFormation drops it (and the list closes up).
  const steps = asList(actions)
    .filter((a) => !cfnAbsent(a))
    .map((a, i) => stepOf(a, i + 1));
  const signIns = steps.filter((s) => s.kind === 'sign-in' && s.order !== undefined).map((s) => s.order!);
  const signedInBefore = (step: Step): boolean => step.order !== undefined && signIns.some((o) => o < step.order!);
  const findings = new Set<string>();
  for (const step of steps) {
    if (step.kind === 'open-sign-in') findings.add(`${where}::sign-in-allows-anonymous`);
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
 * A2: every request the application load balancer forwards to a PHI service has signed in first (Cognito with MFA,
 * or OIDC): on an HTTPS listener, the default action and every rule's actions put an authenticate action that does
 * not `allow` unauthenticated requests before any forward (by an Order both have: signInFindings). (Plain HTTP listeners may only redirect: NoHttpForwardListener.)
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
    findings = signInFindings(p.DefaultActions, 'DefaultActions');
  } else {
    // A rule of an HTTP listener is NoHttpForwardListener's; an unknown listener is held to this rule.
    if (listenerProtocol(p, view.stack.template) === 'HTTP') return NagRuleCompliance.NOT_APPLICABLE;
    findings = signInFindings(p.Actions, 'Actions');
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
