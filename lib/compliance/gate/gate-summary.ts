/**
 * The one-line account of a synth's gate: which packs ran, how many rules, how many evaluations, how many
 * acknowledgements were honoured, and whether anything failed. Written into the evidence folder as
 * `gate-summary.json` by the evidence plugin, printed by synth on success, and written as 'failed' when the gate
 * (or the synth) fails, so the evidence never looks current after a failure.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

/** File name of the gate summary inside the evidence folder. */
export const GATE_SUMMARY_FILE = 'gate-summary.json';

/** The gate of one synth. */
export interface GateSummary {
  readonly status: 'passed' | 'failed';
  /** Rule packs and plugins that ran, e.g. ['HIPAA.Security', ..., 'Blueprint', 'BlueprintAssembly']. */
  readonly packs: readonly string[];
  /** Distinct rules that evaluated at least one resource (or fact). */
  readonly rules: number;
  /** Rule evaluations (a rule judging one resource, or one required fact of the assembly). */
  readonly evaluations: number;
  /** Rule evaluations whose every finding a register acknowledgement covers. */
  readonly acknowledgements: number;
  /**
   * The findings of those evaluations (a rule judging one resource may report several, e.g. one per wildcard
   * resource): what check-template counts as acknowledgements honoured.
   */
  readonly acknowledgedFindings?: number;
  /** Findings not covered (each fails the gate), and rules that could not evaluate. */
  readonly violations: number;
  /** Why the gate failed when no evaluation says so (e.g. the synth stopped before the rules ran). */
  readonly reason?: string;
  /** aws-cdk-lib's CloudFormation validation of the same templates, when it ran (synth adds it after the gate). */
  readonly cloudFormationValidation?: CloudFormationValidationOutcome;
}

/** One evaluation as the summary counts it. */
export interface CountedEvaluation {
  readonly ruleId: string;
  readonly outcome: 'pass' | 'acknowledged' | 'violation' | 'error';
  /** The evaluation's findings (an acknowledged one's count as acknowledgedFindings). @default - one */
  readonly findingIds?: readonly string[];
}

/** Summarizes the evaluations of one synth. */
export function summarizeGate(packs: readonly string[], evaluations: readonly CountedEvaluation[]): GateSummary {
  const violations = evaluations.filter((e) => e.outcome === 'violation' || e.outcome === 'error').length;
  return {
    status: violations === 0 ? 'passed' : 'failed',
    packs: [...packs],
    rules: new Set(evaluations.map((e) => e.ruleId)).size,
    evaluations: evaluations.length,
    acknowledgements: evaluations.filter((e) => e.outcome === 'acknowledged').length,
    acknowledgedFindings: evaluations
      .filter((e) => e.outcome === 'acknowledged')
      .reduce((n, e) => n + (e.findingIds?.length ?? 1), 0),
    violations,
  };
}

/** What aws-cdk-lib's CloudFormation validation said about the synth's templates. */
export interface CloudFormationValidationOutcome {
  readonly templates: number;
  /** Its violations (only warnings reach a passing synth: errors fail it). */
  readonly violations: number;
}

/**
 * The line synth prints: `Gate passed for environment 'dev' (account 111111111111, us-east-1): 5 packs (...), 318 rules,
 * 5402 evaluations, 92 acknowledgements; evidence in DIR`, with `; CloudFormation validation passed (10 templates)`
 * before the evidence when that validation ran (the environment named when given: which config the gate judged).
 */
export function gateSummaryLine(
  summary: GateSummary,
  evidenceDir: string,
  cloudFormation?: CloudFormationValidationOutcome,
  environment?: { readonly envName: string; readonly account: string; readonly region: string },
): string {
  const status =
    (summary.status === 'passed' ? 'Gate passed' : 'Gate FAILED') +
    (environment === undefined
      ? ''
      : ` for environment '${environment.envName}' (account ${environment.account}, ${environment.region})`);
  const validation =
    cloudFormation === undefined
      ? ''
      : cloudFormation.violations === 0
        ? `; CloudFormation validation passed (${cloudFormation.templates} templates)`
        : `; CloudFormation validation: ${cloudFormation.violations} warnings in ${cloudFormation.templates} templates (validation-report.json)`;
  return (
    `${status}: ${summary.packs.length} packs (${summary.packs.join(', ')}), ${summary.rules} rules, ` +
    `${summary.evaluations} evaluations, ${summary.acknowledgements} acknowledgements` +
    (summary.acknowledgedFindings !== undefined && summary.acknowledgedFindings !== summary.acknowledgements
      ? ` (${summary.acknowledgedFindings} findings)`
      : '') +
    (summary.violations > 0 ? `, ${summary.violations} violations` : '') +
    validation +
    `; evidence in ${evidenceDir}`
  );
}

/** Writes the summary into `evidenceDir`. */
export function writeGateSummary(evidenceDir: string, summary: GateSummary): void {
  mkdirSync(evidenceDir, { recursive: true });
  writeFileSync(join(evidenceDir, GATE_SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
}

/** The summary in `evidenceDir`, if one was written. */
export function readGateSummary(evidenceDir: string): GateSummary | undefined {
  const file = join(evidenceDir, GATE_SUMMARY_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as GateSummary;
  } catch {
    return undefined;
  }
}
