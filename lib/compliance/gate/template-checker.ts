/**
 * Checks a CloudFormation template (JSON) with the same rule packs as synth, outside the app that
 * produced it: the template is included in a scratch stack with CfnInclude (includeTemplate), the acknowledgements it
 * carries in `Metadata.cdk_nag.rules_to_suppress` are re-applied to the resource that carries them,
 * and every pack of compliancePacks() runs over it. A template the blueprint synthesized therefore
 * passes exactly when its own recorded acknowledgements cover the findings.
 *
 * Rules that throw (usually an intrinsic they cannot resolve) are reported by cdk-nag as findings
 * ("Rule threw an error"); they stay findings here, kind 'error', and fail the check: an unresolved
 * rule is neither a silent pass nor hidden. The blueprint's own templates must produce none.
 *
 * Cross-stack references: with `@aws-cdk/core:defaultCrossStackReferences: "weak"` (cdk.json) the
 * blueprint's templates reference another stack's value with `Fn::GetStackOutput`, which CfnInclude
 * cannot read. Before including, each `{"Fn::GetStackOutput": {StackName, OutputName, ...}}` is
 * rewritten to `{"Fn::ImportValue": "<StackName>:<OutputName>"}`: the same kind of value (another
 * stack's output, unknown at synth), which rules see as an unresolved token exactly as they saw the
 * exports the blueprint used before the flag. Nothing is resolved or assumed; the count is reported
 * (crossStackReferences) so a reader knows how many values the check could not see.
 */
import type { ConfiguredAllowLists } from '../../config/principals';
import { ManifestReview } from './core/manifest-review';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { DISABLE_CREATION_STACK_TRACES } from 'aws-cdk-lib/cx-api';
import { BlueprintChecks } from './blueprint-checks';
import { compliancePacks } from './packs';
import { Acknowledgement } from '../register';
import { ASSEMBLY_RULES, AssemblyCheckResult, runAssemblyRules } from './assembly';
import {
  acknowledgementEntry,
  CHECKED_PACK_PREFIXES,
  UNREGISTERED_ACKNOWLEDGEMENT,
  unjustifiedGuardSuppressions,
} from './environment-register';
import { isPhiStoreIn } from './core/phi-shapes';
import { pathDerivesLogicalId, stackPathOf } from './core/path-metadata';
import { AssemblyStack, constructPathOf, JsonResource, STACK_OUTPUT_KEYS, TemplateJson } from './core/template-json';

import { includeTemplate } from './core/include-template';
import { TemplateInputError } from './core/template-input-error';

export { TemplateInputError };

/** One finding: a rule that failed on one resource of the template. */
export interface TemplateFinding {
  /** Rule id as the pack reports it, with a `[finding]` suffix where the rule gives one. */
  readonly ruleId: string;
  /** Logical id of the resource in the checked template. */
  readonly logicalId: string;
  /** Resource type. */
  readonly type: string;
  readonly severity: string;
  /** 'finding' when the rule judged the resource non-compliant; 'error' when the rule threw. */
  readonly kind: 'finding' | 'error';
  readonly description: string;
}

/** Result of checking one template. */
export interface TemplateCheckResult {
  readonly findings: readonly TemplateFinding[];
  /** Number of resources checked. */
  readonly resources: number;
  /** Acknowledgements of the template that the register allowed, and re-applied (honoured.length). */
  readonly acknowledgements: number;
  /** Each acknowledgement honoured, with the register entry that allowed it. */
  readonly honoured: readonly HonouredAcknowledgement[];
  /**
   * Acknowledgements of rules no pack of the checker runs (e.g. CDK's own CloudFormation-Validate ones): they cover
   * nothing here, so they are neither honoured nor findings.
   */
  readonly inertAcknowledgements: number;
  /** Tree-dependent rules proven from the template instead (TEMPLATE_EQUIVALENTS). */
  readonly equivalents: number;
  /**
   * `Fn::GetStackOutput` references rewritten to `Fn::ImportValue` so CfnInclude can read them
   * (see rewriteStackOutputReferences): values of other stacks the rules saw as unresolved.
   */
  readonly crossStackReferences: number;
}

