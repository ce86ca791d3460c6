import { performance } from 'perf_hooks';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { median } from './stats';

/** One phase of one in-process synth, in milliseconds. */
export interface PhaseSample {
  readonly phase: string;
  readonly ms: number;
}

/** One in-process synth, phase by phase. */
export interface BreakdownRun {
  readonly phases: readonly PhaseSample[];
  /** Wall time from before the first module load to the end of app.synth(). */
  readonly totalMs: number;
  readonly resources: number;
}

/** A phase over several runs. */
export interface PhaseSummary {
  readonly phase: string;
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

/** Phases of several runs: the median of each phase (in the order of the first run) and of the totals. */
export function aggregateBreakdown(runs: readonly BreakdownRun[]): { phases: PhaseSummary[]; medianTotalMs: number } {
  if (runs.length === 0) throw new Error('aggregateBreakdown: no runs');
  const names: string[] = [];
  for (const run of runs) for (const p of run.phases) if (!names.includes(p.phase)) names.push(p.phase);
  const phases = names.map((phase) => {
    const runsMs = runs.map((r) => r.phases.filter((p) => p.phase === phase).reduce((s, p) => s + p.ms, 0));
    return { phase, medianMs: median(runsMs), runsMs };
  });
  return { phases, medianTotalMs: median(runs.map((r) => r.totalMs)) };
}

/** Options of measureSynthBreakdown. */
export interface BreakdownOptions {
  readonly envName: string;
  readonly outdir: string;
  /** The feature flags of cdk.json (what the CLI passes the app). */
  readonly context: Readonly<Record<string, unknown>>;
}

type Timed = { ms: number };

/**
 * Synthesizes the environment in-process as `cdk synth` does (all packs, CloudFormation validation
 * on) and times each phase: module load, construct tree, Lambda bundling (esbuild, while the assets
 * are constructed), each validation plugin (rule packs, evidence writer),
 * CloudFormation validation, template writing, and the rest of synth (aspects, assembly, hashing).
 * Only timers are added around existing methods; what synth does is unchanged. Call once per process
 * (module load is only cold once).
 */
export async function measureSynthBreakdown(options: BreakdownOptions): Promise<BreakdownRun> {
  const phases: PhaseSample[] = [];
  const start = performance.now();
  let mark = start;
  const lap = (phase: string): void => {
    const now = performance.now();
    phases.push({ phase, ms: now - mark });
    mark = now;
  };

  // As bin/hipaa-blueprint.ts: the built-in CloudFormation validation in a worker thread, started before the modules
  // load, prewarming from the templates an earlier run left in the output folder.
  const { startValidationWorker } = await import('../lib/compliance/cfn-validation/validation-worker-start');
  const started = startValidationWorker({ prewarmFrom: options.outdir });
  lap('validation worker started');
  const cdk = await import('aws-cdk-lib');
  lap('module load: aws-cdk-lib');
  // cdk-nag's packs load when they first run (lib/compliance/gate/packs.ts): their module load is in their validation
  // phases below, after every template is written, as in `cdk synth`.
  const { buildBlueprint } = await import('../lib/blueprint-app');
  const { loadConfig } = await import('../lib/config');
  const { ParallelCloudFormationValidation } = await import('../lib/compliance/cfn-validation/parallel-validation');
  const { APP_CONTEXT_DEFAULTS } = await import('../lib/synthesize');
  lap('module load: blueprint');
  const cfnValidation = new ParallelCloudFormationValidation({ started });

  // Lambda bundling: AssetStaging's bundle step (esbuild, in this process: constructs/core/esbuild-code.ts) runs while
  // the construct tree is built; time it. A bundle the assembly already holds is not rebuilt.
  const staging = cdk.AssetStaging.prototype as unknown as { bundle: (...a: unknown[]) => unknown };
  const bundle = staging.bundle;
  const bundling: Timed = { ms: 0 };
  staging.bundle = function (this: unknown, ...args: unknown[]): unknown {
    const t = performance.now();
    try {
      return bundle.apply(this, args);
    } finally {
      bundling.ms += performance.now() - t;
    }
  };
  // Template writing: each stack's _synthesizeTemplate (aws-cdk-lib's, which renders and writes the template). Wrapped
  // before the stacks exist: the validation's prewarm wraps each stack's own, calling what the prototype had then (a
  // hook put on the prototype after prewarm was never called, and this phase read 0 ms until 2026-12-02).
  const stackProto = cdk.Stack.prototype as unknown as { _synthesizeTemplate: (...a: unknown[]) => unknown };
  const synthesizeTemplate = stackProto._synthesizeTemplate;
  const writing: Timed = { ms: 0 };
  let templatesWritten = 0;
  stackProto._synthesizeTemplate = function (this: unknown, ...args: unknown[]): unknown {
    templatesWritten += 1;
    const t = performance.now();
    try {
      return synthesizeTemplate.apply(this, args);
    } finally {
      writing.ms += performance.now() - t;
    }
  };
  // As bin/hipaa-blueprint.ts: the app's context defaults, under the CLI's context.
  const app = new cdk.App({ outdir: options.outdir, context: { ...APP_CONTEXT_DEFAULTS, ...options.context } });
  try {
    cfnValidation.attach(app);
    buildBlueprint(app, loadConfig(options.envName));
    cfnValidation.prewarm(app);
  } finally {
    staging.bundle = bundle;
  }
  const constructMs = performance.now() - mark;
  phases.push({ phase: 'construct tree (without bundling)', ms: constructMs - bundling.ms });
  phases.push({ phase: 'Lambda bundling (esbuild during construction)', ms: bundling.ms });
  mark = performance.now();

  // Validation plugins (the packs, the evidence writer) and the built-in CloudFormation validation.
  const restore: (() => void)[] = [];
  const pluginTimes = new Map<string, Timed>();
  const wrap = (plugin: IPolicyValidationPlugin, label: string): void => {
    const original = plugin.validate;
    const timed: Timed = pluginTimes.get(label) ?? { ms: 0 };
    pluginTimes.set(label, timed);
    (plugin as { validate: unknown }).validate = (context: IPolicyValidationContext): PolicyValidationPluginReport => {
      const t = performance.now();
      try {
        return original.call(plugin, context);
      } finally {
        timed.ms += performance.now() - t;
      }
    };
    restore.push(() => ((plugin as { validate: unknown }).validate = original));
  };
  const label = (plugin: IPolicyValidationPlugin): string => {
    if (plugin.name === 'HipaaEvidence') return 'evidence writer (HipaaEvidence)';
    if (plugin instanceof cdk.CloudFormationValidatePlugin) {
      return 'CloudFormation validation (built-in, in a worker): main thread waiting for its report';
    }
    if (plugin.name.startsWith('CloudFormation Validate'))
      return 'CloudFormation validation: templates handed to the worker';
    return `validation: ${plugin.name}`;
  };
  for (const plugin of (app as unknown as { _validationPlugins: IPolicyValidationPlugin[] })._validationPlugins) {
    wrap(plugin, label(plugin));
  }

  let assembly: ReturnType<typeof app.synth>;
  try {
    assembly = app.synth();
  } finally {
    stackProto._synthesizeTemplate = synthesizeTemplate;
    for (const r of restore) r();
    await cfnValidation.dispose();
  }
  const synthMs = performance.now() - mark;
  const pluginsMs = [...pluginTimes.values()].reduce((s, t) => s + t.ms, 0);
  for (const [label, t] of pluginTimes) phases.push({ phase: label, ms: t.ms });
  phases.push({ phase: 'template writing', ms: writing.ms });
  phases.push({ phase: 'other synth (aspects, assembly, plugin bookkeeping)', ms: synthMs - pluginsMs - writing.ms });
  // The phase measures every template written, or the breakdown fails (not a 0 ms phase).
  if (templatesWritten !== assembly.stacksRecursively.length) {
    throw new Error(
      `synth breakdown: timed ${templatesWritten} template writes for ${assembly.stacksRecursively.length} stacks; the template-writing hook no longer sees them`,
    );
  }
  const resources = assembly.stacksRecursively.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
  return { phases, totalMs: performance.now() - start, resources };
}
