import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../constructs/core/retention';
import { AUDIT_ARCHIVE_METADATA } from '../../../../constructs/core/markers';
import { readLifecycle, noncurrentExpirations } from '../core/lifecycle';
import { cfnAbsent, cfnNumber, Json, metadataOf } from '../core/template-json';
import { isLogBucket } from './log-bucket-shape';
import { viewOf } from './template-view';

const show = (v: unknown): string => (typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A number of days that must be at least the retention floor: '' when it is, else the value as the finding shows it. */
function tooShort(days: unknown): string {
  const n = cfnNumber(days);
  return n !== undefined && n >= HIPAA_MIN_RETENTION_DAYS ? '' : show(days);
}

/** Findings of one lifecycle rule that may be enabled: an expiration sooner than the floor or on a fixed date. */
function ruleFindings(rule: Json, name: string): string[] {
  const findings: string[] = [];
  if (!cfnAbsent(rule.ExpirationDate)) findings.push(`Rule[${name}].ExpirationDate::fixed-date`);
  if (!cfnAbsent(rule.ExpirationInDays)) {
    const short = tooShort(rule.ExpirationInDays);
    if (short) findings.push(`Rule[${name}].ExpirationInDays::${short}`);
  }
  for (const [property, days] of noncurrentExpirations(rule)) {
    const short = tooShort(days);
    if (short) findings.push(`Rule[${name}].${property}::${short}`);
  }
  return findings;
}

/**
 * U3: a bucket marked as a log bucket (or the audit archive), or one that receives logs in its template (another
 * bucket's access logs, a trail, a load balancer, Config, flow logs, or a bucket policy letting a log delivery service
 * write: log-bucket-shape; LogDestinationsMarked follows writers in other stacks), has a lifecycle (logs move to colder
 * storage rather than pile up or get deleted by hand), no rule that may be enabled expires current or
 * noncurrent objects sooner than 2192 days or on a fixed date, and the bucket is retained. Read from the template as
 * written (an L1 CfnBucket, a raw CfnResource of the type, property overrides, the template checker's template):
 * a rule counts as the lifecycle only when its Status is 'Enabled', and is checked unless its Status is 'Disabled'
 * (a Status, a rule, a number or the rule list only deploy resolves may be enabled, or short: fail closed).
 */
export function LogBucketRetention(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack, logicalId } = viewOf(node);
  // Marked, or receiving logs by the template's shape (log-bucket-shape): a marker deleted by hand does not exempt it.
  const marked =
    isLogBucket(resource, stack.template, logicalId) || metadataOf(resource, AUDIT_ARCHIVE_METADATA) !== undefined;
  if (!marked) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];

  const lifecycle = readLifecycle(resource.Properties?.LifecycleConfiguration);
  findings.push(...lifecycle.unresolved);
  for (const { name, rule } of lifecycle.rules) findings.push(...ruleFindings(rule, name));
  if (lifecycle.listed && !lifecycle.rules.some((r) => r.enabled)) findings.unshift('LifecycleConfiguration::none');
  if (resource.DeletionPolicy !== 'Retain') findings.push('DeletionPolicy::not-Retain');
  if (resource.UpdateReplacePolicy !== 'Retain') findings.push('UpdateReplacePolicy::not-Retain');
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