/**
 * A rule that reads the construct tree rather than the template (so it cannot hold on an included
 * template), and the template fact that proves the same thing. When the fact holds, the checker
 * acknowledges the rule on that resource naming the evidence; when it does not, the finding stands.
 */
export interface TemplateEquivalent {
  /** Rule id without the pack prefix, e.g. 'VPCDefaultSecurityGroupClosed'. */
  readonly ruleSuffix: string;
  /** Resource type the rule applies to. */
  readonly type: string;
  /** Returns the evidence (a sentence) when the template proves the rule's intent, else undefined. */
  readonly evidence: (logicalId: string, resources: Readonly<Record<string, TemplateResource>>) => string | undefined;
}

/** A resource as read from the template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** The tree-dependent rules of the packs and their template equivalents. */
export const TEMPLATE_EQUIVALENTS: readonly TemplateEquivalent[] = [
  {
    // cdk-nag looks for the L2 Vpc's RestrictDefaultSecurityGroupCustomResource sibling construct.
    ruleSuffix: 'VPCDefaultSecurityGroupClosed',
    type: 'AWS::EC2::VPC',
    evidence: (logicalId, resources) => {
      const closer = Object.entries(resources).find(
        ([, r]) =>
          r.Type === 'Custom::VpcRestrictDefaultSG' &&
          JSON.stringify(r.Properties?.DefaultSecurityGroupId) ===
            JSON.stringify({ 'Fn::GetAtt': [logicalId, 'DefaultSecurityGroup'] }),
      );
      return closer
        ? `Template evidence: Custom::VpcRestrictDefaultSG ${closer[0]} removes the rules of this VPC's default security group.`
        : undefined;
    },
  },
];

interface Suppression {
  readonly id: string;
  readonly reason?: string;
}

type Resources = Record<string, { Type?: unknown; Metadata?: { cdk_nag?: { rules_to_suppress?: Suppression[] } } }>;

/** Throws TemplateInputError unless `template` is an object with a Resources map of typed resources. */
export function assertCloudFormationTemplate(
  template: unknown,
  source = 'template',
): asserts template is {
  Resources: Resources;
} {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new TemplateInputError(`${source}: not a CloudFormation template (expected a JSON object)`);
  }
  const resources = (template as { Resources?: unknown }).Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new TemplateInputError(`${source}: not a CloudFormation template (no "Resources" map)`);
  }
  for (const [id, r] of Object.entries(resources as Record<string, unknown>)) {
    if (typeof r !== 'object' || r === null || typeof (r as { Type?: unknown }).Type !== 'string') {
      throw new TemplateInputError(`${source}: resource "${id}" has no "Type"`);
    }
  }
}

/**
 * Returns a copy of `template` in which every `{"Fn::GetStackOutput": {...}}` is replaced by
 * `{"Fn::ImportValue": "<StackName>:<OutputName>"}`, and how many were replaced. Both are a value
 * another stack provides at deploy time; CfnInclude supports only the second.
 * @throws TemplateInputError when a Fn::GetStackOutput lacks a literal StackName or OutputName.
 */
export function rewriteStackOutputReferences(
  template: unknown,
  source = 'template',
): { readonly template: unknown; readonly rewritten: number } {
  let rewritten = 0;
  const walk = (value: unknown, at: string): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}/${i}`));
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]![0] === 'Fn::GetStackOutput') {
      const args = entries[0]![1] as { StackName?: unknown; OutputName?: unknown } | null;
      const stackName = args?.StackName;
      const outputName = args?.OutputName;
      if (typeof stackName !== 'string' || typeof outputName !== 'string' || !stackName || !outputName) {
        throw new TemplateInputError(
          `${source}: Fn::GetStackOutput at ${at} = ${JSON.stringify(args)}: needs literal StackName and OutputName`,
        );
      }
      // A RoleArn reads the output of a stack of that name in the role's account, not the assembly's stack: the
      // rewrite would check the assembly's value instead (Blueprint-TemplateDeploysAsWritten at synth).
      const other = Object.keys(args as object).filter((k) => !STACK_OUTPUT_KEYS.includes(k));
      if (other.length > 0) {
        throw new TemplateInputError(
          `${source}: Fn::GetStackOutput at ${at} = ${JSON.stringify(args)}: ${other.join(', ')} reads another account's stack, which is not checked here`,
        );
      }
      rewritten++;
      return { 'Fn::ImportValue': `${stackName}:${outputName}` };
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, walk(v, `${at}/${k}`)]));
  };
  return { template: walk(template, ''), rewritten };
}

