/**
 * What writes logs into S3, read from a template entry: the one list of log writers that the per-template log bucket
 * shape (rules/log-bucket-shape) and the assembly rule following writers across stacks (LogDestinationsMarked) share.
 * Pure: no CDK.
 */
import { KINESIS_STREAMS, LOGS_DESTINATIONS, resourcesNamed, STREAMS, STREAMS_BY_NAME } from './bucket-names';
import {
  assemblyResources,
  AssemblyStack,
  isIntrinsic,
  isObject,
  Json,
  JsonResource,
  StackResource,
} from './template-json';

/** What a writer's reader collects: (property path, value) pairs. */
type Found = Array<[string, unknown]>;

/** The readers of one resource's properties, collecting into `out`. */
function readers(out: Found): {
  at: (property: string, value: unknown, path: readonly string[]) => void;
  off: (value: unknown, path: readonly string[], offValues?: readonly string[]) => boolean;
  each: (property: string, list: unknown, visit: (entry: unknown) => void) => void;
} {
  return {
    /** The value at `path` below `property`; where an intrinsic stands in the way, that value whole. */
    at: (property, value, path) => {
      let here = value;
      let name = property;
      for (const key of path) {
        if (here === undefined) return;
        if (!isObject(here) || isIntrinsic(here)) break;
        here = here[key];
        name = `${name}.${key}`;
      }
      if (here !== undefined) out.push([name, here]);
    },
    /**
     * Whether the switch at `path` below `value` is surely off as written (false, 'false', or one of `offValues`): an
     * intrinsic, or a block only deploy resolves, may turn it on.
     */
    off: (value, path, offValues = []) => {
      let here = value;
      for (const key of path) {
        if (!isObject(here) || isIntrinsic(here)) return false;
        here = here[key];
      }
      return here === false || here === 'false' || (typeof here === 'string' && offValues.includes(here));
    },
    /** Each entry of a list property (`visit`), or the value whole where it is not a list (an intrinsic). */
    each: (property, list, visit) => {
      if (list === undefined) return;
      if (Array.isArray(list)) list.forEach(visit);
      else out.push([property, list]);
    },
  };
}

/**
 * The values of a resource (its type and properties) that name a bucket it delivers logs to, each with the property
 * it is in: another bucket's server access logging (LoggingConfiguration.DestinationBucketName), a CloudTrail trail's
 * and an AWS Config delivery channel's S3BucketName, an application or network load balancer's access, connection and
 * health check logs (LoadBalancerAttributes `*.s3.bucket`), a classic load balancer's AccessLoggingPolicy.S3BucketName,
 * a VPC flow log's LogDestination (whatever its LogDestinationType says: a type a condition chooses may be s3; a log
 * group names no bucket), a CloudFront distribution's Logging.Bucket (a bucket domain name), and the writers a fork
 * may add: a WAF web ACL's logging configuration (LogDestinationConfigs), a Network Firewall's logs
 * (LogDestinationConfigs[].LogDestination.bucketName), Route 53 Resolver query logs and VPC Lattice access logs
 * (DestinationArn), a CloudWatch Logs delivery destination (vended logs: DestinationResourceArn), Redshift audit logs
 * (LoggingProperties.BucketName), MSK broker logs (LoggingInfo.BrokerLogs.S3.Bucket), ECS Exec session logs
 * (Configuration.ExecuteCommandConfiguration.LogConfiguration.S3BucketName), Session Manager session logs (a Session
 * document's inputs.s3BucketName), EMR cluster logs (LogUri), CodeBuild build logs (LogsConfig.S3Logs.Location),
 * Cognito user pool logs (LogConfigurations[].S3Configuration.BucketArn), EventBridge Pipes logs
 * (LogConfiguration.S3LogDestination.BucketName), Verified Access logs (LoggingConfigurations.S3.BucketName), MSK
 * Connect worker logs (LogDelivery.WorkerLogDelivery.S3.Bucket), EMR Serverless logs
 * (MonitoringConfiguration.S3MonitoringConfiguration.LogUri), maintenance window task logs (LoggingInfo.S3Bucket), Image
 * Builder logs (Logging.S3Logs.S3BucketName) and State Manager association output
 * (OutputLocation.S3Location.OutputS3BucketName). A switch surely off as written (CodeBuild's S3 logs DISABLED, an
 * S3 log delivery Enabled false, ECS Exec logging NONE or DEFAULT, Redshift audit logs to CloudWatch) names no
 * destination. A
 * value that names a log group or a delivery stream names no bucket. Fail closed: where only deploy resolves the shape
 * (an intrinsic in place of the logging block, a list or a document), the value is given whole, and a bucket named
 * anywhere inside it counts.
 */
