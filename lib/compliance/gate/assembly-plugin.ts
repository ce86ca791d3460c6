import { readFileSync } from 'fs';
import { dirname } from 'path';
import {
  BootstraplessSynthesizer,
  CfnResource,
  CliCredentialsStackSynthesizer,
  DefaultStackSynthesizer,
  LegacyStackSynthesizer,
  NestedStackSynthesizer,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stack,
  Stage,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  ASSEMBLY_RULES,
  AssemblyCheckResult,
  AssemblyContext,
  OverriddenResources,
  runAssemblyRules,
} from './assembly';
import { reviewAssembly } from './assembly-loader';
import { AssemblyStack, concreteAccount, concreteRegion, TemplateJson } from './core/template-json';
import { includedClass } from './core/include-template';
import { renderingOverrides, unvouchedOverrides } from './core/render-overrides';
import { nagTestedClassName } from './core/nag-tested-l1';
import { checkTemplate } from './template-checker';
import { Acknowledgement } from '../register';
import {
  UNREGISTERED_ACKNOWLEDGEMENT,
  UnregisteredAcknowledgement,
  unregisteredAcknowledgements,
} from './environment-register';

/** Props of the assembly checks plugin. */
export interface BlueprintAssemblyChecksProps {
  /**
   * Config-derived facts the rules use (the PHI bucket names).
   * @default - none: PHI buckets are recognised by marker and name pattern only
   */
  readonly context?: AssemblyContext;
  /**
   * The register of the environment: every acknowledgement the templates carry must be one of its entries
   * (and none may sit on a PHI store), so an acknowledgement made in code outside the register fails synth.
   * @default - acknowledgements are not compared with a register
   */
  readonly register?: readonly Acknowledgement[];
}

/** The stack name of each stack construct path, from the construct tree. */
function stackNames(root: IConstruct | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of root?.node.findAll() ?? []) {
    if (Stack.isStack(c)) out.set(c.node.path, c.stackName);
  }
  return out;
}

/** What one walk of the construct tree tells about its CloudFormation resources, by stack construct path. */
export interface TreeResources {
  /** Each resource's construct path, by logical id. */
  readonly paths: Map<string, Map<string, string>>;
  /** The resources the packs did not judge as they deploy (unjudgedBecause): why, by logical id. */
  readonly unjudged: Map<string, Map<string, string>>;
}

/** Walks the tree once: every CloudFormation resource's construct path, and those the packs did not judge. */
export function treeResources(root: IConstruct | undefined): TreeResources {
  const paths = new Map<string, Map<string, string>>();
  const unjudged = new Map<string, Map<string, string>>();
  const add = (to: Map<string, Map<string, string>>, stackPath: string, id: string, value: string): void => {
    const ids = to.get(stackPath) ?? new Map<string, string>();
    ids.set(id, value);
    to.set(stackPath, ids);
  };
  const stackWhy = new Map<Stack, string | undefined>();
  for (const c of root?.node.findAll() ?? []) {
    if (!CfnResource.isCfnResource(c)) continue;
    const stack = Stack.of(c);
    const id = stack.resolve(c.logicalId) as string;
    add(paths, stack.node.path, id, c.node.path);
    if (!stackWhy.has(stack)) stackWhy.set(stack, stackRendersOtherwise(stack));
    const why = stackWhy.get(stack) ?? unjudgedBecause(c);
    if (why !== undefined) add(unjudged, stack.node.path, id, why);
  }
  return { paths, unjudged };
}

/** The Stack methods that render, resolve and write its template. */
const STACK_RENDERING = ['_toCloudFormation', '_synthesizeTemplate', 'resolve'];

/** aws-cdk-lib's own stack synthesizers: a stack whose synthesizer is exactly one of these writes what it renders. */
const LIBRARY_SYNTHESIZERS: ReadonlySet<object> = new Set([
  DefaultStackSynthesizer.prototype,
  LegacyStackSynthesizer.prototype,
  CliCredentialsStackSynthesizer.prototype,
  BootstraplessSynthesizer.prototype,
  NestedStackSynthesizer.prototype,
]);

