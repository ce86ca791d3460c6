import { IConstruct } from 'constructs';

/**
 * The ids of the blueprint's safeguards, in SAFEGUARDS.md order. The catalogue (titles, HIPAA sections,
 * descriptions) lives in lib/compliance/catalogue; constructs only need the ids to declare what they implement.
 */
export const SAFEGUARD_IDS = [
  'E1',
  'E2',
  'E3',
  'A1',
  'A2',
  'A3',
  'A4',
  'A5',
  'U1',
  'U2',
  'U3',
  'U4',
  'U5',
  'U6',
  'I1',
  'I2',
  'I3',
  'N1',
  'N2',
  'N3',
  'N4',
  'D1',
  'D2',
  'D3',
  'V1',
  'V2',
  'V3',
] as const;

/** A safeguard id, as in SAFEGUARDS.md. */
export type SafeguardId = (typeof SAFEGUARD_IDS)[number];

/** True when `id` names a safeguard. */
export function isSafeguardId(id: string): id is SafeguardId {
  return (SAFEGUARD_IDS as readonly string[]).includes(id);
}

/** Sorts safeguard ids in SAFEGUARDS.md order, de-duplicated. */
export function sortSafeguards<T extends string>(ids: readonly T[]): T[] {
  const order = (id: string): number => (SAFEGUARD_IDS as readonly string[]).indexOf(id);
  return [...new Set(ids)].sort((a, b) => order(a) - order(b));
}

/** Construct metadata type recording safeguards declared with tagSafeguards(). */
export const SAFEGUARD_TAG_METADATA = 'hipaa-blueprint:safeguards';

/**
 * Declares that `construct` (and every CloudFormation resource below it) implements `safeguards`, in
 * addition to what the catalogue's resource table derives from the resource type. Use it for what the
 * type alone cannot tell, e.g. `tagSafeguards(breakGlassRole, ['A5'])`. The evidence aspect writes the
 * result into each resource's template metadata.
 * @throws Error naming an id that is not a safeguard.
 */
export function tagSafeguards(construct: IConstruct, safeguards: readonly string[]): void {
  for (const id of safeguards) {
    if (!isSafeguardId(id)) {
      throw new Error(`tagSafeguards(${construct.node.path}): '${id}' is not a safeguard id (see SAFEGUARDS.md)`);
    }
  }
  construct.node.addMetadata(SAFEGUARD_TAG_METADATA, [...safeguards]);
}

/** Safeguards declared with tagSafeguards on `construct` or any of its ancestors. */
export function taggedSafeguards(construct: IConstruct): SafeguardId[] {
  const ids: SafeguardId[] = [];
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const m of c.node.metadata) {
      if (m.type === SAFEGUARD_TAG_METADATA) ids.push(...(m.data as SafeguardId[]));
    }
  }
  return ids;
}
