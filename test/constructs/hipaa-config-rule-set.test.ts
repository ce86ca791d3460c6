import {
  CW_LOGGROUP_MIN_RETENTION_DAYS,
  HIPAA_CONFIG_RULES,
  hipaaRuleName,
} from '../../constructs/hipaa-config-rule-set';
import { HIPAA_MIN_RETENTION_DAYS } from '../../constructs/core/retention';
import { duplicates, HIPAA_SECTION } from '../support/rule-data';

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
    else expect(rule?.trigger).toBe('periodic');
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
