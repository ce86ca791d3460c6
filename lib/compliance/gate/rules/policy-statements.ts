import { CfnResource } from 'aws-cdk-lib';
import { cdkExecutionRoleName } from '../../../config/names';
import { conditionValues, entries, onlyExactCondition, PolicyStatementJson } from '../core/policy-json';
import { REGION_NAME_PATTERN } from '../core/template-json';
import { logicalIdOf, stackResourcesOfType, templateProperties } from './template-properties';

/**
 * Reading IAM policy statements as AWS evaluates them, for the project rules on key, bucket and endpoint policies:
 * what core/policy-json reads (re-exported here), the deployment role's exception, and the bucket policies of a bucket.
 */

export * from '../core/policy-json';

/** Where a stack deploys, as far as the template checked knows it (undefined: not known). */
export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
}

/**
 * Whether `arn` is the CloudFormation execution role of the CDK bootstrap (lib/config/names.ts cdkExecutionRoleName)
 * of the stack's own account and region, as a literal ARN: the principal that deploys the stack. Any other role of
 * that name (another region's, which a template could create where the bootstrap never ran; another account's) is
 * not. Where the stack's account or region is not known (a template checked alone), any of that shape.
 */
export function isDeploymentRoleArn(arn: unknown, env: StackEnvironment): boolean {
  if (typeof arn !== 'string') return false;
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(arn);
  if (!match) return false;
  const [, account, name] = match;
  if (env.account !== undefined && account !== env.account) return false;
  const region = env.region ?? new RegExp(`-(${REGION_NAME_PATTERN})$`).exec(name!)?.[1];
  return region !== undefined && name === cdkExecutionRoleName({ account: account! }, region);
}

/**
 * A deny whose only exception is the deployment role (ArnNotEquals aws:PrincipalArn, isDeploymentRoleArn only): the
 * shape of the denies that keep a bucket's policy and configuration as deployed. Any other exception (a role the
 * templates create, named by a token or by its ARN; a policy variable) lets something other than a deploy change them,
 * a function's code for one, which no rule reads.
 */
export function exceptTheDeploymentRole(statement: PolicyStatementJson, env: StackEnvironment): boolean {
  const values = conditionValues(statement.Condition, 'aws:PrincipalArn', 'negated') ?? [];
  return (
    onlyExactCondition(statement, 'aws:PrincipalArn', 'negated') && values.every((v) => isDeploymentRoleArn(v, env))
  );
}

/** The statements of every AWS::S3::BucketPolicy of the bucket's stack that applies to this bucket. */
export function bucketPolicyStatements(bucket: CfnResource): PolicyStatementJson[] {
  const ref = JSON.stringify({ Ref: logicalIdOf(bucket) });
  return stackResourcesOfType(bucket, 'AWS::S3::BucketPolicy').flatMap((policy) => {
    const props = templateProperties(policy) as { Bucket?: unknown; PolicyDocument?: { Statement?: unknown } };
    if (JSON.stringify(props.Bucket) !== ref) return [];
    return entries(props.PolicyDocument?.Statement) as PolicyStatementJson[];
  });
}
