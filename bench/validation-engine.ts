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
  readonly templates: number;
  readonly types: number;
  /** Whether aws-cdk-lib's plugin passed the templates (the app's synth would fail otherwise). */
  readonly success: boolean;
}

/** Medians of the runs: start, validation and their sum (each run's sum, not the sum of the medians). */
export function aggregateValidationEngine(runs: readonly ValidationEngineRun[]): {
  readonly startMs: number;
  readonly validateMs: number;
  readonly totalMs: number;
  readonly templates: number;
} {
  if (runs.length === 0) throw new Error('validation engine: no runs to aggregate');
  const templates = new Set(runs.map((r) => r.templates));
  if (templates.size !== 1)
    throw new Error(`validation engine: runs validated ${[...templates].join(' and ')} templates`);
  const failed = runs.filter((r) => !r.success).length;
  if (failed > 0) throw new Error(`validation engine: ${failed} run(s) did not pass the templates`);
  return {
    startMs: median(runs.map((r) => r.startMs)),
    validateMs: median(runs.map((r) => r.validateMs)),
    totalMs: median(runs.map((r) => r.startMs + r.validateMs)),
    templates: runs[0]!.templates,
  };
}
