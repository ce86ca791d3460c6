import { readFileSync } from 'fs';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { AssemblyStack, concreteAccount, concreteRegion, JsonResource, TemplateJson } from '../core/template-json';

/**
 * A resource as its stack's template renders it, with the whole template around it: what a rule that must see a
 * sibling (the bucket policy of a bucket, the network ACL of a subnet, the task definition writing to a log group)
 * reads. The same view exists at synth (the template file synth wrote) and in the template checker (the template it
 * included), so the rule holds in both.
 */
export interface ResourceView {
  readonly logicalId: string;
  readonly resource: JsonResource;
  /** The resource's stack as a one-stack assembly (references to other stacks stay unresolved). */
  readonly stack: AssemblyStack;
}

/** A stack's template as synth wrote it: its construct path and the file. */
export interface WrittenTemplate {
  readonly stackConstructPath: string;
  readonly templatePath: string;
}

/** A stack's template as the caller holds it (the template checker: the template it included in that stack). */
export interface GivenTemplate {
  readonly stackConstructPath: string;
  readonly template: TemplateJson;
}

/** Where a validation run reads a stack's template from, instead of rendering the stack. */
export type TemplateSource = WrittenTemplate | GivenTemplate;

let views = new WeakMap<Stack, AssemblyStack>();
/** The templates of the current validation run, by stack construct path. */
let sources: ReadonlyMap<string, TemplateSource> = new Map();

/**
 * Forgets the templates of the previous run. BlueprintChecks calls it before each validation run, so a construct tree
 * changed between two runs (tests do that) is rendered again; at synth it passes the templates synth wrote (the
 * validation context's stackTemplates), and the template checker the template it included: those are then read
 * instead of rendering the stacks a second time.
 */
export function resetTemplateViews(templates: readonly TemplateSource[] = []): void {
  views = new WeakMap();
  sources = new Map(templates.map((t) => [t.stackConstructPath, t]));
}

/** The view of `stack` from its template's text or object. */
function viewFrom(stack: Stack, template: TemplateJson): AssemblyStack {
  const view: AssemblyStack = {
    stackName: stack.resolve(stack.stackName) as string,
    file: stack.templateFile,
    path: stack.node.path,
    template: { ...template, Resources: template.Resources ?? {} },
  };
  views.set(stack, view);
  return view;
}

/**
 * The template of `stack` when the current validation run has one for it (the file synth wrote, the template the
 * checker included: exactly what deploys or what is checked), cached for the run; else undefined.
 */
export function knownTemplateOf(stack: Stack): AssemblyStack | undefined {
  const view = views.get(stack);
  if (view !== undefined) return view;
  const source = sources.get(stack.node.path);
  if (source === undefined) return undefined;
  return viewFrom(
    stack,
    'template' in source ? source.template : (JSON.parse(readFileSync(source.templatePath, 'utf8')) as TemplateJson),
  );
}

/**
 * The template of `stack` (cached for one validation run): the run's template for it when it has one
 * (knownTemplateOf), else rendered from the construct tree.
 */
export function stackTemplateOf(stack: Stack): AssemblyStack {
  return (
    knownTemplateOf(stack) ??
    viewFrom(stack, (stack as unknown as { _toCloudFormation(): TemplateJson })._toCloudFormation())
  );
}

/** The resource's logical id in its stack (the id a `Ref` names). */
export function logicalIdOf(node: CfnResource): string {
  return Stack.of(node).resolve(node.logicalId) as string;
}

/** The view of `node`: its JSON and its stack's template. */
export function viewOf(node: CfnResource): ResourceView {
  const stack = stackTemplateOf(Stack.of(node));
  const logicalId = logicalIdOf(node);
  const resource = stack.template.Resources[logicalId];
  if (resource === undefined) {
    throw new Error(`${node.node.path}: resource ${logicalId} is not in its stack's template`);
  }
  return { logicalId, resource, stack };
}

/** The account and region `node`'s stack deploys to, each undefined when the stack does not name it. */
export function stackEnvironmentOf(node: CfnResource): { readonly account?: string; readonly region?: string } {
  const stack = Stack.of(node);
  return { account: concreteAccount(stack.account), region: concreteRegion(stack.region) };
}
