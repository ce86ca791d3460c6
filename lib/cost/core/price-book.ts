import { readFileSync } from 'fs';
import { join } from 'path';
import { z } from 'zod';

/** One list price of the table, with where it comes from. */
export interface PriceEntry {
  /** USD per unit; null when no figure could be confirmed (the line is then listed without a unit price). */
  readonly usd: number | null;
  /** What one unit is, e.g. 'NAT gateway-hour'. */
  readonly unit: string;
  /** The AWS pricing page for this price. */
  readonly source: string;
  /** True when the figure was seen on at least one page (seenIn) on the date the table was taken. */
  readonly confirmed: boolean;
  /** Pages the figure was read from on that date (empty when unconfirmed). */
  readonly seenIn: readonly string[];
  /** Caveats: tiers, free allowances, why it is unconfirmed. */
  readonly note?: string;
}

/** The dated price table of one region (lib/cost/prices/REGION.json). */
export interface PriceTable {
  readonly region: string;
  readonly currency: 'USD';
  /** Hours in the month used for every hourly price. */
  readonly hoursPerMonth: number;
  /** ISO date (YYYY-MM-DD) the prices were taken. */
  readonly pricesTakenOn: string;
  /** How the table was compiled. */
  readonly method: string;
  readonly prices: Readonly<Record<string, PriceEntry>>;
}

const ENTRY = z
  .object({
    usd: z.number().nonnegative().nullable(),
    unit: z.string().min(1),
    source: z.string().regex(/^https:\/\/aws\.amazon\.com\//, 'must be an https://aws.amazon.com/ pricing page'),
    confirmed: z.boolean(),
    seenIn: z.array(z.string().regex(/^https:\/\//, 'must be an https URL')),
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => e.confirmed === e.seenIn.length > 0, {
    message: 'confirmed must be true exactly when seenIn names at least one page',
  })
  .refine((e) => e.confirmed || (e.note ?? '').length > 0, {
    message: 'an unconfirmed price needs a note saying so',
  });

const TABLE = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be a region name such as us-east-1'),
    currency: z.literal('USD'),
    hoursPerMonth: z.number().positive(),
    pricesTakenOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    method: z.string().min(1),
    prices: z.record(z.string(), ENTRY),
  })
  .strict();

/** A price table that breaks the schema; names each field, its value and the rule. */
export class PriceTableError extends Error {
  constructor(
    public readonly file: string,
    public readonly problems: readonly string[],
  ) {
    super(`Invalid price table ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PriceTableError';
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/**
 * Prices of one region, validated. `get` throws on an id the table lacks, so a rule can never
 * price something at a silent zero.
 */
export class PriceBook {
  /** Reads and validates `lib/cost/prices/REGION.json` (or another file). */
  public static load(file: string = join(__dirname, '..', 'prices', 'us-east-1.json')): PriceBook {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new PriceTableError(file, [`cannot read as JSON: ${(e as Error).message}`]);
    }
    return PriceBook.parse(raw, file);
  }

  /** Validates a table already in memory. */
  public static parse(raw: unknown, file = '<memory>'): PriceBook {
    const result = TABLE.safeParse(raw);
    if (!result.success) {
      throw new PriceTableError(
        file,
        result.error.issues.map((i) => {
          const field = i.path.map(String).join('.') || '(root)';
          return `${field} = ${JSON.stringify(valueAt(raw, i.path)) ?? 'undefined'}: ${i.message}`;
        }),
      );
    }
    return new PriceBook(result.data as PriceTable);
  }

  private constructor(public readonly table: PriceTable) {}

  public get region(): string {
    return this.table.region;
  }

  public get hoursPerMonth(): number {
    return this.table.hoursPerMonth;
  }

  /** The entry for `id`; throws naming the id when the table has none. */
  public get(id: string): PriceEntry {
    const entry = Object.prototype.hasOwnProperty.call(this.table.prices, id) ? this.table.prices[id] : undefined;
    if (!entry) throw new Error(`price '${id}': not in the ${this.table.region} price table`);
    return entry;
  }

  /** True when the table holds `id` (for prices keyed by template values, e.g. instance classes). */
  public has(id: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.table.prices, id);
  }
}
