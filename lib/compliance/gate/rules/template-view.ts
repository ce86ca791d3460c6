import { readFileSync } from 'fs';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { AssemblyStack, JsonResource, TemplateJson } from '../core/template-json';
import { logicalIdOf } from './template-properties';

/**
 * A resource as its stack's template renders it, with the whole template around it: what a rule that must see a
 * sibling (the bucket policy of a bucket, the network ACL of a subnet, the task definition writing to a log group)
 * reads. The same view exists at synth (the stack's construct tree rendered) and in the template checker (the
 * template included with CfnInclude and rendered), so the rule holds in both.
 */
export interface ResourceView {
  readonly logicalId: string;
  readonly resource: JsonResource;
  /** The resource's stack as a one-stack assembly (references to other stacks stay unresolved). */
  readonly stack: AssemblyStack;
}

let rendered = new WeakMap<Stack, AssemblyStack>();
/** Template files synth wrote, by stack construct path (for the current validation run). */
let written: ReadonlyMap<string, string> = new Map();

/** A stack's template as synth wrote it: its construct path and the file. */
export interface WrittenTemplate {
  readonly stackConstructPath: string;
  readonly templatePath: string;
}

/**
 * Forgets the templates of the previous run. BlueprintChecks calls it before each validation run, so a construct tree
 * changed between two runs (tests do that) is rendered again; at synth it passes the templates synth wrote (the
 * validation context's stackTemplates), which are then read instead of rendering the stacks a second time.
 */
export function resetTemplateViews(templates: readonly WrittenTemplate[] = []): void {
  rendered = new WeakMap();
  written = new Map(templates.map((t) => [t.stackConstructPath, t.templatePath]));
}

/**
 * The template of `stack` (cached for one validation run): the file synth wrote for it when the run has one (exactly
 * what deploys), else rendered from the construct tree.
 */
export function stackTemplateOf(stack: Stack): AssemblyStack {
  let view = rendered.get(stack);
  if (view === undefined) {
    const file = written.get(stack.node.path);
    const template =
      file === undefined
        ? (stack as unknown as { _toCloudFormation(): TemplateJson })._toCloudFormation()
        : (JSON.parse(readFileSync(file, 'utf8')) as TemplateJson);
    view = {
      stackName: stack.resolve(stack.stackName) as string,
      file: stack.templateFile,
      path: stack.node.path,
      template: { ...template, Resources: template.Resources ?? {} },
    };
    rendered.set(stack, view);
  }
  return view;
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
