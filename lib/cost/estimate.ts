import { CostEstimate, CostLine, FreeResource, NotPriced, ResourceRef, StackTemplate, UsageItem } from './core/model';
import { PriceBook } from './core/price-book';
import { RuleContext } from './core/rule-context';
import { CUSTOM_RESOURCE_REASON, FREE_TYPES, PRICING_RULES, RuleSet } from './rules';

/** Options of estimateCost. */
export interface EstimateOptions {
  /**
   * Pricing rules by resource type.
   * @default PRICING_RULES
   */
  readonly rules?: RuleSet;
  /**
   * Types with no charge of their own.
   * @default FREE_TYPES
   */
  readonly freeTypes?: Readonly<Record<string, string>>;
}

/**
 * Estimates the idle monthly cost of synthesized stacks: fixed charges per resource (totalled),
 * usage-dependent charges with their unit prices (listed, never totalled), resources without a
 * rule (listed as not priced) and resources with no charge of their own.
 */
export function estimateCost(
  stacks: readonly StackTemplate[],
  prices: PriceBook,
  options: EstimateOptions = {},
): CostEstimate {
  const rules = options.rules ?? PRICING_RULES;
  const freeTypes = options.freeTypes ?? FREE_TYPES;
  const lines: CostLine[] = [];
  const notPriced: NotPriced[] = [];
  const free: FreeResource[] = [];
  const usage = new Map<
    string,
    { item: Omit<UsageItem, 'resources' | 'drivers'>; drivers: Set<string>; resources: ResourceRef[] }
  >();
  let resourceCount = 0;

  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      resourceCount += 1;
      const ref: ResourceRef = { stack: stack.displayName, logicalId, type: resource.Type };
      const rule = Object.prototype.hasOwnProperty.call(rules, resource.Type) ? rules[resource.Type] : undefined;
      if (!rule) {
        if (Object.prototype.hasOwnProperty.call(freeTypes, resource.Type)) {
          free.push({ ...ref, reason: freeTypes[resource.Type]! });
        } else if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') {
          free.push({ ...ref, reason: CUSTOM_RESOURCE_REASON });
        } else {
          notPriced.push({ ...ref, reason: `no pricing rule for ${resource.Type}` });
        }
        continue;
      }
      const result = rule(resource, new RuleContext(prices, stack, logicalId));
      if (result.notPriced !== undefined) {
        notPriced.push({ ...ref, reason: result.notPriced });
        continue;
      }
      if (result.free !== undefined) {
        free.push({ ...ref, reason: result.free });
        continue;
      }
      for (const line of result.lines ?? []) lines.push({ ...ref, ...line });
      for (const u of result.usage ?? []) {
        const entry = prices.get(u.priceId);
        const key = u.priceId;
        const known = usage.get(key) ?? {
          item: {
            priceId: u.priceId,
            service: u.service,
            what: u.what,
            unitUsd: entry.usd,
            unit: entry.unit,
            confirmed: entry.confirmed,
          },
          drivers: new Set<string>(),
          resources: [],
        };
        known.drivers.add(u.drivers);
        known.resources.push(ref);
        usage.set(key, known);
      }
    }
  }

  return {
    region: prices.region,
    hoursPerMonth: prices.hoursPerMonth,
    pricesTakenOn: prices.table.pricesTakenOn,
    lines,
    usage: [...usage.values()].map((u) => ({ ...u.item, drivers: [...u.drivers].join('; '), resources: u.resources })),
    notPriced,
    free,
    totalUsd: lines.reduce((sum, l) => sum + l.monthlyUsd, 0),
    resourceCount,
  };
}
