import { ASSEMBLY_RULES, runAssemblyRules } from '../../../../lib/compliance/gate/assembly';
import { memo, resourcesOf } from '../../../../lib/compliance/gate/core/template-json';
import { asAssembly, fixtureTemplates, PHI_BUCKET } from './assembly-fixture';

describe('runAssemblyRules', () => {
  test('the rules of one run share its memo (each template indexed once), which ends with the run', () => {
    const stacks = asAssembly(fixtureTemplates());
    const template = stacks[0]!.template;
    const seen: unknown[] = [];
    const spies = ASSEMBLY_RULES.slice(0, 2).map((rule) =>
      jest.spyOn(rule, 'check').mockImplementation(() => {
        seen.push(
          memo('run-assembly-rules.test', stacks, () => ({})),
          resourcesOf(template),
        );
        return { evaluated: 0, findings: [] };
      }),
    );
    runAssemblyRules(stacks, { phiBucketNames: [PHI_BUCKET] });
    expect(spies.map((s) => s.mock.calls.length)).toEqual([1, 1]);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[3]).toBe(seen[1]);
    expect(memo('run-assembly-rules.test', stacks, () => ({}))).not.toBe(seen[0]);
  });

  test('the rules named run alone, with the findings they have in a run of every rule; an unknown name is an error', () => {
    const stacks = asAssembly(fixtureTemplates());
    // A fixture one rule judges wrong: its PHI bucket name is not in the context (the rules that read it report).
    const all = runAssemblyRules(stacks, { phiBucketNames: [] });
    const reporting = [...new Set(all.findings.map((f) => /^Blueprint-(\w+)\[/.exec(f.ruleId)![1]!))];
    expect(reporting.length).toBeGreaterThan(0);
    const name = reporting[0]!;
    const alone = runAssemblyRules(stacks, { phiBucketNames: [] }, [name]);
    expect(alone.rules.map((r) => r.rule.name)).toEqual([name]);
    expect(alone.findings).toEqual(all.findings.filter((f) => f.ruleId.startsWith(`Blueprint-${name}[`)));
    expect(() => runAssemblyRules(stacks, {}, [name, 'NoSuchRule'])).toThrow('no assembly rule named NoSuchRule');
  });

  test('a resource without a Type (a deletion override of it) is judged, not a crash', () => {
    const stacks = asAssembly(fixtureTemplates());
    const template = stacks[0]!.template as unknown as { Resources: Record<string, unknown> };
    template.Resources.Untyped = { Properties: {} };
    const result = runAssemblyRules(stacks, { phiBucketNames: [PHI_BUCKET] });
    expect(result.rules.length).toBe(ASSEMBLY_RULES.length);
  });

  test('V2 a rule that throws is a finding of it (the gate fails closed) and the other rules still run', () => {
    const stacks = asAssembly(fixtureTemplates());
    const rule = ASSEMBLY_RULES[1]!;
    const spy = jest.spyOn(rule, 'check').mockImplementation(() => {
      throw new Error('unexpected shape\nsecond line');
    });
    try {
      const result = runAssemblyRules(stacks, { phiBucketNames: [PHI_BUCKET] });
      const failed = result.findings.filter((f) => f.ruleId === `Blueprint-${rule.name}[rule-failed]`);
      expect(failed.map((f) => f.description)).toEqual([
        `Rule ${rule.name} failed on this assembly (unexpected shape) and judged nothing: the gate fails closed (V2)`,
      ]);
      expect(result.rules).toHaveLength(ASSEMBLY_RULES.length);
    } finally {
      spy.mockRestore();
    }
  });
});
