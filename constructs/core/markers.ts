import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { AuditLockMode } from './retention';

/**
 * Markers the compliance code reads: which constructs are PHI stores (no acknowledgement may touch
 * them), which buckets are log buckets, which is the audit archive. Only the blueprint's own
 * constructs set them. Bucket markers are CloudFormation Metadata entries on the AWS::S3::Bucket, so
 * a reviewer (and the template checker) sees them in the template too.
 */

/** Construct metadata type that marks a construct as a store of PHI; no acknowledgement may match it. */
export const PHI_STORE_METADATA = 'hipaa-blueprint:phi-store';

/**
 * Template metadata key that marks a CloudFormation resource as a PHI store, so that a reviewer, the asset
 * inventory and the template checker (which refuses acknowledgements on PHI stores) see it in the template.
 */
export const PHI_STORE_TEMPLATE_METADATA = 'HipaaBlueprint::PhiStore';

/**
 * Marks a construct as a PHI store (database, PHI bucket, backup vault): in the construct tree (no
 * acknowledgement may match it or anything above it) and, on a CloudFormation resource, in its template metadata.
 */
export function markPhiStore(construct: IConstruct): void {
  construct.node.addMetadata(PHI_STORE_METADATA, true);
  if (CfnResource.isCfnResource(construct)) construct.addMetadata(PHI_STORE_TEMPLATE_METADATA, true);
}

/** Whether `construct` or anything below it is marked a PHI store. */
export function holdsPhiStore(construct: IConstruct): boolean {
  return construct.node.findAll().some((c) => c.node.metadata.some((m) => m.type === PHI_STORE_METADATA));
}

/** Template metadata key of a log bucket (its lifecycle must keep objects >= 2192 days). */
export const LOG_BUCKET_METADATA = 'HipaaBlueprint::LogBucket';
/** Template metadata key of the audit archive (CloudTrail delivery) bucket. AWS Config delivers to a log-marked bucket of its own. */
export const AUDIT_ARCHIVE_METADATA = 'HipaaBlueprint::AuditArchive';
/** Template metadata key that marks the findings archive bucket (read by the assembly rule FindingsArchivePresent). */
export const FINDINGS_ARCHIVE_METADATA = 'HipaaBlueprint::FindingsArchive';
/** Template metadata key that marks the access-audit bucket (read by the assembly rule AccessAuditChannel). */
export const ACCESS_AUDIT_BUCKET_METADATA = 'HipaaBlueprint::AccessAuditBucket';

/** Value of the log bucket marker. */
export interface LogBucketMarker {
  /** Safeguards the bucket implements, e.g. ['U3', 'I2']. */
  readonly safeguards: readonly string[];
}

/** Value of the audit archive marker. */
export interface AuditArchiveMarker {
  readonly safeguards: readonly string[];
  /** Whether the environment explicitly allows GOVERNANCE mode (non-production only). */
  readonly governanceAllowed: boolean;
  /** The lock mode the environment asked for (for the evidence report). */
  readonly lockMode: AuditLockMode;
}

/** Marks a bucket as a log bucket (its lifecycle must keep objects >= 2192 days). */
export function markLogBucket(bucket: CfnBucket, marker: LogBucketMarker): void {
  bucket.addMetadata(LOG_BUCKET_METADATA, marker);
}

/** Marks a bucket as the audit archive (Object Lock, >= 2192 days, COMPLIANCE unless allowed). */
export function markAuditArchive(bucket: CfnBucket, marker: AuditArchiveMarker): void {
  bucket.addMetadata(AUDIT_ARCHIVE_METADATA, marker);
}

/** The marker of a resource, if it carries one. */
export function markerOf<T>(node: CfnResource, key: string): T | undefined {
  return node.getMetadata(key) as T | undefined;
}

/**
 * Template metadata key of a customer-managed key whose use is limited to named principals (the PHI, audit,
 * backup and PHI replica keys, E1): the project rule KeyUseByNamedPrincipals refuses any statement on it that
 * gives use or administration to every principal of the account.
 */
export const NAMED_KEY_USERS_METADATA = 'HipaaBlueprint::NamedKeyUsers';

/** Value of the named-key-users marker. */
export interface NamedKeyUsersMarker {
  readonly safeguards: readonly string[];
}

/** Marks a key as usable by named principals only. */
export function markNamedKeyUsers(key: CfnResource, marker: NamedKeyUsersMarker): void {
  key.addMetadata(NAMED_KEY_USERS_METADATA, marker);
}

/**
 * Template metadata key of a PHI bucket's object access allow-list (E1, A3): whether some allow-listed
 * principals (the task roles) may reach objects only from the VPC, which the project rule
 * PhiBucketPrincipalAllowList then requires as a deny in the bucket policy.
 */
export const PHI_OBJECT_ACCESS_METADATA = 'HipaaBlueprint::PhiObjectAccess';

/** Value of the PHI object access marker. */
export interface PhiObjectAccessMarker {
  /** Whether the bucket policy must deny VPC-only principals outside the VPC (aws:SourceVpc). */
  readonly vpcOnlyPrincipals: boolean;
}

/** Records on a PHI bucket what its object access allow-list must hold. */
export function markPhiObjectAccess(bucket: CfnBucket, marker: PhiObjectAccessMarker): void {
  bucket.addMetadata(PHI_OBJECT_ACCESS_METADATA, marker);
}

