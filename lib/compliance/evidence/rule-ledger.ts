import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IApplyRule, NagPack } from 'cdk-nag/lib/nag-pack';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { IConstruct } from 'constructs';
import { PROJECT_RULES } from '../gate/blueprint-checks';

/** Outcome of one rule on one resource, as the pack really evaluated it. */
export type RuleOutcome = 'pass' | 'acknowledged' | 'violation' | 'error';

/** One evaluation of a rule on a resource (rules that were not applicable are not recorded). */
export interface RuleEvaluation {
  /** Pack name, e.g. 'HIPAA.Security'. */
  readonly pack: string;
  /** Rule id without finding suffix, e.g. 'HIPAA.Security-S3BucketLoggingEnabled'. */
  readonly ruleId: string;
  /** Construct path of the evaluated resource. */
  readonly constructPath: string;
  readonly outcome: RuleOutcome;
  /** Finding ids reported (with `[finding]` suffix where the rule gives one). */
  readonly findingIds: readonly string[];
  /** HIPAA sections the rule cites (HIPAA pack "Control IDs", project rules' hipaaSections). */
  readonly hipaaSections: readonly string[];
  /** Safeguards the rule cites (project rules only). */
  readonly safeguards: readonly string[];
}

interface RawEvaluation {
  readonly pack: string;
  readonly ruleId: string;
  readonly constructPath: string;
  readonly findingIds: readonly string[];
  readonly threw: boolean;
  readonly hipaaSections: readonly string[];
  readonly safeguards: readonly string[];
}

interface Instrumentable {
  applyRule(params: IApplyRule): void;
  validateScope(scope: IConstruct): PolicyValidationPluginReport;
}

/** The finding ids of a compliant evaluation (shared: never changed). */
const NO_FINDINGS: readonly string[] = Object.freeze([]);

const HIPAA_SECTION = /164\.\d{3}(\([a-zA-Z0-9]+\))*/g;

/** HIPAA sections a cdk-nag rule cites in its info text ("... (Control IDs: 164.312(b), ...)."). */
export function sectionsCitedBy(info: string): string[] {
  const at = info.indexOf('Control IDs:');
  return at < 0 ? [] : [...new Set(info.slice(at).match(HIPAA_SECTION) ?? [])];
}

/**
 * Records what the rule packs really evaluate: every rule, every resource, pass or finding, and
 * (from the pack's own report) whether a finding was acknowledged or remains a violation. The
 * control matrix counts come from here, never from hand-kept numbers.
 *
 * Instrumentation wraps the pack's rule callbacks; rule ids and results are unchanged.
 */
export class RuleLedger {
  private readonly raw = new Map<string, RawEvaluation[]>();
  private readonly reports = new Map<string, PolicyValidationPluginReport>();
  /** Evaluations of plugins that are not NagPacks (the assembly rules), by plugin name: the latest run only. */
  private readonly external = new Map<string, RuleEvaluation[]>();
  /**
   * The construct path of the resource evaluated last: cdk-nag applies every rule of a pack to one resource before
   * the next, and a path is built from all its scopes on each read.
   */
  private lastNode?: CfnResource;
  private lastPath = '';

  /** Records the evaluations of a plugin that is not a NagPack (the assembly rules), replacing its previous run. */
  public recordExternal(plugin: string, evaluations: readonly RuleEvaluation[]): void {
    this.external.set(plugin, [...evaluations]);
  }

