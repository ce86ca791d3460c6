import { BundleSize } from './bundle-sizes';
import { BreakdownRun, aggregateBreakdown, PhaseSummary } from './synth-breakdown';
import { median, msPerResource, ratio, round } from './stats';
import { aggregateValidationEngine, ValidationEngineRun } from './validation-engine';

/** The speed targets the numbers are compared with (a comparison, not a gate). */
export const TARGETS = {
  /** `cdk synth` of the blueprint within this factor of the trivial app. */
  synthRatio: 1.5,
  /** App process per resource, milliseconds. */
  appMsPerResource: 4,
  /** `npm test` wall time, warm, milliseconds. */
  testWallMs: 30_000,
  /** Minified index.js of each Lambda under this many bytes (the issue's 50 KB, a kilobyte being 1,000 bytes). */
  bundleBytes: 50_000,
} as const;

/** Raw measurements of one bench run. */
export interface BenchMeasurements {
  readonly date: string;
  readonly git: { readonly commit: string; readonly dirty: boolean };
  readonly machine: {
    readonly nproc: number;
    readonly node: string;
    readonly platform: string;
    readonly cpu: string;
    readonly loadavg: readonly number[];
  };
  readonly envName: string;
  readonly warmupRuns: number;
  readonly cliSynthMs: readonly number[];
  readonly trivialSynthMs: readonly number[];
  readonly appWithValidationMs: readonly number[];
  readonly appWithoutValidationMs: readonly number[];
  readonly resources: number;
  /** Stack templates the app wrote. */
  readonly templates: number;
  /** The built-in CloudFormation validation's engine alone, on the templates the app wrote (fresh process per run). */
  readonly validationEngine: readonly ValidationEngineRun[];
  readonly breakdown: readonly BreakdownRun[];
  readonly esbuildMs: Readonly<Record<string, readonly number[]>>;
  readonly tests: { readonly skipped: true } | TestRun;
  readonly bundles: readonly BundleSize[];
}

/** The bench's one timed test run. */
export interface TestRun {
  readonly skipped: false;
  readonly command: string;
  readonly wallMs: number;
  /** CPU time the whole machine was busy during the run (Linux only; bench/machine-cpu.ts). */
  readonly machineCpuMs?: number;
  /** Whether the whole suite ran (`npm run bench` without --jest-args): only then is the target judged. */
  readonly wholeSuite: boolean;
  /** Whether the run reused the synthesized assemblies of an earlier one (warm) or synthesized them (cold). */
  readonly globalSetup: 'reused' | 'synthesized' | 'unknown';
  readonly exitCode: number;
  /** Each test file's own time, slowest first (empty when Jest's results could not be read). */
  readonly files: readonly { readonly file: string; readonly ms: number }[];
  /** The tests that failed, `FILE > DESCRIBE > TEST` (empty when none did, or Jest's results could not be read). */
  readonly failed?: readonly string[];
}

