/**
 * Runs the tamper-policy probes (tamper-policies.probes.ts) the way test/compliance/mutation.test.ts runs its
 * mutations, until the gate's probe runner collects them: synthesize dev and prod through the gate, check every
 * template with checkTemplate, apply each probe to the first template holding its resource, and require a new
 * finding that matches the probe's caughtBy. Also: the unmutated templates carry no finding of the tamper rules.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../../../lib/blueprint-app';
import { validateConfig } from '../../../lib/config';
import { checkTemplate, TemplateFinding } from '../../../lib/compliance/gate/template-checker';
import { testConfig } from '../../support/blueprint';
import { ProbeTemplate, TAMPER_POLICY_PROBES } from './tamper-policies.probes';

const TAMPER_RULES =
  /KeyUseByNamedPrincipals|PhiBucketPrincipalAllowList|AuditArchiveTamperDenies|LogBucketVersionDeleteDeny|VpcEndpointPolicyThisAccount|TrailRecordsArchiveDeletes/;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const key = (f: TemplateFinding): string => `${f.ruleId} ${f.logicalId}`;

const dirs: string[] = [];
const templates: Record<'dev' | 'prod', { file: string; template: ProbeTemplate; baseline: Set<string> }[]> = {
  dev: [],
  prod: [],
};

beforeAll(() => {
  for (const env of ['dev', 'prod'] as const) {
    const outdir = mkdtempSync(join(tmpdir(), `probes-${env}-`));
    dirs.push(outdir);
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    buildBlueprint(app, validateConfig(testConfig(env)));
    app.synth();
    for (const file of readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .sort()) {
      const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as ProbeTemplate;
      const baseline = new Set(checkTemplate(template, file).findings.map(key));
      templates[env].push({ file, template, baseline });
    }
  }
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('tamper-policy probes', () => {
  test.each(['dev', 'prod'] as const)('E1 A3 U2 U3 N3 U6 the %s templates pass every tamper rule', (env) => {
    const findings = templates[env].flatMap(({ baseline }) => [...baseline].filter((f) => TAMPER_RULES.test(f)));
    expect(findings).toEqual([]);
  });

  test('E1 A3 U2 U3 N3 U6 every probe that removes an allow-list or a tamper deny from prod is caught', () => {
    const results = TAMPER_POLICY_PROBES.map((probe) => {
      const hit = templates.prod
        .map((t) => ({
          ...t,
          id: Object.entries(t.template.Resources).find(
            ([, r]) => r.Type === probe.type && (probe.select?.(r) ?? true),
          )?.[0],
        }))
        .find((t) => t.id !== undefined);
      if (!hit) return { name: probe.name, caught: false, added: ['no matching resource'] };
      const mutated = clone(hit.template);
      probe.mutate(mutated, hit.id!);
      const added = checkTemplate(mutated, `${hit.file} (${probe.name})`).findings.filter(
        (f) => !hit.baseline.has(key(f)),
      );
      return {
        name: probe.name,
        file: hit.file,
        caught: added.some((f) => probe.caughtBy.test(f.ruleId)),
        added: added.map((f) => f.ruleId),
      };
    });
    const lines = results.map((r) => `${r.caught ? 'caught' : 'MISSED'}  ${r.name}  [${r.file ?? '-'}]`);
    console.log(
      `Tamper-policy probe score: ${results.filter((r) => r.caught).length}/${results.length}\n${lines.join('\n')}`,
    );
    expect(results.filter((r) => !r.caught)).toEqual([]);
  });
});
