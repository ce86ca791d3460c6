import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import {
  cfnAlternatives,
  cfnListForms,
  isIntrinsic,
  isObject,
  JsonResource,
  localTarget,
  resourcesOf,
} from '../core/template-json';
import { viewOf } from './template-view';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';

/** Whether a listener's Protocol may be plain HTTP when deployed: HTTP in a branch of a condition, or a parameter. */
function mayBeHttp(protocol: unknown): boolean {
  return cfnAlternatives(protocol).some((p) => p === 'HTTP' || isIntrinsic(p));
}

/**
 * Findings of one action (an entry of cfnListForms, so never a condition itself) on plain HTTP: anything but a
 * redirect whose Protocol is HTTPS whatever deploy resolves. A fixed response carries no upstream content, but port 80
 * answering anything but a redirect keeps clients on HTTP; only redirects to HTTPS pass. An action or a Type only
 * deploy resolves (a parameter) may be a forward; each branch of a Type chosen by a condition is judged.
 */
function actionFindings(action: unknown, where: string): string[] {
  if (!isObject(action) || isIntrinsic(action)) return [`${where}::action-only-deploy-resolves`];
  return cfnAlternatives(action.Type).flatMap((type) => {
    if (type === undefined) return [`${where}::no-type`];
    if (typeof type !== 'string') return [`${where}::action-only-deploy-resolves`];
    if (type !== 'redirect') return [`${where}::${type}`];
    const config = action.RedirectConfig;
    const protocols = isObject(config) && !isIntrinsic(config) ? cfnAlternatives(config.Protocol) : [config];
    return protocols.every((p) => p === 'HTTPS') ? [] : [`${where}::redirect`];
  });
}

/**
 * Findings of a list of actions, in every form a condition may give it (cfnListForms: an AWS::NoValue entry is no
 * action); a list only deploy resolves (a parameter) may hold a forward. `none` is the finding of an empty form.
 */
function listFindings(actions: unknown, where: string, none?: string): string[] {
  const forms = cfnListForms(actions);
  if (forms === undefined) return [`${where}::action-only-deploy-resolves`];
  return forms.flatMap((form) =>
    form.length === 0 && none !== undefined ? [none] : form.flatMap((a) => actionFindings(a, where)),
  );
}

/** Whether a listener rule may belong to the listener: its ListenerArn (or a branch of a condition) references it. */
const attachedTo = (rule: JsonResource, listenerId: string): boolean =>
  cfnAlternatives(rule.Properties?.ListenerArn).some((arn) => localTarget(arn) === listenerId);

/**
 * E3: a plain-HTTP listener only redirects to HTTPS. Fires on a listener whose Protocol may be HTTP (HTTP, or a
 * condition or parameter that may resolve to it) whose default actions are anything but a redirect with Protocol
 * HTTPS, and on any ListenerRule of the same template that may attach (its ListenerArn, or a branch of a condition in
 * it, references the listener) a non-redirect action to it (rules are separate resources referencing the listener).
 * Reads the template as written: each branch of a condition choosing an action, its Type, a redirect's Protocol or a
 * whole list of actions is judged, and a list or an action only deploy resolves may forward.
 */
export function NoHttpForwardListener(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== LISTENER) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const p = view.resource.Properties ?? {};
  if (!mayBeHttp(p.Protocol)) return NagRuleCompliance.NOT_APPLICABLE;
  const findings = listFindings(p.DefaultActions, 'DefaultAction', 'DefaultActions::none');
  for (const [logicalId, rule] of resourcesOf(view.stack.template, LISTENER_RULE)) {
    if (attachedTo(rule, view.logicalId))
      findings.push(...listFindings(rule.Properties?.Actions, `ListenerRule::${logicalId}`));
  }
  return findings.length > 0 ? [...new Set(findings)] : NagRuleCompliance.COMPLIANT;
}
