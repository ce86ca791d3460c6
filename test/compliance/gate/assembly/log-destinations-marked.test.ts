/**
 * LogDestinationsMarked (U3): every bucket of the assembly that a log writer (core/log-destinations) delivers to, or
 * that replicates a log bucket, carries the log bucket marker, whichever stack the writer is in.
 */
import { LogDestinationsMarked } from '../../../../lib/compliance/gate/assembly/log-destinations-marked';
import { findingsOf, Mutable } from './assembly-fixture';

type T = Record<string, Mutable>;
const MARKER = { 'HipaaBlueprint::LogBucket': { purpose: 'config' } };
const gso = (stack: string, output: string) => ({ 'Fn::GetStackOutput': { StackName: stack, OutputName: output } });

/** A bucket ConfigBucket in the audit stack (exported), which the detection stack's delivery channel writes to. */
function configBucketInAudit(t: T, metadata: Mutable = MARKER): void {
  t.audit.Resources.ConfigBucket = { Type: 'AWS::S3::Bucket', Metadata: metadata, Properties: {} };
  t.audit.Outputs = { ...t.audit.Outputs, ConfigBucketName: { Value: { Ref: 'ConfigBucket' } } };
  t.detection.Resources.Channel.Properties.S3BucketName = gso('app-prod-audit', 'ConfigBucketName');
}

