import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { asList, isObject } from '../core/template-json';
import { viewOf } from './template-view';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * D1 D3 U6: every Lambda function of its template that an EventBridge rule targets may be invoked by that rule: an
 * AWS::Lambda::Permission of the template, without a Condition, lets `events.amazonaws.com` call
 * `lambda:InvokeFunction` on that function (its ARN or name), from that rule (SourceArn the rule's ARN, or none).
 * Without it EventBridge's invocations fail: the rule matches, and the alert, the tamper evidence or the check it
 * runs never happens (only its dead-letter queue, if any, holds the events).
 */
export function EventRuleMayInvokeItsFunctions(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Events::Rule') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack, logicalId } = viewOf(node);
  const resources = stack.template.Resources;
  const functions = asList(resource.Properties?.Targets)
    .filter(isObject)
    .map((t) => t.Arn)
    .filter((arn): arn is { 'Fn::GetAtt': [string, string] } => isObject(arn) && Array.isArray(arn['Fn::GetAtt']))
    .map((arn) => arn['Fn::GetAtt'])
    .filter(([id, attribute]) => attribute === 'Arn' && resources[id]?.Type === 'AWS::Lambda::Function')
    .map(([id]) => id);
  const permitted = (fn: string): boolean =>
    Object.values(resources).some((r) => {
      const p = r.Properties;
      return (
        r.Type === 'AWS::Lambda::Permission' &&
        r.Condition === undefined &&
        isObject(p) &&
        (p.Action === 'lambda:InvokeFunction' || p.Action === 'lambda:*') &&
        p.Principal === 'events.amazonaws.com' &&
        (same(p.FunctionName, { 'Fn::GetAtt': [fn, 'Arn'] }) || same(p.FunctionName, { Ref: fn })) &&
        (p.SourceArn === undefined || same(p.SourceArn, { 'Fn::GetAtt': [logicalId, 'Arn'] }))
      );
    });
  return functions.every(permitted) ? NagRuleCompliance.COMPLIANT : ['Target::no-invoke-permission'];
}
