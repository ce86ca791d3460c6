import { CfnResource, Stack } from 'aws-cdk-lib';
import { IBucket } from 'aws-cdk-lib/aws-s3';

/** A policy statement as the template holds it. */
export type Statement = Record<string, unknown> & { Sid?: string; Condition?: Record<string, Record<string, unknown>> };

/** The bucket policy's L1 of a bucket built in the test (throws when the bucket has none). */
export function bucketPolicyOf(bucket: IBucket): CfnResource {
  const policy = bucket.policy?.node.defaultChild;
  if (!CfnResource.isCfnResource(policy)) throw new Error(`${bucket.node.path} has no bucket policy`);
  return policy;
}

/** The statements of a bucket's policy, resolved as they will be in the template. */
export function bucketStatements(bucket: IBucket): Statement[] {
  const policy = bucketPolicyOf(bucket);
  const props = Stack.of(policy).resolve((policy as unknown as { policyDocument: unknown }).policyDocument) as {
    Statement: Statement[];
  };
  return props.Statement;
}

/** Rewrites the bucket's policy statements (an escape-hatch override: what a hand edit of the template does). */
export function overrideBucketStatements(bucket: IBucket, edit: (statements: Statement[]) => Statement[]): void {
  bucketPolicyOf(bucket).addPropertyOverride('PolicyDocument.Statement', edit(bucketStatements(bucket)));
}

/** Edits the statement with `sid` (throws when there is none, so a renamed statement cannot pass silently). */
export function editStatement(sid: string, edit: (s: Statement) => Statement | undefined) {
  return (statements: Statement[]): Statement[] => {
    if (!statements.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid}`);
    return statements.flatMap((s) => {
      if (s.Sid !== sid) return [s];
      const edited = edit(JSON.parse(JSON.stringify(s)) as Statement);
      return edited === undefined ? [] : [edited];
    });
  };
}

/** Removes the statement with `sid`. */
export const without = (sid: string): ((statements: Statement[]) => Statement[]) => editStatement(sid, () => undefined);
