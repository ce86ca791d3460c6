import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../constructs/core/retention';
import { AUDIT_ARCHIVE_METADATA, AuditArchiveMarker, markerOf } from '../../../../constructs/core/markers';

interface Retention {
  mode?: string;
  days?: number;
  years?: number;
}

/**
 * U2: a bucket marked as the audit archive has Object Lock enabled, versioning on, and a default
 * retention of at least 2192 days (or 6 years) in COMPLIANCE mode; GOVERNANCE only when its marker
 * says the (non-production) environment allows it. Findings name what is wrong.
 */
export function AuditBucketObjectLock(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
  const marker = markerOf<AuditArchiveMarker>(node, AUDIT_ARCHIVE_METADATA);
  if (marker === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const stack = Stack.of(node);
  const findings: string[] = [];

  if (stack.resolve(node.objectLockEnabled) !== true) findings.push('ObjectLockEnabled::false');
  const versioning = stack.resolve(node.versioningConfiguration) as { status?: string } | undefined;
  if (versioning?.status !== 'Enabled') findings.push('VersioningConfiguration::not-Enabled');

  const lock = stack.resolve(node.objectLockConfiguration) as
    { objectLockEnabled?: string; rule?: { defaultRetention?: Retention } } | undefined;
  if (lock?.objectLockEnabled !== 'Enabled') findings.push('ObjectLockConfiguration::not-Enabled');
  const retention = lock?.rule?.defaultRetention;
  if (retention === undefined) {
    findings.push('DefaultRetention::none');
  } else {
    if (retention.mode === 'GOVERNANCE') {
      if (marker.governanceAllowed !== true) findings.push('DefaultRetention.Mode::GOVERNANCE-not-allowed');
    } else if (retention.mode !== 'COMPLIANCE') {
      findings.push(`DefaultRetention.Mode::${String(retention.mode)}`);
    }
    const longEnough =
      (typeof retention.days === 'number' && retention.days >= HIPAA_MIN_RETENTION_DAYS) ||
      (typeof retention.years === 'number' && retention.years >= 6);
    if (!longEnough) {
      findings.push(
        `DefaultRetention::${retention.days !== undefined ? `${String(retention.days)}d` : `${String(retention.years)}y`}`,
      );
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
