import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, isObject, Json, localTarget, TemplateJson } from '../core/template-json';
import { viewOf } from './template-view';

const anyone = (principal: unknown): boolean =>
  principal === '*' || (isObject(principal) && asList(principal.AWS).includes('*'));
const everyS3Action = (action: unknown): boolean => asList(action).some((a) => a === 's3:*' || a === '*');
const conditionValue = (statement: Json, operator: string, key: string): unknown[] => {
  const block = isObject(statement.Condition) ? statement.Condition[operator] : undefined;
  return isObject(block) ? asList(block[key]) : [];
};

/** The policy statements that apply to the bucket `logicalId` (by Ref or by its literal name). */
export function bucketPolicyStatements(template: TemplateJson, logicalId: string): Json[] {
  const name = template.Resources[logicalId]?.Properties?.BucketName;
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
    .filter((r) => {
      const bucket = r.Properties?.Bucket;
      return localTarget(bucket) === logicalId || (typeof name === 'string' && bucket === name);
    })
    .flatMap((r) => {
      const doc = r.Properties?.PolicyDocument;
      return isObject(doc) ? asList(doc.Statement).filter(isObject) : [];
    });
}

/** Findings of a bucket: its policy denies every S3 action to everyone over plain HTTP and below TLS 1.2. */
export function tlsPolicyFindings(template: TemplateJson, logicalId: string): string[] {
  const statements = bucketPolicyStatements(template, logicalId);
  if (statements.length === 0) return ['BucketPolicy::none'];
  const denies = statements.filter((s) => s.Effect === 'Deny' && anyone(s.Principal) && everyS3Action(s.Action));
  const findings: string[] = [];
  if (!denies.some((s) => conditionValue(s, 'Bool', 'aws:SecureTransport').some((v) => String(v) === 'false'))) {
    findings.push('BucketPolicy::no-deny-without-TLS');
  }
  if (!denies.some((s) => conditionValue(s, 'NumericLessThan', 's3:TlsVersion').some((v) => Number(v) >= 1.2))) {
    findings.push('BucketPolicy::no-deny-below-TLS-1.2');
  }
  return findings;
}

/**
 * E3: every bucket's policy denies every S3 action to every principal over plain HTTP (aws:SecureTransport false)
 * and with TLS older than 1.2 (NumericLessThan s3:TlsVersion 1.2). cdk-nag checks only the first.
 */
export function BucketTlsOnlyPolicy(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const findings = tlsPolicyFindings(view.stack.template, view.logicalId);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
