/**
 * The built-in CloudFormation validation's engine alone (bench/validation-engine-worker.ts): one run's figures, and
 * their medians as the bench reports them.
 */
import { median } from './stats';

/** One run of bench/validation-engine-worker.ts on the app's synthesized templates. */
export interface ValidationEngineRun {
  /** Compiling the engine, starting it and loading the assembly's resource types (the worker's prewarm). */
  readonly startMs: number;
  /** Validating every template of the assembly with the started engine. */
  readonly validateMs: number;
  /** Stack templates validated. */
  readonly templates: number;
  /** Resources in those templates. */
  readonly resources: number;
  /** Resource types in those templates (the prewarm's). */
  readonly types: number;
  /** Whether the validation ran on the prewarmed engine (else `validateMs` holds a second engine start). */
  readonly engineReused: boolean;
  /** Whether aws-cdk-lib's plugin passed the templates (the app's synth would fail otherwise). */
  readonly success: boolean;
}

/** What the runs must have validated: the app's own output. */
export interface ValidationEngineExpected {
  readonly templates: number;
  readonly resources: number;
}

/**
 * Medians of the runs: start, validation and each run's total (the median of the totals is not the sum of the other
 * two medians). Refuses runs that did not validate the app's templates and resources, that did not reuse the prewarmed
 * engine, or that did not pass.
 */
export function aggregateValidationEngine(
  runs: readonly ValidationEngineRun[],
  expected: ValidationEngineExpected,
): {
  readonly startMs: number;
  readonly validateMs: number;
  readonly totalsMs: readonly number[];
  readonly templates: number;
  readonly types: number;
} {
  if (runs.length === 0) throw new Error('validation engine: no runs to aggregate');
  const problems: string[] = [];
  runs.forEach((r, i) => {
    const run = `validation engine run ${i + 1}`;
    if (r.templates !== expected.templates) {
      problems.push(`${run} validated ${r.templates} templates, the app wrote ${expected.templates}`);
    }
    if (r.resources !== expected.resources) {
      problems.push(`${run} saw ${r.resources} resources, the app's templates hold ${expected.resources}`);
    }
    if (!r.engineReused) problems.push(`${run} started a second engine for the validation`);
    if (!r.success) problems.push(`${run} did not pass the templates`);
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return {
    startMs: median(runs.map((r) => r.startMs)),
    validateMs: median(runs.map((r) => r.validateMs)),
    totalsMs: runs.map((r) => r.startMs + r.validateMs),
    templates: runs[0]!.templates,
    types: runs[0]!.types,
  };
}
