import { CfnResource, IAspect, IPostProcessor, IResolvable, IResolveContext, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SafeguardId, sortSafeguards, taggedSafeguards } from '../../../constructs/core';
import { overrideOwnMethod } from '../gate/core/render-overrides';
import { RenderedResource, safeguardsForResource, sectionsOf } from '../catalogue/safeguards';

/** CloudFormation Metadata key the aspect writes on each resource that implements a safeguard. */
export const SAFEGUARD_METADATA_KEY = 'HipaaBlueprint';

/** The CloudFormation Metadata value written on a resource. */
export interface SafeguardMetadata {
  readonly safeguards: readonly SafeguardId[];
  readonly hipaaSections: readonly string[];
}

/**
 * The safeguards a resource implements: the resource table's plus explicit tags on it or its ancestors. `rendered` is
 * the resource as the template has it, when the caller has it; otherwise it is read or rendered.
 */
export function resourceSafeguards(resource: CfnResource, rendered?: RenderedResource): SafeguardId[] {
  return sortSafeguards([...safeguardsForResource(resource, rendered), ...taggedSafeguards(resource)]);
}

/**
 * What the aspect puts in the resource's Metadata until the resource is rendered: it holds the key's place (the
 * Metadata's keys keep the order they were added in), and is replaced by the value or removed when the template is
 * rendered. A template never carries it (a test checks every synthesized resource).
 */
export const PENDING_SAFEGUARD_METADATA = 'HipaaBlueprint: the safeguards are written when the template is rendered';

/** A rendered CloudFormation resource, as CfnResource._toCloudFormation's entry resolves to. */
interface RenderedEntry {
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Resolves to `value`, then hands the resolved value to `process` (what it returns is the result). */
class ThenProcess implements IResolvable, IPostProcessor {
  public readonly creationStack: string[] = [];
  public constructor(
    private readonly value: unknown,
    private readonly process: (resolved: RenderedEntry) => RenderedEntry,
  ) {}
  public resolve(context: IResolveContext): unknown {
    context.registerPostProcessor(this);
    return this.value;
  }
  public postProcess(input: unknown): unknown {
    return typeof input === 'object' && input !== null ? this.process(input as RenderedEntry) : input;
  }
  public toString(): string {
    return Token.asString(this);
  }
}

/** Replaces the placeholder of `resource`'s rendered entry by its safeguards, read from the rendered Properties. */
function writeSafeguards(node: CfnResource, resource: RenderedEntry): RenderedEntry {
  const metadata = resource.Metadata;
  // Overridden (addOverride on the key or on Metadata): the override is what the template says.
  if (metadata?.[SAFEGUARD_METADATA_KEY] !== PENDING_SAFEGUARD_METADATA) return resource;
  const safeguards = resourceSafeguards(node, { ...resource, Properties: resource.Properties ?? {} });
  if (safeguards.length > 0) {
    const value: SafeguardMetadata = { safeguards, hipaaSections: sectionsOf(safeguards) };
    metadata[SAFEGUARD_METADATA_KEY] = value;
  } else {
    delete metadata[SAFEGUARD_METADATA_KEY];
    if (Object.keys(metadata).length === 0) delete resource.Metadata;
  }
  return resource;
}

/** Resources the aspect has visited (an aspect may visit a node again). */
const VISITED = new WeakSet<CfnResource>();

/**
 * Aspect (safeguard V2): writes `Metadata.HipaaBlueprint = { safeguards, hipaaSections }` on every
 * CloudFormation resource that implements a safeguard, so a reviewer reading a template (or the
 * control matrix built from it) sees which safeguard and HIPAA section each resource serves.
 *
 * The safeguards are judged from the resource as the template has it: when the resource is rendered (its Properties
 * resolved, every override applied, also those of aspects that run after this one), not when the aspect visits it.
 * The aspect puts a placeholder in the Metadata (its place in the key order) and has the resource's rendering replace
 * it; rendering each resource once more only to judge it cost about 0.2 s of every synth.
 */
export class SafeguardMetadataAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || VISITED.has(node)) return;
    VISITED.add(node);
    node.addMetadata(SAFEGUARD_METADATA_KEY, PENDING_SAFEGUARD_METADATA);
    const render = node._toCloudFormation.bind(node);
    // An instance property over the class's method: only this resource's rendering changes. Vouched for as the
    // blueprint's own (render-overrides.ts): the packs' recheck at synth passes it, and no other.
    overrideOwnMethod(node, '_toCloudFormation', (): object => {
      const rendered = render() as { Resources?: Record<string, unknown> };
      const resources = rendered.Resources;
      if (resources !== undefined) {
        for (const [id, entry] of Object.entries(resources)) {
          resources[id] = new ThenProcess(entry, (resource) => writeSafeguards(node, resource));
        }
      }
      return rendered;
    });
  }
}
