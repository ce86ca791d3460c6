/**
 * Builds the control matrix (safeguard V2) from what a synth really produced: the templates'
 * `HipaaBlueprint` metadata, the rule packs' recorded evaluations, the acknowledgement register's
 * matches and the tests named after safeguards. Pure: the plugin gathers inputs and writes files.
 */
import { Acknowledgement, AcknowledgementMatch } from '../register';
import { RuleEvaluation } from './rule-ledger';
import { SAFEGUARD_METADATA_KEY, SafeguardMetadata } from './safeguard-metadata';
import {
  EXTERNAL_RESPONSIBILITIES,
  ExternalResponsibility,
  HIPAA_SECTION_TITLES,
  SAFEGUARDS,
  SafeguardId,
  typesClaimingSafeguard,
} from '../catalogue/safeguards';
import { SafeguardTest } from './test-index';

/** A synthesized template and the stack it belongs to. */
export interface SynthesizedStack {
  /** Construct path of the stack, e.g. 'Dev/Keys'. */
  readonly stackPath: string;
  /** Template file name inside the assembly, e.g. 'DevKeys6B4D4A73.template.json'. */
  readonly templateFile: string;
  readonly template: CfnTemplate;
}

/** The parts of a CloudFormation template the evidence reads. */
export interface CfnTemplate {
  readonly Resources?: Record<
    string,
    { readonly Type: string; readonly Metadata?: Record<string, unknown>; readonly [k: string]: unknown }
  >;
  readonly [k: string]: unknown;
}

/** A resource in a template. */
export interface ResourceRef {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** Construct path, when the template carries `aws:cdk:path` metadata. */
  readonly constructPath?: string;
  readonly safeguards: readonly SafeguardId[];
}

/** What a rule did on a set of resources (counts are from recorded evaluations). */
export interface RuleCoverage {
  readonly ruleId: string;
  readonly pack: string;
  /** 'cites' when the rule names the section/safeguard itself; 'checks' when it evaluated its resources. */
  readonly basis: 'cites' | 'checks';
  readonly evaluated: number;
  readonly passed: number;
  readonly acknowledged: number;
  readonly violations: number;
  readonly errors: number;
}

/** One HIPAA Security Rule section the blueprint addresses. */
export interface SectionEntry {
  readonly section: string;
  readonly title: string;
  readonly safeguards: readonly SafeguardId[];
  readonly resources: readonly ResourceRef[];
  readonly rules: readonly RuleCoverage[];
  readonly tests: readonly SafeguardTest[];
}

/** One safeguard and its evidence. */
export interface SafeguardEntry {
  readonly id: SafeguardId;
  readonly title: string;
  readonly category: string;
  readonly hipaaSections: readonly string[];
  readonly resources: readonly ResourceRef[];
  /**
   * Resources whose type has a row for this safeguard in RESOURCE_SAFEGUARDS but whose properties
   * do not meet the row's condition (e.g. an SSE-S3 bucket under E2): NOT evidence of the safeguard,
   * listed so a reviewer sees them.
   */
  readonly typeMatchedPropertyNotMet: readonly ResourceRef[];
  readonly rules: readonly RuleCoverage[];
  readonly tests: readonly SafeguardTest[];
}

/** One account-level detection service (D2): created here, or switched off and provided by someone named. */
export interface DetectionServiceEvidence {
  readonly service: string;
  /** Created by this environment's templates. */
  readonly createdHere: boolean;
  /** Who provides it when it is switched off here (config detection.providedBy, as the templates declare it). */
  readonly providedBy?: string;
}

