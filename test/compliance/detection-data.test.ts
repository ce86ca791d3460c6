import {
  CW_LOGGROUP_MIN_RETENTION_DAYS,
  HIPAA_CONFIG_RULES,
  hipaaRuleName,
} from '../../constructs/hipaa-config-rule-set';
import { HIPAA_MIN_RETENTION_DAYS } from '../../constructs/core/retention';
import {
  MAX_FILTER_PATTERN_LENGTH,
  SECURITY_METRIC_FILTERS,
  breakGlassFilterPattern,
} from '../../constructs/security-metric-filters';

const HIPAA_SECTION = /^164\.3\d\d\(/;

/** True when every (, { and " in the pattern is closed in order and the pattern is one {...} block. */
function isBalanced(pattern: string): boolean {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return false;
  const closing: Record<string, string> = { ')': '(', '}': '{' };
  const stack: string[] = [];
  let inString = false;
  for (const ch of trimmed) {
    if (ch === '"') {
      inString = !inString;
      continue;
    }
    if (inString) continue;
    if (ch === '(' || ch === '{') stack.push(ch);
    else if (ch === ')' || ch === '}') {
      if (stack.pop() !== closing[ch]) return false;
    }
  }
  return !inString && stack.length === 0;
}

function duplicates(values: readonly string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

describe('HIPAA_CONFIG_RULES', () => {
  const byId = (identifier: string) => HIPAA_CONFIG_RULES.find((r) => r.identifier === identifier);

  test('holds the reviewed 58 rules (55 from the pack + 3 from the AWS HIPAA mapping, as the header says)', () => {
    expect(HIPAA_CONFIG_RULES).toHaveLength(58);
  });

  test.each([
    'DB_INSTANCE_BACKUP_ENABLED',
    'RDS_IN_BACKUP_PLAN',
    'RDS_MULTI_AZ_SUPPORT',
    'RDS_INSTANCE_DELETION_PROTECTION_ENABLED',
    'RDS_INSTANCE_PUBLIC_ACCESS_CHECK',
    'RDS_STORAGE_ENCRYPTED',
    'RDS_LOGGING_ENABLED',
  ])('D2 the shipped RDS PostgreSQL instance is evaluated by %s', (identifier) => {
    const rule = byId(identifier);
    expect(rule).toBeDefined();
    // Scoped to DB instances (the shipped engine), or periodic over all instances (rds-in-backup-plan).
    if (rule?.resourceTypes) expect(rule.resourceTypes).toContain('AWS::RDS::DBInstance');
    else expect(rule?.periodic).toBe(true);
  });

  test('U3 CW_LOGGROUP_RETENTION_PERIOD_CHECK uses the strictest MinRetentionTime the rule accepts <= 2192 days', () => {
    // Valid values per the AWS Config Developer Guide (cw-loggroup-retention-period-check).
    const accepted = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653];
    const strictest = Math.max(...accepted.filter((d) => d <= HIPAA_MIN_RETENTION_DAYS));
    expect(CW_LOGGROUP_MIN_RETENTION_DAYS).toBe(strictest);
    expect(byId('CW_LOGGROUP_RETENTION_PERIOD_CHECK')?.inputParameters).toEqual({ MinRetentionTime: '1827' });
  });

  test('D1 CLOUDWATCH_ALARM_ACTION_CHECK requires an ALARM action, not an INSUFFICIENT_DATA one (missing data is not breaching)', () => {
    expect(byId('CLOUDWATCH_ALARM_ACTION_CHECK')?.inputParameters).toEqual({
      alarmActionRequired: 'true',
      insufficientDataActionRequired: 'false',
      okActionRequired: 'false',
    });
  });

  test('N2 VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS authorizes 443 and the redirect-only 80', () => {
    expect(byId('VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS')?.inputParameters).toEqual({ authorizedTcpPorts: '80,443' });
  });

  test('names are unique, at most 128 characters, and derived from the identifier', () => {
    const names = HIPAA_CONFIG_RULES.map((r) => r.name);
    expect(duplicates(names)).toEqual([]);
    for (const r of HIPAA_CONFIG_RULES) {
      expect(r.name.length).toBeLessThanOrEqual(128);
      expect(r.name).toBe(hipaaRuleName(r.identifier));
      expect(r.name).toMatch(/^hipaa-[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  test('identifiers are unique upper snake case', () => {
    const ids = HIPAA_CONFIG_RULES.map((r) => r.identifier);
    expect(duplicates(ids)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });

  test('every rule cites at least one HIPAA Security Rule section, and every section is well formed', () => {
    for (const r of HIPAA_CONFIG_RULES) {
      expect({ rule: r.identifier, ok: r.hipaaSections.some((s) => HIPAA_SECTION.test(s)) }).toEqual({
        rule: r.identifier,
        ok: true,
      });
      for (const s of r.hipaaSections) expect(s).toMatch(/^164\.3\d\d(\([0-9a-zA-Z]+\))+$/);
    }
  });

  test('resource types and parameters are well formed', () => {
    for (const r of HIPAA_CONFIG_RULES) {
      for (const t of r.resourceTypes ?? []) expect(t).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      for (const [k, v] of Object.entries(r.inputParameters ?? {})) {
        expect(k.length).toBeGreaterThan(0);
        expect(typeof v).toBe('string');
        expect(v.length).toBeGreaterThan(0);
      }
    }
  });
});

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

describe('breakGlassFilterPattern', () => {
  const arn = 'arn:aws:iam::123456789012:role/ops/BreakGlass';

  test('matches AssumeRole of exactly that role ARN', () => {
    const pattern = breakGlassFilterPattern(arn);
    expect(pattern).toContain(`$.requestParameters.roleArn = "${arn}"`);
    expect(pattern).toContain('$.eventName = "AssumeRole"');
    expect(pattern).toContain('$.eventSource = "sts.amazonaws.com"');
    expect(isBalanced(pattern)).toBe(true);
    expect(pattern.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
  });

  test('accepts ARNs holding unresolved CDK tokens', () => {
    const tokenArn = 'arn:${Token[AWS.Partition.9]}:iam::${Token[AWS.AccountId.6]}:role/BreakGlass';
    expect(breakGlassFilterPattern(tokenArn)).toContain(tokenArn);
    expect(breakGlassFilterPattern('${Token[TOKEN.21]}')).toContain('"${Token[TOKEN.21]}"');
  });

  test('rejects values that are not a role ARN or would break the pattern', () => {
    for (const bad of [
      '',
      'BreakGlass',
      'arn:aws:iam::123456789012:user/alice',
      'arn:aws:iam::123456789012:role/x" || ($.a = "b',
    ]) {
      expect(() => breakGlassFilterPattern(bad)).toThrow(/not an IAM role ARN/);
    }
    expect(() => breakGlassFilterPattern(`arn:aws:iam::123456789012:role/${'a'.repeat(1000)}`)).toThrow();
  });
});
