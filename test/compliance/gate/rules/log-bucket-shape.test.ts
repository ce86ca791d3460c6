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
