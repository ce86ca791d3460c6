import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { AUDIT_ARCHIVE_METADATA, markerOf } from '../../../../constructs/core/markers';
import {
  bucketPolicyStatements,
  conditionKeys,
  deniesToEveryone,
  exceptTheDeploymentRole,
  onlyExactCondition,
  PolicyStatementJson,
  unconditional,
} from './policy-statements';
import { logicalIdOf } from './template-properties';
import { stackEnvironmentOf } from './template-view';

/** A deny of writes for every request not made for one exact source (the trail: aws:SourceArn). */
const exceptOneSource = (s: PolicyStatementJson): boolean =>
  onlyExactCondition(s, 'aws:SourceArn', 'negated') || conditionKeys(s.Condition).length === 0;

/**
 * U2 U6: the audit archive's bucket policy (bucket marked HipaaBlueprint::AuditArchive) denies to everyone, with
 * no condition, object and version deletes and Object Lock weakening (retention, legal hold, GOVERNANCE bypass);
 * denies writes to all but one exact source (aws:SourceArn of the trail); and denies changes of the Object Lock
 * configuration, versioning, lifecycle and policy to all but the deployment role (exceptTheDeploymentRole).
 */
export function AuditArchiveTamperDenies(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
  if (markerOf(node, AUDIT_ARCHIVE_METADATA) === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const statements = bucketPolicyStatements(node);
  if (statements.length === 0) return ['BucketPolicy::none'];
  const bucketId = logicalIdOf(node);
  const findings: string[] = [];
  const check = (finding: string, ok: boolean): void => {
    if (!ok) findings.push(finding);
  };
  // Denied with no condition, or with the deployment role as the only exception.
  const exceptDeployment = (s: PolicyStatementJson): boolean =>
    unconditional(s) || exceptTheDeploymentRole(s, stackEnvironmentOf(node));
  const bucket = (actions: string[]): boolean =>
    deniesToEveryone(statements, actions, 'bucket', exceptDeployment, bucketId);
  check('LockConfiguration::not-denied', bucket(['s3:PutBucketObjectLockConfiguration']));
  check('Versioning::not-denied', bucket(['s3:PutBucketVersioning']));
  check('Lifecycle::not-denied', bucket(['s3:PutLifecycleConfiguration']));
  check('PolicyChanges::not-denied', bucket(['s3:PutBucketPolicy', 's3:DeleteBucketPolicy']));
  check(
    'ObjectDeletes::not-denied',
    deniesToEveryone(statements, ['s3:DeleteObject', 's3:DeleteObjectVersion'], 'objects', unconditional, bucketId),
  );
  check(
    'Retention::not-denied',
    deniesToEveryone(
      statements,
      ['s3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention'],
      'objects',
      unconditional,
      bucketId,
    ),
  );
  check(
    'Writes::not-limited-to-the-trail',
    deniesToEveryone(statements, ['s3:PutObject'], 'objects', exceptOneSource, bucketId),
  );
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
