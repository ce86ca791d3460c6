import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, cfnNumber, isObject, Json, localTarget, TemplateJson } from '../core/template-json';
import { viewOf } from './template-view';

const AUTHENTICATE = ['authenticate-cognito', 'authenticate-oidc'];

/** Findings of an action list: each forward comes after an authenticate action that does not let anonymous requests through. */
export function signInFindings(actions: unknown, where: string): string[] {
  const list = asList(actions).filter(isObject);
  // Order decides (lowest first); without Order, the list order.
  const ordered = list
    .map((a, i) => ({ a, order: cfnNumber(a.Order) ?? i + 1 }))
    .sort((x, y) => x.order - y.order)
    .map((x) => x.a);
  const findings: string[] = [];
  let signedIn = false;
  for (const action of ordered) {
    const type = action.Type;
    if (typeof type === 'string' && AUTHENTICATE.includes(type)) {
      const config = (action.AuthenticateCognitoConfig ?? action.AuthenticateOidcConfig) as Json | undefined;
      // 'authenticate' (the default) and 'deny' keep anonymous requests out; 'allow', or a value only deploy resolves
      // (a condition), may let them through.
      const mode = config?.OnUnauthenticatedRequest;
      if (mode !== undefined && mode !== 'authenticate' && mode !== 'deny') {
        findings.push(`${where}::sign-in-allows-anonymous`);
      } else signedIn = true;
    } else if (type === 'forward' && !signedIn) {
      findings.push(`${where}::forward-without-sign-in`);
    }
  }
  return findings;
}

/** The protocol of the listener a rule belongs to, when it is in the same template. */
function listenerProtocol(rule: Json, template: TemplateJson): unknown {
  const id = localTarget(rule.ListenerArn);
  return id === undefined ? undefined : template.Resources[id]?.Properties?.Protocol;
}

/**
 * A2: every request the application load balancer forwards to a PHI service has signed in first (Cognito with MFA,
 * or OIDC): on an HTTPS listener, the default action and every rule's actions put an authenticate action that does
 * not `allow` unauthenticated requests before any forward. (Plain HTTP listeners may only redirect: NoHttpForwardListener.)
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
