#!/usr/bin/env node
/**
 * Checks CloudFormation templates with the blueprint's rule packs (same as synth):
 *
 *   npm run check-template -- cdk.out/DevKeys6B4D4A73.template.json [more.template.json ...]
 *
 * Prints findings grouped by rule with the logical ids. Exit code: 0 clean, 1 findings (including
 * rules that could not evaluate a resource), 2 bad input (unreadable file, not JSON, not a template).
 * Acknowledgements recorded in a template's `Metadata.cdk_nag.rules_to_suppress` are honoured.
 * References to other stacks' outputs (Fn::GetStackOutput) are checked as unresolved values; their
 * number is printed.
 */
import { readFileSync } from 'fs';
import { checkTemplate, TemplateFinding, TemplateInputError } from '../lib/compliance/gate/template-checker';

function load(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TemplateInputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new TemplateInputError(`${file}: not JSON: ${(e as Error).message}`);
  }
}

function report(file: string, findings: readonly TemplateFinding[], crossStack: string): void {
  const byRule = new Map<string, TemplateFinding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  for (const [rule, fs] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    const first = fs[0]!;
    console.log(`  ${rule} (${first.severity}${first.kind === 'error' ? ', rule could not evaluate' : ''})`);
    console.log(`    ${first.description}`);
    for (const f of fs) console.log(`    - ${f.logicalId} (${f.type})`);
  }
  console.log(`${file}: ${findings.length} finding(s)${crossStack}`);
}

function main(files: readonly string[]): number {
  if (files.length === 0) {
    console.error('usage: npm run check-template -- <template.json> [more.json ...]');
    return 2;
  }
  let worst = 0;
  for (const file of files) {
    try {
      const result = checkTemplate(load(file), file);
      const crossStack = `, ${result.crossStackReferences} cross-stack reference(s) checked as unresolved values`;
      if (result.findings.length === 0) {
        console.log(
          `${file}: clean (${result.resources} resources, ${result.acknowledgements} acknowledgement(s) honoured${crossStack})`,
        );
      } else {
        report(file, result.findings, crossStack);
        worst = Math.max(worst, 1);
      }
    } catch (e) {
      if (!(e instanceof TemplateInputError)) throw e;
      console.error(e.message);
      worst = 2;
    }
  }
  return worst;
}

process.exitCode = main(process.argv.slice(2));
