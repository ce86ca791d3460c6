import { JsonResource, TemplateJson } from '../../../../lib/compliance/gate/core/template-json';
import { logBucketIds } from '../../../../lib/compliance/gate/rules/log-bucket-shape';

const bucket = (props: Record<string, unknown> = {}) => ({ Type: 'AWS::S3::Bucket', Properties: props });
/** A bucket policy statement letting AWS Config write. */
const GRANT = {
  Effect: 'Allow',
  Principal: { Service: 'config.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: '*',
};
/** A template with buckets Logs (named app-prod-logs) and Other, and `writer`. */
const withWriter = (writer: JsonResource): TemplateJson => ({
  Resources: { Logs: bucket({ BucketName: 'app-prod-logs' }), Other: bucket(), Writer: writer },
});

describe('logBucketIds: the buckets a template delivers logs to', () => {
  test.each<[string, JsonResource]>([
    ['a bucket s access logs (Ref)', bucket({ LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' } } })],
    [
      'a bucket s access logs (literal name)',
      bucket({ LoggingConfiguration: { DestinationBucketName: 'app-prod-logs' } }),
    ],
    ['a trail (Ref)', { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: { Ref: 'Logs' } } }],
    [
      'a trail (chosen by a condition)',
      { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: { 'Fn::If': ['C', { Ref: 'Logs' }, 'x'] } } },
    ],
    [
      'a load balancer (access_logs.s3.bucket)',
      {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { LoadBalancerAttributes: [{ Key: 'access_logs.s3.bucket', Value: 'app-prod-logs' }] },
      },
    ],
    [
      'a Config delivery channel',
      { Type: 'AWS::Config::DeliveryChannel', Properties: { S3BucketName: { Ref: 'Logs' } } },
    ],
    [
      'a flow log (literal ARN with a prefix)',
      { Type: 'AWS::EC2::FlowLog', Properties: { LogDestination: 'arn:aws:s3:::app-prod-logs/flow/' } },
    ],
    [
      'a flow log (Fn::GetAtt Arn)',
      { Type: 'AWS::EC2::FlowLog', Properties: { LogDestination: { 'Fn::GetAtt': ['Logs', 'Arn'] } } },
    ],
    [
      'a CloudFront distribution (its domain name)',
      {
        Type: 'AWS::CloudFront::Distribution',
        Properties: { DistributionConfig: { Logging: { Bucket: { 'Fn::GetAtt': ['Logs', 'RegionalDomainName'] } } } },
      },
    ],
    [
      'a WAF web ACL logging configuration (Fn::GetAtt Arn)',
      {
        Type: 'AWS::WAFv2::LoggingConfiguration',
        Properties: { LogDestinationConfigs: [{ 'Fn::GetAtt': ['Logs', 'Arn'] }] },
      },
    ],
    [
      'ECS Exec session logging (Ref)',
      {
        Type: 'AWS::ECS::Cluster',
        Properties: {
          Configuration: { ExecuteCommandConfiguration: { LogConfiguration: { S3BucketName: { Ref: 'Logs' } } } },
        },
      },
    ],
    [
      'an EMR cluster (an s3:// URI joined from the bucket)',
      { Type: 'AWS::EMR::Cluster', Properties: { LogUri: { 'Fn::Join': ['', ['s3://', { Ref: 'Logs' }, '/emr/']] } } },
    ],
    [
      'a CodeBuild project (a literal name with a prefix)',
      {
        Type: 'AWS::CodeBuild::Project',
        Properties: { LogsConfig: { S3Logs: { Status: 'ENABLED', Location: 'app-prod-logs/builds' } } },
      },
    ],
    [
      'AWS Config of another stack (its bucket policy lets config.amazonaws.com write)',
      {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'Logs' },
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'config.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: '*',
              },
            ],
          },
        },
      },
    ],
    [
      'flow logs of another stack (a grant to delivery.logs.amazonaws.com whose Effect a condition chooses)',
      {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: 'app-prod-logs',
          PolicyDocument: {
            Statement: [
              {
                Effect: { 'Fn::If': ['C', 'Allow', 'Deny'] },
                Principal: { Service: ['delivery.logs.amazonaws.com'] },
                Action: 's3:PutObject',
                Resource: '*',
              },
            ],
          },
        },
      },
    ],
    [
      'a classic load balancer (AccessLoggingPolicy.S3BucketName)',
      {
        Type: 'AWS::ElasticLoadBalancing::LoadBalancer',
        Properties: { AccessLoggingPolicy: { Enabled: true, S3BucketName: 'app-prod-logs' } },
      },
    ],
    [
      'a bucket s access logs chosen by a condition',
      bucket({ LoggingConfiguration: { 'Fn::If': ['C', { DestinationBucketName: { Ref: 'Logs' } }, {}] } }),
    ],
    [
      'a log bucket (marked) replicating into it (an ARN joined from the partition)',
      {
        Type: 'AWS::S3::Bucket',
        Metadata: { 'HipaaBlueprint::LogBucket': { purpose: 'access-logs' } },
        Properties: {
          ReplicationConfiguration: {
            Role: 'arn:aws:iam::123456789012:role/replication',
            Rules: [
              {
                Status: 'Enabled',
                Destination: {
                  Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::app-prod-logs']] },
                },
              },
            ],
          },
        },
      },
    ],
    ...(
      [
        ['a grant whose statement a condition chooses', { 'Fn::If': ['C', GRANT, { Ref: 'AWS::NoValue' }] }],
        [
          'a grant whose service is joined at deploy',
          { ...GRANT, Principal: { Service: { 'Fn::Join': ['', ['config.', { Ref: 'AWS::URLSuffix' }]] } } },
        ],
        ['a grant spelling the service in another case', { ...GRANT, Principal: { Service: 'Config.amazonaws.com' } }],
        ['a grant to everyone (kept to the account by a condition)', { ...GRANT, Principal: '*' }],
        ['a grant to every AWS principal (a list)', { ...GRANT, Principal: { AWS: ['*'] } }],
        [
          'a grant to everyone but one principal (NotPrincipal)',
          { ...GRANT, Principal: undefined, NotPrincipal: { AWS: 'x' } },
        ],
      ] as [string, unknown][]
    ).map(([name, statement]): [string, JsonResource] => [
      name,
      {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { Bucket: { Ref: 'Logs' }, PolicyDocument: { Statement: [statement] } },
      },
    ]),
  ])('U3 a bucket written by %s is a log bucket', (_name, writer) => {
    expect([...logBucketIds(withWriter(writer))]).toEqual(['Logs']);
  });

  test('U3 a bucket the log delivery group may write to (LogDeliveryWrite, in any branch) is a log bucket', () => {
    const template = (acl: unknown): TemplateJson => ({
      Resources: { Logs: bucket({ AccessControl: acl }), Other: bucket() },
    });
    expect([...logBucketIds(template('LogDeliveryWrite'))]).toEqual(['Logs']);
    expect([...logBucketIds(template({ 'Fn::If': ['C', 'LogDeliveryWrite', 'Private'] }))]).toEqual(['Logs']);
    expect([...logBucketIds(template('Private'))]).toEqual([]);
  });

  test('U3 a replica of a log bucket found by its shape is one too (a chain); a replica of another bucket is not', () => {
    const replicating = (target: string, props: Record<string, unknown> = {}) =>
      bucket({
        ...props,
        ReplicationConfiguration: {
          Role: 'arn:aws:iam::123456789012:role/replication',
          Rules: [{ Status: 'Enabled', Destination: { Bucket: `arn:aws:s3:::${target}` } }],
        },
      });
    const template: TemplateJson = {
      Resources: {
        Copy2: bucket({ BucketName: 'copy-2' }),
        Copy1: replicating('copy-2', { BucketName: 'copy-1' }),
        Logs: replicating('copy-1', { BucketName: 'logs' }),
        Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: { Ref: 'Logs' } } },
        DataCopy: bucket({ BucketName: 'data-copy' }),
        Data: replicating('data-copy'),
      },
    };
    expect([...logBucketIds(template)].sort()).toEqual(['Copy1', 'Copy2', 'Logs']);
  });

  test('U3 a bucket nothing delivers logs to, or only a load balancer attribute other than a log bucket names, is not', () => {
    expect([...logBucketIds(withWriter({ Type: 'AWS::SNS::Topic' }))]).toEqual([]);
    // A policy denying a log service, or granting another service, says nothing of logs.
    const policy = (Effect: string, Service: string) => ({
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Logs' },
        PolicyDocument: { Statement: [{ Effect, Principal: { Service }, Action: 's3:PutObject', Resource: '*' }] },
      },
    });
    expect([...logBucketIds(withWriter(policy('Deny', 'logging.s3.amazonaws.com')))]).toEqual([]);
    expect([...logBucketIds(withWriter(policy('Allow', 'guardduty.amazonaws.com')))]).toEqual([]);
    const lb = {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { LoadBalancerAttributes: [{ Key: 'access_logs.s3.prefix', Value: 'app-prod-logs' }] },
    };
    expect([...logBucketIds(withWriter(lb))]).toEqual([]);
    expect([
      ...logBucketIds(withWriter(bucket({ LoggingConfiguration: { DestinationBucketName: 'elsewhere' } }))),
    ]).toEqual([]);
  });
});