/**
 * Template metadata key of a log group that can receive PHI (application containers, ECS Exec and Session
 * Manager transcripts, the database's exports, WAF): it must carry a data protection policy that masks
 * identifiers (safeguard U4). The project rule PhiLogGroupDataProtection reads it, and also recognises such
 * log groups by what writes to them, so deleting the marker by hand does not exempt one.
 */
export const PHI_LOG_GROUP_METADATA = 'HipaaBlueprint::PhiLogGroup';

/** Marks a log group as one that can receive PHI (template metadata `HipaaBlueprint::PhiLogGroup: true`). */
export function markPhiLogGroup(logGroup: CfnResource): void {
  logGroup.addMetadata(PHI_LOG_GROUP_METADATA, true);
}

/** Template metadata key naming the data domain of a customer-managed KMS key (safeguard E1). */
export const KEY_DOMAIN_METADATA = 'HipaaBlueprint::KeyDomain';

/**
 * The data domains of the blueprint's customer-managed keys. `phi` and `phi-replica` protect PHI at rest,
 * `audit` and `audit-replica` audit evidence, `backup` recovery points, `operations` operational logs and secrets.
 */
export type KeyDomainName = 'phi' | 'phi-replica' | 'audit' | 'audit-replica' | 'backup' | 'operations';

/** Marks an AWS::KMS::Key with its data domain, so the gate can tell which key a store is encrypted with. */
export function markKeyDomain(key: CfnResource, domain: KeyDomainName): void {
  key.addMetadata(KEY_DOMAIN_METADATA, domain);
}

/** Template metadata key of a VPC: whether it may carry PHI, and what its tiers need (safeguards N1-N3). */
export const VPC_METADATA = 'HipaaBlueprint::Vpc';

/** Value of the VPC marker. */
export interface VpcMarker {
  /** 'PHI' for the PHI VPC; 'NonPHI' for a VPC that must never be connected to it. */
  readonly classification: 'PHI' | 'NonPHI';
  /**
   * Interface endpoints the VPC was built with, by short name (constructs/interface-endpoint-services.ts): the gate
   * requires each to exist.
   */
  readonly interfaceEndpoints: readonly string[];
  /** Port of the database in the data tier, when there is one (its network ACL admits only this port). */
  readonly databasePort?: number;
}

/** Marks a VPC (template metadata `HipaaBlueprint::Vpc`). */
export function markVpc(vpc: CfnResource, marker: VpcMarker): void {
  vpc.addMetadata(VPC_METADATA, marker);
}

/** Template metadata key of a subnet: its tier ('public', 'application' or 'data'). */
export const SUBNET_TIER_METADATA = 'HipaaBlueprint::Tier';

/** A tier of a segmented VPC. */
export type SubnetTierName = 'public' | 'application' | 'data';

/** Marks a subnet with its tier (template metadata `HipaaBlueprint::Tier`). */
export function markSubnetTier(subnet: CfnResource, tier: SubnetTierName): void {
  subnet.addMetadata(SUBNET_TIER_METADATA, tier);
}

/**
 * Key of the template-level declaration (`Metadata.HipaaBlueprint` of a template, not of a resource): which
 * environment the stack belongs to and the configuration decisions a reviewer and the gate must see in the
 * template itself (detection services switched off and who provides them, the replica bootstrap step).
 */
export const TEMPLATE_DECLARATION_METADATA = 'HipaaBlueprint';

/** A detection service the blueprint creates unless config switches it off (safeguard D2). */
export type DetectionServiceName = 'config' | 'guardDuty' | 'securityHub' | 'macie' | 'inspector';

/** The template-level declaration of a blueprint stack. */
export interface TemplateDeclaration {
  /** The blueprint's application name (config.appName). */
  readonly appName: string;
  /** The environment (config.envName): names the register the template checker applies. */
  readonly envName: string;
  /**
   * The detection services of the account, as config decided (written by the stack that owns them, or by the
   * audit stack when no detection stack exists): on, or off with who provides them instead.
   */
  readonly detection?: {
    readonly services: Readonly<Record<DetectionServiceName, boolean>>;
    /** Who provides the services switched off here (config detection.providedBy). */
    readonly providedBy?: string;
    /**
     * The environment of the same account and region that creates the account-level singletons of services on here
     * (config sharesAccountWith): e.g. its ECR registry scanning configuration serves this environment too.
     */
    readonly sharedWith?: string;
    /**
     * The second region where PHI is stored (config.phiBucket.replicaRegion): GuardDuty, Security Hub and AWS Config
     * switched on here run there too (the stack declaring `replicaDetection`).
     */
    readonly replicaRegion?: string;
    /**
     * Whether the blueprint deploys the six-year findings archive (config detection.findingsArchive, default true);
     * false: who archives findings is named in providedBy.
     */
    readonly findingsArchive?: boolean;
    /**
     * Whether the blueprint deploys GuardDuty Malware Protection for S3 on the PHI data bucket (config
     * detection.malwareProtection, default true; independent of the detector); false: who scans is named in
     * providedBy.
     */
    readonly malwareProtection?: boolean;
  };
  /** The stack that runs detection in the PHI replica region (ReplicaDetectionStack): that region. */
  readonly replicaDetection?: { readonly region: string };
  /** Step 1 of a first deploy (`-c phiReplicaBootstrap=true`): the register's bootstrap entry applies. */
  readonly phiReplicaBootstrap?: boolean;
  /**
   * The recovery time objective in hours (config backup.recoveryTimeObjectiveHours), declared by the stack whose
   * restore tests are validated against it (I1): the gate compares the restore-duration alarms with it.
   */
  readonly recoveryTimeObjectiveHours?: number;
}
