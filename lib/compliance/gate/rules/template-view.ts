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

/**
 * Forgets the rendered templates. BlueprintChecks calls it before each validation run, so a construct tree changed
 * between two runs (tests do that) is rendered again.
 */
export function resetTemplateViews(): void {
  rendered = new WeakMap();
}

/** The rendered template of `stack` (cached for one validation run). */
export function stackTemplateOf(stack: Stack): AssemblyStack {
  let view = rendered.get(stack);
  if (view === undefined) {
    const template = (stack as unknown as { _toCloudFormation(): TemplateJson })._toCloudFormation();
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
    throw new Error(`${node.node.path}: resource ${logicalId} is not in its stack's rendered template`);
  }
  return { logicalId, resource, stack };
}
