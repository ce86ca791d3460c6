import { ASSEMBLY_RULES, runAssemblyRules } from '../../../../lib/compliance/gate/assembly';
import { memo, resourcesOf } from '../../../../lib/compliance/gate/core/template-json';
import { asAssembly, fixtureTemplates, PHI_BUCKET } from './assembly-fixture';

describe('runAssemblyRules', () => {
  test('D2 presence rules do not run on step 1 of a first deploy (the replica stack alone); the others do', () => {
    const templates = fixtureTemplates();
    const replica = {
      Metadata: { HipaaBlueprint: { appName: 'app', envName: 'prod', phiReplicaBootstrap: true } },
      Resources: {},
    };
    const partial = runAssemblyRules(asAssembly({ phiReplica: replica }), { phiBucketNames: [PHI_BUCKET] });
    expect(partial.findings).toEqual([]);
    expect(partial.rules.map((r) => r.rule.name)).toEqual(ASSEMBLY_RULES.filter((r) => !r.presence).map((r) => r.name));
    // Without the declaration the same partial assembly fails the presence rules.
    const unmarked = runAssemblyRules(asAssembly({ phiReplica: { Resources: {} } }), {});
    expect(unmarked.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining([
        'Blueprint-DetectionServicesPresent[GuardDuty::absent]',
        'Blueprint-TrailCoversPhiBuckets[Trail::absent]',
      ]),
    );
    expect(runAssemblyRules(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] }).findings).toEqual([]);
  });

  test('U1 U6 D2 the declaration in a template of a whole environment is not step 1: every presence rule runs', () => {
    const templates = fixtureTemplates() as Record<string, { Metadata?: Record<string, unknown>; Resources: object }>;
    const [key, first] = Object.entries(templates)[0]!;
    const declared = {
      ...templates,
      [key]: { ...first, Metadata: { HipaaBlueprint: { appName: 'app', envName: 'prod', phiReplicaBootstrap: true } } },
    };
    const stacks = asAssembly(declared as typeof templates);
    expect(stacks.length).toBeGreaterThan(1);
    const result = runAssemblyRules(stacks, { phiBucketNames: [PHI_BUCKET] });
    expect(result.rules.map((r) => r.rule.name)).toEqual(ASSEMBLY_RULES.map((r) => r.name));
    // The trail removed besides: found, as without the declaration.
    const trailless = Object.fromEntries(
      Object.entries(declared).map(([k, t]) => [
        k,
        {
          ...t,
          Resources: Object.fromEntries(
            Object.entries(t.Resources).filter(([, r]) => (r as { Type?: string }).Type !== 'AWS::CloudTrail::Trail'),
          ),
        },
      ]),
    );
    expect(
      runAssemblyRules(asAssembly(trailless as typeof templates), { phiBucketNames: [PHI_BUCKET] }).findings.map(
        (f) => f.ruleId,
      ),
    ).toContain('Blueprint-TrailCoversPhiBuckets[Trail::absent]');
  });

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

  test('a resource without a Type (a deletion override of it) is judged, not a crash', () => {
    const stacks = asAssembly(fixtureTemplates());
    const template = stacks[0]!.template as unknown as { Resources: Record<string, unknown> };
    template.Resources.Untyped = { Properties: {} };
    const result = runAssemblyRules(stacks, { phiBucketNames: [PHI_BUCKET] });
    expect(result.rules.length).toBe(ASSEMBLY_RULES.length);
  });
});