export function logDestinationValues(type: unknown, p: Json): Found {
  const out: Found = [];
  const { at, off, each } = readers(out);
  switch (type) {
    case 'AWS::S3::Bucket':
      at('LoggingConfiguration', p.LoggingConfiguration, ['DestinationBucketName']);
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
      at('AccessLoggingPolicy', p.AccessLoggingPolicy, ['S3BucketName']); // classic load balancer
      break;
    }
    case 'AWS::EC2::FlowLog':
      if (p.LogDestination !== undefined) out.push(['LogDestination', p.LogDestination]);
      break;
    case 'AWS::CloudFront::Distribution':
      at('DistributionConfig', p.DistributionConfig, ['Logging', 'Bucket']);
      break;
    case 'AWS::WAFv2::LoggingConfiguration':
      each('LogDestinationConfigs', p.LogDestinationConfigs, (arn) => at('LogDestinationConfigs', arn, []));
      break;
    case 'AWS::NetworkFirewall::LoggingConfiguration': {
      const property = 'LoggingConfiguration.LogDestinationConfigs';
      const config = p.LoggingConfiguration;
      if (config !== undefined && (!isObject(config) || isIntrinsic(config)))
        out.push(['LoggingConfiguration', config]);
      else
        each(property, config?.LogDestinationConfigs, (entry) => at(property, entry, ['LogDestination', 'bucketName']));
      break;
    }
    case 'AWS::Route53Resolver::ResolverQueryLoggingConfig':
    case 'AWS::VpcLattice::AccessLogSubscription':
      at('DestinationArn', p.DestinationArn, []);
      break;
    case 'AWS::Logs::DeliveryDestination':
      at('DestinationResourceArn', p.DestinationResourceArn, []);
      break;
    case 'AWS::Redshift::Cluster':
      // Audit logs to CloudWatch Logs name no bucket (a BucketName left beside it is not written to).
      if (!off(p.LoggingProperties, ['LogDestinationType'], ['cloudwatch']))
        at('LoggingProperties', p.LoggingProperties, ['BucketName']);
      break;
    case 'AWS::MSK::Cluster':
      if (!off(p.LoggingInfo, ['BrokerLogs', 'S3', 'Enabled']))
        at('LoggingInfo', p.LoggingInfo, ['BrokerLogs', 'S3', 'Bucket']);
      break;
    case 'AWS::ECS::Cluster':
      // ECS Exec writes to the configured bucket only with Logging OVERRIDE (DEFAULT uses the task's awslogs, NONE none).
      if (!off(p.Configuration, ['ExecuteCommandConfiguration', 'Logging'], ['NONE', 'DEFAULT']))
        at('Configuration', p.Configuration, ['ExecuteCommandConfiguration', 'LogConfiguration', 'S3BucketName']);
      break;
    case 'AWS::SSM::Document':
      // Session Manager's preferences: a Session document (a document only deploy resolves may be one).
      if (p.DocumentType === 'Session' || isIntrinsic(p.DocumentType))
        at('Content', sessionContent(p.Content), ['inputs', 's3BucketName']);
      break;
    case 'AWS::EMR::Cluster':
      at('LogUri', p.LogUri, []);
      break;
    case 'AWS::CodeBuild::Project':
      if (!off(p.LogsConfig, ['S3Logs', 'Status'], ['DISABLED']))
        at('LogsConfig', p.LogsConfig, ['S3Logs', 'Location']);
      break;
    case 'AWS::ImageBuilder::InfrastructureConfiguration':
      at('Logging', p.Logging, ['S3Logs', 'S3BucketName']);
      break;
    case 'AWS::SSM::Association':
      at('OutputLocation', p.OutputLocation, ['S3Location', 'OutputS3BucketName']);
      break;
    case 'AWS::Cognito::LogDeliveryConfiguration':
      each('LogConfigurations', p.LogConfigurations, (entry) =>
        at('LogConfigurations', entry, ['S3Configuration', 'BucketArn']),
      );
      break;
    case 'AWS::Pipes::Pipe':
      at('LogConfiguration', p.LogConfiguration, ['S3LogDestination', 'BucketName']);
      break;
    case 'AWS::EC2::VerifiedAccessInstance':
      if (!off(p.LoggingConfigurations, ['S3', 'Enabled']))
        at('LoggingConfigurations', p.LoggingConfigurations, ['S3', 'BucketName']);
      break;
    case 'AWS::KafkaConnect::Connector':
      if (!off(p.LogDelivery, ['WorkerLogDelivery', 'S3', 'Enabled']))
        at('LogDelivery', p.LogDelivery, ['WorkerLogDelivery', 'S3', 'Bucket']);
      break;
    case 'AWS::EMRServerless::Application':
      at('MonitoringConfiguration', p.MonitoringConfiguration, ['S3MonitoringConfiguration', 'LogUri']);
      break;
    case 'AWS::SSM::MaintenanceWindowTask':
      at('LoggingInfo', p.LoggingInfo, ['S3Bucket']);
      break;
    case 'AWS::ECS::TaskDefinition':
      // A container's FireLens log router with the S3 output plugin (Options.bucket).
      for (const options of fireLensOptions(p))
        at('ContainerDefinitions.LogConfiguration.Options', options, ['bucket']);
      break;
  }
  return out;
}

