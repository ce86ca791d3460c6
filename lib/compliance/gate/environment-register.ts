/**
 * The acknowledgement register a set of templates is checked against: the register of the environment the
 * templates were synthesized for (named by their template-level declaration, or by the caller), built from the
 * project's validated config exactly as synth builds it. A template's own `Metadata.cdk_nag.rules_to_suppress`
 * is honoured only where this register has the same entry (acknowledgementEntry).
 */
import { BlueprintConfig, ConfigValidationError, ENVIRONMENTS, loadConfig } from '../../config';
import { phiBucketNames } from '../../config/names';
import { Acknowledgement, buildRegister, globToRegExp, guardRulesFor } from '../register';
import { TemplateInputError } from './core/template-input-error';
import { isPhiReplicaBootstrap, isPhiStoreIn } from './core/phi-shapes';
import { AssemblyStack, constructPathOf, isObject, TemplateJson, templateDeclaration } from './core/template-json';

/** The register of one environment, and the config facts the gate uses. */
export interface EnvironmentRegister {
  readonly envName: string;
  readonly config: BlueprintConfig;
  readonly register: readonly Acknowledgement[];
  readonly phiBucketNames: readonly string[];
}

/** Options of environmentRegister. */
export interface EnvironmentRegisterOptions {
  /**
   * The environment, when the templates do not name it (or to override them).
   * @default - the envName of the templates' declaration (Metadata.HipaaBlueprint)
   */
  readonly envName?: string;
  /**
   * The environments to load it from.
   * @default ENVIRONMENTS (lib/config/environments.ts)
   */
  readonly environments?: Readonly<Record<string, unknown>>;
}

/**
 * The register for `templates`, or undefined when neither the templates nor the options name an environment (no
 * acknowledgement can then be honoured).
 * @throws TemplateInputError when the templates name different environments, or the environment's config is unknown or invalid.
 */
export function environmentRegister(
  templates: readonly TemplateJson[],
  options: EnvironmentRegisterOptions = {},
): EnvironmentRegister | undefined {
  const declared = [
    ...new Set(templates.map((t) => templateDeclaration(t)?.envName).filter((e): e is string => typeof e === 'string')),
  ];
  if (options.envName === undefined && declared.length > 1) {
    throw new TemplateInputError(
      `the templates belong to different environments (${declared.join(', ')}): check one environment at a time, or pass --env NAME`,
    );
  }
  const envName = options.envName ?? declared[0];
  if (envName === undefined) return undefined;
  let config: BlueprintConfig;
  try {
    config = loadConfig(envName, options.environments ?? ENVIRONMENTS);
  } catch (e) {
    if (e instanceof ConfigValidationError) throw new TemplateInputError(e.message);
    throw e;
  }
  // Step 1 of a first deploy only as the one template of its assembly (its register entry acknowledges more).
  const phiReplicaBootstrap = isPhiReplicaBootstrap(templates);
  return {
    envName,
    config,
    register: buildRegister(config, { phiReplicaBootstrap }),
    phiBucketNames: phiBucketNames(config),
  };
}

/** The register's text of an acknowledgement's reason, as applyAcknowledgements writes it into the template. */
export function registeredReason(entry: Acknowledgement): string {
  return `${entry.reason} Compensating control: ${entry.compensatingControl}`;
}

/**
 * The register entry that acknowledges rule `ruleId` on the resource at construct path `path` with `reason`: the
 * entry lists the rule id, its path glob matches the resource or one of its ancestors, and its reason is the one
 * written. Undefined when there is none (a hand-made acknowledgement, or one the register no longer holds).
 */
export function acknowledgementEntry(
  register: readonly Acknowledgement[],
  ruleId: string,
  path: string | undefined,
  reason: string | undefined,
): Acknowledgement | undefined {
  if (path === undefined) return undefined;
  const segments = path.split('/');
  const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  return register.find(
    (entry) =>
      entry.ruleIds.includes(ruleId) &&
      registeredReason(entry) === reason &&
      prefixes.some((p) => globToRegExp(entry.path).test(p)),
  );
}

