import { CfnResource, CfnTemplate, CostLine, StackTemplate, UsageCharge } from './model';
import { PriceBook } from './price-book';

/** A fixed charge a rule found, before the estimator adds the resource reference. */
export type RuleLine = Omit<CostLine, 'stack' | 'logicalId' | 'type'>;

/** What a pricing rule says about one resource. Exactly one of notPriced / free, or lines and usage. */
export interface RuleResult {
  readonly lines?: readonly RuleLine[];
  readonly usage?: readonly UsageCharge[];
  /** The resource cannot be priced; the reason names the field, its value and what is missing. */
  readonly notPriced?: string;
  /** The resource carries no charge of its own; the reason says why. */
  readonly free?: string;
}

/** Arguments of RuleContext.line. */
export interface LineSpec {
  readonly category: string;
  readonly billed: string;
  /**
   * The billed item without what tells resources of a kind apart, for the side-by-side summary.
   * @default billed
   */
  readonly group?: string;
  readonly priceId: string;
  /** Quantity in the price's unit for one month. */
  readonly quantity: number;
  readonly quantityText: string;
  readonly note?: string;
}

/**
 * What a rule sees besides the resource: the price book, the stack (for its region) and its
 * template (to follow a Ref to a sibling resource).
 */
export class RuleContext {
  constructor(
    public readonly prices: PriceBook,
    public readonly stack: StackTemplate,
    public readonly logicalId: string,
  ) {}

  public get hours(): number {
    return this.prices.hoursPerMonth;
  }

  public get template(): CfnTemplate {
    return this.stack.template;
  }

  /** A priced line; throws when the price has no figure (a rule must report such a resource as not priced). */
  public line(spec: LineSpec): RuleLine {
    const entry = this.prices.get(spec.priceId);
    if (entry.usd === null) throw new Error(`price '${spec.priceId}' has no figure: report the resource as not priced`);
    const notes = [spec.note];
    if (this.stack.region !== this.prices.region) {
      notes.push(`stack in ${this.stack.region}, priced at ${this.prices.region} list prices`);
    }
    const note = notes.filter((n): n is string => !!n).join('; ');
    return {
      category: spec.category,
      billed: spec.billed,
      group: spec.group ?? spec.billed,
      quantity: spec.quantity,
      quantityText: spec.quantityText,
      priceId: spec.priceId,
      unitUsd: entry.usd,
      unit: entry.unit,
      monthlyUsd: spec.quantity * entry.usd,
      confirmed: entry.confirmed,
      ...(note ? { note } : {}),
    };
  }

  /** A usage-dependent charge (the price id must exist in the table). */
  public usage(priceId: string, service: string, what: string, drivers: string): UsageCharge {
    this.prices.get(priceId);
    return { priceId, service, what, drivers };
  }

  /** The sibling resource a `{ Ref: id }` points to, when it is in the same template. */
  public resolveRef(value: unknown): { logicalId: string; resource: CfnResource } | undefined {
    if (!value || typeof value !== 'object' || !('Ref' in value)) return undefined;
    const id = (value as { Ref: unknown }).Ref;
    if (typeof id !== 'string') return undefined;
    const resource = this.template.Resources?.[id];
    return resource ? { logicalId: id, resource } : undefined;
  }
}

/** A literal number (CloudFormation often carries numbers as strings); undefined for intrinsics. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Renders a template value for an error message. */
export function show(value: unknown): string {
  return value === undefined ? 'absent' : (JSON.stringify(value) ?? String(value));
}
