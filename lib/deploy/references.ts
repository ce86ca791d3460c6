import { SynthesizedAssembly } from './core/assembly';
import { DeployedState } from './core/deployed-state';

/** A weak cross-stack reference: a consumer template reads a producer's output with Fn::GetStackOutput. */
export interface StackOutputReference {
  readonly consumer: string;
  readonly producer: string;
  readonly outputName: string;
}

function walk(node: unknown, found: (ref: { StackName?: unknown; OutputName?: unknown }) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, found);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Fn::GetStackOutput' && v && typeof v === 'object')
        found(v as { StackName?: unknown; OutputName?: unknown });
      else walk(v, found);
    }
  }
}

/** Every Fn::GetStackOutput of the synthesized templates (deduplicated). */
export function crossStackReferences(assembly: SynthesizedAssembly): StackOutputReference[] {
  const refs = new Map<string, StackOutputReference>();
  for (const stack of assembly.stacks) {
    walk(stack.template, (ref) => {
      if (typeof ref.StackName !== 'string' || typeof ref.OutputName !== 'string') return;
      const r = { consumer: stack.stackName, producer: ref.StackName, outputName: ref.OutputName };
      refs.set(`${r.consumer} ${r.producer} ${r.outputName}`, r);
    });
  }
  return [...refs.values()];
}

/**
 * References whose value changed between two readings of the stacks: a producer replaced a referenced
 * resource, and a consumer whose template did not change still holds the old value (cdk deploy skips
 * it; CloudFormation resolves Fn::GetStackOutput only when the consumer is created or updated). A
 * reference that had no value before (the producer is new) is not a change.
 */
export function changedReferences(
  refs: readonly StackOutputReference[],
  before: DeployedState,
  after: DeployedState,
): StackOutputReference[] {
  return refs.filter((r) => {
    const old = before.get(r.producer)?.outputs[r.outputName];
    const now = after.get(r.producer)?.outputs[r.outputName];
    return old !== undefined && old !== now;
  });
}
