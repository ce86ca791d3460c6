import { stringForms } from '../core/string-forms';
import { AssemblyStack, isObject, templateDeclaration } from '../core/template-json';

/** Whether a stack declares itself the replica region's detection stack (template Metadata HipaaBlueprint). */
export function isReplicaDetectionStack(stack: AssemblyStack): boolean {
  return isObject(templateDeclaration(stack.template)?.replicaDetection);
}

/** The region a replica detection stack's template declares (its `replicaDetection.region`), if any. */
export function declaredReplicaRegion(stack: AssemblyStack): string | undefined {
  const declared = templateDeclaration(stack.template)?.replicaDetection;
  return isObject(declared) && typeof declared.region === 'string' ? declared.region : undefined;
}

/** The regions a replica detection stack is in: where it deploys (when known) and what it declares. */
function replicaRegionsOf(stack: AssemblyStack): string[] {
  return [stack.region, declaredReplicaRegion(stack)].filter((r): r is string => r !== undefined);
}

/**
 * Where the replica region's forwarded events must arrive: the regions of the assembly's other stacks (the alert
 * pipeline's rules are there), when their manifest entries state them, except the replica region (where the PHI
 * replica stack is too): its own bus is where the events already are.
 */
export function mainRegionsOf(stacks: readonly AssemblyStack[]): ReadonlySet<string> {
  const replicaRegions = new Set(stacks.filter(isReplicaDetectionStack).flatMap(replicaRegionsOf));
  return new Set(
    stacks
      .filter((s) => !isReplicaDetectionStack(s) && s.region !== undefined && !replicaRegions.has(s.region))
      .map((s) => s.region!),
  );
}

/** The default event bus of a literal region, of any account form; the region. */
const DEFAULT_BUS =
  /^arn:(?:<AWS::Partition>|aws[a-z-]*):events:([a-z]{2}(?:-[a-z]+)+-\d):(?:<AWS::AccountId>|\d{12}):event-bus\/default$/;

/**
 * Whether an EventBridge rule target of `stack` puts events on the default event bus of another region through a
 * role: the replica region's cross-region forwarding. Every form the ARN may take (core/string-forms) must name the
 * `default` bus (the whole name: a bus called `default-sink` is read by no rule) of a literal region (not AWS::Region,
 * which is the stack's own) other than the stack's: the region it deploys to (the manifest's or the synth's, when
 * known) and `declaredRegion` (its template's declaration, which a hand edit can change) both; and one of
 * `mainRegions` when any is known.
 */
export function forwardsToAnotherRegion(
  target: Record<string, unknown>,
  stack: AssemblyStack,
  declaredRegion: string | undefined,
  mainRegions: ReadonlySet<string>,
): boolean {
  if (target.RoleArn === undefined) return false;
  const { forms, complete } = stringForms(target.Arn, stack.template);
  if (!complete || forms.length === 0) return false;
  return forms.every((form) => {
    const region = DEFAULT_BUS.exec(form)?.[1];
    return (
      region !== undefined &&
      region !== stack.region &&
      region !== declaredRegion &&
      (mainRegions.size === 0 || mainRegions.has(region))
    );
  });
}
