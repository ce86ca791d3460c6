/** A resource as it appears in a synthesized CloudFormation template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** The part of a template the estimator reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
}

/** One synthesized stack: its deployed name, its construct path, its region and its template. */
export interface StackTemplate {
  /** CloudFormation stack name, e.g. 'hipaa-dev-network'. */
  readonly stackName: string;
  /** Construct path of the stack, e.g. 'Dev/Network'. */
  readonly displayName: string;
  readonly region: string;
  readonly template: CfnTemplate;
}

/** Which resource a line, usage item or gap belongs to. */
export interface ResourceRef {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
}

/** A fixed monthly charge of one resource while idle. */
export interface CostLine extends ResourceRef {
  /** Group label used to compare environments side by side, e.g. 'Interface VPC endpoints'. */
  readonly category: string;
  /** What is billed, e.g. 'interface endpoint (ecr.api) in 2 AZs'. */
  readonly billed: string;
  /** The billed item without what tells resources apart (for the side-by-side summary), e.g. 'interface endpoint in 2 AZs'. */
  readonly group: string;
  /** Quantity in the price's unit for one month (hours, key-months, ...). */
  readonly quantity: number;
  /** The quantity for people, e.g. '2 AZ x 730 h'. */
  readonly quantityText: string;
  readonly priceId: string;
  readonly unitUsd: number;
  readonly unit: string;
  readonly monthlyUsd: number;
  /** False when the unit price is marked unconfirmed in the table. */
  readonly confirmed: boolean;
  readonly note?: string;
}

/** A charge that depends on usage (requests, GB, events): listed with its unit price, never totalled. */
export interface UsageCharge {
  /** Price id; usage items with the same key are merged. */
  readonly priceId: string;
  readonly service: string;
  /** What is metered, e.g. 'log ingestion'. */
  readonly what: string;
  /** What drives the volume, e.g. 'log volume of the group'. */
  readonly drivers: string;
}

/** A usage-dependent charge with its unit price and the resources that incur it. */
export interface UsageItem extends UsageCharge {
  readonly unitUsd: number | null;
  readonly unit: string;
  readonly confirmed: boolean;
  readonly resources: readonly ResourceRef[];
}

/** A resource the estimator could not price: its type has no rule, or a value it needs is missing. */
export interface NotPriced extends ResourceRef {
  readonly reason: string;
}

/** A resource that carries no charge of its own (the reason says why). */
export interface FreeResource extends ResourceRef {
  readonly reason: string;
}

/** The estimate of one environment. */
export interface CostEstimate {
  readonly region: string;
  readonly hoursPerMonth: number;
  readonly pricesTakenOn: string;
  readonly lines: readonly CostLine[];
  readonly usage: readonly UsageItem[];
  readonly notPriced: readonly NotPriced[];
  readonly free: readonly FreeResource[];
  /** Sum of the lines' monthly charges (usage and not-priced resources are not in it). */
  readonly totalUsd: number;
  /** Number of resources in all templates. */
  readonly resourceCount: number;
}