/**
 * The Options of every container of a task definition whose logs go through FireLens (LogDriver awsfirelens, or one
 * only deploy resolves); a container list or log configuration only deploy resolves is given whole.
 */
function fireLensOptions(p: Json): unknown[] {
  const containers = p.ContainerDefinitions;
  if (containers === undefined) return [];
  if (!Array.isArray(containers)) return [containers];
  return containers.flatMap((c) => {
    if (!isObject(c) || isIntrinsic(c)) return [c];
    const config = c.LogConfiguration;
    if (config === undefined) return [];
    if (!isObject(config) || isIntrinsic(config)) return [config];
    const driver = config.LogDriver;
    if (driver !== 'awsfirelens' && !isIntrinsic(driver)) return [];
    return config.Options === undefined ? [] : [config.Options];
  });
}

/**
 * The values of a resource that name a Firehose delivery stream it sends logs to: a WAF web ACL's logging, Route 53
 * Resolver query logs, VPC Lattice access logs, a CloudWatch Logs delivery destination, a flow log (the same properties
 * as their S3 destinations: an ARN may name either), a log group's subscription filter (DestinationArn), a Network
 * Firewall's logs (LogDestination.deliveryStream), MSK broker logs, MSK Connect worker logs, Verified Access logs,
 * Cognito user pool logs, EventBridge Pipes logs, and a container's FireLens log router (Options.delivery_stream). A
 * delivery switched off as written names none. Where an intrinsic stands in the way, the value is given whole.
 */
export function logStreamValues(type: unknown, p: Json): Found {
  const out: Found = [];
  const { at, off, each } = readers(out);
  switch (type) {
    case 'AWS::WAFv2::LoggingConfiguration':
    case 'AWS::Route53Resolver::ResolverQueryLoggingConfig':
    case 'AWS::VpcLattice::AccessLogSubscription':
    case 'AWS::Logs::DeliveryDestination':
    case 'AWS::EC2::FlowLog':
      // The properties whose S3 destinations logDestinationValues reads: an ARN there may be a stream's.
      out.push(...logDestinationValues(type, p));
      break;
    case 'AWS::Logs::SubscriptionFilter':
      at('DestinationArn', p.DestinationArn, []);
      break;
    case 'AWS::NetworkFirewall::LoggingConfiguration': {
      const config = p.LoggingConfiguration;
      if (config !== undefined && (!isObject(config) || isIntrinsic(config)))
        out.push(['LoggingConfiguration', config]);
      else
        each('LoggingConfiguration.LogDestinationConfigs', config?.LogDestinationConfigs, (entry) =>
          at('LoggingConfiguration.LogDestinationConfigs', entry, ['LogDestination', 'deliveryStream']),
        );
      break;
    }
    case 'AWS::MSK::Cluster':
      if (!off(p.LoggingInfo, ['BrokerLogs', 'Firehose', 'Enabled']))
        at('LoggingInfo', p.LoggingInfo, ['BrokerLogs', 'Firehose', 'DeliveryStream']);
      break;
    case 'AWS::KafkaConnect::Connector':
      if (!off(p.LogDelivery, ['WorkerLogDelivery', 'Firehose', 'Enabled']))
        at('LogDelivery', p.LogDelivery, ['WorkerLogDelivery', 'Firehose', 'DeliveryStream']);
      break;
    case 'AWS::EC2::VerifiedAccessInstance':
      if (!off(p.LoggingConfigurations, ['KinesisDataFirehose', 'Enabled']))
        at('LoggingConfigurations', p.LoggingConfigurations, ['KinesisDataFirehose', 'DeliveryStream']);
      break;
    case 'AWS::Cognito::LogDeliveryConfiguration':
      each('LogConfigurations', p.LogConfigurations, (entry) =>
        at('LogConfigurations', entry, ['FirehoseConfiguration', 'StreamArn']),
      );
      break;
    case 'AWS::Pipes::Pipe':
      at('LogConfiguration', p.LogConfiguration, ['FirehoseLogDestination', 'DeliveryStreamArn']);
      break;
    case 'AWS::ECS::TaskDefinition':
      for (const options of fireLensOptions(p)) {
        at('ContainerDefinitions.LogConfiguration.Options', options, ['delivery_stream']);
      }
      break;
  }
  return out;
}