/** Median and the runs it came from. */
export interface Timing {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

/** The JSON written by `npm run bench` (cdk.out/bench.json by default). */
export interface BenchReport {
  readonly schema: 'hipaa-blueprint-bench/1';
  readonly date: string;
  readonly git: BenchMeasurements['git'];
  readonly machine: BenchMeasurements['machine'];
  readonly note: string;
  readonly envName: string;
  readonly runs: number;
  readonly warmupRuns: number;
  readonly synth: {
    readonly blueprint: Timing;
    readonly trivial: Timing;
    readonly ratio: number;
    readonly target: number;
    readonly met: boolean;
  };
  readonly app: {
    readonly withValidation: Timing;
    readonly withoutValidation: Timing;
    readonly resources: number;
    readonly msPerResource: { readonly withValidation: number; readonly withoutValidation: number };
    readonly target: number;
    /** The figure with validation (what `cdk synth` runs) at or under the target. */
    readonly met: boolean;
    /** The figure without validation at or under the target (the issue's own baseline was measured without it). */
    readonly metWithoutValidation: boolean;
    /**
     * aws-cdk-lib's CloudFormation validation engine alone on the same templates: starting it (WebAssembly compile,
     * schemas, the types' rules) and validating them. The app with validation runs this work beside its own, so it
     * cannot take less than `total`: a floor for the figure with validation.
     */
    readonly validationEngine: {
      /** Median of the runs' starts. */
      readonly startMs: number;
      /** Median of the runs' validations. */
      readonly validateMs: number;
      /** Each run's start plus validation, and their median. */
      readonly total: Timing;
      readonly templates: number;
      readonly types: number;
      /** The median total per resource. */
      readonly msPerResource: number;
    };
  };
  readonly breakdown: {
    readonly phases: readonly PhaseSummary[];
    readonly medianTotalMs: number;
    readonly resources: number;
  };
  readonly esbuild: readonly {
    readonly entry: string;
    readonly medianMs: number;
    readonly runsMs: readonly number[];
  }[];
  readonly tests:
    | { readonly skipped: true }
    | (TestRun & {
        readonly target: number;
        /** Passed under the target. A run that was not warm and took longer says nothing of a warm run's time. */
        readonly met: boolean;
        /** Whether `met` judges the target: the whole suite, and a warm run, a failed one, or one that met it. */
        readonly judged: boolean;
      });
  readonly bundles: readonly (BundleSize & { readonly target: number; readonly met: boolean })[];
}

export const NOISE_NOTE = 'noisy, shared machine: timings are indicative; re-measure on a quiet machine';

function timing(runsMs: readonly number[]): Timing {
  return { medianMs: round(median(runsMs)), runsMs: runsMs.map((x) => round(x)) };
}

/** Medians, ratios, per-resource cost and target comparisons from the raw measurements. */
export function buildBenchReport(m: BenchMeasurements): BenchReport {
  const blueprint = timing(m.cliSynthMs);
  const trivial = timing(m.trivialSynthMs);
  const synthRatio = ratio(median(m.cliSynthMs), median(m.trivialSynthMs));
  const withValidation = timing(m.appWithValidationMs);
  const withoutValidation = timing(m.appWithoutValidationMs);
  const perWith = msPerResource(median(m.appWithValidationMs), m.resources);
  const perWithout = msPerResource(median(m.appWithoutValidationMs), m.resources);
  const agg = aggregateBreakdown(m.breakdown);
  const engine = aggregateValidationEngine(m.validationEngine, { templates: m.templates, resources: m.resources });
  const engineTotal = timing(engine.totalsMs);
  const testsMet = !m.tests.skipped && m.tests.exitCode === 0 && m.tests.wallMs < TARGETS.testWallMs;
  return {
    schema: 'hipaa-blueprint-bench/1',
    date: m.date,
    git: m.git,
    machine: m.machine,
    note: NOISE_NOTE,
    envName: m.envName,
    runs: m.cliSynthMs.length,
    warmupRuns: m.warmupRuns,
    synth: {
      blueprint,
      trivial,
      ratio: round(synthRatio, 2),
      target: TARGETS.synthRatio,
      met: synthRatio <= TARGETS.synthRatio,
    },
    app: {
      withValidation,
      withoutValidation,
      resources: m.resources,
      msPerResource: { withValidation: round(perWith, 2), withoutValidation: round(perWithout, 2) },
      target: TARGETS.appMsPerResource,
      met: perWith <= TARGETS.appMsPerResource,
      metWithoutValidation: perWithout <= TARGETS.appMsPerResource,
      validationEngine: {
        startMs: round(engine.startMs),
        validateMs: round(engine.validateMs),
        total: engineTotal,
        templates: engine.templates,
        types: engine.types,
        msPerResource: round(msPerResource(median(engine.totalsMs), m.resources), 2),
      },
    },
    breakdown: {
      phases: agg.phases.map((p) => ({
        phase: p.phase,
        medianMs: round(p.medianMs),
        runsMs: p.runsMs.map((x) => round(x)),
      })),
      medianTotalMs: round(agg.medianTotalMs),
      resources: m.breakdown[0]?.resources ?? 0,
    },
    esbuild: Object.entries(m.esbuildMs).map(([entry, runsMs]) => ({ entry, ...timing(runsMs) })),
    tests: m.tests.skipped
      ? { skipped: true }
      : {
          ...m.tests,
          wallMs: round(m.tests.wallMs),
          ...(m.tests.machineCpuMs !== undefined ? { machineCpuMs: round(m.tests.machineCpuMs) } : {}),
          target: TARGETS.testWallMs,
          met: testsMet,
          // Of the whole suite only. A failed run misses the target whatever its warmth; a slow one says something only
          // when it was warm.
          judged: m.tests.wholeSuite && (testsMet || m.tests.exitCode !== 0 || m.tests.globalSetup === 'reused'),
        },
    bundles: m.bundles.map((b) => ({ ...b, target: TARGETS.bundleBytes, met: b.indexJsBytes < TARGETS.bundleBytes })),
  };
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const verdict = (met: boolean): string => (met ? 'meets' : 'misses');
const WARMTH = {
  reused: 'warm: synthesized assemblies reused',
  synthesized: 'cold: the globalSetup synthesized first',
  unknown: 'warm or cold: unknown',
} as const;

/** Test files listed by their own time in the printout. */
export const SLOWEST_FILES_SHOWN = 8;

/** The test suite's lines: its time, CPU, warmth and verdict, then where its files' own time went. */
function testSuiteLines(t: BenchReport['tests']): string[] {
  if (t.skipped) return ['test suite: skipped (--skip-tests)'];
  const cpu = t.machineCpuMs !== undefined ? ` (the machine busy ${s(t.machineCpuMs)} of CPU)` : '';
  const judgement = t.judged
    ? verdict(t.met)
    : `not judged, ${t.wholeSuite ? 'not known to be warm' : 'not the whole suite'}`;
  const lines = [
    `test suite (${t.command}, ${WARMTH[t.globalSetup]}): ${s(t.wallMs)}${cpu}, exit ${t.exitCode} (target < ${s(t.target)} warm: ${judgement})`,
  ];
  const failed = t.failed ?? [];
  if (failed.length > 0) {
    lines.push(`  ${failed.length} failed:`, ...failed.map((name) => `    ${name}`));
  } else if (t.exitCode !== 0) {
    lines.push("  no failed test named in Jest's results (run `npx jest` to see why it exited so)");
  }
  if (t.files.length > 0) {
    const own = t.files.reduce((sum, f) => sum + f.ms, 0);
    lines.push(
      `  the files' own time adds up to ${s(own)} over ${t.files.length} files (each with its loading; the globalSetup and waits come on top); the slowest:`,
      ...t.files.slice(0, SLOWEST_FILES_SHOWN).map((f) => `  ${s(f.ms).padStart(9)}  ${f.file}`),
    );
  }
  return lines;
}

/** The plain figures printed at the end of a run. */
export function renderBenchReport(r: BenchReport, jsonPath: string): string {
  const lines = [
    `bench ${r.date}  commit ${r.git.commit.slice(0, 12)}${r.git.dirty ? ' (dirty)' : ''}  node ${r.machine.node}  ${r.machine.nproc} cpu  load ${r.machine.loadavg.map((x) => x.toFixed(1)).join(' ')}`,
    `${r.note}; medians of ${r.runs} runs after ${r.warmupRuns} warm-up`,
    '',
    `cdk synth (${r.envName}, all packs, CFN validation): ${s(r.synth.blueprint.medianMs)}`,
    `cdk synth (trivial one-bucket app):              ${s(r.synth.trivial.medianMs)}`,
    `ratio: ${r.synth.ratio.toFixed(2)}x (target <= ${r.synth.target}x: ${verdict(r.synth.met)})`,
    '',
    `app process, CFN validation on:  ${s(r.app.withValidation.medianMs)} = ${r.app.msPerResource.withValidation.toFixed(2)} ms/resource (${r.app.resources} resources; target <= ${r.app.target}: ${verdict(r.app.met)})`,
    `app process, CDK_VALIDATION=false: ${s(r.app.withoutValidation.medianMs)} = ${r.app.msPerResource.withoutValidation.toFixed(2)} ms/resource (target <= ${r.app.target}: ${verdict(r.app.metWithoutValidation)})`,
    `validation engine alone (aws-cdk-lib's plugin, fresh process; a floor for the app with validation): ${s(r.app.validationEngine.total.medianMs)} (runs ${s(Math.min(...r.app.validationEngine.total.runsMs))} to ${s(Math.max(...r.app.validationEngine.total.runsMs))}) = ${r.app.validationEngine.msPerResource.toFixed(2)} ms/resource; medians: start ${s(r.app.validationEngine.startMs)}, ${r.app.validationEngine.templates} templates ${s(r.app.validationEngine.validateMs)}`,
    '',
    `in-process synth breakdown (median total ${s(r.breakdown.medianTotalMs)}):`,
    ...r.breakdown.phases.map((p) => `  ${s(p.medianMs).padStart(9)}  ${p.phase}`),
    '',
    'esbuild per Lambda entry (direct, same options):',
    ...r.esbuild.map((e) => `  ${s(e.medianMs).padStart(9)}  ${e.entry}`),
    '',
    ...testSuiteLines(r.tests),
    '',
    'Lambda bundles (synthesized assets):',
    ...r.bundles.map(
      (b) =>
        `  ${b.constructPath ?? `${b.templateFile} ${b.logicalId}`}: index.js ${kb(b.indexJsBytes)}, source map ${kb(b.sourceMapBytes)}, other ${kb(b.otherBytes)} (${b.indexJsBytes.toLocaleString('en-US')} bytes; target < ${b.target.toLocaleString('en-US')} bytes: ${verdict(b.met)})`,
    ),
    '',
    `JSON: ${jsonPath}`,
  ];
  return `${lines.join('\n')}\n`;
}
