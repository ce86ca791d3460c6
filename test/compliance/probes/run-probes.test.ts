/**
 * The probe set's runner: reads the prod assembly (as `cdk synth -c env=prod` writes it, path metadata on,
 * synthesized once per run by the Jest globalSetup: cdkSynthDir('prod')), requires it to pass the template checker in assembly mode with zero findings, then applies every probe of
 * every `*.probes.ts` file here to a copy and requires a new finding naming the probe's rule. Prints the score,
 * and requires every safeguard of SAFEGUARDS.md to have a probe except those NOT_YET_GATED lists.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { SAFEGUARD_IDS } from '../../../constructs/core/safeguard-ids';
import { accessVolumeThreshold, alertEndpoints, sessionPreferencesRegion } from '../../../lib/config/names';
import { configuredAllowLists } from '../../../lib/config/principals';
import { ASSEMBLY_RULES } from '../../../lib/compliance/gate/assembly';
import { loadAssembly } from '../../../lib/compliance/gate/assembly-loader';
import { environmentRegister } from '../../../lib/compliance/gate/environment-register';
import {
  checkAssembly,
  checkAssemblyRules,
  checkAssemblyTemplates,
  CheckOptions,
  TemplateCheckResult,
} from '../../../lib/compliance/gate/template-checker';
import { isPhiReplicaBootstrap } from '../../../lib/compliance/gate/core/phi-shapes';
import { AssemblyStack, templateDeclaration, TemplateJson } from '../../../lib/compliance/gate/core/template-json';
import { cdkSynthDir } from '../../support/synthesized';
import { NOT_YET_GATED } from './not-yet-gated';
import { Probe, Templates } from './probe';

/** Every probe of every `*.probes.ts` file of this folder (other branches add files). */
function collectProbes(): { file: string; probe: Probe }[] {
  return readdirSync(__dirname)
    .filter((f) => f.endsWith('.probes.ts'))
    .sort()
    .flatMap((file) => {
      const module = require(join(__dirname, file)) as { PROBES?: readonly Probe[] }; // eslint-disable-line @typescript-eslint/no-require-imports
      if (!Array.isArray(module.PROBES)) throw new Error(`${file}: exports no PROBES array`);
      return module.PROBES.map((probe) => ({ file, probe }));
    });
}

const PROBES = collectProbes();
const keyOf = (s: AssemblyStack): string => {
  const last = (s.path ?? s.stackName).split('/').pop()!;
  return last.charAt(0).toLowerCase() + last.slice(1);
};
type Finding = { ruleId: string; source: string; logicalId: string };
const findingKey = (f: Finding): string => `${f.source} ${f.logicalId} ${f.ruleId}`;

/**
 * The probe's view of the assembly's templates: each stack's template is deep-copied the first time the probe reads
 * it (Proxy), so a probe changes only copies, and the stacks it never read stay the original objects. `copied` holds
 * the copies by stack key.
 */
function copiesOnRead(from: readonly AssemblyStack[]): {
  templates: Templates;
  copied: Map<string, Templates[string]>;
} {
  const originals = new Map(from.map((s) => [keyOf(s), s.template]));
  const copied = new Map<string, Templates[string]>();
  // The target holds no template: only the get trap hands them out, as copies.
  const templates = new Proxy(Object.fromEntries([...originals.keys()].map((k) => [k, null])) as unknown as Templates, {
    get(target, key) {
      if (typeof key !== 'string' || !originals.has(key)) return Reflect.get(target, key);
      let copy = copied.get(key);
      if (copy === undefined) {
        copy = copyJson(originals.get(key)) as Templates[string];
        copied.set(key, copy);
      }
      return copy;
    },
    set() {
      throw new Error('probe: replace resources inside a template, not whole templates');
    },
  });
  return { templates, copied };
}

/**
 * A deep copy of `value`, JSON as JSON.parse returns it (what loadAssembly read): the same as
 * JSON.parse(JSON.stringify(value)), the same keys in the same order, without the text in between (about five times
 * faster on the prod templates; the copies were a tenth of this file's time).
 */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const from = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  // for...in over own keys: Object.entries made this half as fast.
  for (const key in from) {
    if (!Object.hasOwn(from, key)) continue;
    // A "__proto__" key (JSON.parse makes it an own property) stays a key, as the round trip keeps it.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: copyJson(from[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else copy[key] = copyJson(from[key]);
  }
  return copy;
}

/** Freezes `value` and everything in it. */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

/**
 * environmentRegister of `templates`, computed once per distinct input. It reads only the environment the templates
 * declare (each template's declaration envName) and whether they are a replica region's bootstrap, so those are the
 * key; its config validation and register build were 0.8 s of this file when run twice for every probe. A call that
 * throws (templates of two environments) is not kept.
 */
const registers = new Map<string, ReturnType<typeof environmentRegister>>();
function registerOf(templates: readonly TemplateJson[]): ReturnType<typeof environmentRegister> {
  const key = JSON.stringify([
    templates.map((t) => templateDeclaration(t)?.envName ?? null),
    isPhiReplicaBootstrap(templates),
  ]);
  if (!registers.has(key)) registers.set(key, environmentRegister(templates));
  return registers.get(key);
}