/**
 * The buckets a Firehose delivery stream writes to: every `BucketARN` in its properties (the S3 and extended S3
 * destinations, their backup, and the S3 configuration every other destination type keeps for failed or all records),
 * also in a condition's branches.
 */
export function streamBucketValues(p: Json): Found {
  const out: Found = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, path));
    else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const here = k.startsWith('Fn::') ? path : path === '' ? k : `${path}.${k}`;
        if (k === 'BucketARN') out.push([here, v]);
        else walk(v, here);
      }
    }
  };
  walk(p, '');
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

/**
 * A Session document's content as an object: CloudFormation takes it as an object or as a JSON or YAML string. A JSON
 * string is parsed; a YAML string is not parsed here: every plain or quoted value written after an `s3BucketName` key
 * anywhere in it (block or flow style, in a comment or a description too: more names only add findings) is read as the
 * document's bucket, a list of them. Not read: a value behind an anchor, a tag or a folded scalar, an escaped key or
 * value (README, Not enforced here).
 */
function sessionContent(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    const names = [...content.matchAll(/s3BucketName['"]?\s*:\s*['"]?([A-Za-z0-9.\-_]+)/g)].map((m) => m[1]);
    return { inputs: { s3BucketName: names } };
  }
}

/**
 * The Firehose delivery streams a log writer's value (of `from`) sends to: a stream it names (by ARN or reference; by
 * name too where the property takes a stream's name), the streams a CloudWatch Logs destination it names targets, and
 * the streams reading from a Kinesis data stream it names (KinesisStreamSourceConfiguration).
 */
function logStreamsReached(
  value: unknown,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
  byName: boolean,
): StackResource[] {
  const out = new Map<string, StackResource>();
  const key = (r: StackResource): string => `${r.stack.stackName}/${r.stack.file}/${r.logicalId}`;
  const add = (r: StackResource): void => void out.set(key(r), r);
  // Destinations reached, each followed once (a destination may target another, or itself).
  const visited = new Set<string>();
  const pending: Array<{ value: unknown; from: AssemblyStack; byName: boolean }> = [{ value, from, byName }];
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    for (const s of resourcesNamed(next.value, next.from, stacks, next.byName ? STREAMS_BY_NAME : STREAMS)) add(s);
    for (const d of resourcesNamed(next.value, next.from, stacks, LOGS_DESTINATIONS)) {
      if (visited.has(key(d))) continue;
      visited.add(key(d));
      pending.push({ value: d.resource.Properties?.TargetArn, from: d.stack, byName: false });
    }
    const kinesis = new Set(resourcesNamed(next.value, next.from, stacks, KINESIS_STREAMS).map(key));
    if (kinesis.size === 0) continue;
    for (const stream of assemblyResources(stacks, STREAMS.type)) {
      const source = stream.resource.Properties?.KinesisStreamSourceConfiguration;
      const arn = isObject(source) && !isIntrinsic(source) ? source.KinesisStreamARN : source;
      if (arn === undefined) continue;
      if (resourcesNamed(arn, stream.stack, stacks, KINESIS_STREAMS).some((k) => kinesis.has(key(k)))) add(stream);
    }
  }
  return [...out.values()];
}

/**
 * Every value naming a bucket `writer` (of `stack`) delivers logs to, with the property it is in and the stack whose
 * template the value is read in: its S3 destinations (logDestinationValues), and the buckets of every Firehose delivery
 * stream it sends logs to (logStreamValues, followed through CloudWatch Logs destinations and Kinesis data streams).
 * The one reader of deliveries for the log bucket shape (one template) and LogDestinationsMarked (the assembly).
 */
export function logDeliveries(
  stack: AssemblyStack,
  writer: JsonResource,
  stacks: readonly AssemblyStack[],
): Array<[string, unknown, AssemblyStack]> {
  const p = isObject(writer.Properties) ? writer.Properties : {};
  const out = logDestinationValues(writer.Type, p).map(([k, v]): [string, unknown, AssemblyStack] => [k, v, stack]);
  for (const [property, value] of logStreamValues(writer.Type, p)) {
    const byName = /(?:deliveryStream|DeliveryStream|delivery_stream)$/.test(property);
    for (const s of logStreamsReached(value, stack, stacks, byName)) {
      const sp = isObject(s.resource.Properties) ? s.resource.Properties : {};
      for (const [where, bucket] of streamBucketValues(sp)) {
        out.push([
          `${property} through the delivery stream ${s.logicalId} of ${s.stack.stackName}, ${where}`,
          bucket,
          s.stack,
        ]);
      }
    }
  }
  return out;
}
