import { CostEstimate, CostLine, UsageItem } from './core/model';
import { markdownTable, money, textTable, unitPrice } from './format';

const UNCONFIRMED = '*';

function lineRows(lines: readonly CostLine[]): string[][] {
  return lines.map((l) => [
    l.stack,
    l.logicalId,
    l.type,
    l.billed + (l.note ? ` [${l.note}]` : ''),
    l.quantityText,
    `${unitPrice(l.unitUsd)}${l.confirmed ? '' : UNCONFIRMED} / ${l.unit}`,
    money(l.monthlyUsd),
  ]);
}

function usageRows(usage: readonly UsageItem[]): string[][] {
  return usage.map((u) => [
    u.service,
    u.what,
    `${unitPrice(u.unitUsd)}${u.confirmed ? '' : UNCONFIRMED} / ${u.unit}`,
    u.drivers,
    String(u.resources.length),
  ]);
}

function freeSummary(e: CostEstimate): string {
  const types = new Map<string, number>();
  for (const f of e.free) types.set(f.type, (types.get(f.type) ?? 0) + 1);
  return [...types].map(([t, n]) => `${t} x${n}`).join(', ');
}

function heading(e: CostEstimate, envName: string): string {
  return (
    `Estimated idle monthly cost of '${envName}': ${e.region} on-demand list prices taken ${e.pricesTakenOn}, ` +
    `${e.hoursPerMonth} h/month, ${e.resourceCount} resources`
  );
}

const LINE_HEADER = ['Stack', 'Logical id', 'Type', 'Billed', 'Quantity', 'Unit price', 'Monthly'];
const USAGE_HEADER = ['Service', 'Usage-dependent charge', 'Unit price', 'What drives it', 'Resources'];

/**
 * The total as a reader must take it: with a resource not priced (an instance class or type the price table lacks), a
 * floor, not an estimate (the newcomer review of 2026-12-03: a larger database class dropped the database from the
 * total, which went down).
 */
const totalText = (e: CostEstimate): string =>
  e.notPriced.length === 0 ? money(e.totalUsd) : `at least ${money(e.totalUsd)}`;
const incompleteNote = (e: CostEstimate): string =>
  e.notPriced.length === 0
    ? ''
    : `INCOMPLETE: ${e.notPriced.length} resource(s) not priced, listed under "Not priced", are not in it; `;

/** The plain-text report of one environment (the CLI's default output). */
export function renderText(e: CostEstimate, envName: string): string {
  const out = [heading(e, envName), '', textTable(LINE_HEADER, lineRows(e.lines), [6]), ''];
  out.push(
    `Total fixed monthly cost (${envName}): ${totalText(e)}  (${incompleteNote(e)}usage-dependent charges below are not in it)`,
  );
  if (e.lines.some((l) => !l.confirmed) || e.usage.some((u) => !u.confirmed)) {
    out.push(`${UNCONFIRMED} unit price not confirmed on ${e.pricesTakenOn}: see lib/cost/prices/${e.region}.json`);
  }
  out.push(
    '',
    'Usage-dependent (listed with unit prices, never guessed into the total):',
    textTable(USAGE_HEADER, usageRows(e.usage), [4]),
  );
  out.push('', `Not priced (${e.notPriced.length}):`);
  out.push(
    ...(e.notPriced.length === 0
      ? ['  none']
      : e.notPriced.map((n) => `  ${n.stack} ${n.logicalId} (${n.type}): ${n.reason}`)),
  );
  out.push('', `No charge of their own (${e.free.length}): ${freeSummary(e)}`);
  return `${out.join('\n')}\n`;
}

/** The markdown report of one environment (`--markdown`). */
export function renderMarkdown(e: CostEstimate, envName: string): string {
  const out = [`## ${heading(e, envName)}`, '', markdownTable(LINE_HEADER, lineRows(e.lines), [6]), ''];
  out.push(
    `**Total fixed monthly cost (${envName}): ${totalText(e)}** (${incompleteNote(e)}usage-dependent charges are not in it)`,
  );
  if (e.lines.some((l) => !l.confirmed) || e.usage.some((u) => !u.confirmed)) {
    out.push('', `${UNCONFIRMED} unit price not confirmed on ${e.pricesTakenOn}.`);
  }
  out.push('', '### Usage-dependent', '', markdownTable(USAGE_HEADER, usageRows(e.usage), [4]));
  out.push('', `### Not priced (${e.notPriced.length})`, '');
  out.push(
    ...(e.notPriced.length === 0
      ? ['None.']
      : e.notPriced.map((n) => `- ${n.stack} ${n.logicalId} (${n.type}): ${n.reason}`)),
  );
  out.push('', `No charge of their own (${e.free.length}): ${freeSummary(e)}`);
  return `${out.join('\n')}\n`;
}

