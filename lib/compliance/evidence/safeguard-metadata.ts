import { CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isSafeguardId, safeguardsForResource, SafeguardId, sectionsOf, sortSafeguards } from '../catalogue/safeguards';

/** CloudFormation Metadata key the aspect writes on each resource that implements a safeguard. */
export const SAFEGUARD_METADATA_KEY = 'HipaaBlueprint';

/** Construct metadata type recording safeguards declared with tagSafeguards(). */
export const SAFEGUARD_TAG_METADATA = 'hipaa-blueprint:safeguards';

/** The CloudFormation Metadata value written on a resource. */
export interface SafeguardMetadata {
  readonly safeguards: readonly SafeguardId[];
  readonly hipaaSections: readonly string[];
}

/**
 * Declares that `construct` (and every CloudFormation resource below it) implements `safeguards`,
 * in addition to what the resource table in safeguards.ts derives from the resource type. Use it
 * for what the type alone cannot tell, e.g. `tagSafeguards(breakGlassRole, ['A5'])`.
 * @throws Error naming an id that is not in the catalogue.
 */
export function tagSafeguards(construct: IConstruct, safeguards: readonly string[]): void {
  for (const id of safeguards) {
    if (!isSafeguardId(id)) {
      throw new Error(`tagSafeguards(${construct.node.path}): '${id}' is not a safeguard id (see SAFEGUARDS)`);
    }
  }
  construct.node.addMetadata(SAFEGUARD_TAG_METADATA, [...safeguards]);
}

function taggedSafeguards(construct: IConstruct): SafeguardId[] {
  const ids: SafeguardId[] = [];
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const m of c.node.metadata) {
      if (m.type === SAFEGUARD_TAG_METADATA) ids.push(...(m.data as SafeguardId[]));
    }
  }
  return ids;
}

/** The safeguards a resource implements: the resource table's plus explicit tags on it or its ancestors. */
export function resourceSafeguards(resource: CfnResource): SafeguardId[] {
  return sortSafeguards([...safeguardsForResource(resource), ...taggedSafeguards(resource)]);
}

/**
 * Aspect (safeguard V2): writes `Metadata.HipaaBlueprint = { safeguards, hipaaSections }` on every
 * CloudFormation resource that implements a safeguard, so a reviewer reading a template (or the
 * control matrix built from it) sees which safeguard and HIPAA section each resource serves.
 */
export class SafeguardMetadataAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const safeguards = resourceSafeguards(node);
    if (safeguards.length === 0) return;
    const value: SafeguardMetadata = { safeguards, hipaaSections: sectionsOf(safeguards) };
    node.addMetadata(SAFEGUARD_METADATA_KEY, value);
  }
}
