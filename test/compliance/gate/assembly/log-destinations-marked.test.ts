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
        t.detection.Resources.Channel.Properties.S3BucketName = 'b';
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
    ...(
      [
        [
          'a WAF web ACL s log bucket (an aws-waf-logs- bucket, by ARN)',
          'aws-waf-logs-app',
          (arn: string) => ({
            Type: 'AWS::WAFv2::LoggingConfiguration',
            Properties: {
              ResourceArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/1',
              LogDestinationConfigs: [arn],
            },
          }),
        ],
        [
          'a Network Firewall s alert log bucket',
          'nfw-logs',
          () => ({
            Type: 'AWS::NetworkFirewall::LoggingConfiguration',
            Properties: {
              FirewallArn: 'arn:aws:network-firewall:us-east-1:123456789012:firewall/f',
              LoggingConfiguration: {
                LogDestinationConfigs: [
                  { LogType: 'FLOW', LogDestinationType: 'CloudWatchLogs', LogDestination: { logGroup: 'nfw-flow' } },
                  {
                    LogType: 'ALERT',
                    LogDestinationType: 'S3',
                    LogDestination: { bucketName: 'nfw-logs', prefix: 'alert' },
                  },
                ],
              },
            },
          }),
        ],
        [
          'a Route 53 Resolver query log bucket',
          'dns-logs',
          (arn: string) => ({
            Type: 'AWS::Route53Resolver::ResolverQueryLoggingConfig',
            Properties: { DestinationArn: arn },
          }),
        ],
        [
          'a VPC Lattice access log bucket',
          'lattice-logs',
          (arn: string) => ({
            Type: 'AWS::VpcLattice::AccessLogSubscription',
            Properties: { ResourceIdentifier: 'sn-1', DestinationArn: arn },
          }),
        ],
        [
          'a CloudWatch Logs delivery destination bucket (vended logs, e.g. CloudFront standard logging)',
          'vended-logs',
          (arn: string) => ({
            Type: 'AWS::Logs::DeliveryDestination',
            Properties: { Name: 'd', DestinationResourceArn: arn },
          }),
        ],
        [
          'a Redshift cluster s audit log bucket',
          'redshift-logs',
          () => ({
            Type: 'AWS::Redshift::Cluster',
            Properties: { LoggingProperties: { BucketName: 'redshift-logs', S3KeyPrefix: 'audit/' } },
          }),
        ],
        [
          'an MSK cluster s broker log bucket',
          'msk-logs',
          () => ({
            Type: 'AWS::MSK::Cluster',
            Properties: { LoggingInfo: { BrokerLogs: { S3: { Enabled: true, Bucket: 'msk-logs' } } } },
          }),
        ],
        [
          'an ECS cluster s ECS Exec session log bucket',
          'exec-logs',
          () => ({
            Type: 'AWS::ECS::Cluster',
            Properties: {
              Configuration: {
                ExecuteCommandConfiguration: { Logging: 'OVERRIDE', LogConfiguration: { S3BucketName: 'exec-logs' } },
              },
            },
          }),
        ],
        [
          'a Session Manager preferences document s session log bucket',
          'ssm-logs',
          () => ({
            Type: 'AWS::SSM::Document',
            Properties: {
              DocumentType: 'Session',
              Name: 'SSM-SessionManagerRunShell',
              Content: { schemaVersion: '1.0', sessionType: 'Standard_Stream', inputs: { s3BucketName: 'ssm-logs' } },
            },
          }),
        ],
        [
          'a Session Manager preferences document given as a YAML string',
          'ssm-yaml-logs',
          () => ({
            Type: 'AWS::SSM::Document',
            Properties: {
              DocumentType: 'Session',
              DocumentFormat: 'YAML',
              Content: "schemaVersion: '1.0'\nsessionType: Standard_Stream\ninputs:\n  s3BucketName: ssm-yaml-logs\n",
            },
          }),
        ],
        [
          'an EMR cluster s log bucket (an s3:// URI)',
          'emr-logs',
          () => ({ Type: 'AWS::EMR::Cluster', Properties: { LogUri: 's3://emr-logs/clusters/' } }),
        ],
        [
          'a CodeBuild project s build log bucket (a name with a prefix)',
          'build-logs',
          () => ({
            Type: 'AWS::CodeBuild::Project',
            Properties: { LogsConfig: { S3Logs: { Status: 'ENABLED', Location: 'build-logs/builds' } } },
          }),
        ],
        [
          'a Cognito user pool s log delivery bucket',
          'cognito-logs',
          (arn: string) => ({
            Type: 'AWS::Cognito::LogDeliveryConfiguration',
            Properties: {
              UserPoolId: 'us-east-1_x',
              LogConfigurations: [
                { LogLevel: 'INFO', EventSource: 'userAuthEvents', S3Configuration: { BucketArn: arn } },
              ],
            },
          }),
        ],
        [
          'an EventBridge pipe s log bucket',
          'pipe-logs',
          () => ({
            Type: 'AWS::Pipes::Pipe',
            Properties: { LogConfiguration: { Level: 'INFO', S3LogDestination: { BucketName: 'pipe-logs' } } },
          }),
        ],
        [
          'a Verified Access instance s log bucket',
          'va-logs',
          () => ({
            Type: 'AWS::EC2::VerifiedAccessInstance',
            Properties: { LoggingConfigurations: { S3: { Enabled: true, BucketName: 'va-logs' } } },
          }),
        ],
        [
          'an MSK Connect connector s worker log bucket',
          'connect-logs',
          () => ({
            Type: 'AWS::KafkaConnect::Connector',
            Properties: { LogDelivery: { WorkerLogDelivery: { S3: { Enabled: true, Bucket: 'connect-logs' } } } },
          }),
        ],
        [
          'an EMR Serverless application s log bucket (an s3:// URI)',
          'emr-serverless-logs',
          () => ({
            Type: 'AWS::EMRServerless::Application',
            Properties: {
              MonitoringConfiguration: { S3MonitoringConfiguration: { LogUri: 's3://emr-serverless-logs/apps/' } },
            },
          }),
        ],
        [
          'a maintenance window task s log bucket',
          'mw-logs',
          () => ({
            Type: 'AWS::SSM::MaintenanceWindowTask',
            Properties: { LoggingInfo: { S3Bucket: 'mw-logs', Region: 'us-east-1' } },
          }),
        ],
        [
          'an EMR cluster s log bucket (the older s3n:// URI)',
          'emr-s3n-logs',
          () => ({ Type: 'AWS::EMR::Cluster', Properties: { LogUri: 's3n://emr-s3n-logs/clusters/' } }),
        ],
        [
          'a Network Firewall logging configuration only deploy resolves (given whole)',
          'nfw-if-logs',
          () => ({
            Type: 'AWS::NetworkFirewall::LoggingConfiguration',
            Properties: {
              LoggingConfiguration: {
                'Fn::If': [
                  'C',
                  {
                    LogDestinationConfigs: [
                      { LogType: 'ALERT', LogDestinationType: 'S3', LogDestination: { bucketName: 'nfw-if-logs' } },
                    ],
                  },
                  { Ref: 'AWS::NoValue' },
                ],
              },
            },
          }),
        ],
        [
          'a Session Manager document whose type only deploy resolves',
          'ssm-if-logs',
          () => ({
            Type: 'AWS::SSM::Document',
            Properties: {
              DocumentType: { 'Fn::If': ['C', 'Session', 'Command'] },
              Content: { inputs: { s3BucketName: 'ssm-if-logs' } },
            },
          }),
        ],
        [
          'a Session Manager document given as a JSON string',
          'ssm-json-logs',
          () => ({
            Type: 'AWS::SSM::Document',
            Properties: {
              DocumentType: 'Session',
              Content: JSON.stringify({ inputs: { s3BucketName: 'ssm-json-logs' } }),
            },
          }),
        ],
        [
          'an Image Builder infrastructure configuration s log bucket',
          'imagebuilder-logs',
          () => ({
            Type: 'AWS::ImageBuilder::InfrastructureConfiguration',
            Properties: { Logging: { S3Logs: { S3BucketName: 'imagebuilder-logs', S3KeyPrefix: 'x' } } },
          }),
        ],
        [
          'a State Manager association s output bucket',
          'association-logs',
          () => ({
            Type: 'AWS::SSM::Association',
            Properties: { OutputLocation: { S3Location: { OutputS3BucketName: 'association-logs' } } },
          }),
        ],
        [
          'a Session Manager document whose type only deploy resolves, its YAML in flow style',
          'ssm-flow-logs',
          () => ({
            Type: 'AWS::SSM::Document',
            Properties: {
              DocumentType: { 'Fn::Select': [0, ['Session']] },
              Content: "schemaVersion: '1.0'\ninputs: {s3BucketName: ssm-flow-logs, idleSessionTimeout: '20'}\n",
            },
          }),
        ],
      ] as Array<[string, string, (arn: string) => Mutable]>
    ).map(([name, bucket, writer]): [string, (t: T) => void] => [
      name,
      (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: bucket } };
        t.detection.Resources.Writer = writer(`arn:aws:s3:::${bucket}`);
      },
    ]),
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

  test('U3 writers naming a log group, a delivery stream or no bucket name no bucket: no finding', () => {
    expect(
      findingsOf(LogDestinationsMarked, (t) => {
        t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'aws-waf-logs-app' } };
        t.detection.Resources.Waf = {
          Type: 'AWS::WAFv2::LoggingConfiguration',
          Properties: {
            LogDestinationConfigs: ['arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-app'],
          },
        };
        t.detection.Resources.Dns = {
          Type: 'AWS::Route53Resolver::ResolverQueryLoggingConfig',
          Properties: { DestinationArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-app' },
        };
        t.detection.Resources.Session = {
          Type: 'AWS::SSM::Document',
          Properties: {
            DocumentType: 'Session',
            Content: { inputs: { s3BucketName: '', cloudWatchLogGroupName: 'x' } },
          },
        };
        // Not a Session document: its content is not Session Manager's preferences.
        t.detection.Resources.Command = {
          Type: 'AWS::SSM::Document',
          Properties: { DocumentType: 'Command', Content: { inputs: { s3BucketName: 'aws-waf-logs-app' } } },
        };
      }),
    ).toEqual([]);
  });

  test('U3 a delivery surely off as written names no bucket (CodeBuild DISABLED, MSK and Verified Access Enabled false, ECS Exec logging NONE or DEFAULT, Redshift to CloudWatch)', () => {
    const writers: Mutable[] = [
      {
        Type: 'AWS::CodeBuild::Project',
        Properties: { LogsConfig: { S3Logs: { Status: 'DISABLED', Location: 'off-logs/x' } } },
      },
      {
        Type: 'AWS::MSK::Cluster',
        Properties: { LoggingInfo: { BrokerLogs: { S3: { Enabled: false, Bucket: 'off-logs' } } } },
      },
      {
        Type: 'AWS::KafkaConnect::Connector',
        Properties: { LogDelivery: { WorkerLogDelivery: { S3: { Enabled: false, Bucket: 'off-logs' } } } },
      },
      {
        Type: 'AWS::EC2::VerifiedAccessInstance',
        Properties: { LoggingConfigurations: { S3: { Enabled: 'false', BucketName: 'off-logs' } } },
      },
      ...['NONE', 'DEFAULT'].map((Logging) => ({
        Type: 'AWS::ECS::Cluster',
        Properties: {
          Configuration: { ExecuteCommandConfiguration: { Logging, LogConfiguration: { S3BucketName: 'off-logs' } } },
        },
      })),
      {
        Type: 'AWS::Redshift::Cluster',
        Properties: { LoggingProperties: { LogDestinationType: 'cloudwatch', BucketName: 'off-logs' } },
      },
    ];
    const withWriter = (t: T, writer: Mutable, on: boolean): void => {
      t.audit.Resources.Named = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'off-logs' } };
      const text = JSON.stringify(writer.Properties);
      // On: the switch given as a parameter (deploy decides).
      const properties = on
        ? text.replace(/"(DISABLED|NONE|DEFAULT|cloudwatch|false)"|false/g, '{"Ref":"Switch"}')
        : text;
      t.detection.Resources.Writer = { Type: writer.Type, Properties: JSON.parse(properties) };
    };
    for (const writer of writers) {
      expect([writer.Type, findingsOf(LogDestinationsMarked, (t) => withWriter(t, writer, false))]).toEqual([
        writer.Type,
        [],
      ]);
      expect([writer.Type, findingsOf(LogDestinationsMarked, (t) => withWriter(t, writer, true))]).toEqual([
        writer.Type,
        ['[Named::unmarked] Named'],
      ]);
    }
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

