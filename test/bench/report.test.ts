import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { lambdaBundleSizes } from '../../bench/bundle-sizes';
import {
  BenchMeasurements,
  buildBenchReport,
  NOISE_NOTE,
  renderBenchReport,
  SLOWEST_FILES_SHOWN,
  TARGETS,
} from '../../bench/report';
import { aggregateBreakdown, BreakdownRun } from '../../bench/synth-breakdown';
import { ValidationEngineRun } from '../../bench/validation-engine';
import { scratchDir } from '../support/scratch';

const run = (cons: number, hipaa: number, total: number): BreakdownRun => ({
  phases: [
    { phase: 'construct tree', ms: cons },
    { phase: 'validation: HIPAA.Security', ms: hipaa },
  ],
  totalMs: total,
  resources: 300,
});

describe('aggregateBreakdown', () => {
  test('median per phase (first-run order) and of the totals; a phase missing from a run counts 0', () => {
    const runs = [
      run(100, 10, 200),
      run(300, 30, 400),
      run(200, 20, 300),
      { phases: [{ phase: 'construct tree', ms: 250 }], totalMs: 260, resources: 300 },
    ];
    expect(aggregateBreakdown(runs)).toEqual({
      phases: [
        { phase: 'construct tree', medianMs: 225, runsMs: [100, 300, 200, 250] },
        { phase: 'validation: HIPAA.Security', medianMs: 15, runsMs: [10, 30, 20, 0] },
      ],
      medianTotalMs: 280,
    });
  });

  test('phases recorded twice in one run are summed', () => {
    const r: BreakdownRun = {
      phases: [
        { phase: 'a', ms: 1 },
        { phase: 'a', ms: 2 },
      ],
      totalMs: 3,
      resources: 1,
    };
    expect(aggregateBreakdown([r]).phases).toEqual([{ phase: 'a', medianMs: 3, runsMs: [3] }]);
  });
});

const engineRun = (startMs: number, validateMs: number): ValidationEngineRun => ({
  startMs,
  validateMs,
  templates: 9,
  resources: 300,
  types: 79,
  engineReused: true,
  success: true,
});

const measurements = (overrides: Partial<BenchMeasurements> = {}): BenchMeasurements => ({
  date: '2026-11-29T00:00:00.000Z',
  git: { commit: '0123456789abcdef0123', dirty: false },
  machine: { nproc: 2, node: 'v20.20.2', platform: 'linux-x64', cpu: 'test', loadavg: [1, 2] },
  envName: 'dev',
  warmupRuns: 1,
  cliSynthMs: [3000, 3100, 2900, 9000, 3050],
  trivialSynthMs: [2000, 2100, 1900, 2050, 1950],
  appWithValidationMs: [1200, 1300, 1250, 1100, 1150],
  appWithoutValidationMs: [600, 650, 640, 610, 620],
  resources: 300,
  templates: 9,
  validationEngine: [
    engineRun(700, 250),
    engineRun(900, 300),
    engineRun(800, 150),
    engineRun(1000, 320),
    engineRun(650, 260),
  ],
  breakdown: [run(100, 10, 200), run(300, 30, 400), run(200, 20, 300)],
  esbuildMs: { 'lambda/a/index.ts': [10, 12, 11, 13, 9] },
  tests: {
    skipped: false,
    command: 'npx jest',
    wallMs: 25_000,
    wholeSuite: true,
    globalSetup: 'reused',
    exitCode: 0,
    files: [],
  },
  bundles: [
    {
      templateFile: 'T.template.json',
      logicalId: 'Fn',
      assetDir: 'asset.x',
      indexJsBytes: 13_800,
      sourceMapBytes: 47_800,
      otherBytes: 0,
    },
  ],
  ...overrides,
});

