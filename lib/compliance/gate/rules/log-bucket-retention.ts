import { CfnDeletionPolicy, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../constructs/core/retention';
import { AUDIT_ARCHIVE_METADATA, LOG_BUCKET_METADATA, markerOf } from '../../../../constructs/core/markers';

interface LifecycleRule {
  id?: string;
  status?: string;
  expirationInDays?: number;
  expirationDate?: unknown;
  noncurrentVersionExpirationInDays?: number;
  noncurrentVersionExpiration?: { noncurrentDays?: number };
}

/**
 * U3: a bucket marked as a log bucket (or the audit archive) has a lifecycle (logs move to colder
 * storage rather than pile up or get deleted by hand), no enabled rule expires current or
 * noncurrent objects sooner than 2192 days or on a fixed date, and the bucket is retained.
 */
export function LogBucketRetention(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
  const marked =
    markerOf(node, LOG_BUCKET_METADATA) !== undefined || markerOf(node, AUDIT_ARCHIVE_METADATA) !== undefined;
  if (!marked) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];

  const lifecycle = Stack.of(node).resolve(node.lifecycleConfiguration) as { rules?: LifecycleRule[] } | undefined;
  const rules = (lifecycle?.rules ?? []).filter((r) => r.status === 'Enabled');
  if (rules.length === 0) findings.push('LifecycleConfiguration::none');
  for (const [i, rule] of rules.entries()) {
    const name = rule.id ?? String(i);
    if (rule.expirationDate !== undefined) findings.push(`Rule[${name}].ExpirationDate::fixed-date`);
    if (rule.expirationInDays !== undefined && !(rule.expirationInDays >= HIPAA_MIN_RETENTION_DAYS)) {
      findings.push(`Rule[${name}].ExpirationInDays::${String(rule.expirationInDays)}`);
    }
    const noncurrent = rule.noncurrentVersionExpiration?.noncurrentDays ?? rule.noncurrentVersionExpirationInDays;
    if (noncurrent !== undefined && !(noncurrent >= HIPAA_MIN_RETENTION_DAYS)) {
      findings.push(`Rule[${name}].NoncurrentVersionExpiration::${String(noncurrent)}`);
    }
  }
  if (node.cfnOptions.deletionPolicy !== CfnDeletionPolicy.RETAIN) findings.push('DeletionPolicy::not-Retain');
  if (node.cfnOptions.updateReplacePolicy !== CfnDeletionPolicy.RETAIN)
    findings.push('UpdateReplacePolicy::not-Retain');
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