/** Environments side by side, for the README section. */
export interface NamedEstimate {
  readonly envName: string;
  readonly estimate: CostEstimate;
  /**
   * The environment once every service runs its configured tasks, when a service awaits its first image (its template
   * then runs 0 tasks, the estimate's Fargate line $0).
   * @default - no service awaits its image
   */
  readonly running?: CostEstimate;
}

/** Sums a category's lines: dollars and the distinct things billed. */
function categoryCell(lines: readonly CostLine[]): string {
  if (lines.length === 0) return '-';
  const total = lines.reduce((s, l) => s + l.monthlyUsd, 0);
  const billed = new Map<string, number>();
  for (const l of lines) billed.set(l.group, (billed.get(l.group) ?? 0) + 1);
  const what = [...billed].map(([b, n]) => (n > 1 ? `${n} x ${b}` : b)).join('; ');
  return `${money(total)}${lines.some((l) => !l.confirmed) ? UNCONFIRMED : ''} (${what})`;
}

/**
 * The generated README block: fixed monthly cost by category for each environment side by side,
 * the totals, the usage-dependent charges with unit prices, and what could not be priced.
 */
export function renderReadmeSection(envs: readonly NamedEstimate[], sourceNote: string): string {
  const first = envs[0]!.estimate;
  const categories: string[] = [];
  for (const { estimate } of envs)
    for (const l of estimate.lines) if (!categories.includes(l.category)) categories.push(l.category);
  const rows = categories.map((c) => [
    c,
    ...envs.map(({ estimate }) => categoryCell(estimate.lines.filter((l) => l.category === c))),
  ]);
  rows.push(['**Total (fixed, idle)**', ...envs.map(({ estimate }) => `**${totalText(estimate)}**`)]);
  const names = envs.map((e) => e.envName);

  const usage = new Map<string, { item: UsageItem; counts: Map<string, number> }>();
  for (const { envName, estimate } of envs) {
    for (const u of estimate.usage) {
      const known = usage.get(u.priceId) ?? { item: u, counts: new Map<string, number>() };
      known.counts.set(envName, u.resources.length);
      usage.set(u.priceId, known);
    }
  }
  const usageRowsMd = [...usage.values()].map(({ item, counts }) => [
    `${item.service}: ${item.what}`,
    `${unitPrice(item.unitUsd)}${item.confirmed ? '' : UNCONFIRMED} / ${item.unit}`,
    ...names.map((n) => String(counts.get(n) ?? 0)),
  ]);

  const out = [
    `Idle monthly cost estimated from the synthesized templates by \`npm run cost\` with ${first.region} on-demand list prices`,
    `taken ${first.pricesTakenOn} (${first.hoursPerMonth} hours a month). ${sourceNote}`,
    '',
    markdownTable(
      ['Fixed charge', ...names],
      rows,
      names.map((_, i) => i + 1),
    ),
    '',
    'Usage-dependent charges, never guessed into the totals (resource counts per environment):',
    '',
    markdownTable(
      ['Charge', 'Unit price', ...names],
      usageRowsMd,
      names.map((_, i) => i + 2),
    ),
    '',
  ];
  if (
    [...usage.values()].some(({ item }) => !item.confirmed) ||
    envs.some(({ estimate }) => estimate.lines.some((l) => !l.confirmed))
  ) {
    out.push(
      `Prices marked ${UNCONFIRMED} were not confirmed on ${first.pricesTakenOn}; the price table's note on each says so.`,
      '',
    );
  }
  for (const { envName, running } of envs) {
    if (running === undefined) continue;
    const fargate = running.lines.filter((l) => l.category === 'Fargate tasks');
    out.push(
      `${envName} runs no service task until its first image is pushed (\`services[].awaitingFirstImage\`, see Deploy): ` +
        `with its services at their configured \`desiredCount\`, its total is **${totalText(running)}** ` +
        `(Fargate tasks ${categoryCell(fargate)}).`,
      '',
    );
  }
  for (const { envName, estimate } of envs) {
    const list = estimate.notPriced.map((n) => `${n.stack} ${n.logicalId} (${n.type}): ${n.reason}`);
    out.push(`Not priced in ${envName}: ${list.length === 0 ? 'none' : list.join('; ')}.`, '');
  }
  return out.join('\n');
}
