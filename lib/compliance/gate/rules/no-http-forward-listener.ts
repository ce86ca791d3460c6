import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnListener, CfnListenerRule } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag';

/** A listener action, as the L1 property (camelCase) or raw CloudFormation (PascalCase). */
interface Action {
  readonly type?: unknown;
  readonly Type?: unknown;
  readonly redirectConfig?: { readonly protocol?: unknown };
  readonly RedirectConfig?: { readonly Protocol?: unknown };
}

function typeOf(action: Action): string {
  return String(action.type ?? action.Type);
}

/**
 * An action that may serve or forward content over plain HTTP: anything but a redirect to HTTPS.
 * A fixed response carries no upstream content, but port 80 answering anything but a redirect keeps
 * clients on HTTP; only redirects to HTTPS pass.
 */
function servesOverHttp(action: Action): boolean {
  if (typeOf(action) !== 'redirect') return true;
  return (action.redirectConfig?.protocol ?? action.RedirectConfig?.Protocol) !== 'HTTPS';
}

function actionsOf(node: CfnResource, actions: unknown): Action[] {
  const resolved = Stack.of(node).resolve(actions) as unknown;
  return Array.isArray(resolved) ? (resolved as Action[]) : [];
}

/**
 * E3: a plain-HTTP listener only redirects to HTTPS. Fires on an HTTP listener whose default actions
 * are anything but a redirect with Protocol HTTPS, and on an HTTP listener that any ListenerRule in the
 * same stack attaches a non-redirect action to (rules are separate resources referencing the listener).
 */
export function NoHttpForwardListener(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnListener)) return NagRuleCompliance.NOT_APPLICABLE;
  if (NagRules.resolveIfPrimitive(node, node.protocol) !== 'HTTP') return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  const defaults = actionsOf(node, node.defaultActions);
  if (defaults.length === 0) findings.push('DefaultActions::none');
  for (const action of defaults) {
    if (servesOverHttp(action)) findings.push(`DefaultAction::${typeOf(action)}`);
  }
  const stack = Stack.of(node);
  const listenerRef = JSON.stringify(stack.resolve(node.ref));
  for (const rule of stack.node.findAll()) {
    if (!(rule instanceof CfnListenerRule)) continue;
    if (JSON.stringify(stack.resolve(rule.listenerArn)) !== listenerRef) continue;
    for (const action of actionsOf(rule, rule.actions)) {
      if (servesOverHttp(action))
        findings.push(`ListenerRule::${String(stack.resolve(rule.logicalId))}::${typeOf(action)}`);
    }
  }
  return findings.length > 0 ? [...new Set(findings)] : NagRuleCompliance.COMPLIANT;
}