describe('LogDestinationsMarked', () => {
  test('U3 the fixture has no log destination in the assembly without its marker', () => {
    expect(findingsOf(LogDestinationsMarked)).toEqual([]);
    expect(findingsOf(LogDestinationsMarked, (t) => configBucketInAudit(t))).toEqual([]);
  });

  test('U3 the marker removed from a bucket AWS Config of another stack delivers to (Fn::GetStackOutput) is a finding', () => {
    expect(findingsOf(LogDestinationsMarked, (t) => configBucketInAudit(t, {}))).toEqual([
      '[ConfigBucket::unmarked] ConfigBucket',
    ]);
  });

  test.each<[string, (t: T) => void]>([
    [
      'a bucket named literally by a delivery channel',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b' } };
      },
    ],
    [
      'a trail s bucket',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: {} };
        t.audit.Resources.Trail.Properties.S3BucketName = { Ref: 'Named' };
      },
    ],
    [
      'an S3 flow log s destination (an ARN joined from the bucket s)',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: {} };
        t.audit.Resources.Flow = {
          Type: 'AWS::EC2::FlowLog',
          Properties: {
            LogDestinationType: 's3',
            LogDestination: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Named', 'Arn'] }, '/flow-logs/']] },
          },
        };
      },
    ],
    [
      'another bucket s server access log destination',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: {} };
        t.audit.Resources.Source = {
          Type: 'AWS::S3::Bucket',
          Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: 'Named' } } },
        };
      },
    ],
    [
      'a load balancer s access log bucket',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'lb-logs' } };
        t.audit.Resources.Lb = {
          Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          Properties: { LoadBalancerAttributes: [{ Key: 'access_logs.s3.bucket', Value: 'lb-logs' }] },
        };
      },
    ],
    [
      'a load balancer s connection log bucket, in another stack (Fn::GetStackOutput)',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: {} };
        t.audit.Outputs = { ...t.audit.Outputs, NamedName: { Value: { Ref: 'Named' } } };
        t.detection.Resources.Lb = {
          Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          Properties: {
            LoadBalancerAttributes: [{ Key: 'connection_logs.s3.bucket', Value: gso('app-prod-audit', 'NamedName') }],
          },
        };
      },
    ],
    [
      'a classic load balancer s access log bucket',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'classic-logs' } };
        t.detection.Resources.Elb = {
          Type: 'AWS::ElasticLoadBalancing::LoadBalancer',
          Properties: { AccessLoggingPolicy: { Enabled: true, S3BucketName: 'classic-logs' } },
        };
      },
    ],
    [
      'a CloudFront distribution s log bucket (its domain name)',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'cf-logs' } };
        t.detection.Resources.Cdn = {
          Type: 'AWS::CloudFront::Distribution',
          Properties: { DistributionConfig: { Logging: { Bucket: 'cf-logs.s3.amazonaws.com' } } },
        };
      },
    ],
    [
      'a flow log s destination whose type a condition chooses',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: {} };
        t.audit.Resources.Flow = {
          Type: 'AWS::EC2::FlowLog',
          Properties: {
            LogDestinationType: { 'Fn::If': ['ToS3', 's3', 'cloud-watch-logs'] },
            LogDestination: { 'Fn::GetAtt': ['Named', 'Arn'] },
          },
        };
      },
    ],
    [
      'a server access log destination a condition chooses',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: {} };
        t.audit.Resources.Source = {
          Type: 'AWS::S3::Bucket',
          Properties: {
            LoggingConfiguration: {
              'Fn::If': ['Log', { DestinationBucketName: { Ref: 'Named' } }, { Ref: 'AWS::NoValue' }],
            },
          },
        };
      },
    ],
    [
      'the replica of a log bucket, in another stack (an ARN joined from the partition and the account)',
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'log-replica-123456789012' } };
        t.detection.Resources.Logs = {
          Type: 'AWS::S3::Bucket',
          Metadata: MARKER,
          Properties: {
            ReplicationConfiguration: {
              Role: 'arn:aws:iam::123456789012:role/replication',
              Rules: [
                {
                  Status: 'Enabled',
                  Destination: {
                    Bucket: {
                      'Fn::Join': [
                        '',
                        ['arn:', { Ref: 'AWS::Partition' }, ':s3:::log-replica-', { Ref: 'AWS::AccountId' }],
                      ],
                    },
                  },
                },
              ],
            },
          },
        };
      },
    ],
  ])('U3 %s without the marker is a finding', (_name, mutate) => {
    expect(findingsOf(LogDestinationsMarked, mutate)).toEqual(['[Named::unmarked] Named']);
    // With the marker: none.
    expect(
      findingsOf(LogDestinationsMarked, (t) => {
        mutate(t);
        t.audit.Resources.Named.Metadata = MARKER;
      }),
    ).toEqual([]);
  });

  test('U3 the replica of a bucket a trail of its stack writes to (a log bucket by shape, unmarked): both are findings', () => {
    const mutate = (t: T): void => {
      t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'shape-replica' } };
      t.detection.Resources.ShapeLogs = {
        Type: 'AWS::S3::Bucket',
        Properties: {
          ReplicationConfiguration: {
            Role: 'arn:aws:iam::123456789012:role/replication',
            Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::shape-replica' } }],
          },
        },
      };
      t.detection.Resources.ShapeTrail = {
        Type: 'AWS::CloudTrail::Trail',
        Properties: { IsLogging: true, S3BucketName: { Ref: 'ShapeLogs' } },
      };
    };
    expect(findingsOf(LogDestinationsMarked, mutate)).toEqual([
      '[Named::unmarked] Named',
      '[ShapeLogs::unmarked] ShapeLogs',
    ]);
  });

  test('U3 the replica of a bucket that holds no logs needs no marker', () => {
    expect(
      findingsOf(LogDestinationsMarked, (t) => {
        t.detection.Resources.Replica = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data-replica' } };
        t.audit.Resources.Data = {
          Type: 'AWS::S3::Bucket',
          Properties: {
            ReplicationConfiguration: {
              Role: 'arn:aws:iam::123456789012:role/replication',
              Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::data-replica' } }],
            },
          },
        };
      }),
    ).toEqual([]);
  });

  test('U3 a pseudo parameter in a destination name stands for its value only: a longer name is another bucket', () => {
    expect(
      findingsOf(LogDestinationsMarked, (t) => {
        t.audit.Resources.Other = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'logs-123456789012-extra' } };
        t.audit.Resources.Trail.Properties.S3BucketName = {
          'Fn::Join': ['', ['logs-', { Ref: 'AWS::AccountId' }]],
        };
      }),
    ).toEqual([]);
  });

  test('U3 a destination outside the assembly is not judged here', () => {
    expect(
      findingsOf(LogDestinationsMarked, (t) => {
        t.detection.Resources.Channel.Properties.S3BucketName = gso('app-prod-elsewhere', 'Bucket');
      }),
    ).toEqual([]);
  });
});
