import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { isObject } from '../core/template-json';
import { viewOf } from './template-view';

/** The logical id a `Bucket` value references with `{Ref: X}`, or undefined. */
const refTarget = (value: unknown): string | undefined =>
  isObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined;

/**
 * E1 E2 E3 U2 U3: a bucket policy (AWS::S3::BucketPolicy) names its bucket with `Ref` to an AWS::S3::Bucket of its own
 * template, and is the only policy of that bucket. S3 keeps one policy per bucket and each PutBucketPolicy replaces
 * it, while the rules judge the statements of the policies that Ref a bucket in its template: a second policy (in
 * this template, or in another naming the bucket by name, ARN or a cross-stack reference) would deploy in place of
 * the judged one, taking the TLS, allow-list, write encryption and tamper denies with it. A policy on a bucket outside
 * the template is one no rule judged the bucket of.
 */
export function OnePolicyPerBucket(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::BucketPolicy') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const resources = view.stack.template.Resources;
  const bucket = refTarget(view.resource.Properties?.Bucket);
  if (bucket === undefined || resources[bucket]?.Type !== 'AWS::S3::Bucket') {
    return ['Bucket::not-a-bucket-of-this-template'];
  }
  const another = Object.entries(resources).some(
    ([id, r]) =>
      id !== view.logicalId && r.Type === 'AWS::S3::BucketPolicy' && refTarget(r.Properties?.Bucket) === bucket,
  );
  return another ? ['Bucket::several-policies'] : NagRuleCompliance.COMPLIANT;
}
