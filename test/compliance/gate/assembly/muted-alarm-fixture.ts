/** Runs an assembly rule on the fixture assembly after a change, returning `[<finding id>] <logical id>: <description>`. */
import { AssemblyRule } from '../../../../lib/compliance/gate/assembly';
import { asAssembly, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

export function describedFindingsOf(rule: AssemblyRule, mutate: (t: Record<string, Mutable>) => void): string[] {
  const templates = fixtureTemplates();
  mutate(templates);
  return rule
    .check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] })
    .findings.map(
      (f) => `${f.ruleId.slice(`Blueprint-${rule.name}`.length)} ${f.logicalId ?? '(template)'}: ${f.description}`,
    )
    .sort();
}