/** Why `stack`'s synthesizer may write another template than the stack renders; undefined for aws-cdk-lib's own. */
function synthesizerOtherwise(stack: Stack): string | undefined {
  // A reusable synthesizer binds to each stack as an object whose prototype is the shared one (aws-cdk-lib's
  // reusableBind: Object.create): every object down to the class's prototype may hold its own functions.
  const own: string[] = [];
  let p: object | null = stack.synthesizer as object;
  while (
    p !== null &&
    !(Object.hasOwn(p, 'constructor') && (p.constructor as { prototype?: unknown }).prototype === p)
  ) {
    own.push(...unvouchedOverrides(p));
    p = Object.getPrototypeOf(p) as object | null;
  }
  if (p === null || !LIBRARY_SYNTHESIZERS.has(p)) {
    const name = (p as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'none';
    return `its stack's synthesizer is not one of aws-cdk-lib's (${name})`;
  }
  return own.length > 0 ? `its stack's synthesizer has its own ${[...new Set(own)].sort().join(', ')}` : undefined;
}

/**
 * Why every resource of `stack` is one the packs did not judge as it deploys: its class (below aws-cdk-lib's Stack) or
 * the stack object itself has its own way of rendering or writing the template (render-overrides.ts), which can write
 * anything; undefined when it has none.
 */
export function stackRendersOtherwise(stack: Stack): string | undefined {
  const found = renderingOverrides(stack, Stack.prototype, STACK_RENDERING);
  if (found.length > 0) return `its stack renders its template its own way (${found.join(', ')})`;
  return synthesizerOtherwise(stack);
}

/**
 * The resources a written template and the construct tree do not share, by stack construct path: what the template
 * holds that no CloudFormation resource of the tree made (a CfnElement of a fork's own rendering its own Resources, a
 * synthesizer adding to the file), and what the tree holds that the template lacks. The packs judged the tree; each
 * such stack is checked again as it was written. `tree` maps each stack's logical ids to construct paths.
 */
export function templateTreeDifferences(
  stacks: readonly AssemblyStack[],
  tree: ReadonlyMap<string, ReadonlyMap<string, string>>,
): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const stack of stacks) {
    const inTree = tree.get(stack.path ?? '') ?? new Map<string, string>();
    const written = Object.keys((stack.template as { Resources?: object }).Resources ?? {});
    const differences = new Map<string, string>();
    for (const id of written) {
      if (!inTree.has(id)) differences.set(id, 'in the written template, made by no resource of the construct tree');
    }
    const writtenIds = new Set(written);
    for (const id of inTree.keys()) {
      if (!writtenIds.has(id)) differences.set(id, 'in the construct tree, missing from the written template');
    }
    if (differences.size > 0) out.set(stack.path ?? '', differences);
  }
  return out;
}

/**
 * Why the rule packs did not judge `r` as it deploys, or undefined when they did. They judge an L1's typed properties;
 * what deploys differs when the resource carries any raw override (CfnResource keeps `addOverride`,
 * `addPropertyOverride`, `addDeletionOverride('Properties')`, a `Type` override... in `rawOverrides`), or when it is
 * not exactly the L1 class the template checker builds for its type (includedClass): a plain CfnResource (as CDK's
 * custom resource providers make their functions and roles) or a subclass of CfnResource, whose properties no pack rule
 * reads; a subclass of the L1 class, which can render other properties than the typed ones the rules read (its own
 * `renderProperties`); or, for a type aws-cdk-lib generates two L1 classes of, the other one (aws-eks-v2's CfnCluster,
 * which cdk-nag's rules do not test: nag-tested-l1.ts); or when it holds its own function over a method or accessor of
 * its class (`r._toCloudFormation = ...`), but the blueprint's own, vouched for (render-overrides.ts). Not CDK's own
 * AWS::CDK::Metadata, nor custom resources (Custom::...), which are no AWS resource to the packs. A stack that renders
 * its template its own way makes all its resources unjudged (stackRendersOtherwise, in treeResources).
 */
