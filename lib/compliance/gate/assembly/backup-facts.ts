import { BlueprintConfig, ConfigValidationError, ENVIRONMENTS, loadConfig } from '../../../config';
import { isPhiStoreIn } from '../core/phi-shapes';
import {
  asList,
  AssemblyStack,
  isObject,
  JsonResource,
  resourcesOf,
  TemplateJson,
  templateDeclaration,
} from '../core/template-json';

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

/**
 * The shipped environments' validated configs, by the environment object of ENVIRONMENTS they were loaded from (null:
 * it does not load): an environment object replaced (a test) is loaded anew.
 */
const shippedConfigs = new WeakMap<object, BlueprintConfig | null>();

/**
 * The configuration of the environment the templates declare (`Metadata.HipaaBlueprint.envName`, the same in every
 * template that declares one), as lib/config/environments.ts defines it and validates: what the blueprint ships for it
 * (e.g. `production`, which makes the vault locks immutable, and `backup.isolatedCopyVaultArn`), read from the
 * config, not from the resources an edited template holds. Undefined when the templates name no environment or
 * several, or one that is not a shipped environment (an environment from a file, `-c config=FILE`): the rules then
 * require what production requires and allow nothing config would add.
 */
export function declaredEnvironmentConfig(templates: readonly TemplateJson[]): BlueprintConfig | undefined {
  const names = new Set(templates.map((t) => templateDeclaration(t)?.envName).filter((n) => n !== undefined));
  const [name] = names;
  if (names.size !== 1 || typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name)) {
    return undefined;
  }
  const input = ENVIRONMENTS[name];
  if (!isObject(input)) return undefined;
  if (!shippedConfigs.has(input)) {
    try {
      shippedConfigs.set(input, loadConfig(name, ENVIRONMENTS));
    } catch (e) {
      if (!(e instanceof ConfigValidationError)) throw e;
      shippedConfigs.set(input, null);
    }
  }
  return shippedConfigs.get(input) ?? undefined;
}
