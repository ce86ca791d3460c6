import { ROLE_TRUST_METRIC_FILTER, TAMPER_WATCHES } from '../../../constructs/tamper-watches';

/** README markers around the watched-actions table. */
export const TAMPER_WATCH_TABLE_BEGIN = '<!-- tamper-watches:begin -->';
export const TAMPER_WATCH_TABLE_END = '<!-- tamper-watches:end -->';

/**
 * The watched actions (U6) as a Markdown table: event source, event names, the rule and where its alert goes. Generated
 * from TAMPER_WATCHES, so the README cannot drift from the rules the gate requires.
 */
export function renderTamperWatchTable(): string {
  const rows = TAMPER_WATCHES.map((w) => {
    const names = w.eventNames.map((n) => `\`${n}${w.matchPrefix ? '*' : ''}\``).join(', ');
    const scope = w.id === 'AlertTopic' ? ' (this topic)' : '';
    const filter = w.directCallsOnly ? ' (not invoked by an AWS service)' : '';
    const path = w.alertPath ? 'formatter **and** topic directly (input transformer)' : 'formatter';
    return `| \`${w.eventSource}\` | ${names}${filter}${scope} | \`Tamper${w.id}\` | ${path} |`;
  });
  rows.push(
    `| \`iam.amazonaws.com\` (every region, trail log group) | \`UpdateAssumeRolePolicy\` | metric filter \`${ROLE_TRUST_METRIC_FILTER.id}\` + alarm | formatter (alarm action) |`,
  );
  return ['| Event source | Event names | Rule | Alert path |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
