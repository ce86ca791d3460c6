import { CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { markAuditArchive, markLogBucket } from '../../constructs/core/markers';
import { fixtureStack } from './rule-fixtures';

/** The L1 of a bucket in a fresh stack, marked by `mark`, retained unless `retain` is false. */
export function bucket(
  props: ConstructorParameters<typeof Bucket>[2],
  mark: (cfn: CfnBucket) => void,
  retain = true,
): CfnResource {
  const b = new Bucket(fixtureStack(), 'B', {
    ...props,
    removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const cfn = b.node.defaultChild as CfnBucket;
  mark(cfn);
  return cfn;
}

/** Marks a bucket as the audit archive; GOVERNANCE allowed or not. */
export const archive =
  (governanceAllowed = false) =>
  (cfn: CfnBucket) =>
    markAuditArchive(cfn, {
      safeguards: ['U2'],
      governanceAllowed,
      lockMode: governanceAllowed ? 'GOVERNANCE' : 'COMPLIANCE',
    });

/** Marks a bucket as a log bucket. */
export const logBucket = (cfn: CfnBucket) => markLogBucket(cfn, { safeguards: ['U3'] });

/** A lifecycle expiration of six years. */
export const sixYears = { expiration: Duration.days(2192) };