/** Options of checkTemplate and checkAssembly. */
export interface CheckOptions {
  /**
   * The register whose entries the template's acknowledgements must match (environmentRegister): an
   * acknowledgement in `Metadata.cdk_nag.rules_to_suppress` is honoured only when an entry has the same rule id,
   * a path glob matching the resource (or an ancestor) and the same reason, and never on a PHI store.
   * @default - none: every acknowledgement a template carries is reported as unregistered
   */
  readonly register?: readonly Acknowledgement[];
  /**
   * Names of the environment's PHI buckets (config), so a bucket of that name is a PHI store without its marker.
   * @default - PHI stores by marker, type and name pattern only
   */
  readonly phiBucketNames?: readonly string[];
  /**
   * The account of the environment (config.account), which every stack must deploy to.
   * @default - the account most stacks name
   */
  readonly account?: string;
  /**
   * The region of the environment's PHI replica stack (config.phiBucket.replicaRegion): step 1 of a first deploy is
   * that stack alone (ReplicaBootstrapAlone).
   * @default - the stack's region not compared
   */
  readonly phiReplicaRegion?: string;
  /**
   * The environment's alert endpoints (config.alertEmails and alertHttpsEndpoint): each must be subscribed to the
   * topics the alarms reach (AlarmsReachSubscribers).
   * @default - not compared
   */
  readonly alertEndpoints?: readonly string[];
  /**
   * Whether the environment is production, and the isolated copy vault it names (config.production,
   * config.backup.isolatedCopyVaultArn): backup vault locks and copies (PhiBackupsMeetFloors, BackupCopiedToLockedVault).
   * @default - production, with no isolated vault
   */
  readonly production?: boolean;
  /**
   * The region whose Session Manager preferences the environment owns (lib/config/names.ts sessionPreferencesRegion):
   * SessionPreferencesPresent requires them in a stack of that region.
   * @default - not required
   */
  readonly sessionPreferencesRegion?: string;
  /**
   * Config's access-audit volume threshold (lib/config/names.ts accessVolumeThreshold): the deployed volume check may
   * not alarm later than it (AccessAuditChannelPresent).
   * @default - the schema's highest threshold
   */
  readonly accessVolumeThreshold?: number;
  readonly isolatedCopyVaultArn?: string;
  /**
   * Whether config lets the PHI VPC reach the internet through NAT gateways (config.network.internetEgress)
   * (PhiVpcEgressAsConfigured).
   * @default - 'none'
   */
  readonly internetEgress?: 'none' | 'nat';
  /**
   * Who config names on each allow-list (configuredAllowLists): compared with the templates' (AllowListsAsConfigured).
   * @default - not compared
   */
  readonly allowLists?: ConfiguredAllowLists;
  /**
   * The review of the assembly's manifest, for the problems check-template judges rather than refuses
   * (assembly-loader.ts JUDGED_MANIFEST_PROBLEMS): Blueprint-AssemblyDeploysAsChecked reports them.
   * @default - no manifest judged
   */
  readonly manifest?: ManifestReview;
  /**
   * Results of templates already checked with the same options, by template text: the probe runner re-checks
   * only the templates a probe changed.
   * @default - no cache
   */
  readonly cache?: Map<string, TemplateCheckResult>;
  /**
   * Results by template object, looked up before `cache` (no serialization): only for callers that never change a
   * template object after it was checked (the probe runner passes the templates a probe did not touch as the same,
   * never-mutated objects).
   * @default - no lookup by object
   */
  readonly resultsByTemplate?: WeakMap<object, TemplateCheckResult>;
  /**
   * Construct paths by logical id from the construct tree (the synth-time PacksSeeOverrides rule): they take
   * precedence over the template's `aws:cdk:path` metadata, which an override can forge (and which an app synthesized
   * without path metadata lacks). Results are not cached when given.
   * @default - from the template's metadata only
   */
  readonly constructPaths?: ReadonlyMap<string, string>;
  /**
   * Construct path of the template's stack (a cloud assembly's manifest names it): a resource's `aws:cdk:path`
   * metadata is believed only when it derives the resource's logical id below this path (pathDerivesLogicalId).
   * @default - the path below which the most of the template's resources derive their logical ids (stackPathOf)
   */
  readonly stackPath?: string;
  /**
   * Where the template's stack deploys (a cloud assembly's manifest names it): the scratch stack is given that
   * environment, so the rules that judge a value against the stack's own account or region (the deployment role of
   * its region) judge it as at synth. Part of the cache key.
   * @default - an environment-agnostic scratch stack: those rules accept any account or region
   */
  readonly environment?: { readonly account?: string; readonly region?: string };
  /**
   * Names of the packs to run (NagPack.readPackName), for a caller that only asks whether one rule reports: the
   * findings are the full check's findings of these packs, plus the acknowledgement findings (always reported). The
   * probe runner runs the project's pack before the cdk-nag packs. An unknown name is an error. `cache` keys include
   * the packs; `resultsByTemplate` must hold results of the same packs.
   * @default - every pack of compliancePacks()
   */
  readonly packs?: readonly string[];
  /**
   * Names of the assembly rules to run (AssemblyRule.name), for a caller that only asks whether one rule reports: the
   * findings are the full check's findings of these rules (each rule judges the whole assembly on its own). The probe
   * runner runs the rules a probe names before all of them. An unknown name is an error.
   * @default - every assembly rule
   */
  readonly assemblyRules?: readonly string[];
}

