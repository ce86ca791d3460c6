import { MAX_FILTER_PATTERN_LENGTH, SECURITY_METRIC_FILTERS } from '../../constructs/security-metric-filters';
import { duplicates, HIPAA_SECTION, isBalanced } from '../support/rule-data';

describe('SECURITY_METRIC_FILTERS', () => {
  test('covers the CIS CloudWatch monitoring set', () => {
    expect(SECURITY_METRIC_FILTERS.length).toBe(14);
  });

  test('ids and metric names are unique; ids are PascalCase', () => {
    expect(duplicates(SECURITY_METRIC_FILTERS.map((f) => f.id))).toEqual([]);
    expect(duplicates(SECURITY_METRIC_FILTERS.map((f) => f.metricName))).toEqual([]);
    for (const f of SECURITY_METRIC_FILTERS) expect(f.id).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  });

  test.each(SECURITY_METRIC_FILTERS.map((f) => [f.id, f] as const))(
    '%s: pattern is balanced and within the CloudWatch Logs limit',
    (_id, f) => {
      expect(isBalanced(f.filterPattern)).toBe(true);
      expect(f.filterPattern.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
      expect(f.safeguard).toMatch(/^[A-Z]\d+$/);
      expect(f.hipaaSections.some((s) => HIPAA_SECTION.test(s))).toBe(true);
    },
  );

  test('the limit is the CloudWatch Logs one', () => {
    expect(MAX_FILTER_PATTERN_LENGTH).toBe(1024);
  });
});
