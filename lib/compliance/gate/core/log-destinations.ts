/**
 * What writes logs into S3, read from a template entry: the one list of log writers that the per-template log bucket
 * shape (rules/log-bucket-shape) and the assembly rule following writers across stacks (LogDestinationsMarked) share.
 * Pure: no CDK.
 */
import { isIntrinsic, isObject, Json } from './template-json';

/**
 * The values of a resource (its type and properties) that name a bucket it delivers logs to, each with the property
 * it is in: another bucket's server access logging (LoggingConfiguration.DestinationBucketName), a CloudTrail trail's
 * and an AWS Config delivery channel's S3BucketName, an application or network load balancer's access, connection and
 * health check logs (LoadBalancerAttributes `*.s3.bucket`), a classic load balancer's AccessLoggingPolicy.S3BucketName,
 * a VPC flow log's LogDestination (whatever its LogDestinationType says: a type a condition chooses may be s3; a log
 * group names no bucket) and a CloudFront distribution's Logging.Bucket (a bucket domain name). Fail closed: where
 * only deploy resolves the shape (an intrinsic in place of the logging block or of the attribute list), the value is
 * given whole, and a bucket named anywhere inside it counts.
 */
export function logDestinationValues(type: unknown, p: Json): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const nested = (property: string, block: unknown, key: string): void => {
    if (block === undefined) return;
    out.push(isObject(block) && !isIntrinsic(block) ? [`${property}.${key}`, block[key]] : [property, block]);
  };
  switch (type) {
    case 'AWS::S3::Bucket':
      nested('LoggingConfiguration', p.LoggingConfiguration, 'DestinationBucketName');
      break;
    case 'AWS::CloudTrail::Trail':
    case 'AWS::Config::DeliveryChannel':
      out.push(['S3BucketName', p.S3BucketName]);
      break;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
    case 'AWS::ElasticLoadBalancing::LoadBalancer': {
      const attributes = p.LoadBalancerAttributes;
      if (attributes !== undefined && !Array.isArray(attributes)) out.push(['LoadBalancerAttributes', attributes]);
      for (const a of Array.isArray(attributes) ? attributes : []) {
        // An entry only deploy resolves (a condition choosing it) may name a log bucket: given whole.
        if (!isObject(a) || typeof a.Key !== 'string') out.push(['LoadBalancerAttributes', a]);
        else if (a.Key.endsWith('.s3.bucket')) out.push([a.Key, a.Value]);
      }
      nested('AccessLoggingPolicy', p.AccessLoggingPolicy, 'S3BucketName'); // classic load balancer
      break;
    }
    case 'AWS::EC2::FlowLog':
      if (p.LogDestination !== undefined) out.push(['LogDestination', p.LogDestination]);
      break;
    case 'AWS::CloudFront::Distribution': {
      const config = p.DistributionConfig;
      if (isObject(config) && !isIntrinsic(config)) nested('DistributionConfig.Logging', config.Logging, 'Bucket');
      else if (config !== undefined) out.push(['DistributionConfig', config]);
      break;
    }
  }
  return out;
}

/**
 * The replication destinations of a bucket (ReplicationConfiguration.Rules[].Destination.Bucket, bucket ARNs): a copy
 * of a log bucket holds the same logs, and is held to the same retention. A rule list only deploy resolves is given
 * whole.
 */
export function replicationDestinationValues(p: Json): Array<[string, unknown]> {
  const config = p.ReplicationConfiguration;
  if (config === undefined) return [];
  if (!isObject(config) || isIntrinsic(config)) return [['ReplicationConfiguration', config]];
  const rules = config.Rules;
  if (!Array.isArray(rules)) return rules === undefined ? [] : [['ReplicationConfiguration.Rules', rules]];
  return rules.map((rule): [string, unknown] =>
    isObject(rule) && !isIntrinsic(rule) && isObject(rule.Destination) && !isIntrinsic(rule.Destination)
      ? ['ReplicationConfiguration.Rules.Destination.Bucket', rule.Destination.Bucket]
      : ['ReplicationConfiguration.Rules', rule],
  );
}
