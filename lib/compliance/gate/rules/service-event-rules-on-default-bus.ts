import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { asList, cfnAbsent, cfnAlternatives, flatten, isIntrinsic, isObject } from '../core/template-json';
import { subLiteral } from '../core/bucket-names';
import { viewOf } from './template-view';

/**
 * Whether an event pattern may match events of AWS services: it has no `source` (every source matches, CloudTrail's
 * API call events included), or its `source` (in any branch of a condition) names an `aws.` source other than a partner
 * event source (`aws.partner/...`, delivered to its partner bus only), or only deploy resolves it (the pattern, its
 * source list or an entry). A pattern written as a JSON string is read as CloudFormation reads it.
 */
function mayMatchServiceEvents(pattern: unknown): boolean {
  return cfnAlternatives(pattern).some((p) => {
    if (typeof p === 'string') {
      try {
        p = JSON.parse(p) as unknown;
      } catch {
        return true;
      }
    }
    if (!isObject(p) || isIntrinsic(p)) return p !== undefined;
    if (p.source === undefined) return true;
    return cfnAlternatives(p.source).some((list) =>
      asList(list).some((s) => typeof s !== 'string' || (s.startsWith('aws.') && !s.startsWith('aws.partner/'))),
    );
  });
}

/**
 * Whether an EventBusName is the default bus of the stack's own account and region whatever deploy resolves: absent,
 * `default`, or its ARN with the account and region as pseudo parameters (`${AWS::Region}`, `${AWS::AccountId}`). A
 * literal account or region is refused: PutRule accepts another account's or region's bus ARN, where this account's
 * service events never arrive (and the rule is checked before the stack's account and region are known).
 */
function defaultBus(name: unknown): boolean {
  return cfnAlternatives(name).every((n) => {
    if (cfnAbsent(n) || n === 'default') return true;
    const sub = isObject(n) ? n['Fn::Sub'] : undefined;
    const arn = typeof sub === 'string' ? subLiteral(sub) : flatten(n);
    return (
      arn !== undefined &&
      /^arn:(<AWS::Partition>|aws[a-z-]*):events:<AWS::Region>:<AWS::AccountId>:event-bus\/default$/.test(arn)
    );
  });
}

/**
 * D2 D3: an EventBridge rule that may match AWS service events (GuardDuty and Security Hub findings, AWS Backup jobs,
 * CloudTrail API calls, alarm state changes) is on the default event bus. AWS delivers its services' events to the
 * default bus only: the same rule on another bus (a custom bus, one a condition chooses or only deploy resolves) never
 * fires, and the alert or export it carries falls silent while every rule that found it present passes.
 */
export function ServiceEventRulesOnDefaultBus(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Events::Rule') return NagRuleCompliance.NOT_APPLICABLE;
  const p = viewOf(node).resource.Properties ?? {};
  if (!mayMatchServiceEvents(p.EventPattern)) return NagRuleCompliance.NOT_APPLICABLE;
  return defaultBus(p.EventBusName) ? NagRuleCompliance.COMPLIANT : ['EventBusName::not-default'];
}