export function unjudgedBecause(r: CfnResource): string | undefined {
  const raw = (r as unknown as { rawOverrides?: Record<string, unknown> }).rawOverrides ?? {};
  const overridden = Object.keys(raw).sort();
  if (overridden.length > 0) return `a raw override of ${overridden.join(', ')}`;
  if (!r.cfnResourceType.startsWith('AWS::') || r.cfnResourceType === 'AWS::CDK::Metadata') return undefined;
  const own = unvouchedOverrides(r);
  if (own.length > 0) return `its own ${own.join(', ')} over its class's`;
  const l1Type = (r.constructor as { CFN_RESOURCE_TYPE_NAME?: unknown }).CFN_RESOURCE_TYPE_NAME;
  if (l1Type !== r.cfnResourceType) return "not its type's L1 class";
  const judged = includedClass(r.cfnResourceType);
  if (judged === undefined || Object.getPrototypeOf(r) === judged.prototype) return undefined;
  if (r instanceof judged) return `a subclass of its type's L1 class (${jsiiName(judged)})`;
  const tested = nagTestedClassName(r.cfnResourceType);
  if (tested !== undefined) return `not the L1 class cdk-nag's rules test for its type (${tested})`;
  return `another L1 class of its type than the template checker builds (${jsiiName(judged)})`;
}

/** aws-cdk-lib's jsii name of a class (`aws-cdk-lib.aws_eks_v2.CfnCluster`), or its JavaScript name. */
function jsiiName(cls: abstract new (...args: never[]) => unknown): string {
  const rtti = (cls as unknown as Record<symbol, { fqn?: unknown } | undefined>)[Symbol.for('jsii.rtti')];
  return typeof rtti?.fqn === 'string' ? rtti.fqn : cls.name;
}

/** The synthesized stacks of a validation context as an assembly. */
export function stacksOfContext(context: IPolicyValidationContext): AssemblyStack[] {
  const names = stackNames((context as { appConstruct?: IConstruct }).appConstruct);
  return context.stackTemplates.map((s) => ({
    stackName: names.get(s.stackConstructPath) ?? s.stackConstructPath,
    file: s.templatePath.split(/[\\/]/).pop()!,
    path: s.stackConstructPath,
    ...(concreteRegion(s.region) !== undefined ? { region: s.region } : {}),
    ...(concreteAccount(s.accountId) !== undefined ? { account: s.accountId } : {}),
    template: JSON.parse(readFileSync(s.templatePath, 'utf8')) as TemplateJson,
  }));
}

/**
 * The folder of the cloud assembly being validated: the app's outdir (the root assembly, whose manifest lists the
 * nested ones). aws-cdk-lib 2.276 writes the manifests and asset manifests (CloudAssemblyBuilder.buildAssembly) before it
 * invokes the validation plugins, so the plugin reads the manifest deploy will read. Without the app construct, the
 * folder of the first template; undefined without a template.
 */
export function assemblyDirOf(context: IPolicyValidationContext): string | undefined {
  const app = (context as { appConstruct?: IConstruct }).appConstruct;
  if (app !== undefined && Stage.isStage(app)) return app.outdir;
  const first = context.stackTemplates[0]?.templatePath ?? context.templatePaths[0];
  return first === undefined ? undefined : dirname(first);
}

/**
 * The project's assembly rules (lib/compliance/gate/assembly) as a validation plugin: registered after the rule
 * packs, it reads every synthesized template of the app as one set and fails synth on any finding, exactly as the
 * template checker does in assembly mode. Its last result is kept for the evidence and the gate summary.
 */
export class BlueprintAssemblyChecks implements IPolicyValidationPlugin {
  public readonly name = 'BlueprintAssembly';
  public readonly ruleIds = ASSEMBLY_RULES.map((r) => `Blueprint-${r.name}`);
  /** The result of the latest validation (undefined before synth). */
  public lastResult?: AssemblyCheckResult;
  /** Acknowledgements of the latest validation that the register does not hold. */
  public lastUnregistered: readonly UnregisteredAcknowledgement[] = [];

