import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { arnAccountOf, stringForms, UNKNOWN_PART } from '../core/string-forms';
import { asList, isObject, localTarget } from '../core/template-json';
import { stackEnvironmentOf, viewOf } from './template-view';

/**
 * U6 E1 A3: every target of an EventBridge rule is in the rule's own account, and none is an API destination. A rule
 * hands its targets the whole event: a CloudTrail API call's request parameters, a PHI bucket's object key (S3's
 * EventBridge notifications), a finding; a target in another account (an event bus, a queue, a topic, a function)
 * or an API destination (an HTTPS endpoint anywhere) sends them out of the account, where no safeguard of the blueprint
 * applies. Judged on the ARN's literal forms (core/string-forms: joins and substitutions of literals and pseudo
 * parameters); a reference to a resource of the template is in its account. Not applicable to a stack whose account
 * the template does not state (an environment-agnostic stack checked as a file).
 */
export function EventTargetsInAccount(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Events::Rule') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const account = stackEnvironmentOf(node).account;
  const findings = new Set<string>();
  for (const target of asList(resource.Properties?.Targets).filter(isObject)) {
    // An API destination of the template by reference (GetAtt Arn): an HTTPS endpoint anywhere (the attacker review
    // of 2026-12-04, second round: only the literal ARN form was refused).
    const id = localTarget(target.Arn);
    if (id !== undefined && stack.template.Resources?.[id]?.Type === 'AWS::Events::ApiDestination') {
      findings.add('Target::api-destination');
    }
    // Each form's account field (arnAccountOf: the account pseudo parameter is the stack's own).
    const forms = stringForms(target.Arn, stack.template).forms;
    for (const form of forms) {
      if (/:api-destination\//.test(form)) findings.add('Target::api-destination');
      const field = arnAccountOf(form, account);
      if (account === undefined || field === undefined) continue;
      if (/^\d{12}$/.test(field) && field !== account) findings.add('Target::another-account');
      // An account field only deploy knows (another resource's attribute, an import): it may be any account.
      if (field.includes(UNKNOWN_PART)) findings.add('Target::account-unknown');
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}
