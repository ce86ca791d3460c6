import { CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SafeguardId, sortSafeguards, taggedSafeguards } from '../../../constructs/core';
import { safeguardsForResource, sectionsOf } from '../catalogue/safeguards';

/** CloudFormation Metadata key the aspect writes on each resource that implements a safeguard. */
export const SAFEGUARD_METADATA_KEY = 'HipaaBlueprint';

/** The CloudFormation Metadata value written on a resource. */
export interface SafeguardMetadata {
  readonly safeguards: readonly SafeguardId[];
  readonly hipaaSections: readonly string[];
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