/** One acknowledgement of a template that the checker honoured, and the register entry that allowed it. */
export interface HonouredAcknowledgement {
  readonly ruleId: string;
  readonly logicalId: string;
  /** Construct path of the resource (its aws:cdk:path metadata). */
  readonly constructPath: string;
  /** Path glob of the register entry. */
  readonly entryPath: string;
}

export { UNREGISTERED_ACKNOWLEDGEMENT };

/**
 * Validations.of(resource).acknowledge, without the stack trace aws-cdk-lib captures for each acknowledgement: the
 * checker's scratch App is never synthesized, so nothing reads it (capturing it was about a twentieth of a check).
 */
function acknowledgeOn(resource: CfnResource, id: string, reason: string): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    Validations.of(resource).acknowledge({ id, reason });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** compliancePacks(), or those of them `names` lists (an unknown name is an error: it would silently run nothing). */
function selectedPacks(names: readonly string[] | undefined): ReturnType<typeof compliancePacks> {
  const all = compliancePacks();
  if (names === undefined) return all;
  const unknown = names.filter((name) => !all.some((p) => p.readPackName === name));
  if (unknown.length > 0) {
    throw new Error(
      `checkTemplate: no pack named ${unknown.join(', ')} (packs: ${all.map((p) => p.readPackName).join(', ')})`,
    );
  }
  return all.filter((p) => names.includes(p.readPackName));
}

/**
 * Checks one template with compliancePacks(). Pure apart from an empty scratch folder: the template is included from
 * memory (includeTemplate).
 * @throws TemplateInputError when the template is not a CloudFormation template or cannot be included.
 */