describe('logBucketIds: logs sent through a Firehose delivery stream, or by a container’s FireLens router', () => {
  const STREAM = 'AWS::KinesisFirehose::DeliveryStream';
  /** A template with buckets Logs (app-prod-logs) and Other, a stream Stream (waf-logs) to `destination`, and `writer`. */
  const STREAM_ARN = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-app';
  const throughStream = (writer: JsonResource, destination: Record<string, unknown>): TemplateJson => ({
    Resources: {
      Logs: bucket({ BucketName: 'app-prod-logs' }),
      Other: bucket(),
      Stream: { Type: STREAM, Properties: { DeliveryStreamName: 'aws-waf-logs-app', ...destination } },
      Central: {
        Type: 'AWS::Logs::Destination',
        Properties: { DestinationName: 'central', TargetArn: { 'Fn::GetAtt': ['Stream', 'Arn'] } },
      },
      Kds: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'logs-in' } },
      Writer: writer,
    },
  });
  const extendedS3 = { ExtendedS3DestinationConfiguration: { BucketARN: { 'Fn::GetAtt': ['Logs', 'Arn'] } } };
  const waf = (arn: unknown): JsonResource => ({
    Type: 'AWS::WAFv2::LoggingConfiguration',
    Properties: { LogDestinationConfigs: [arn] },
  });
  const task = (logConfiguration: unknown): JsonResource => ({
    Type: 'AWS::ECS::TaskDefinition',
    Properties: { ContainerDefinitions: [{ Name: 'app', LogConfiguration: logConfiguration }] },
  });
  const fireLens = (options: Record<string, unknown>) => task({ LogDriver: 'awsfirelens', Options: options });

  test.each<[string, JsonResource, Record<string, unknown>]>([
    ['a WAF web ACL’s logging (the stream’s Fn::GetAtt Arn)', waf({ 'Fn::GetAtt': ['Stream', 'Arn'] }), extendedS3],
    [
      'a WAF web ACL’s logging (a literal stream ARN), to the backup bucket of a Splunk destination',
      waf('arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-app'),
      { SplunkDestinationConfiguration: { S3Configuration: { BucketARN: 'arn:aws:s3:::app-prod-logs' } } },
    ],
    [
      'a log group’s subscription filter',
      {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: { LogGroupName: 'g', FilterPattern: '', DestinationArn: { 'Fn::GetAtt': ['Stream', 'Arn'] } },
      },
      { S3DestinationConfiguration: { BucketARN: { 'Fn::GetAtt': ['Logs', 'Arn'] } } },
    ],
    [
      'a Network Firewall’s logs (the stream’s name)',
      {
        Type: 'AWS::NetworkFirewall::LoggingConfiguration',
        Properties: {
          LoggingConfiguration: {
            LogDestinationConfigs: [
              { LogDestinationType: 'KinesisDataFirehose', LogDestination: { deliveryStream: 'aws-waf-logs-app' } },
            ],
          },
        },
      },
      extendedS3,
    ],
    [
      'a flow log to a stream',
      {
        Type: 'AWS::EC2::FlowLog',
        Properties: {
          LogDestinationType: 'kinesis-data-firehose',
          LogDestination: { 'Fn::GetAtt': ['Stream', 'Arn'] },
        },
      },
      extendedS3,
    ],
    [
      'a container’s FireLens router to a stream (delivery_stream)',
      fireLens({ Name: 'firehose', delivery_stream: 'aws-waf-logs-app' }),
      extendedS3,
    ],
    ...(
      [
        [
          'Route 53 Resolver query logs',
          'AWS::Route53Resolver::ResolverQueryLoggingConfig',
          { DestinationArn: STREAM_ARN },
        ],
        ['VPC Lattice access logs', 'AWS::VpcLattice::AccessLogSubscription', { DestinationArn: STREAM_ARN }],
        ['a delivery destination', 'AWS::Logs::DeliveryDestination', { DestinationResourceArn: STREAM_ARN }],
        [
          'Cognito user pool logs',
          'AWS::Cognito::LogDeliveryConfiguration',
          { LogConfigurations: [{ FirehoseConfiguration: { StreamArn: STREAM_ARN } }] },
        ],
        [
          'EventBridge Pipes logs',
          'AWS::Pipes::Pipe',
          { LogConfiguration: { FirehoseLogDestination: { DeliveryStreamArn: STREAM_ARN } } },
        ],
        [
          'Verified Access logs (by name)',
          'AWS::EC2::VerifiedAccessInstance',
          { LoggingConfigurations: { KinesisDataFirehose: { Enabled: true, DeliveryStream: 'aws-waf-logs-app' } } },
        ],
        [
          'MSK Connect worker logs (by name)',
          'AWS::KafkaConnect::Connector',
          { LogDelivery: { WorkerLogDelivery: { Firehose: { Enabled: true, DeliveryStream: 'aws-waf-logs-app' } } } },
        ],
      ] as [string, string, Record<string, unknown>][]
    ).map(([name, Type, Properties]): [string, JsonResource, Record<string, unknown>] => [
      name,
      { Type, Properties },
      extendedS3,
    ]),
    [
      'a log group’s subscription filter to a CloudWatch Logs destination targeting the stream',
      {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: { DestinationArn: 'arn:aws:logs:us-east-1:123456789012:destination:central' },
      },
      extendedS3,
    ],
    [
      'a log group’s subscription filter to a Kinesis data stream the stream reads from',
      {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: { DestinationArn: { 'Fn::GetAtt': ['Kds', 'Arn'] } },
      },
      {
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: { 'Fn::GetAtt': ['Kds', 'Arn'] } },
        ...extendedS3,
      },
    ],
    [
      'a stream whose destination a condition chooses',
      waf({ 'Fn::GetAtt': ['Stream', 'Arn'] }),
      {
        ExtendedS3DestinationConfiguration: {
          'Fn::If': ['C', { BucketARN: 'arn:aws:s3:::app-prod-logs' }, { Ref: 'AWS::NoValue' }],
        },
      },
    ],
  ])('U3 a bucket a stream delivers to is a log bucket when %s sends to the stream', (_name, writer, destination) => {
    expect([...logBucketIds(throughStream(writer, destination))]).toEqual(['Logs']);
  });

  test('U3 a container’s FireLens router with the S3 output (Options.bucket) makes its bucket a log bucket', () => {
    expect([
      ...logBucketIds(withWriter(fireLens({ Name: 's3', bucket: 'app-prod-logs', region: 'us-east-1' }))),
    ]).toEqual(['Logs']);
    expect([...logBucketIds(withWriter(task({ LogDriver: 'awslogs', Options: { bucket: 'app-prod-logs' } })))]).toEqual(
      [],
    );
  });

  test('U3 a stream no log writer sends to, or a writer switched off, makes no log bucket', () => {
    expect([...logBucketIds(throughStream({ Type: 'AWS::SNS::Topic' }, extendedS3))]).toEqual([]);
    // An S3 ARN or a bare name where an ARN is expected names no stream, even one of that name.
    expect([...logBucketIds(throughStream(waf('arn:aws:s3:::aws-waf-logs-app'), extendedS3))]).toEqual([]);
    expect([...logBucketIds(throughStream(waf('aws-waf-logs-app'), extendedS3))]).toEqual([]);
    const msk = (enabled: unknown): JsonResource => ({
      Type: 'AWS::MSK::Cluster',
      Properties: {
        LoggingInfo: { BrokerLogs: { Firehose: { Enabled: enabled, DeliveryStream: 'aws-waf-logs-app' } } },
      },
    });
    expect([...logBucketIds(throughStream(msk(false), extendedS3))]).toEqual([]);
    // A CloudWatch Logs destination that targets itself is followed once.
    const looping: TemplateJson = {
      Resources: {
        Logs: bucket({ BucketName: 'app-prod-logs' }),
        Loop: {
          Type: 'AWS::Logs::Destination',
          Properties: { DestinationName: 'loop', TargetArn: 'arn:aws:logs:us-east-1:123456789012:destination:loop' },
        },
        Writer: {
          Type: 'AWS::Logs::SubscriptionFilter',
          Properties: { DestinationArn: 'arn:aws:logs:us-east-1:123456789012:destination:loop' },
        },
      },
    };
    expect([...logBucketIds(looping)]).toEqual([]);
    expect([...logBucketIds(throughStream(msk(true), extendedS3))]).toEqual(['Logs']);
  });
});
