import { CfnResource } from '../core/model';
import { RuleContext, RuleResult } from '../core/rule-context';

/** Prices one resource of the types it is registered for. */
export type PricingRule = (resource: CfnResource, ctx: RuleContext) => RuleResult;

/** Rules keyed by CloudFormation resource type. */
export type RuleSet = Readonly<Record<string, PricingRule>>;

/** The properties of a resource (empty when it has none). */
export function props(resource: CfnResource): Readonly<Record<string, unknown>> {
  return resource.Properties ?? {};
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