/** The whole matrix. */
export interface ControlMatrix {
  /**
   * The detection services (D2) as the templates declare them; absent when no template declares them.
   */
  readonly detectionServices?: readonly DetectionServiceEvidence[];
  readonly stacks: readonly { stack: string; template: string; resources: number; tagged: number }[];
  readonly packs: readonly string[];
  readonly totals: {
    readonly evaluations: number;
    readonly passed: number;
    readonly acknowledged: number;
    readonly violations: number;
    readonly errors: number;
  };
  readonly sections: readonly SectionEntry[];
  readonly safeguards: readonly SafeguardEntry[];
  readonly notCoveredByBlueprint: readonly ExternalResponsibility[];
  /** Safeguards with no resource carrying their metadata, and safeguards with no named test. */
  readonly gaps: { readonly withoutResources: readonly SafeguardId[]; readonly withoutTests: readonly SafeguardId[] };
}

/** One register entry with what it matched and what it really acknowledged. */
export interface AcknowledgementEvidence extends Acknowledgement {
  readonly matchedPaths: readonly string[];
  readonly resources: readonly { stack: string; logicalId: string; type: string }[];
  /** Findings the packs reported and this entry's rule ids acknowledged, from the recorded evaluations. */
  readonly acknowledgedFindings: readonly { ruleId: string; constructPath: string }[];
}

/** All resources of all templates, with their safeguard metadata. */
export function resourcesOf(stacks: readonly SynthesizedStack[]): ResourceRef[] {
  return stacks.flatMap((s) =>
    Object.entries(s.template.Resources ?? {}).map(([logicalId, r]) => {
      const meta = r.Metadata?.[SAFEGUARD_METADATA_KEY] as SafeguardMetadata | undefined;
      const path = r.Metadata?.['aws:cdk:path'];
      return {
        stack: s.stackPath,
        logicalId,
        type: r.Type,
        ...(typeof path === 'string' ? { constructPath: path } : {}),
        safeguards: [...(meta?.safeguards ?? [])],
      };
    }),
  );
}

function coverage(
  evaluations: readonly RuleEvaluation[],
  basis: RuleCoverage['basis'],
  keep: (e: RuleEvaluation) => boolean,
): Map<string, RuleCoverage> {
  const out = new Map<string, { -readonly [K in keyof RuleCoverage]: RuleCoverage[K] }>();
  for (const e of evaluations) {
    if (!keep(e)) continue;
    let c = out.get(e.ruleId);
    if (c === undefined) {
      c = { ruleId: e.ruleId, pack: e.pack, basis, evaluated: 0, passed: 0, acknowledged: 0, violations: 0, errors: 0 };
      out.set(e.ruleId, c);
    }
    c.evaluated += 1;
    if (e.outcome === 'pass') c.passed += 1;
    else if (e.outcome === 'acknowledged') c.acknowledged += 1;
    else if (e.outcome === 'violation') c.violations += 1;
    else if (e.outcome === 'error') c.errors += 1;
  }
  return out;
}

function rulesFor(
  evaluations: readonly RuleEvaluation[],
  cites: (e: RuleEvaluation) => boolean,
  paths: ReadonlySet<string>,
): RuleCoverage[] {
  const citing = new Set(evaluations.filter(cites).map((e) => e.ruleId));
  const cited = coverage(evaluations, 'cites', (e) => citing.has(e.ruleId));
  const checked = coverage(evaluations, 'checks', (e) => !citing.has(e.ruleId) && paths.has(e.constructPath));
  const byId = (a: RuleCoverage, b: RuleCoverage): number => a.ruleId.localeCompare(b.ruleId);
  return [...[...cited.values()].sort(byId), ...[...checked.values()].sort(byId)];
}

/** True when `cited` is `section` or one of its paragraphs: 164.308(b)(1) is within 164.308(b). */
export function within(cited: string, section: string): boolean {
  return cited === section || cited.startsWith(`${section}(`);
}

const pathsOf = (resources: readonly ResourceRef[]): Set<string> =>
  new Set(resources.flatMap((r) => (r.constructPath ? [r.constructPath] : [])));