  /** Wraps `pack` so that each validation run is recorded; returns the same pack. */
  public instrument<T extends NagPack>(pack: T): T {
    const target = pack as unknown as Instrumentable;
    const applyRule = target.applyRule.bind(pack);
    const validateScope = target.validateScope.bind(pack);
    const packName = pack.readPackName;
    // cdk-nag calls applyRule once per rule and resource (~100 000 times for an environment): the rule's id,
    // citations and wrapper are made once per rule (function, suffix and info text) and reused.
    type Wrapped = { readonly suffix: string; readonly info: string; readonly rule: IApplyRule['rule'] };
    const wrappers = new Map<IApplyRule['rule'], Wrapped[]>();
    target.applyRule = (params: IApplyRule): void => {
      const suffix = params.ruleSuffixOverride ? params.ruleSuffixOverride : params.rule.name;
      let known = wrappers.get(params.rule);
      if (known === undefined) wrappers.set(params.rule, (known = []));
      let wrapped = known.find((w) => w.suffix === suffix && w.info === params.info);
      if (wrapped === undefined) {
        wrapped = { suffix, info: params.info, rule: this.recording(packName, suffix, params) };
        known.push(wrapped);
      }
      // Every field of IApplyRule, written out: a spread of `params` (objects of many shapes, one per call site in the
      // packs) took V8's slow path, about a microsecond per call, 0.25 s per synth (these are all of cdk-nag 3's
      // fields; a field cdk-nag adds, required or optional, fails the type check here).
      applyRule({
        ruleSuffixOverride: suffix,
        info: params.info,
        explanation: params.explanation,
        level: params.level,
        node: params.node,
        rule: wrapped.rule,
      } satisfies Required<IApplyRule>);
    };
    target.validateScope = (scope: IConstruct): PolicyValidationPluginReport => {
      this.raw.set(packName, []);
      const report = validateScope(scope);
      this.reports.set(packName, report);
      return report;
    };
    return pack;
  }

  /** `params.rule`, wrapped to record each evaluation (outcome, findings, citations) under `pack`. */
  private recording(packName: string, suffix: string, params: IApplyRule): IApplyRule['rule'] {
    const ruleId = `${packName}-${suffix}`;
    const project = PROJECT_RULES.find((r) => r.rule === params.rule);
    const hipaaSections = project ? [...project.hipaaSections] : sectionsCitedBy(params.info);
    const safeguards = project ? [...project.safeguards] : [];
    const rule = params.rule;
    const record = (node: CfnResource, findingIds: readonly string[], threw: boolean): void => {
      if (node !== this.lastNode) {
        this.lastNode = node;
        this.lastPath = node.node.path;
      }
      this.raw.get(packName)?.push({
        pack: packName,
        ruleId,
        constructPath: this.lastPath,
        findingIds,
        threw,
        hipaaSections,
        safeguards,
      });
    };
    return (node: CfnResource): NagRuleResult => {
      let result: NagRuleResult;
      try {
        result = rule(node);
      } catch (e) {
        record(node, [ruleId], true);
        throw e;
      }
      if (result === NagRuleCompliance.COMPLIANT) record(node, NO_FINDINGS, false);
      else if (result === NagRuleCompliance.NON_COMPLIANT) record(node, [ruleId], false);
      else if (Array.isArray(result))
        record(
          node,
          result.map((f) => `${ruleId}[${f}]`),
          false,
        );
      return result;
    };
  }

  /** Names of the packs that have run since instrumentation. */
  public get packs(): string[] {
    return [...this.reports.keys(), ...this.external.keys()];
  }

  /** Every recorded evaluation with its outcome, from the latest run of each pack. */
  public evaluations(): RuleEvaluation[] {
    const out: RuleEvaluation[] = [];
    for (const [pack, raws] of this.raw) {
      const report = this.reports.get(pack);
      const violating = new Set<string>();
      for (const v of report?.violations ?? []) {
        for (const r of v.violatingResources) violating.add(`${v.ruleName}\u0000${r.constructPath ?? ''}`);
      }
      for (const e of raws) {
        const open = e.findingIds.filter((id) => violating.has(`${id}\u0000${e.constructPath}`));
        let outcome: RuleOutcome;
        if (e.findingIds.length === 0) outcome = 'pass';
        else if (open.length === 0) outcome = 'acknowledged';
        else outcome = e.threw ? 'error' : 'violation';
        out.push({
          pack: e.pack,
          ruleId: e.ruleId,
          constructPath: e.constructPath,
          outcome,
          findingIds: e.findingIds,
          hipaaSections: e.hipaaSections,
          safeguards: e.safeguards,
        });
      }
    }
    for (const evaluations of this.external.values()) out.push(...evaluations);
    return out;
  }
}
