/** Markdown renderings of the evidence, for people. Generated at synth; never edited by hand. */
import { AcknowledgementEvidence, ControlMatrix, ResourceRef, RuleCoverage } from './control-matrix';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const GENERATED =
  '_Generated at synth by lib/compliance/evidence (SafeguardEvidencePlugin). Do not edit: change the app and synthesize again._';

function resourceSummary(resources: readonly ResourceRef[]): string {
  if (resources.length === 0) return '_none_';
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  return [...byType]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type} x${n}`)
    .join(', ');
}

function ruleTable(rules: readonly RuleCoverage[]): string[] {
  if (rules.length === 0) return ['_No rule evaluated these resources._', ''];
  return [
    '| Rule | Basis | Evaluated | Passed | Acknowledged | Violations | Errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rules.map(
      (r) =>
        `| ${esc(r.ruleId)} | ${r.basis === 'cites' ? 'cites it' : 'checked its resources'} | ${r.evaluated} | ${r.passed} | ${r.acknowledged} | ${r.violations} | ${r.errors} |`,
    ),
    '',
  ];
}

/** control-matrix.md */
export function renderControlMatrixMarkdown(m: ControlMatrix): string {
  const out: string[] = ['# HIPAA control matrix', '', GENERATED, ''];
  out.push(
    `Stacks: ${m.stacks.map((s) => `${s.stack} (${s.resources} resources, ${s.tagged} implementing a safeguard)`).join('; ')}.`,
    '',
    `Rule packs: ${m.packs.join(', ') || '_none ran_'}. Rule evaluations: ${m.totals.evaluations} ` +
      `(passed ${m.totals.passed}, acknowledged ${m.totals.acknowledged}, violations ${m.totals.violations}, ` +
      `errors ${m.totals.errors}). Counts come from the packs' own evaluation of this synth; "not applicable" results are not counted.`,
    '',
    'A resource is listed under a safeguard only when its type has a row for it in RESOURCE_SAFEGUARDS ' +
      "(lib/compliance/evidence/safeguards.ts) AND its properties meet that row's condition (e.g. E2 buckets use " +
      'SSE-KMS with a customer key); resources of the type that do not are listed apart as "type matched, ' +
      'property not met" and are not evidence. Tests: tests named after the safeguard (skipped, todo and ' +
      "failing-by-design tests excluded); their results are `npm test`'s, not this report's.",
    '',
    ...(m.detectionServices
      ? [
          '## Detection services (D2)',
          '',
          '| Service | Created by this environment | Provided by, when not |',
          '| --- | --- | --- |',
          ...m.detectionServices.map(
            (d) =>
              `| ${d.service} | ${d.createdHere ? 'yes' : 'no'} | ${d.createdHere ? '' : esc(d.providedBy ?? '_nobody named: the gate fails_')} |`,
          ),
          '',
        ]
      : []),
    '## Sections the blueprint addresses',
    '',
    '| Section | Title | Safeguards | Resources | Rules | Evaluations (passed / acknowledged / violations) | Tests |',
    '| --- | --- | --- | ---: | ---: | --- | ---: |',
  );
  for (const s of m.sections) {
    const sum = (k: 'passed' | 'acknowledged' | 'violations'): number => s.rules.reduce((n, r) => n + r[k], 0);
    out.push(
      `| ${s.section} | ${esc(s.title)} | ${s.safeguards.join(', ')} | ${s.resources.length} | ${s.rules.length} | ` +
        `${sum('passed')} / ${sum('acknowledged')} / ${sum('violations')} | ${s.tests.length} |`,
    );
  }
  out.push('', '## Safeguards', '');
  for (const g of m.safeguards) {
    out.push(`### ${g.id} ${esc(g.title)}`, '', `HIPAA: ${g.hipaaSections.join(', ')} (${g.category}).`, '');
    out.push(`Resources (${g.resources.length}): ${resourceSummary(g.resources)}.`, '');
    if (g.resources.length > 0) {
      out.push('<details><summary>Resources</summary>', '', '| Stack | Logical id | Type |', '| --- | --- | --- |');
      out.push(...g.resources.map((r) => `| ${r.stack} | ${r.logicalId} | ${r.type} |`), '', '</details>', '');
    }
    if (g.typeMatchedPropertyNotMet.length > 0) {
      out.push(
        `Type matched, property not met (${g.typeMatchedPropertyNotMet.length}, not evidence of ${g.id}): ` +
          `${resourceSummary(g.typeMatchedPropertyNotMet)}.`,
        '',
        '<details><summary>Type matched, property not met</summary>',
        '',
        '| Stack | Logical id | Type |',
        '| --- | --- | --- |',
        ...g.typeMatchedPropertyNotMet.map((r) => `| ${r.stack} | ${r.logicalId} | ${r.type} |`),
        '',
        '</details>',
        '',
      );
    }
    out.push(...ruleTable(g.rules));
    out.push(
      g.tests.length === 0
        ? '_No test is named after this safeguard._'
        : `Tests named after ${g.id} (their results are \`npm test\`'s):\n${g.tests.map((t) => `- ${t.file}: ${esc(t.name)}`).join('\n')}`,
      '',
    );
  }
  out.push(
    '## Gaps',
    '',
    `- Safeguards with no resource carrying their metadata: ${m.gaps.withoutResources.join(', ') || 'none'}.`,
    `- Safeguards with no test named after them: ${m.gaps.withoutTests.join(', ') || 'none'}.`,
    '',
    '## Not covered by the blueprint (shared responsibility, V3)',
    '',
    '| Section | Requirement | Carried by | Note |',
    '| --- | --- | --- | --- |',
    ...m.notCoveredByBlueprint.map((r) => `| ${r.section} | ${esc(r.requirement)} | ${r.carriedBy} | ${esc(r.note)} |`),
    '',
  );
  return out.join('\n');
}

/** acknowledgements.md */
export function renderAcknowledgementsMarkdown(entries: readonly AcknowledgementEvidence[]): string {
  const out: string[] = ['# Acknowledged findings (register)', '', GENERATED, ''];
  if (entries.length === 0) out.push('_The register is empty._', '');
  entries.forEach((e, i) => {
    out.push(
      `## ${i + 1}. ${e.ruleIds.join(', ')}`,
      '',
      `- Path pattern: \`${e.path}\``,
      `- Matched: ${e.matchedPaths.length === 0 ? '_nothing (stale entry)_' : e.matchedPaths.map((p) => `\`${p}\``).join(', ')}`,
      `- Resources: ${e.resources.map((r) => `${r.stack} ${r.logicalId} (${r.type})`).join(', ') || '_none_'}`,
      `- Findings acknowledged in this synth: ${e.acknowledgedFindings.length}` +
        (e.acknowledgedFindings.length > 0
          ? ` (${e.acknowledgedFindings.map((f) => `${f.ruleId} on \`${f.constructPath}\``).join('; ')})`
          : ''),
      `- Reason: ${e.reason}`,
      `- Compensating control: ${e.compensatingControl}`,
      '',
    );
  });
  return out.join('\n');
}
