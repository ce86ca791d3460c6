import { median, msPerResource, ratio, round } from '../../bench/stats';

describe('bench statistics', () => {
  test('median of odd and even counts, order-independent', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 1000, 11, 12, 9])).toBe(11);
    expect(() => median([])).toThrow('median of an empty list');
  });

  test('ratio and per-resource cost refuse a zero denominator', () => {
    expect(ratio(30, 20)).toBe(1.5);
    expect(() => ratio(1, 0)).toThrow('ratio: denominator must be > 0, got 0');
    expect(msPerResource(1200, 300)).toBe(4);
    expect(() => msPerResource(1200, 0)).toThrow('resource count must be > 0, got 0');
    expect(round(1.2345, 2)).toBe(1.23);
  });
});