let stacks: AssemblyStack[];
let options: CheckOptions;
/** The same, with the project's pack only (the first stage of a probe's check). */
let projectOptions: CheckOptions;
let baseline: Set<string>;

/** The pack the first stage runs: the project's rules (the cdk-nag packs are most of a check's time). */
const PROJECT_PACKS = ['Blueprint'];

beforeAll(() => {
  // The prod assembly as `cdk synth -c env=prod` writes it, synthesized once per run (globalSetup); read only:
  // each probe mutates a deep copy of its templates.
  stacks = loadAssembly(cdkSynthDir('prod'));
  // Frozen: a probe that reached an original template instead of its copy throws (the runner reports it MISSED, with
  // the error) instead of changing what later probes see.
  for (const s of stacks) deepFreeze(s.template);
  const env = environmentRegister(stacks.map((s) => s.template));
  options = {
    register: env?.register,
    phiBucketNames: env?.phiBucketNames,
    phiReplicaRegion: env?.config.phiBucket.replicaRegion,
    alertEndpoints: env && alertEndpoints(env.config),
    allowLists: env && configuredAllowLists(env.config),
    production: env?.config.production,
    sessionPreferencesRegion: env && sessionPreferencesRegion(env.config),
    accessVolumeThreshold: env && accessVolumeThreshold(env.config),
    isolatedCopyVaultArn: env?.config.backup.isolatedCopyVaultArn,
    internetEgress: env?.config.network.internetEgress,
    cache: new Map<string, TemplateCheckResult>(),
    // The assembly's templates are never mutated (probes change copies): their results are found by object.
    resultsByTemplate: new WeakMap<object, TemplateCheckResult>(),
  };
  projectOptions = {
    ...options,
    packs: PROJECT_PACKS,
    cache: new Map<string, TemplateCheckResult>(),
    resultsByTemplate: new WeakMap<object, TemplateCheckResult>(),
  };
  baseline = new Set(checkAssembly(stacks, options).findings.map(findingKey));
  // The project pack's findings are a subset of the full check's: none on the unmutated assembly either (this fills
  // its caches).
  const projectBaseline = checkAssembly(stacks, projectOptions).findings.map(findingKey);
  if (projectBaseline.some((k) => !baseline.has(k)))
    throw new Error('the project pack alone reports more than all packs');
  // From here on the caches only answer (a template a probe read but left unchanged): a probe's changed template is
  // not kept, as no other probe makes the same change (kept, they held hundreds of MB of keys and slowed every GC).
  options = { ...options, cache: new AnswerOnlyCache(options.cache!) };
  projectOptions = { ...projectOptions, cache: new AnswerOnlyCache(projectOptions.cache!) };
});

type Stage = 'assembly rules' | 'project pack' | 'all packs';
/**
 * The rules a probe's mutated assembly newly breaks, checked in stages, cheapest first, until one finds a rule the
 * probe names: the assembly rules the probe names, alone (no template included: each rule judges the whole assembly on
 * its own, so their findings are theirs in the full check); the templates with the project's pack; the templates with
 * every pack, as check-template runs them; every assembly rule. A stage's findings are findings of the full check (the
 * same code with fewer rules), so a probe an early stage catches is caught by check-template; one no stage catches
 * gets the full check, and its report lists what that found. This holds because checkAssembly is exactly each
 * template's check followed by checkAssemblyRules (pinned in test/compliance/gate/template-checker.test.ts).
 */
function addedRules(
  mutated: readonly AssemblyStack[],
  probe: Probe,
  sameEnvironment: boolean,
): { ids: string[]; stage: Stage } {
  const env = sameEnvironment ? undefined : registerOf(mutated.map((s) => s.template));
  // With another environment declared, without the caches (their results hold for the original register only).
  const stage = (base: CheckOptions, packs?: readonly string[]): CheckOptions =>
    sameEnvironment
      ? base
      : {
          register: env?.register,
          phiBucketNames: env?.phiBucketNames,
          phiReplicaRegion: env?.config.phiBucket.replicaRegion,
          alertEndpoints: env && alertEndpoints(env.config),
          allowLists: env && configuredAllowLists(env.config),
          production: env?.config.production,
          sessionPreferencesRegion: env && sessionPreferencesRegion(env.config),
          accessVolumeThreshold: env && accessVolumeThreshold(env.config),
          isolatedCopyVaultArn: env?.config.backup.isolatedCopyVaultArn,
          internetEgress: env?.config.network.internetEgress,
          packs,
        };
  const newRules = (findings: readonly Finding[]): string[] =>
    findings.filter((f) => !baseline.has(findingKey(f))).map((f) => f.ruleId);
  const caught = (ids: readonly string[]): boolean => ids.some((id) => probe.caughtBy.test(id));
  const assemblyRules = (names?: readonly string[]): readonly Finding[] =>
    checkAssemblyRules(mutated, { ...stage(options), assemblyRules: names }).assemblyFindings;
  const templates = (o: CheckOptions): readonly Finding[] => checkAssemblyTemplates(mutated, o).findings;
  // The assembly rules named in the probe's expression (none: it names a per-resource or cdk-nag rule).
  const named = ASSEMBLY_RULE_NAMES.filter((name) => probe.caughtBy.source.includes(name));
  const stages: [Stage, () => string[]][] = [
    ...(named.length > 0 ? [['assembly rules', () => newRules(assemblyRules(named))] as [Stage, () => string[]]] : []),
    ['project pack', () => newRules(templates(stage(projectOptions, PROJECT_PACKS)))],
  ];
  for (const [name, run] of stages) {
    const ids = run();
    if (caught(ids)) return { ids, stage: name };
  }
  // The full check: every pack on the templates and every assembly rule (checkAssembly's findings, without running
  // the assembly rules twice: checkAssembly is checkAssemblyTemplates then checkAssemblyRules).
  const ids = newRules([...templates(stage(options)), ...assemblyRules()]);
  return { ids, stage: 'all packs' };
}

