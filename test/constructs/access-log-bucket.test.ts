import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { ApplicationLoadBalancer, CfnLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Bucket, CfnBucket, CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' };

function stack(region = 'us-east-1'): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region },
  });
}

type Statement = { Sid?: string; Principal?: unknown; Action: unknown; Resource: unknown; Condition?: unknown };

/** An AccessLogBucket receiving the access logs of an ALB under 'alb', in `region`. */
function withLoadBalancer(region: string): { s: Stack; logs: AccessLogBucket; alb: ApplicationLoadBalancer } {
  const s = stack(region);
  const logs = new AccessLogBucket(s, 'L', { retention: RETENTION });
  const alb = new ApplicationLoadBalancer(s, 'Alb', { vpc: new Vpc(s, 'Vpc', { maxAzs: 2 }), internetFacing: true });
  logs.receiveLoadBalancerLogsFrom(alb, 'alb');
  return { s, logs, alb };
}

function policyStatements(s: Stack): Statement[] {
  const policies = Template.fromStack(s).findResources('AWS::S3::BucketPolicy');
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** Every Allow statement that lets a principal write objects, as resolved JSON. */
const writers = (s: Stack): Statement[] =>
  policyStatements(s).filter((st) => JSON.stringify(st.Action).includes('s3:PutObject') && st.Principal);

describe('AccessLogBucket', () => {
  test('U3 refuses a retention policy below six years', () => {
    expect(() => new AccessLogBucket(stack(), 'L', { retention: { ...RETENTION, logRetentionDays: 365 } })).toThrow(
      /retention.logRetentionDays = 365: must be at least 2192 days/,
    );
  });

  test('E2 exception is SSE-S3 only; lifecycle follows a longer retention policy', () => {
    const s = stack();
    new AccessLogBucket(s, 'L', { retention: { ...RETENTION, logRetentionDays: 2557 } });
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'ColderStorageThenExpireAfterRetention',
            Status: 'Enabled',
            ExpirationInDays: 2557,
            NoncurrentVersionExpiration: { NoncurrentDays: 2557 },
            Transitions: [
              { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
              { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 },
            ],
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            NoncurrentVersionTransitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 }],
          },
        ],
      },
    });
  });

  test('U3 receiveServerAccessLogsFrom sets the source logging configuration; refuses itself and bad prefixes', () => {
    const s = stack();
    const logs = new AccessLogBucket(s, 'L', { retention: RETENTION });
    const source = new Bucket(s, 'Source');
    logs.receiveServerAccessLogsFrom(source, 'source/');
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: s.getLogicalId(logs.bucket.node.defaultChild as CfnBucket) },
        LogFilePrefix: 'source/',
      },
    });
    expect(() => logs.receiveServerAccessLogsFrom(logs.bucket, 'self/')).toThrow(/does not log to itself/);
    expect(() => logs.receiveServerAccessLogsFrom(source, 'Source')).toThrow(/prefix = 'Source'/);
  });

  test('U3 ALB access logs: the ELB account of us-east-1 (127311923021) writes only under alb/AWSLogs/<this account>/', () => {
    const { s, logs, alb } = withLoadBalancer('us-east-1');
    Template.fromStack(s).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: s.getLogicalId(logs.bucket.node.defaultChild as CfnBucket) } },
        { Key: 'access_logs.s3.prefix', Value: 'alb' },
      ]),
    });
    const elb = writers(s).find((st) => st.Sid === 'LoadBalancerAccessLogDeliveryAlb')!;
    expect(JSON.stringify(elb.Principal)).toContain(':iam::127311923021:root');
    expect(JSON.stringify(elb.Resource)).toMatch(/"\/alb\/AWSLogs\/123456789012\/\*"\]/);
    // ELB checks the policy when logging is turned on: the load balancer waits for it.
    const lb = Template.fromStack(s).toJSON().Resources[s.getLogicalId(alb.node.defaultChild as CfnLoadBalancer)];
    expect(lb.DependsOn).toContain(s.getLogicalId(logs.bucket.policy!.node.defaultChild as CfnBucketPolicy));
  });

  test('U3 ALB access logs: newer regions admit logdelivery.elasticloadbalancing.amazonaws.com with aws:SourceAccount', () => {
    const { s } = withLoadBalancer('ap-southeast-5');
    const elb = writers(s).find((st) => st.Sid === 'LoadBalancerAccessLogDeliveryAlb')!;
    expect(elb.Principal).toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
    expect(elb.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });

  test('E2 every writer of the bucket is named, and service principals are limited to this account', () => {
    for (const region of ['us-east-1', 'ap-southeast-5']) {
      const { s } = withLoadBalancer(region);
      const all = writers(s);
      // No delivery.logs.amazonaws.com (not the ALB writer) and no s3:GetBucketAcl for it.
      expect(JSON.stringify(policyStatements(s))).not.toContain('delivery.logs.amazonaws.com');
      expect(all.map((st) => st.Sid).sort()).toEqual([
        'LoadBalancerAccessLogDeliveryAlb',
        'S3ServerAccessLogDeliveryFromThisAccount',
      ]);
      for (const st of all) {
        const service = (st.Principal as { Service?: string }).Service;
        if (service) expect(st.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
      }
    }
  });

  test('U3 receiveLoadBalancerLogsFrom refuses a prefix with slashes or upper case', () => {
    const s = stack();
    const logs = new AccessLogBucket(s, 'L', { retention: RETENTION });
    const alb = new ApplicationLoadBalancer(s, 'Alb', { vpc: new Vpc(s, 'Vpc', { maxAzs: 2 }) });
    expect(() => logs.receiveLoadBalancerLogsFrom(alb, 'alb/')).toThrow(/prefix = 'alb\/'/);
    expect(() => logs.receiveLoadBalancerLogsFrom(alb, 'ALB')).toThrow(/prefix = 'ALB'/);
  });
});
