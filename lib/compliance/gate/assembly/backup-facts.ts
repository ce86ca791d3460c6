import { isPhiStoreIn } from '../core/phi-shapes';
import { asList, AssemblyStack, isObject, JsonResource, resourcesOf } from '../core/template-json';

/** The restore testing resource type of AWS Backup for each store type the blueprint backs up. */
export const RESTORE_TEST_TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::DBInstance': 'RDS',
  'AWS::RDS::DBCluster': 'Aurora',
  'AWS::S3::Bucket': 'S3',
};

/** A PHI store an AWS Backup selection of the assembly backs up. */
export interface BackedUpPhiStore {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly resource: JsonResource;
  /** The backup selection that names it. */
  readonly selectionId: string;
}

/** Every logical id a value references (Ref or Fn::GetAtt, at any depth), pseudo-parameters excluded. */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (!isObject(value)) return [];
  const own: string[] = [];
  if (typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) own.push(value.Ref);
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') own.push(getAtt[0]);
  if (typeof getAtt === 'string') own.push(getAtt.split('.')[0]!);
  return [...own, ...Object.values(value).flatMap(referencedIds)];
}

/**
 * The PHI stores (database, PHI buckets) the backup selections of the assembly name by ARN, each with the selection
 * that names it. Stores selected by tag only are not seen (the blueprint names its stores by ARN too).
 */
export function backedUpPhiStores(
  stacks: readonly AssemblyStack[],
  phiBucketNames: readonly string[],
): BackedUpPhiStore[] {
  const out: BackedUpPhiStore[] = [];
  for (const stack of stacks) {
    for (const [selectionId, selection] of resourcesOf(stack.template, 'AWS::Backup::BackupSelection')) {
      const body = selection.Properties?.BackupSelection;
      const ids = new Set(referencedIds(isObject(body) ? asList(body.Resources) : []));
      for (const logicalId of ids) {
        const resource = stack.template.Resources[logicalId];
        if (resource === undefined || RESTORE_TEST_TYPES[resource.Type] === undefined) continue;
        if (!isPhiStoreIn(stack.template, logicalId, phiBucketNames)) continue;
        out.push({ stack, logicalId, resource, selectionId });
      }
    }
  }
  return out;
}
