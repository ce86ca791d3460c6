/**
 * The technology asset inventory (HIPAA Security Rule NPRM of January 2025, proposed
 * 164.308(a)(1)(ii)(A)): one row per resource of every synthesized template, with its service, PHI
 * marker, encryption key, retention, deletion behaviour, backup coverage and safeguards. Pure: a
 * function of the templates and the stamp.
 */
import { lookupResourceType } from '../../gate/eligibility/resource-service-map';
import { SAFEGUARD_METADATA_KEY } from '../safeguard-metadata';
import { BackupCoverage, backupCoverage } from './backup-coverage';
import { EncryptionAtRest, encryptionOf } from './encryption';
import { deletionPolicyOf, retentionOf, updateReplacePolicyOf } from './retention';
import { EvidenceStamp } from './stamp';
import { IndexedResource, InventoryStack, TemplateIndex } from './template-index';
import { PHI_STORE_TEMPLATE_METADATA } from '../../../../constructs/core';

/**
 * Template Metadata key marking a resource as a store of PHI (`true`). The lead writes it on the
 * database, the PHI buckets and the backup vault; the inventory reads nothing else to say "PHI".
 */
export { PHI_STORE_TEMPLATE_METADATA };

/** Types left out of the inventory, and why. */
export const EXCLUDED_TYPES: Readonly<Record<string, string>> = {
  'AWS::CDK::Metadata': 'CDK version analytics; deploys nothing in the account',
};

/** One resource. */
export interface InventoryAsset {
  /** Stack construct path, e.g. 'Dev/Data'. */
  readonly stack: string;
  /** CloudFormation stack name, when known. */
  readonly stackName?: string;
  /** Region the stack deploys to, when known. */
  readonly region?: string;
  readonly logicalId: string;
  readonly constructPath?: string;
  readonly type: string;
  /** AWS service, named as on the HIPAA eligible services list ('unmapped' otherwise). */
  readonly service: string;
  /** Template Metadata HipaaBlueprint::PhiStore is true. */
  readonly phiStore: boolean;
  readonly encryption: EncryptionAtRest;
  readonly retention: readonly string[];
  readonly deletionPolicy: string;
  readonly updateReplacePolicy: string;
  readonly backup: BackupCoverage;
  readonly safeguards: readonly string[];
  readonly hipaaSections: readonly string[];
}

/** inventory.json */
export interface AssetInventory {
  readonly stamp: EvidenceStamp;
  readonly summary: {
    readonly resources: number;
    readonly stacks: readonly { stack: string; stackName?: string; region?: string; resources: number }[];
    readonly phiStores: readonly string[];
    /** PHI stores of a type AWS Backup protects that no backup selection covers. */
    readonly phiStoresWithoutBackup: readonly string[];
    /** PHI stores of a type AWS Backup does not protect (a backup vault, for one), with the type. */
    readonly phiStoresOutsideAwsBackup: readonly string[];
    readonly byService: Readonly<Record<string, number>>;
    readonly byEncryption: Readonly<Record<string, number>>;
    /** Key references that could not be followed to a key. */
    readonly unresolvedKeys: readonly string[];
    readonly excluded: readonly { type: string; count: number; reason: string }[];
  };
  readonly assets: readonly InventoryAsset[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The PHI marker as the template carries it. */
export function isPhiStore(r: Pick<IndexedResource, 'metadata'>): boolean {
  return r.metadata[PHI_STORE_TEMPLATE_METADATA] === true;
}

const label = (a: InventoryAsset): string => `${a.stack}/${a.logicalId}`;

function count(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Builds the inventory of `stacks`. Pure. */
export function buildAssetInventory(stacks: readonly InventoryStack[], stamp: EvidenceStamp): AssetInventory {
  return buildAssetInventoryFromIndex(new TemplateIndex(stacks), stamp);
}

/** Same, from an index already built (the plugin shares one with the map). */
export function buildAssetInventoryFromIndex(index: TemplateIndex, stamp: EvidenceStamp): AssetInventory {
  const backup = backupCoverage(index);
  const included = index.resources().filter((r) => !(r.type in EXCLUDED_TYPES));
  const assets: InventoryAsset[] = included.map((r) => {
    const meta = r.metadata[SAFEGUARD_METADATA_KEY];
    const safeguards = isObject(meta) && Array.isArray(meta.safeguards) ? meta.safeguards.map(String) : [];
    const sections = isObject(meta) && Array.isArray(meta.hipaaSections) ? meta.hipaaSections.map(String) : [];
    return {
      stack: r.stack.stackPath,
      ...(r.stack.stackName ? { stackName: r.stack.stackName } : {}),
      ...(r.stack.region ? { region: r.stack.region } : {}),
      logicalId: r.logicalId,
      ...(r.constructPath ? { constructPath: r.constructPath } : {}),
      type: r.type,
      service: lookupResourceType(r.type)?.service ?? 'unmapped',
      phiStore: isPhiStore(r),
      encryption: encryptionOf(index, r),
      retention: retentionOf(index, r),
      deletionPolicy: deletionPolicyOf(r),
      updateReplacePolicy: updateReplacePolicyOf(r),
      backup: backup.get(r.key) ?? { supported: false, covered: false, assignments: [], notes: [] },
      safeguards,
      hipaaSections: sections,
    };
  });
  const excludedCounts = count(
    index
      .resources()
      .filter((r) => r.type in EXCLUDED_TYPES)
      .map((r) => r.type),
  );
  return {
    stamp,
    summary: {
      resources: assets.length,
      stacks: index.stacks.map((s) => ({
        stack: s.stackPath,
        ...(s.stackName ? { stackName: s.stackName } : {}),
        ...(s.region ? { region: s.region } : {}),
        resources: assets.filter((a) => a.stack === s.stackPath).length,
      })),
      phiStores: assets.filter((a) => a.phiStore).map(label),
      phiStoresWithoutBackup: assets.filter((a) => a.phiStore && a.backup.supported && !a.backup.covered).map(label),
      phiStoresOutsideAwsBackup: assets
        .filter((a) => a.phiStore && !a.backup.supported)
        .map((a) => `${label(a)} (${a.type})`),
      byService: count(assets.map((a) => a.service)),
      byEncryption: count(assets.map((a) => a.encryption.status)),
      unresolvedKeys: assets.flatMap((a) =>
        a.encryption.keys
          .filter((k) => k.key.kind === 'unresolved')
          .map(
            (k) => `${label(a)} ${k.property}: ${k.key.kind === 'unresolved' ? `${k.key.text} (${k.key.reason})` : ''}`,
          ),
      ),
      excluded: Object.entries(excludedCounts).map(([type, n]) => ({ type, count: n, reason: EXCLUDED_TYPES[type]! })),
    },
    assets,
  };
}
