import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isLogBucket } from './log-bucket-shape';
import { bucketPolicyStatements, deniesToEveryone, unconditional } from './policy-statements';
import { viewOf } from './template-view';

/**
 * U3 U6: every log bucket (template metadata HipaaBlueprint::LogBucket: the access log buckets, the AWS Config
 * delivery bucket, the audit archive; or, marker deleted, a bucket its template delivers logs to or lets a log delivery
 * service write: log-bucket-shape; LogDestinationsMarked follows writers in other stacks)
 * denies s3:DeleteObjectVersion on all its objects to everyone, with no condition: versioning keeps what is
 * overwritten or deleted only while no one can delete the versions.
 */
export function LogBucketVersionDeleteDeny(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  // Marked in the template as it deploys, or a log bucket by the template's shape (log-bucket-shape).
  const { resource, stack, logicalId } = viewOf(node);
  if (!isLogBucket(resource, stack.template, logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  return deniesToEveryone(bucketPolicyStatements(node), ['s3:DeleteObjectVersion'], 'objects', unconditional, logicalId)
    ? NagRuleCompliance.COMPLIANT
    : ['VersionDeletes::not-denied'];
}