describe('buildBenchReport', () => {
  test('medians, ratio, per-resource cost and target comparisons', () => {
    const r = buildBenchReport(measurements());
    expect(r.schema).toBe('hipaa-blueprint-bench/1');
    expect(r.note).toBe(NOISE_NOTE);
    expect(r.runs).toBe(5);
    expect(r.synth).toEqual({
      blueprint: { medianMs: 3050, runsMs: [3000, 3100, 2900, 9000, 3050] },
      trivial: { medianMs: 2000, runsMs: [2000, 2100, 1900, 2050, 1950] },
      ratio: 1.53,
      target: 1.5,
      met: false,
    });
    expect(r.app.msPerResource).toEqual({ withValidation: 4, withoutValidation: 2.07 });
    expect(r.app.met).toBe(true);
    expect(r.app.metWithoutValidation).toBe(true);
    // Medians of start and validation, and the median of each run's total (950, 1200, 950, 1320, 910), not their sum.
    expect(r.app.validationEngine).toEqual({
      startMs: 800,
      validateMs: 260,
      total: { medianMs: 950, runsMs: [950, 1200, 950, 1320, 910] },
      templates: 9,
      types: 79,
      msPerResource: 3.17,
    });
    expect(renderBenchReport(r, '/x/bench.json')).toContain(
      "validation engine alone (aws-cdk-lib's plugin, fresh process; a floor for the app with validation): 0.95 s (runs 0.91 s to 1.32 s) = 3.17 ms/resource; medians: start 0.80 s, 9 templates 0.26 s",
    );
    expect(r.breakdown.medianTotalMs).toBe(300);
    expect(r.esbuild).toEqual([{ entry: 'lambda/a/index.ts', medianMs: 11, runsMs: [10, 12, 11, 13, 9] }]);
    expect(r.tests).toEqual({
      skipped: false,
      command: 'npx jest',
      wallMs: 25000,
      wholeSuite: true,
      globalSetup: 'reused',
      exitCode: 0,
      files: [],
      target: TARGETS.testWallMs,
      met: true,
      judged: true,
    });
    expect(r.bundles[0]).toMatchObject({ indexJsBytes: 13_800, sourceMapBytes: 47_800, target: 50_000, met: true });
  });

  /** A warm, passing run of the whole suite in 52 s, no file times. */
  const WARM_RUN = {
    skipped: false,
    command: 'npx jest',
    wallMs: 52_000,
    wholeSuite: true,
    globalSetup: 'reused',
    exitCode: 0,
    files: [],
  } as const;

  test('the machine’s CPU time over the test run, when measured, is recorded and printed with its wall time', () => {
    const r = buildBenchReport(measurements({ tests: { ...WARM_RUN, machineCpuMs: 101_250.04 } }));
    expect(r.tests).toMatchObject({ wallMs: 52_000, machineCpuMs: 101_250, met: false, judged: true });
    expect(renderBenchReport(r, '/x/bench.json')).toContain(
      'test suite (npx jest, warm: synthesized assemblies reused): 52.00 s (the machine busy 101.25 s of CPU), exit 0 (target < 30.00 s warm: misses)',
    );
    // Not measured (no /proc): no CPU field, and the line says nothing of CPU.
    const without = buildBenchReport(measurements({ tests: WARM_RUN }));
    expect(without.tests).not.toHaveProperty('machineCpuMs');
    expect(renderBenchReport(without, '/x/bench.json')).toContain('reused): 52.00 s, exit 0');
  });

  test('where the files’ own time went: their sum and count, then the slowest, each with its time', () => {
    const files = Array.from({ length: SLOWEST_FILES_SHOWN + 2 }, (_, i) => ({
      file: `test/f${i}.test.ts`,
      ms: 1000 * (SLOWEST_FILES_SHOWN + 2 - i),
    }));
    const text = renderBenchReport(buildBenchReport(measurements({ tests: { ...WARM_RUN, files } })), '/x');
    const sum = files.reduce((n, f) => n + f.ms, 0) / 1000;
    expect(text).toContain(`  the files' own time adds up to ${sum.toFixed(2)} s over ${files.length} files`);
    expect(text).toContain('    10.00 s  test/f0.test.ts\n     9.00 s  test/f1.test.ts\n');
    expect(text).toContain(`test/f${SLOWEST_FILES_SHOWN - 1}.test.ts`);
    expect(text).not.toContain(`test/f${SLOWEST_FILES_SHOWN}.test.ts`);
    // No results read: no such lines.
    const none = renderBenchReport(buildBenchReport(measurements({ tests: WARM_RUN })), '/x');
    expect(none).not.toContain("the files' own time");
  });

  test('a cold test run (the globalSetup synthesized first) over the target is not judged; under it, it meets it', () => {
    const cold = {
      skipped: false,
      command: 'npx jest',
      wholeSuite: true,
      globalSetup: 'synthesized',
      exitCode: 0,
      files: [],
    } as const;
    const slow = buildBenchReport(measurements({ tests: { ...cold, wallMs: 90_000 } }));
    expect(slow.tests).toMatchObject({ met: false, judged: false });
    expect(renderBenchReport(slow, '/x/bench.json')).toContain(
      'test suite (npx jest, cold: the globalSetup synthesized first): 90.00 s, exit 0 (target < 30.00 s warm: not judged, not known to be warm)',
    );
    const fast = buildBenchReport(measurements({ tests: { ...cold, wallMs: 29_000 } }));
    expect(fast.tests).toMatchObject({ met: true, judged: true });
    // Warmth unknown: a slow run is not judged either.
    const unknown = buildBenchReport(measurements({ tests: { ...cold, globalSetup: 'unknown', wallMs: 40_000 } }));
    expect(unknown.tests).toMatchObject({ met: false, judged: false });
    expect(renderBenchReport(unknown, '/x/bench.json')).toContain(
      '(npx jest, warm or cold: unknown): 40.00 s, exit 0 (target < 30.00 s warm: not judged, not known to be warm)',
    );
    // Part of the suite (--jest-args): not judged, even under the target.
    const part = { ...cold, command: 'npx jest test/cost', wholeSuite: false, globalSetup: 'reused' } as const;
    const subset = buildBenchReport(measurements({ tests: { ...part, wallMs: 4_000 } }));
    expect(subset.tests).toMatchObject({ met: true, judged: false });
    expect(renderBenchReport(subset, '/x/bench.json')).toContain(
      '(target < 30.00 s warm: not judged, not the whole suite)',
    );
    // A failed run misses the target, warm or not.
    const failed = buildBenchReport(measurements({ tests: { ...cold, wallMs: 90_000, exitCode: 1 } }));
    expect(failed.tests).toMatchObject({ met: false, judged: true });
    expect(renderBenchReport(failed, '/x/bench.json')).toContain('exit 1 (target < 30.00 s warm: misses)');
    // A failed run names its failed tests, or says Jest's results named none.
    expect(renderBenchReport(failed, '/x/bench.json')).toContain(
      "\n  no failed test named in Jest's results (run `npx jest` to see why it exited so)\n",
    );
    const named = buildBenchReport(
      measurements({
        tests: { ...cold, wallMs: 90_000, exitCode: 1, failed: ['test/a.test.ts > a b', 'test/c.test.ts (boom)'] },
      }),
    );
    expect(renderBenchReport(named, '/x/bench.json')).toContain(
      '\n  2 failed:\n    test/a.test.ts > a b\n    test/c.test.ts (boom)\n',
    );
    expect(
      renderBenchReport(buildBenchReport(measurements({ tests: { ...cold, wallMs: 90_000 } })), '/x/bench.json'),
    ).not.toMatch(/failed:|no failed test/);
  });

  test('a failing test run or an oversized bundle misses its target', () => {
    const r = buildBenchReport(
      measurements({
        tests: {
          skipped: false,
          command: 'npx jest',
          wallMs: 1000,
          wholeSuite: true,
          globalSetup: 'reused',
          exitCode: 1,
          files: [],
        },
        bundles: [
          { templateFile: 'T', logicalId: 'Fn', assetDir: 'a', indexJsBytes: 60_000, sourceMapBytes: 0, otherBytes: 0 },
        ],
      }),
    );
    expect(r.tests).toMatchObject({ met: false });
    expect(r.bundles[0]!.met).toBe(false);
  });

  test('a bundle meets its target only under 50 KB of 1,000 bytes: 49,999 bytes meets, 50,000 and 50 KiB miss', () => {
    const bundle = (indexJsBytes: number) => ({
      templateFile: 'T',
      logicalId: 'Fn',
      assetDir: 'a',
      indexJsBytes,
      sourceMapBytes: 0,
      otherBytes: 0,
    });
    const r = buildBenchReport(measurements({ bundles: [bundle(49_999), bundle(50_000), bundle(51_200)] }));
    expect(r.bundles.map((b) => [b.indexJsBytes, b.target, b.met])).toEqual([
      [49_999, 50_000, true],
      [50_000, 50_000, false],
      [51_200, 50_000, false],
    ]);
    expect(renderBenchReport(r, 'bench.json')).toContain(
      'index.js 48.8 KiB, source map 0.0 KiB, other 0.0 KiB (49,999 bytes; target < 50,000 bytes: meets)',
    );
  });

  test('JSON shape: every top-level field, serializable, skipped tests recorded as such', () => {
    const r = buildBenchReport(measurements({ tests: { skipped: true } }));
    const parsed = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(
      [
        'app',
        'breakdown',
        'bundles',
        'date',
        'envName',
        'esbuild',
        'git',
        'machine',
        'note',
        'runs',
        'schema',
        'synth',
        'tests',
        'warmupRuns',
      ].sort(),
    );
    expect(parsed.tests).toEqual({ skipped: true });
    expect(parsed.machine).toEqual({ nproc: 2, node: 'v20.20.2', platform: 'linux-x64', cpu: 'test', loadavg: [1, 2] });
    expect(parsed.git).toEqual({ commit: '0123456789abcdef0123', dirty: false });
    expect(renderBenchReport(r, '/x/bench.json')).toMatch(
      /ratio: 1\.53x \(target <= 1\.5x: misses\)[\s\S]*test suite: skipped/,
    );
  });

  test('the app misses the per-resource target with and without validation separately', () => {
    const r = buildBenchReport(
      measurements({ appWithValidationMs: [1500, 1500, 1500], appWithoutValidationMs: [1100, 1300, 1200] }),
    );
    expect(r.app.msPerResource).toEqual({ withValidation: 5, withoutValidation: 4 });
    expect(r.app).toMatchObject({ met: false, metWithoutValidation: true });
    const slower = buildBenchReport(measurements({ appWithoutValidationMs: [1300, 1300, 1300] }));
    expect(slower.app).toMatchObject({ met: true, metWithoutValidation: false });
    expect(renderBenchReport(slower, '/x/bench.json')).toMatch(
      /CDK_VALIDATION=false: 1\.30 s = 4\.33 ms\/resource \(target <= 4: misses\)/,
    );
  });

  test('validation engine runs that did not validate what the app wrote give no figure', () => {
    // aggregateValidationEngine's own test covers each refusal; here, that the report checks against the app's output.
    expect(() => buildBenchReport(measurements({ templates: 10 }))).toThrow('validated 9 templates, the app wrote 10');
    expect(() => buildBenchReport(measurements({ validationEngine: [] }))).toThrow('no runs to aggregate');
  });

  test('no resources cannot give a per-resource figure', () => {
    expect(() => buildBenchReport(measurements({ resources: 0 }))).toThrow('resource count must be > 0');
  });
});

