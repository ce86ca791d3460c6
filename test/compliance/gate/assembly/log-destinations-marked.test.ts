/**
 * LogDestinationsMarked (U3): every bucket of the assembly that a trail, AWS Config, server access logging, an S3 flow
 * log or a load balancer delivers to carries the log bucket marker, whichever stack the writer is in.
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

  test('U3 a destination outside the assembly is not judged here', () => {
    expect(
      findingsOf(LogDestinationsMarked, (t) => {
        t.detection.Resources.Channel.Properties.S3BucketName = gso('app-prod-elsewhere', 'Bucket');
      }),
    ).toEqual([]);
  });
});
