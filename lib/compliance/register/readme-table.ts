/**
 * The README's table of the acknowledgement register (every entry, and why), generated from the register of every
 * shipped environment by `npm run docs`; a test fails when the README's copy is stale (an entry added, narrowed or
 * reworded in lib/compliance/register/entries.ts without the README following).
 */
import { BlueprintConfig } from '../../config/schema';
import { Acknowledgement } from './apply';
import { PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS } from './entries';
import { buildRegister } from './index';

export const REGISTER_TABLE_MARKERS = { begin: '<!-- register:begin -->', end: '<!-- register:end -->' } as const;

const PACKS: Readonly<Record<string, string>> = {
  'HIPAA.Security': 'HIPAA',
  'NIST.800.53.R5': 'NIST',
  AwsSolutions: 'AwsSolutions',
};

/** An entry's rule ids as the table names them: each rule once (`IAM5[…]` for its findings), with its packs. */
export function rulesCell(ruleIds: readonly string[]): string {
  const packsOf = new Map<string, Set<string>>();
  for (const id of ruleIds) {
    const dash = id.indexOf('-');
    const pack = id.slice(0, dash);
    const rule = id.slice(dash + 1).replace(/\[.*\]$/, '[…]');
    packsOf.set(rule, (packsOf.get(rule) ?? new Set()).add(PACKS[pack] ?? pack));
  }
  return [...packsOf].map(([rule, packs]) => `${rule} (${[...packs].join('/')})`).join(', ');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The entries of the registers of `configs` (each environment's, which config shapes) and the bootstrap-only ones,
 * each once: by path, rules, reason and compensating control.
 */
export function registerEntries(configs: readonly BlueprintConfig[]): {
  entries: Acknowledgement[];
  bootstrap: Acknowledgement[];
} {
  const seen = new Set<string>();
  const once = (list: readonly Acknowledgement[]): Acknowledgement[] =>
    list.filter((e) => {
      const key = JSON.stringify([rulesCell(e.ruleIds), e.path, e.reason, e.compensatingControl]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const entries = once(configs.flatMap((c) => buildRegister(c)));
  return { entries, bootstrap: once(PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS) };
}

/** The README block between the markers (markers included). */
export function registerTableMarkdown(configs: readonly BlueprintConfig[], names: readonly string[]): string {
  const { entries, bootstrap } = registerEntries(configs);
  const ruleCount = new Set(entries.flatMap((e) => e.ruleIds.map((id) => id.replace(/\[.*\]$/, '')))).size;
  const row = (e: Acknowledgement): string =>
    `| ${rulesCell(e.ruleIds)} | \`${e.path}\` | ${cell(e.reason)} | ${cell(e.compensatingControl)} |`;
  return [
    REGISTER_TABLE_MARKERS.begin,
    '<!-- Generated from lib/compliance/register/entries.ts by `npm run docs`; edit the register, not this table. -->',
    '',
    `There are ${entries.length} entries covering ${ruleCount} pack rules (${names.join(' and ')}), plus ${bootstrap.length} used only in the bootstrap step (the last row${bootstrap.length === 1 ? '' : 's'}).`,
    '',
    '| Rules (pack) | Where | Why | Compensating control |',
    '| --- | --- | --- | --- |',
    ...entries.map(row),
    ...bootstrap.map(row),
    REGISTER_TABLE_MARKERS.end,
  ].join('\n');
}

/** `readme` with its register block replaced by the current one. */
export function withRegisterTable(
  readme: string,
  configs: readonly BlueprintConfig[],
  names: readonly string[],
): string {
  const begin = readme.indexOf(REGISTER_TABLE_MARKERS.begin);
  const end = readme.indexOf(REGISTER_TABLE_MARKERS.end);
  if (begin < 0 || end < begin) {
    throw new Error(`README.md has no ${REGISTER_TABLE_MARKERS.begin} ... ${REGISTER_TABLE_MARKERS.end} block`);
  }
  return (
    readme.slice(0, begin) +
    registerTableMarkdown(configs, names) +
    readme.slice(end + REGISTER_TABLE_MARKERS.end.length)
  );
}