/** The assembly rules' names, as their finding ids hold them (`Blueprint-<name>[...]`). */
const ASSEMBLY_RULE_NAMES = ASSEMBLY_RULES.map((r) => r.name);

/** A template result cache that answers from `from` and keeps nothing new. */
class AnswerOnlyCache extends Map<string, TemplateCheckResult> {
  // Not through Map's constructor: it would fill the map with this class's own set(), which keeps nothing.
  public constructor(private readonly from: ReadonlyMap<string, TemplateCheckResult>) {
    super();
  }
  public override get(key: string): TemplateCheckResult | undefined {
    return this.from.get(key);
  }
  public override has(key: string): boolean {
    return this.from.has(key);
  }
  public override set(): this {
    return this;
  }
}

describe('the probe set', () => {
  test('V2 the unmutated prod assembly passes the template checker in assembly mode with zero findings', () => {
    expect(stacks.length).toBe(9);
    expect([...baseline]).toEqual([]);
  });

  test('every safeguard of SAFEGUARDS.md has a probe, except those listed as not yet gated', () => {
    const covered = new Set(PROBES.flatMap(({ probe }) => probe.safeguards));
    const missing = SAFEGUARD_IDS.filter((id) => !covered.has(id) && NOT_YET_GATED[id] === undefined);
    expect(missing).toEqual([]);
    // An id listed as not yet gated that has probes should leave the list.
    expect(Object.keys(NOT_YET_GATED).filter((id) => covered.has(id as never))).toEqual([]);
    expect(PROBES.length).toBeGreaterThanOrEqual(40);
  });

  test('E1 E2 E3 A1 A2 A3 A4 A5 U1 U2 U3 U4 I1 I2 I3 N1 N2 N3 N4 D1 D2 D3 V1 V2 every probe is caught by a new finding naming its rule', () => {
    const results = PROBES.map(({ file, probe }) => {
      const { templates, copied } = copiesOnRead(stacks);
      let error: string | undefined;
      try {
        probe.mutate(templates);
      } catch (e) {
        error = (e as Error).message;
      }
      // A stack the probe never read is passed as the original (unchanged) object.
      const mutated = stacks.map((s) => {
        const copy = copied.get(keyOf(s));
        return copy === undefined ? s : { ...s, template: copy as unknown as TemplateJson };
      });
      // The register and PHI bucket names as check-template derives them, from the templates it is given: a probe that
      // edits the environment declaration is checked against what it declares.
      const env = registerOf(mutated.map((s) => s.template));
      const sameEnvironment =
        JSON.stringify([env?.register, env?.phiBucketNames]) ===
        JSON.stringify([options.register, options.phiBucketNames]);
      const { ids: added, stage } = error ? { ids: [], stage: undefined } : addedRules(mutated, probe, sameEnvironment);
      const caught = added.some((id) => probe.caughtBy.test(id));
      return { file, name: probe.name, caught, added: [...new Set(added)], error, stage };
    });
    const score = results.filter((r) => r.caught).length;
    const lines = results.map(
      (r) =>
        `${r.caught ? 'caught' : 'MISSED'}  ${r.name}  [${r.file}]${r.caught ? '' : `  added: ${r.added.join(', ') || 'nothing'}${r.error ? `  error: ${r.error}` : ''}`}`,
    );
    const byStage = (['assembly rules', 'project pack', 'all packs'] as const).map(
      (stage) =>
        `${results.filter((r) => r.caught && r.stage === stage).length} by ${stage === 'all packs' ? 'the full check' : `the ${stage}`}`,
    );
    console.log(`Probe score: ${score}/${results.length} (${byStage.join(', ')})\n${lines.join('\n')}`);
    expect(results.filter((r) => !r.caught)).toEqual([]);
    // The README quotes this score: it must be the one measured here.
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`Score: **${score} of ${results.length} caught**`);
  });
});
