import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { asList, isObject, Json, localTarget, TemplateJson } from '../core/template-json';
import { conditionKeys, entries, PolicyStatementJson, resourceCovers } from './policy-statements';
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

/**
 * Whether the deny applies wherever `key` says so: its condition is one `operator` block testing that key alone
 * (another key or operator narrows the deny to requests that also match it, a tag nobody has: to none), and it covers
 * the bucket and every object of it.
 */
const deniesEverywhereOn = (s: Json, operator: string, key: string, bucketId: string): boolean =>
  isObject(s.Condition) &&
  Object.keys(s.Condition).length === 1 &&
  isObject(s.Condition[operator]) &&
  conditionKeys(s.Condition as PolicyStatementJson['Condition']).every((k) => k === key.toLowerCase()) &&
  s.NotResource === undefined &&
  s.NotAction === undefined &&
  s.NotPrincipal === undefined &&
  entries(s.Resource).some((r) => resourceCovers(r, 'bucket', bucketId)) &&
  entries(s.Resource).some((r) => resourceCovers(r, 'objects', bucketId));

/**
 * Findings of a bucket: its policy denies every S3 action to everyone, on the bucket and every object, over plain HTTP
 * and below TLS 1.2, each deny conditioned on that alone.
 */
export function tlsPolicyFindings(template: TemplateJson, logicalId: string): string[] {
  const statements = bucketPolicyStatements(template, logicalId);
  if (statements.length === 0) return ['BucketPolicy::none'];
  const denies = statements.filter((s) => s.Effect === 'Deny' && anyone(s.Principal) && everyS3Action(s.Action));
  const findings: string[] = [];
  const plainHttp = (s: Json) =>
    deniesEverywhereOn(s, 'Bool', 'aws:SecureTransport', logicalId) &&
    conditionValue(s, 'Bool', 'aws:SecureTransport').some((v) => String(v) === 'false');
  if (!denies.some(plainHttp)) findings.push('BucketPolicy::no-deny-without-TLS');
  const oldTls = (s: Json) =>
    deniesEverywhereOn(s, 'NumericLessThan', 's3:TlsVersion', logicalId) &&
    conditionValue(s, 'NumericLessThan', 's3:TlsVersion').some((v) => Number(v) >= 1.2);
  if (!denies.some(oldTls)) findings.push('BucketPolicy::no-deny-below-TLS-1.2');
  return findings;
}

/**
 * E3: every bucket's policy denies every S3 action to every principal, on the bucket and its objects, over plain HTTP
 * (aws:SecureTransport false) and with TLS older than 1.2 (NumericLessThan s3:TlsVersion 1.2), each deny tested on
 * that key alone (another condition key narrows it). cdk-nag checks only the first, and not how far it reaches.
 */
export function BucketTlsOnlyPolicy(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const findings = tlsPolicyFindings(view.stack.template, view.logicalId);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
