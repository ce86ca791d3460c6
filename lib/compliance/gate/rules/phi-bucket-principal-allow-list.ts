import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { markerOf, PHI_OBJECT_ACCESS_METADATA, PhiObjectAccessMarker } from '../../../../constructs/core/markers';
import { isPhiStoreIn } from '../core/phi-shapes';
import {
  bucketPolicyStatements,
  conditionValues,
  deniesToEveryone,
  exactValues,
  exceptTheDeploymentRole,
  onlyExactCondition,
  operatorKind,
  PolicyStatementJson,
} from './policy-statements';
import { stackEnvironmentOf, viewOf } from './template-view';

/**
 * Object reads, writes, deletes and their metadata the allow-list must cover, at least. Replication writes are
 * s3:ReplicateObject, not s3:PutObject: without it another account's bucket could replicate into this one, under a key
 * its own rule names. Versions, attributes, tags, ACLs, retention and legal holds, and the other replication writes
 * too: a deny narrowed to GetObject and PutObject left an administrator every version's deletion, each object's size
 * and tags.
 */
const OBJECT_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersion',
  's3:DeleteObjectVersionTagging',
  's3:GetObject',
  's3:GetObjectAcl',
  's3:GetObjectAttributes',
  's3:GetObjectLegalHold',
  's3:GetObjectRetention',
  's3:GetObjectTagging',
  's3:GetObjectVersion',
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionAttributes',
  's3:GetObjectVersionForReplication',
  's3:GetObjectVersionTagging',
  's3:ListMultipartUploadParts',
  's3:PutObject',
  's3:PutObjectAcl',
  's3:PutObjectLegalHold',
  's3:PutObjectRetention',
  's3:PutObjectTagging',
  's3:PutObjectVersionAcl',
  's3:PutObjectVersionTagging',
  's3:ReplicateDelete',
  's3:ReplicateObject',
  's3:ReplicateTags',
  's3:RestoreObject',
];

/** Key listings the allow-list must cover (on the bucket): keys, versions and uploads in progress. */
const LISTING_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'];

/**
 * The bucket configuration besides its policy and default encryption that only a deploy may change. Inventory too:
 * a report lists every key, with its size, dates and encryption, into a bucket the configuration names (another
 * account's included), every day. And S3 Metadata tables: every key and its metadata in a table that this policy does
 * not guard (the V1 and V2 configurations share one IAM action to create and one to delete; two more turn the inventory
 * table on or off and change the journal's expiry).
 */
const CONFIGURATION_ACTIONS = [
  's3:PutBucketVersioning',
  's3:PutInventoryConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:PutBucketAcl',
  's3:CreateBucketMetadataTableConfiguration',
  's3:DeleteBucketMetadataTableConfiguration',
  's3:UpdateBucketMetadataInventoryTableConfiguration',
  's3:UpdateBucketMetadataJournalTableConfiguration',
];

/** A deny for every principal outside an exact aws:PrincipalArn list, and under no other condition. */
const outsideNamedPrincipals = (s: PolicyStatementJson): boolean =>
  onlyExactCondition(s, 'aws:PrincipalArn', 'negated');

/** A deny for exactly named principals whose request did not come through the VPC (aws:SourceVpc / SourceVpce). */
export function namedPrincipalsOutsideVpc(s: PolicyStatementJson): boolean {
  const named = conditionValues(s.Condition, 'aws:PrincipalArn', 'positive');
  const vpc =
    conditionValues(s.Condition, 'aws:SourceVpc', 'negated') ??
    conditionValues(s.Condition, 'aws:SourceVpce', 'negated');
  // The principals under positive operators only, the VPC under negated ones only: any other operator (`Null` on the
  // VPC key, an `IfExists` variant) narrows the deny, to nothing for requests from outside any VPC.
  const shaped = Object.entries(s.Condition ?? {}).every(([operator, block]) => {
    const keys = Object.keys(typeof block === 'object' && block !== null ? block : {}).map((k) => k.toLowerCase());
    const kind = operatorKind(operator);
    if (kind === 'positive') return keys.every((k) => k === 'aws:principalarn');
    return kind === 'negated' && keys.every((k) => k === 'aws:sourcevpc' || k === 'aws:sourcevpce');
  });
  return named !== undefined && exactValues(named) && vpc !== undefined && vpc.length > 0 && shaped;
}

/**
 * E1 A3: a PHI bucket (template metadata HipaaBlueprint::PhiStore, or named like one) has a bucket policy that denies object reads,
 * writes, deletes and listings to every principal whose aws:PrincipalArn is not on an exact allow-list (no
 * wildcard, no other condition: an administrator outside it reads nothing, whatever IAM allows); denies bucket
 * policy changes, and changes of its versioning, replication, lifecycle, public access block, ownership, ACLs, inventory
 * and S3 Metadata tables, to
 * all but the deployment role (exceptTheDeploymentRole); and, where its PhiObjectAccess marker
 * says some principals are VPC-only (the task roles), denies them every request that does not come through the
 * VPC (aws:SourceVpc or aws:SourceVpce). A PHI bucket without that marker is a finding too.
 */
export function PhiBucketPrincipalAllowList(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  if (!isPhiStoreIn(view.stack.template, view.logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  const statements = bucketPolicyStatements(node);
  if (statements.length === 0) return ['BucketPolicy::none'];
  const env = stackEnvironmentOf(node);
  const findings: string[] = [];
  if (
    !deniesToEveryone(statements, OBJECT_ACTIONS, 'objects', outsideNamedPrincipals, view.logicalId) ||
    !deniesToEveryone(statements, LISTING_ACTIONS, 'bucket', outsideNamedPrincipals, view.logicalId)
  ) {
    findings.push('ObjectAccess::no-exact-allow-list');
  }
  if (
    !deniesToEveryone(
      statements,
      ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      'bucket',
      (s) => exceptTheDeploymentRole(s, env),
      view.logicalId,
    )
  ) {
    findings.push('PolicyChanges::not-denied');
  }
  // Versioning, replication, lifecycle, public access block, ownership, ACLs, inventory and S3 Metadata tables:
  // changed only by a deploy (the default encryption is PhiBucketWritesUnderItsKey's).
  if (
    !deniesToEveryone(
      statements,
      CONFIGURATION_ACTIONS,
      'bucket',
      (s) => exceptTheDeploymentRole(s, env),
      view.logicalId,
    )
  ) {
    findings.push('Configuration::not-denied');
  }
  const marker = markerOf<PhiObjectAccessMarker>(node, PHI_OBJECT_ACCESS_METADATA);
  if (marker === undefined) findings.push('PhiObjectAccess::marker-missing');
  else if (
    marker.vpcOnlyPrincipals &&
    !deniesToEveryone(
      statements,
      ['s3:GetObject', 's3:PutObject'],
      'objects',
      namedPrincipalsOutsideVpc,
      view.logicalId,
    )
  ) {
    findings.push('VpcOnly::not-denied');
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