/** Builds the control matrix. */
export function buildControlMatrix(input: {
  readonly stacks: readonly SynthesizedStack[];
  readonly evaluations: readonly RuleEvaluation[];
  readonly packs: readonly string[];
  readonly tests: readonly SafeguardTest[];
  /** The detection services as declared in the templates. */
  readonly detectionServices?: readonly DetectionServiceEvidence[];
}): ControlMatrix {
  const { stacks, evaluations, tests } = input;
  const resources = resourcesOf(stacks);
  const tagged = resources.filter((r) => r.safeguards.length > 0);

  const safeguards: SafeguardEntry[] = SAFEGUARDS.map((g) => {
    const own = tagged.filter((r) => r.safeguards.includes(g.id));
    const types = new Set(typesClaimingSafeguard(g.id));
    return {
      id: g.id,
      title: g.title,
      category: g.category,
      hipaaSections: g.hipaaSections,
      resources: own,
      typeMatchedPropertyNotMet: resources.filter((r) => types.has(r.type) && !r.safeguards.includes(g.id)),
      rules: rulesFor(evaluations, (e) => e.safeguards.includes(g.id), pathsOf(own)),
      tests: tests.filter((t) => t.safeguards.includes(g.id)),
    };
  });

  const sectionIds = [...new Set(SAFEGUARDS.flatMap((g) => g.hipaaSections))].sort();
  const sections: SectionEntry[] = sectionIds.map((section) => {
    const ids = SAFEGUARDS.filter((g) => g.hipaaSections.includes(section)).map((g) => g.id);
    const own = tagged.filter((r) => r.safeguards.some((id) => ids.includes(id)));
    return {
      section,
      title: HIPAA_SECTION_TITLES[section] ?? '',
      safeguards: ids,
      resources: own,
      rules: rulesFor(evaluations, (e) => e.hipaaSections.some((c) => within(c, section)), pathsOf(own)),
      tests: tests.filter((t) => t.safeguards.some((id) => ids.includes(id))),
    };
  });

  const count = (o: RuleEvaluation['outcome']): number => evaluations.filter((e) => e.outcome === o).length;
  return {
    stacks: stacks.map((s) => {
      const rs = resources.filter((r) => r.stack === s.stackPath);
      return {
        stack: s.stackPath,
        template: s.templateFile,
        resources: rs.length,
        tagged: rs.filter((r) => r.safeguards.length > 0).length,
      };
    }),
    ...(input.detectionServices ? { detectionServices: input.detectionServices } : {}),
    packs: input.packs,
    totals: {
      evaluations: evaluations.length,
      passed: count('pass'),
      acknowledged: count('acknowledged'),
      violations: count('violation'),
      errors: count('error'),
    },
    sections,
    safeguards,
    notCoveredByBlueprint: EXTERNAL_RESPONSIBILITIES,
    gaps: {
      withoutResources: safeguards.filter((g) => g.resources.length === 0).map((g) => g.id),
      withoutTests: safeguards.filter((g) => g.tests.length === 0).map((g) => g.id),
    },
  };
}

/** The register with its matches, resolved to template resources and to the findings it covered. */
export function buildAcknowledgementEvidence(input: {
  readonly matches: readonly AcknowledgementMatch[];
  readonly stacks: readonly SynthesizedStack[];
  readonly evaluations: readonly RuleEvaluation[];
}): AcknowledgementEvidence[] {
  const resources = resourcesOf(input.stacks);
  return input.matches.map(({ entry, paths }) => {
    const under = (p: string): boolean => paths.some((m) => p === m || p.startsWith(`${m}/`));
    const ids = new Set(entry.ruleIds);
    return {
      ...entry,
      matchedPaths: paths,
      resources: resources
        .filter((r) => r.constructPath !== undefined && under(r.constructPath))
        .map((r) => ({ stack: r.stack, logicalId: r.logicalId, type: r.type })),
      acknowledgedFindings: input.evaluations
        .filter((e) => e.outcome === 'acknowledged' && under(e.constructPath))
        .flatMap((e) =>
          e.findingIds.filter((id) => ids.has(id)).map((ruleId) => ({ ruleId, constructPath: e.constructPath })),
        ),
    };
  });
}
