import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { viewOf } from './template-view';

/**
 * V2: no resource of the template carries a `Condition`. The blueprint decides what it deploys at synth, from config;
 * a resource that deploy may leave out (its condition false) defeats every rule that judged it present (a trail, an
 * alarm, an alerting event rule, a key policy), as the gate judges the template as written. Any Condition is a
 * finding, whatever it names: the gate cannot tell which way deploy resolves it.
 */
export function UnconditionalResources(node: CfnResource): NagRuleResult {
  const condition = viewOf(node).resource.Condition;
  if (condition === undefined) return NagRuleCompliance.COMPLIANT;
  return [`Condition::${typeof condition === 'string' ? condition : 'not-a-name'}`];
}
