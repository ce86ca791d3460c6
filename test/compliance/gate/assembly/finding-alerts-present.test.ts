import { FINDING_PATTERNS } from '../../../../constructs/alert-pipeline';
import {
  filterAdmits,
  findingFloor,
  FindingAlertsPresent,
} from '../../../../lib/compliance/gate/assembly/finding-alerts-present';
import { findingsOf, Mutable } from './assembly-fixture';

/** The alert pipeline's four finding rules (FINDING_PATTERNS), as the alerting stack renders them. */
const RULES = ['GuardDutyFindings', 'SecurityHubFindings', 'MacieFindings', 'InspectorFindings'];
/** The alert pipeline's pattern of `rule` as a template writes it (CDK's `detailType` is `detail-type`). */
function shippedPattern(rule: string): Mutable {
  const p = FINDING_PATTERNS[rule]!;
  return JSON.parse(
    JSON.stringify({ source: p.source, 'detail-type': p.detailType, ...(p.detail ? { detail: p.detail } : {}) }),
  ) as Mutable;
}
const target = () => [{ Arn: { 'Fn::GetAtt': ['Formatter', 'Arn'] }, Id: 'Target0' }];
function withFindingRules(t: Record<string, Mutable>): void {
  for (const name of RULES) {
    t.alerting.Resources[name] = {
      Type: 'AWS::Events::Rule',
      Properties: { State: 'ENABLED', EventPattern: shippedPattern(name), Targets: target() },
    };
  }
}
const rule = (t: Record<string, Mutable>, name: string) => t.alerting.Resources[name].Properties;
const check = (mutate: (t: Record<string, Mutable>) => void = () => undefined) =>
  findingsOf(FindingAlertsPresent, (t) => {
    withFindingRules(t);
    mutate(t);
  });

describe('FindingAlertsPresent', () => {
  test('D2 D3 the gate keeps its own floor: GuardDuty MEDIUM and above, Security Hub HIGH/CRITICAL, Inspector HIGH/CRITICAL, every Macie finding; the alert pipeline ships exactly these patterns', () => {
    expect(findingFloor('GuardDutyFindings').detail).toEqual({ severity: [{ numeric: ['>=', 4] }] });
    expect((findingFloor('SecurityHubFindings') as Mutable).detail.findings.Severity).toEqual({
      Label: ['HIGH', 'CRITICAL'],
    });
    expect((findingFloor('InspectorFindings') as Mutable).detail.severity).toEqual(['HIGH', 'CRITICAL']);
    expect(findingFloor('MacieFindings').detail).toBeUndefined();
    expect(Object.keys(FINDING_PATTERNS)).toEqual(expect.arrayContaining(RULES));
    // The construct's patterns are the floor: narrowing one fails the gate (not only this test).
    for (const name of RULES) expect(shippedPattern(name)).toEqual(findingFloor(name));
    expect(() => findingFloor('NoSuchRule')).toThrow('no finding alert floor for NoSuchRule');
  });

  test('D2 D3 the shipped rules pass; broader ones (a lower floor, more levels, no detail filter) pass', () => {
    expect(check()).toEqual([]);
    expect(
      check((t) => {
        rule(t, 'GuardDutyFindings').EventPattern.detail.severity = [{ numeric: ['>', 2] }];
        rule(t, 'InspectorFindings').EventPattern.detail.severity = ['MEDIUM', 'HIGH', 'CRITICAL'];
        delete rule(t, 'SecurityHubFindings').EventPattern.detail;
        rule(t, 'MacieFindings').EventPattern = JSON.stringify(rule(t, 'MacieFindings').EventPattern);
      }),
    ).toEqual([]);
  });

  test('D2 a detection service switched off needs no finding rule', () => {
    expect(
      check((t) => {
        delete t.alerting.Resources.MacieFindings;
        t.detection.Metadata.HipaaBlueprint.detection.services.macie = false;
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the four finding rules deleted',
      (t) => RULES.forEach((r) => delete t.alerting.Resources[r]),
      RULES.map((r) => `[${r}::not-alerted] (template)`).sort(),
    ],
    [
      'the GuardDuty rule DISABLED',
      (t) => (rule(t, 'GuardDutyFindings').State = 'DISABLED'),
      ['[GuardDutyFindings::not-alerted] (template)'],
    ],
    [
      'the GuardDuty rule on a custom event bus',
      (t) => (rule(t, 'GuardDutyFindings').EventBusName = 'quiet'),
      ['[GuardDutyFindings::not-alerted] (template)'],
    ],
    [
      'the Inspector rule handing a constant to the formatter',
      (t) => (rule(t, 'InspectorFindings').Targets[0].Input = '{}'),
      ['[InspectorFindings::not-alerted] (template)'],
    ],
    [
      'the GuardDuty floor raised to 8.9',
      (t) => (rule(t, 'GuardDutyFindings').EventPattern.detail.severity = [{ numeric: ['>=', 8.9] }]),
      ['[GuardDutyFindings::narrowed] (template)'],
    ],
    [
      'Security Hub CRITICAL only',
      (t) => (rule(t, 'SecurityHubFindings').EventPattern.detail.findings.Severity.Label = ['CRITICAL']),
      ['[SecurityHubFindings::narrowed] (template)'],
    ],
    [
      'Security Hub excluding another product',
      (t) =>
        (rule(t, 'SecurityHubFindings').EventPattern.detail.findings.ProductName = [
          { 'anything-but': ['GuardDuty', 'Macie', 'Inspector', 'Security Hub'] },
        ]),
      ['[SecurityHubFindings::narrowed] (template)'],
    ],
    [
      'Inspector CRITICAL only',
      (t) => (rule(t, 'InspectorFindings').EventPattern.detail.severity = ['CRITICAL']),
      ['[InspectorFindings::narrowed] (template)'],
    ],
    [
      'Macie High only',
      (t) => (rule(t, 'MacieFindings').EventPattern.detail = { severity: { description: ['High'] } }),
      ['[MacieFindings::narrowed] (template)'],
    ],
    [
      'the Security Hub rule filtered to the primary region (the replica region forwards its findings)',
      (t) => (rule(t, 'SecurityHubFindings').EventPattern.region = ['us-east-1']),
      ['[SecurityHubFindings::narrowed] (template)'],
    ],
  ])('D2 D3 %s is a finding', (_name, mutate, expected) => {
    expect(check(mutate)).toEqual(expected);
  });

  test('filterAdmits compares each leaf with the shipped one', () => {
    const floor = { severity: [{ numeric: ['>=', 4] }] };
    expect(filterAdmits(undefined, floor)).toBe(true);
    expect(filterAdmits({ severity: [{ numeric: ['>=', 4] }] }, floor)).toBe(true);
    expect(filterAdmits({ severity: [{ numeric: ['>', 3.9] }] }, floor)).toBe(true);
    expect(filterAdmits({ severity: [{ exists: true }] }, floor)).toBe(true);
    expect(filterAdmits({ severity: [{ numeric: ['>', 4] }] }, floor)).toBe(false);
    expect(filterAdmits({ severity: [{ numeric: ['>=', 4, '<', 9] }] }, floor)).toBe(false);
    expect(filterAdmits({ severity: [{ numeric: ['>=', 4] }], type: ['x'] }, floor)).toBe(false);
    expect(filterAdmits({ $or: [{ severity: [8] }] }, floor)).toBe(false);
    expect(filterAdmits({ severity: ['HIGH', { prefix: 'CRIT' }] }, { severity: ['HIGH', 'CRITICAL'] })).toBe(true);
  });
});