export function checkTemplate(input: unknown, source = 'template', options: CheckOptions = {}): TemplateCheckResult {
  assertCloudFormationTemplate(input, source);
  if (options.constructPaths !== undefined) options = { ...options, cache: undefined, resultsByTemplate: undefined };
  const byObject = options.resultsByTemplate?.get(input);
  if (byObject !== undefined) return byObject;
  // The packs run are part of the key: a cache shared between checks of other packs cannot answer for these.
  const cacheKey = options.cache
    ? `${options.packs?.join(',') ?? '*'}\n${JSON.stringify(options.environment ?? {})}\n${JSON.stringify(input)}`
    : '';
  const cached = options.cache?.get(cacheKey);
  if (cached !== undefined) return cached;
  let rewrite: ReturnType<typeof rewriteStackOutputReferences>;
  try {
    rewrite = rewriteStackOutputReferences(input, source);
  } catch (e) {
    // A value nested thousands of levels deep overflows the stack here (and in CfnInclude): refused, not a crash.
    if (e instanceof RangeError) {
      throw new TemplateInputError(`${source}: cannot be read as CloudFormation: ${e.message}`, { cause: e });
    }
    throw e;
  }
  const { template, rewritten: crossStackReferences } = rewrite;
  assertCloudFormationTemplate(template, source);
  // The scratch App's output folder: never written (the App is not synthesized), removed below (aws-cdk-lib would
  // make one per App and remove them only when the process exits).
  const dir = mkdtempSync(join(tmpdir(), 'check-template-'));
  try {
    // The included resources' creation stack traces would all point here: not captured (a third of CfnInclude's time).
    const app = new App({ outdir: dir, context: { [DISABLE_CREATION_STACK_TRACES]: true } });
    const stack = new Stack(app, 'Checked', { env: options.environment });
    let included: CfnInclude;
    try {
      included = includeTemplate(stack, 'Template', template);
    } catch (e) {
      throw new TemplateInputError(`${source}: cannot be read as CloudFormation: ${(e as Error).message}`);
    }

    const findings: TemplateFinding[] = [];
    const honoured: HonouredAcknowledgement[] = [];
    let inert = 0;
    const byPath = new Map<string, { logicalId: string; type: string }>();
    const pathsOf = new Map<string, string | undefined>();
    let stackPath: string | undefined;
    for (const [logicalId, r] of Object.entries(template.Resources)) {
      const resource: CfnResource = included.getResource(logicalId);
      byPath.set(resource.node.path, { logicalId, type: r.Type as string });
      let constructPath = constructPathOf(r as unknown as JsonResource, logicalId, options.constructPaths);
      // Without the construct tree's path, the template's metadata must derive the logical id (a hand edit can move a
      // path, with its register entries, to another resource).
      let forged: string | undefined;
      if (constructPath !== undefined && options.constructPaths?.get(logicalId) === undefined) {
        stackPath ??= options.stackPath ?? stackPathOf(template as unknown as TemplateJson) ?? '';
        if (!pathDerivesLogicalId(constructPath, logicalId, stackPath || undefined)) {
          forged = constructPath;
          constructPath = undefined;
        }
      }
      pathsOf.set(logicalId, constructPath);
      const phiStore = isPhiStoreIn(template as unknown as TemplateJson, logicalId, options.phiBucketNames);
      for (const s of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
        if (!CHECKED_PACK_PREFIXES.some((p) => s.id.startsWith(p))) {
          inert++; // e.g. CDK's own CloudFormation-Validate acknowledgements: no rule here has that id
          continue;
        }
        const entry = phiStore
          ? undefined
          : acknowledgementEntry(options.register ?? [], s.id, constructPath, s.reason);
        if (entry !== undefined) {
          acknowledgeOn(resource, s.id, s.reason ?? '');
          honoured.push({ ruleId: s.id, logicalId, constructPath: constructPath!, entryPath: entry.path });
          continue;
        }
        const why = phiStore
          ? 'the resource is a PHI store, which no acknowledgement may cover'
          : options.register === undefined
            ? 'no register applies (the template names no environment: pass --env NAME)'
            : forged !== undefined
              ? `its aws:cdk:path metadata (${forged}) is not the path CDK derives its logical id from${stackPath ? ` below the stack ${stackPath}` : ''}, so no register entry can be matched to it`
              : 'no entry of the register has this rule id, a path matching this resource and this reason';
        findings.push({
          ruleId: `${UNREGISTERED_ACKNOWLEDGEMENT}[${s.id}]`,
          logicalId,
          type: r.Type as string,
          severity: 'error',
          kind: 'finding',
          description: `Safeguard V2: the template acknowledges ${s.id} on ${logicalId}${constructPath ? ` (${constructPath})` : ''} but ${why}; the acknowledgement is not honoured.`,
        });
      }
    }

    for (const logicalId of Object.keys(template.Resources)) {
      const r = (template.Resources as unknown as Record<string, JsonResource>)[logicalId]!;
      for (const name of unjustifiedGuardSuppressions(
        template as unknown as TemplateJson,
        logicalId,
        options.register ?? [],
        pathsOf.get(logicalId),
        options.phiBucketNames,
      )) {
        findings.push({
          ruleId: `${UNREGISTERED_ACKNOWLEDGEMENT}[guard:${name}]`,
          logicalId,
          type: r.Type,
          severity: 'error',
          kind: 'finding',
          description: `Safeguard V2: the template suppresses the Guard rule ${name} on ${logicalId} but no register entry on this resource decides it (Guard suppressions come only from the register, never on a PHI store).`,
        });
      }
    }

    const packs = selectedPacks(options.packs);
    let equivalents = 0;
    const resources = template.Resources as unknown as Record<string, TemplateResource>;
    for (const [logicalId, r] of Object.entries(resources)) {
      for (const eq of TEMPLATE_EQUIVALENTS.filter((e) => e.type === r.Type)) {
        const evidence = eq.evidence(logicalId, resources);
        if (evidence === undefined) continue;
        for (const pack of packs) {
          acknowledgeOn(included.getResource(logicalId), `${pack.readPackName}-${eq.ruleSuffix}`, evidence);
        }
        equivalents++;
      }
    }

    // The project rules read the template included here rather than a rendering of the included stack.
    const checked = [{ stackConstructPath: stack.node.path, template: template as unknown as TemplateJson }];
    for (const pack of packs) {
      const report =
        pack instanceof BlueprintChecks ? pack.validateTemplates(stack, checked) : pack.validateScope(stack);
      for (const v of report.violations) {
        for (const res of v.violatingResources) {
          const target = byPath.get(res.constructPath ?? '');
          findings.push({
            ruleId: v.ruleName,
            logicalId: target?.logicalId ?? res.constructPath ?? '?',
            type: target?.type ?? '?',
            severity: v.severity ?? 'error',
            kind: v.description.startsWith('Rule threw an error') ? 'error' : 'finding',
            description: v.description,
          });
        }
      }
    }
    const result: TemplateCheckResult = {
      findings,
      resources: byPath.size,
      acknowledgements: honoured.length,
      honoured,
      inertAcknowledgements: inert,
      equivalents,
      crossStackReferences,
    };
    options.cache?.set(cacheKey, result);
    options.resultsByTemplate?.set(input, result);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Result of checking a cloud assembly: each stack's template, and the assembly rules over all of them. */
export interface AssemblyCheckReport {
  readonly stacks: readonly { readonly stack: AssemblyStack; readonly result: TemplateCheckResult }[];
  readonly assembly: AssemblyCheckResult;
  /** The assembly rules' findings as TemplateFindings, with the stack's file as source. */
  readonly assemblyFindings: readonly (TemplateFinding & { readonly source: string })[];
  /** Every finding: the templates' and the assembly rules'. */
  readonly findings: readonly (TemplateFinding & { readonly source: string })[];
}

/**
 * Checks the stacks of one cloud assembly as one set: each template with the packs (checkAssemblyTemplates), then the
 * assembly rules (lib/compliance/gate/assembly) over all of them (checkAssemblyRules, same options).
 */
export function checkAssembly(stacks: readonly AssemblyStack[], options: CheckOptions = {}): AssemblyCheckReport {
  const templates = checkAssemblyTemplates(stacks, options);
  const { assembly, assemblyFindings } = checkAssemblyRules(stacks, options);
  return {
    stacks: templates.stacks,
    assembly,
    assemblyFindings,
    findings: [...templates.findings, ...assemblyFindings],
  };
}

/**
 * Each template of the stacks checked with the packs (checkTemplate, same options, in the stack's path and
 * environment), their findings as checkAssembly reports them (without the assembly rules: the probe runner, which has
 * run those already, checks the templates next).
 */
export function checkAssemblyTemplates(
  stacks: readonly AssemblyStack[],
  options: CheckOptions = {},
): Pick<AssemblyCheckReport, 'stacks' | 'findings'> {
  const results = stacks.map((stack) => ({
    stack,
    result: checkTemplate(stack.template, stack.file, {
      ...options,
      stackPath: stack.path ?? options.stackPath,
      environment: { account: stack.account, region: stack.region },
    }),
  }));
  const findings = results.flatMap(({ stack, result }) => result.findings.map((f) => ({ ...f, source: stack.file })));
  return { stacks: results, findings };
}

/**
 * The assembly rules (lib/compliance/gate/assembly) over the stacks, their findings as checkAssembly reports them
 * (without the templates' own checks: the probe runner tries these first).
 */
export function checkAssemblyRules(
  stacks: readonly AssemblyStack[],
  options: Pick<
    CheckOptions,
    | 'phiBucketNames'
    | 'account'
    | 'phiReplicaRegion'
    | 'alertEndpoints'
    | 'allowLists'
    | 'manifest'
    | 'production'
    | 'sessionPreferencesRegion'
    | 'accessVolumeThreshold'
    | 'isolatedCopyVaultArn'
    | 'internetEgress'
    | 'assemblyRules'
  > = {},
): Pick<AssemblyCheckReport, 'assembly' | 'assemblyFindings'> {
  const assembly = runAssemblyRules(
    stacks,
    {
      phiBucketNames: options.phiBucketNames ?? [],
      ...(options.account !== undefined ? { account: options.account } : {}),
      ...(options.phiReplicaRegion !== undefined ? { phiReplicaRegion: options.phiReplicaRegion } : {}),
      ...(options.alertEndpoints !== undefined ? { alertEndpoints: options.alertEndpoints } : {}),
      ...(options.allowLists !== undefined ? { allowLists: options.allowLists } : {}),
      ...(options.manifest !== undefined ? { manifest: options.manifest } : {}),
      ...(options.production !== undefined ? { production: options.production } : {}),
      ...(options.sessionPreferencesRegion !== undefined
        ? { sessionPreferencesRegion: options.sessionPreferencesRegion }
        : {}),
      ...(options.accessVolumeThreshold !== undefined ? { accessVolumeThreshold: options.accessVolumeThreshold } : {}),
      ...(options.isolatedCopyVaultArn !== undefined ? { isolatedCopyVaultArn: options.isolatedCopyVaultArn } : {}),
      ...(options.internetEgress !== undefined ? { internetEgress: options.internetEgress } : {}),
    },
    options.assemblyRules,
  );
  const assemblyFindings = assembly.findings.map((f) => {
    const resource = f.logicalId !== undefined ? f.stack.template.Resources[f.logicalId] : undefined;
    const rule = ASSEMBLY_RULES.find((r) => f.ruleId.startsWith(`Blueprint-${r.name}[`));
    return {
      ruleId: f.ruleId,
      logicalId: f.logicalId ?? '(template)',
      type: resource?.Type ?? '(assembly)',
      severity: 'error',
      kind: 'finding' as const,
      description: `Safeguard ${rule?.safeguards.join(', ') ?? '?'}: ${f.description}`,
      source: f.stack.file,
    };
  });
  return { assembly, assemblyFindings };
}