describe('lambdaBundleSizes', () => {
  test('reads index.js, the source map and other files of each Lambda asset directory', () => {
    const dir = scratchDir('bundles-');
    try {
      mkdirSync(join(dir, 'asset.abc'));
      writeFileSync(join(dir, 'asset.abc', 'index.js'), 'x'.repeat(1000));
      writeFileSync(join(dir, 'asset.abc', 'index.js.map'), 'y'.repeat(3000));
      writeFileSync(join(dir, 'asset.abc', '__entrypoint__.js'), 'z'.repeat(10));
      writeFileSync(
        join(dir, 'S.template.json'),
        JSON.stringify({
          Resources: {
            Fn: {
              Type: 'AWS::Lambda::Function',
              Metadata: { 'aws:asset:path': 'asset.abc', 'aws:cdk:path': 'S/Fn/Resource' },
            },
            Inline: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' } } },
            Bucket: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:asset:path': 'asset.abc' } },
          },
        }),
      );
      expect(lambdaBundleSizes(dir)).toEqual([
        {
          templateFile: 'S.template.json',
          logicalId: 'Fn',
          constructPath: 'S/Fn/Resource',
          assetDir: 'asset.abc',
          indexJsBytes: 1000,
          sourceMapBytes: 3000,
          otherBytes: 10,
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
