/**
 * The light runner's per-file worker counts a file's time from before it is loaded (test/support/light-runner-worker.mjs).
 */
type Result = { perfStats: { start: number; end: number; runtime: number; slow: boolean }; testFilePath: string };
let withLoadCounted: <R>(result: R, started: number) => R;

beforeAll(async () => {
  ({ withLoadCounted } = await import('./light-runner-worker.mjs'));
});

const result = (start: number, end: number): Result => ({
  perfStats: { start, end, runtime: end - start, slow: false },
  testFilePath: '/synthetic/example.test.ts',
});

describe('withLoadCounted', () => {
  test("a file's clock starts before it was loaded: its time and runtime include the load, the rest is kept", () => {
    expect(withLoadCounted(result(1500, 1750), 1000)).toEqual({
      perfStats: { start: 1000, end: 1750, runtime: 750, slow: false },
      testFilePath: '/synthetic/example.test.ts',
    });
    // A file that loads in no measurable time keeps its times.
    expect(withLoadCounted(result(1000, 1250.4), 1000).perfStats).toEqual({
      start: 1000,
      end: 1250.4,
      runtime: 250,
      slow: false,
    });
  });

  test('a result without times, or whose tests began before the load started, is returned as it is', () => {
    const later = result(900, 1000);
    expect(withLoadCounted(later, 1000)).toBe(later);
    const broken = { perfStats: { start: 'soon', end: 1 } };
    expect(withLoadCounted(broken, 0)).toBe(broken);
    expect(withLoadCounted(undefined, 0)).toBeUndefined();
  });
});
