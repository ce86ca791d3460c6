import { aggregateValidationEngine, ValidationEngineRun } from '../../bench/validation-engine';

const run = (startMs: number, validateMs: number, over: Partial<ValidationEngineRun> = {}): ValidationEngineRun => ({
  startMs,
  validateMs,
  templates: 9,
  resources: 623,
  types: 79,
  engineReused: true,
  success: true,
  ...over,
});
const APP = { templates: 9, resources: 623 };

describe('aggregateValidationEngine', () => {
  test('medians of start and validation; each run’s total kept, whose median is not the sum of the two medians', () => {
    const runs = [run(700, 250), run(900, 300), run(800, 150), run(1000, 320), run(650, 260)];
    const a = aggregateValidationEngine(runs, APP);
    expect(a).toEqual({
      startMs: 800,
      validateMs: 260,
      totalsMs: [950, 1200, 950, 1320, 910],
      templates: 9,
      types: 79,
    });
  });

  test('refuses, naming each run and why: other templates or resources than the app wrote, a second engine, a failed validation', () => {
    const runs = [
      run(1, 1),
      run(1, 1, { templates: 8 }),
      run(1, 1, { resources: 600 }),
      run(1, 1, { engineReused: false }),
      run(1, 1, { success: false }),
    ];
    expect(() => aggregateValidationEngine(runs, APP)).toThrow(
      [
        'validation engine run 2 validated 8 templates, the app wrote 9',
        "validation engine run 3 saw 600 resources, the app's templates hold 623",
        'validation engine run 4 started a second engine for the validation',
        'validation engine run 5 did not pass the templates',
      ].join('; '),
    );
    // The same runs all agreeing with each other are still refused against another app's output.
    expect(() => aggregateValidationEngine([run(1, 1), run(2, 2)], { templates: 10, resources: 623 })).toThrow(
      'validation engine run 1 validated 9 templates, the app wrote 10; validation engine run 2 validated 9 templates, the app wrote 10',
    );
  });

  test('no runs, no figure', () => {
    expect(() => aggregateValidationEngine([], APP)).toThrow('no runs to aggregate');
  });
});