/** Rule packs whose findings an acknowledgement can cover (ids of anything else, e.g. CDK's own CloudFormation-Validate ones, suppress nothing). */
export const CHECKED_PACK_PREFIXES: readonly string[] = [
  'HIPAA.Security-',
  'NIST.800.53.R5-',
  'AwsSolutions-',
  'Blueprint-',
];

/** Rule id of the finding for an acknowledgement in a template that the register does not hold. */
export const UNREGISTERED_ACKNOWLEDGEMENT = 'Blueprint-UnregisteredAcknowledgement';

/** One acknowledgement written in a template that the register does not allow. */
export interface UnregisteredAcknowledgement {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly ruleId: string;
  readonly constructPath?: string;
  /** Why it is not honoured. */
  readonly why: string;
}

/**
 * The acknowledgements the templates carry (`Metadata.cdk_nag.rules_to_suppress`, written by synth for every
 * acknowledged rule) that the register does not hold, or that sit on a PHI store: at synth, an acknowledgement made
 * in code outside the register (Validations.of(x).acknowledge) is caught here. `treePaths`: by stack construct path,
 * each resource's construct path by logical id, from the construct tree (assembly-plugin.ts treeResources).
 */
export function unregisteredAcknowledgements(
  stacks: readonly AssemblyStack[],
  register: readonly Acknowledgement[],
  phiBucketNames: readonly string[] = [],
  treePaths: ReadonlyMap<string, ReadonlyMap<string, string>>,
): UnregisteredAcknowledgement[] {
  const out: UnregisteredAcknowledgement[] = [];
  for (const stack of stacks) {
    for (const [logicalId, r] of Object.entries(stack.template.Resources)) {
      const nag = isObject(r.Metadata) ? r.Metadata.cdk_nag : undefined;
      const suppressions = isObject(nag) && Array.isArray(nag.rules_to_suppress) ? nag.rules_to_suppress : [];
      // The construct tree's path first: the template's aws:cdk:path metadata is what an override can forge.
      const path = constructPathOf(r, logicalId, treePaths.get(stack.path ?? ''));
      for (const s of suppressions) {
        if (!isObject(s) || typeof s.id !== 'string') continue;
        const id = s.id;
        if (!CHECKED_PACK_PREFIXES.some((p) => id.startsWith(p))) continue;
        const reason = typeof s.reason === 'string' ? s.reason : undefined;
        const why = isPhiStoreIn(stack.template, logicalId, phiBucketNames)
          ? 'the resource is a PHI store, which no acknowledgement may cover'
          : acknowledgementEntry(register, id, path, reason) === undefined
            ? 'no entry of the register has this rule id, a path matching this resource and this reason'
            : undefined;
        if (why !== undefined)
          out.push({ stack, logicalId, ruleId: id, ...(path ? { constructPath: path } : {}), why });
      }
    }
  }
  return out;
}

/**
 * The Guard rule names of a resource's `Metadata.guard.SuppressedRules` that the register does not justify: on a
 * PHI store every one; elsewhere those not among guardRulesFor(the rule ids of the register entries that honour
 * the resource's cdk-nag acknowledgements).
 */
export function unjustifiedGuardSuppressions(
  template: TemplateJson,
  logicalId: string,
  register: readonly Acknowledgement[],
  path: string | undefined,
  phiBucketNames: readonly string[] = [],
): string[] {
  const resource = template.Resources[logicalId];
  const guard = resource && isObject(resource.Metadata) ? resource.Metadata.guard : undefined;
  const names = isObject(guard) && Array.isArray(guard.SuppressedRules) ? guard.SuppressedRules.map(String) : [];
  if (names.length === 0) return [];
  if (isPhiStoreIn(template, logicalId, phiBucketNames)) return names;
  const nag = isObject(resource!.Metadata) ? resource!.Metadata.cdk_nag : undefined;
  const suppressions =
    isObject(nag) && Array.isArray(nag.rules_to_suppress) ? nag.rules_to_suppress.filter(isObject) : [];
  const entries = suppressions
    .map((s) => acknowledgementEntry(register, String(s.id), path, typeof s.reason === 'string' ? s.reason : undefined))
    .filter((e): e is Acknowledgement => e !== undefined);
  const allowed = new Set(guardRulesFor(entries.flatMap((e) => e.ruleIds)));
  return names.filter((n) => !allowed.has(n));
}
