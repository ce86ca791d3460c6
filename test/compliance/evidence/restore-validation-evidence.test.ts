import { ControlMatrix } from '../../../lib/compliance/evidence/control-matrix';
import { evidenceJson, evidenceText, templateJson } from '../../support/synthesized';

const matrix = evidenceJson<ControlMatrix>('prod', 'control-matrix.json');
const i1 = matrix.safeguards.find((s) => s.id === 'I1')!;
const dataResources = templateJson('prod', 'Data').Resources;
const typeOf = (logicalId: string) => dataResources[logicalId]?.Type;

describe('control matrix: restore test evidence (I1)', () => {
  test('I1 the prod control matrix lists the restore validation rule, function and alarms under I1', () => {
    const restore = i1.resources.filter((r) => r.logicalId.startsWith('RestoreValidation'));
    const types = restore.map((r) => r.type);
    expect(types).toContain('AWS::Events::Rule');
    expect(types).toContain('AWS::Lambda::Function');
    // Duration, no-validated-test and failed-test alarms for the database and the bucket, plus errors and dead letters.
    expect(types.filter((t) => t === 'AWS::CloudWatch::Alarm')).toHaveLength(8);
    for (const r of restore) expect(typeOf(r.logicalId)).toBe(r.type);
    // The restore testing plan and selections are there too.
    expect(i1.resources.map((r) => r.type)).toEqual(
      expect.arrayContaining(['AWS::Backup::RestoreTestingPlan', 'AWS::Backup::RestoreTestingSelection']),
    );
  });

  test('I1 the prod control matrix cites the RestoreTestsValidated rule for I1, passing', () => {
    const rule = i1.rules.find((r) => r.ruleId === 'Blueprint-RestoreTestsValidated');
    expect(rule).toMatchObject({ violations: 0, errors: 0 });
    expect(rule!.evaluated).toBeGreaterThan(0);
    expect(evidenceText('prod', 'control-matrix.md')).toContain('RestoreTestsValidated');
  });

  test('I1 the prod data template declares the recovery time objective (24 h) the alarms are held to', () => {
    expect(
      (templateJson('prod', 'Data').Metadata as { HipaaBlueprint: { recoveryTimeObjectiveHours?: number } })
        .HipaaBlueprint.recoveryTimeObjectiveHours,
    ).toBe(24);
    expect(
      (templateJson('dev', 'Data').Metadata as { HipaaBlueprint: { recoveryTimeObjectiveHours?: number } })
        .HipaaBlueprint.recoveryTimeObjectiveHours,
    ).toBe(72);
  });
});