describe('LogDestinationsMarked through a Firehose delivery stream', () => {
  /** WAF logs of the detection stack to a stream of the audit stack (exported), which delivers to WafLogs there. */
  const wafThroughStream = (metadata: Mutable) => (t: T) => {
    t.audit.Resources.WafLogs = { Type: 'AWS::S3::Bucket', Metadata: metadata, Properties: {} };
    t.audit.Resources.WafStream = {
      Type: 'AWS::KinesisFirehose::DeliveryStream',
      Properties: {
        DeliveryStreamName: 'aws-waf-logs-app',
        ExtendedS3DestinationConfiguration: { BucketARN: { 'Fn::GetAtt': ['WafLogs', 'Arn'] } },
      },
    };
    t.audit.Outputs = { ...t.audit.Outputs, WafStreamArn: { Value: { 'Fn::GetAtt': ['WafStream', 'Arn'] } } };
    t.detection.Resources.WafLogging = {
      Type: 'AWS::WAFv2::LoggingConfiguration',
      Properties: { LogDestinationConfigs: [gso('app-prod-audit', 'WafStreamArn')], ResourceArn: 'x' },
    };
  };

  test('U3 a bucket a stream of another stack delivers WAF logs to needs the marker', () => {
    expect(findingsOf(LogDestinationsMarked, wafThroughStream({}))).toEqual(['[WafLogs::unmarked] WafLogs']);
    expect(findingsOf(LogDestinationsMarked, wafThroughStream(MARKER))).toEqual([]);
  });
});