  constructor(private readonly props: BlueprintAssemblyChecksProps = {}) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = stacksOfContext(context);
    // Templates carry aws:cdk:path only when path metadata is on (the CDK CLI turns it on), and an override can
    // forge it: the tree's paths decide.
    const tree = treeResources((context as { appConstruct?: IConstruct }).appConstruct);
    const unjudged = new Map([...tree.unjudged].map(([path, ids]) => [path, new Map(ids)]));
    if ((context as { appConstruct?: IConstruct }).appConstruct !== undefined) {
      for (const [path, ids] of templateTreeDifferences(stacks, tree.paths)) {
        const all = unjudged.get(path) ?? new Map<string, string>();
        for (const [id, why] of ids) if (!all.has(id)) all.set(id, why);
        unjudged.set(path, all);
      }
    }
    const overrides: OverriddenResources = {
      byStack: unjudged,
      // As check-template checks a template (the whole stack: a finding may land on a sibling), with the tree's paths
      // for the register's acknowledgements. Acknowledgements the register does not hold are reported below.
      checkWithPacks: (stack) =>
        checkTemplate(stack.template, stack.file, {
          register: this.props.register,
          phiBucketNames: this.props.context?.phiBucketNames,
          constructPaths: tree.paths.get(stack.path ?? '') ?? new Map(),
          environment: { account: stack.account, region: stack.region },
        }).findings.filter((f) => !f.ruleId.startsWith(`${UNREGISTERED_ACKNOWLEDGEMENT}[`)),
    };
    // The manifest as deploy reads it (AssemblyDeploysAsChecked): the review check-template refuses on. A missing
    // manifest is a finding of it, not a pass.
    const dir = assemblyDirOf(context);
    const manifest = dir === undefined ? undefined : reviewAssembly(dir);
    const result = runAssemblyRules(stacks, { ...this.props.context, overrides, ...(manifest ? { manifest } : {}) });
    this.lastResult = result;
    const pathOf = new Map(context.stackTemplates.map((s) => [s.stackConstructPath, s.templatePath]));
    const byRule = new Map<string, PolicyViolation>();
    this.lastUnregistered = this.props.register
      ? unregisteredAcknowledgements(stacks, this.props.register, this.props.context?.phiBucketNames, tree.paths)
      : [];
    for (const u of this.lastUnregistered) {
      const ruleName = `${UNREGISTERED_ACKNOWLEDGEMENT}[${u.ruleId}]`;
      const violation = byRule.get(ruleName) ?? {
        ruleName,
        description: `Safeguard V2: an acknowledgement of ${u.ruleId} that the register does not hold: ${u.why}.`,
        fix: 'Acknowledge findings only through the register (lib/compliance/register/entries.ts), never on a PHI store; or fix the finding.',
        severity: 'error',
        violatingResources: [],
      };
      byRule.set(ruleName, {
        ...violation,
        violatingResources: [
          ...violation.violatingResources,
          {
            resourceLogicalId: u.logicalId,
            templatePath: pathOf.get(u.stack.path ?? '') ?? u.stack.file,
            locations: [],
          },
        ],
      });
    }
    for (const f of result.findings) {
      const rule = ASSEMBLY_RULES.find((r) => f.ruleId.startsWith(`Blueprint-${r.name}[`))!;
      const violation = byRule.get(f.ruleId) ?? {
        ruleName: f.ruleId,
        description: `${rule.info} ${f.description}`,
        fix: rule.explanation,
        severity: 'error',
        ruleMetadata: { safeguards: rule.safeguards.join(', '), hipaaSections: rule.hipaaSections.join(', ') },
        violatingResources: [],
      };
      byRule.set(f.ruleId, {
        ...violation,
        violatingResources: [
          ...violation.violatingResources,
          {
            resourceLogicalId: f.logicalId ?? '(template)',
            templatePath: pathOf.get(f.stack.path ?? '') ?? f.stack.file,
            locations: [],
          },
        ],
      });
    }
    return { success: byRule.size === 0, violations: [...byRule.values()] };
  }
}
