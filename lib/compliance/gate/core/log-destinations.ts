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

/*
 * The readers of one resource's properties, collecting into `out`. Module functions, not closures made per resource:
 * these run for every resource of every check, and the bundle (and tsx) keep function names (keepNames), which names
 * each closure as it is made (an Object.defineProperty per closure: most of LogDestinationsMarked's time).
 */

/** The value at `path` below `property`; where an intrinsic stands in the way, that value whole. */
function readAt(out: Found, property: string, value: unknown, path: readonly string[]): void {
  let here = value;
  let name = property;
  for (const key of path) {
    if (here === undefined) return;
    if (!isObject(here) || isIntrinsic(here)) break;
    here = here[key];
    name = `${name}.${key}`;
  }
  if (here !== undefined) out.push([name, here]);
}

/**
 * Whether the switch at `path` below `value` is surely off as written (false, 'false', or one of `offValues`): an
 * intrinsic, or a block only deploy resolves, may turn it on.
 */
function switchedOff(value: unknown, path: readonly string[], offValues: readonly string[] = []): boolean {
  let here = value;
  for (const key of path) {
    if (!isObject(here) || isIntrinsic(here)) return false;
    here = here[key];
  }
  return here === false || here === 'false' || (typeof here === 'string' && offValues.includes(here));
}

/** Each entry of a list property (`visit`), or the value whole where it is not a list (an intrinsic). */
function readEach(out: Found, property: string, list: unknown, visit: (entry: unknown) => void): void {
  if (list === undefined) return;
  if (Array.isArray(list)) list.forEach(visit);
  else out.push([property, list]);
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
  readDeliveries(S3_DELIVERIES, type, p, out);
  switch (type) {
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
    case 'AWS::ElasticLoadBalancing::LoadBalancer': {
      const attributes = p.LoadBalancerAttributes;
      if (attributes !== undefined && !Array.isArray(attributes)) out.push(['LoadBalancerAttributes', attributes]);
      for (const a of Array.isArray(attributes) ? attributes : []) {
        // An entry only deploy resolves (a condition choosing it) may name a log bucket: given whole.
        if (!isObject(a) || typeof a.Key !== 'string') out.push(['LoadBalancerAttributes', a]);
        else if (a.Key.endsWith('.s3.bucket')) out.push([a.Key, a.Value]);
      }
      break;
    }
    case 'AWS::NetworkFirewall::LoggingConfiguration':
      networkFirewallDestinations(p, 'bucketName', out);
      break;
    case 'AWS::SSM::Document':
      // Session Manager's preferences: a Session document (a document only deploy resolves may be one).
      if (p.DocumentType === 'Session' || isIntrinsic(p.DocumentType))
        readAt(out, 'Content', sessionContent(p.Content), ['inputs', 's3BucketName']);
      break;
    case 'AWS::ECS::TaskDefinition':
      // A container's FireLens log router with the S3 output plugin (Options.bucket).
      for (const options of fireLensOptions(p))
        readAt(out, 'ContainerDefinitions.LogConfiguration.Options', options, ['bucket']);
      break;
  }
  return out;
}

/**
 * Where a writer names a destination: `property` and the `path` below it, in each entry where `list` (an entry, or
 * the list, only deploy resolves: given whole); not where the switch at `off.path` below `property` is surely off as
 * written (false, 'false' or one of `off.values`).
 */
interface Delivery {
  readonly property: string;
  readonly path: readonly string[];
  readonly list?: boolean;
  readonly off?: { readonly path: readonly string[]; readonly values?: readonly string[] };
}

/** The S3 destinations of the writers whose shape is a property path (the others: logDestinationValues's switch). */
const S3_DELIVERIES: Readonly<Record<string, readonly Delivery[]>> = {
  'AWS::S3::Bucket': [{ property: 'LoggingConfiguration', path: ['DestinationBucketName'] }],
  'AWS::CloudTrail::Trail': [{ property: 'S3BucketName', path: [] }],
  'AWS::Config::DeliveryChannel': [{ property: 'S3BucketName', path: [] }],
  // A classic load balancer's (the attributes of both kinds: logDestinationValues).
  'AWS::ElasticLoadBalancing::LoadBalancer': [{ property: 'AccessLoggingPolicy', path: ['S3BucketName'] }],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [{ property: 'AccessLoggingPolicy', path: ['S3BucketName'] }],
  'AWS::EC2::FlowLog': [{ property: 'LogDestination', path: [] }],
  'AWS::CloudFront::Distribution': [{ property: 'DistributionConfig', path: ['Logging', 'Bucket'] }],
  'AWS::WAFv2::LoggingConfiguration': [{ property: 'LogDestinationConfigs', path: [], list: true }],
  'AWS::Route53Resolver::ResolverQueryLoggingConfig': [{ property: 'DestinationArn', path: [] }],
  'AWS::VpcLattice::AccessLogSubscription': [{ property: 'DestinationArn', path: [] }],
  'AWS::Logs::DeliveryDestination': [{ property: 'DestinationResourceArn', path: [] }],
  // Audit logs to CloudWatch Logs name no bucket (a BucketName left beside it is not written to).
  'AWS::Redshift::Cluster': [
    {
      property: 'LoggingProperties',
      path: ['BucketName'],
      off: { path: ['LogDestinationType'], values: ['cloudwatch'] },
    },
  ],
  'AWS::MSK::Cluster': [
    { property: 'LoggingInfo', path: ['BrokerLogs', 'S3', 'Bucket'], off: { path: ['BrokerLogs', 'S3', 'Enabled'] } },
  ],
  // ECS Exec writes to the configured bucket only with Logging OVERRIDE (DEFAULT uses the task's awslogs, NONE none).
  'AWS::ECS::Cluster': [
    {
      property: 'Configuration',
      path: ['ExecuteCommandConfiguration', 'LogConfiguration', 'S3BucketName'],
      off: { path: ['ExecuteCommandConfiguration', 'Logging'], values: ['NONE', 'DEFAULT'] },
    },
  ],
  'AWS::EMR::Cluster': [{ property: 'LogUri', path: [] }],
  'AWS::CodeBuild::Project': [
    { property: 'LogsConfig', path: ['S3Logs', 'Location'], off: { path: ['S3Logs', 'Status'], values: ['DISABLED'] } },
  ],
  'AWS::ImageBuilder::InfrastructureConfiguration': [{ property: 'Logging', path: ['S3Logs', 'S3BucketName'] }],
  'AWS::SSM::Association': [{ property: 'OutputLocation', path: ['S3Location', 'OutputS3BucketName'] }],
  'AWS::Cognito::LogDeliveryConfiguration': [
    { property: 'LogConfigurations', path: ['S3Configuration', 'BucketArn'], list: true },
  ],
  'AWS::Pipes::Pipe': [{ property: 'LogConfiguration', path: ['S3LogDestination', 'BucketName'] }],
  'AWS::EC2::VerifiedAccessInstance': [
    { property: 'LoggingConfigurations', path: ['S3', 'BucketName'], off: { path: ['S3', 'Enabled'] } },
  ],
  'AWS::KafkaConnect::Connector': [
    {
      property: 'LogDelivery',
      path: ['WorkerLogDelivery', 'S3', 'Bucket'],
      off: { path: ['WorkerLogDelivery', 'S3', 'Enabled'] },
    },
  ],
  'AWS::EMRServerless::Application': [
    { property: 'MonitoringConfiguration', path: ['S3MonitoringConfiguration', 'LogUri'] },
  ],
  'AWS::SSM::MaintenanceWindowTask': [{ property: 'LoggingInfo', path: ['S3Bucket'] }],
};

/** The Firehose streams of the writers whose shape is a property path (the others: logStreamValues's switch). */
const STREAM_DELIVERIES: Readonly<Record<string, readonly Delivery[]>> = {
  'AWS::Logs::SubscriptionFilter': [{ property: 'DestinationArn', path: [] }],
  'AWS::MSK::Cluster': [
    {
      property: 'LoggingInfo',
      path: ['BrokerLogs', 'Firehose', 'DeliveryStream'],
      off: { path: ['BrokerLogs', 'Firehose', 'Enabled'] },
    },
  ],
  'AWS::KafkaConnect::Connector': [
    {
      property: 'LogDelivery',
      path: ['WorkerLogDelivery', 'Firehose', 'DeliveryStream'],
      off: { path: ['WorkerLogDelivery', 'Firehose', 'Enabled'] },
    },
  ],
  'AWS::EC2::VerifiedAccessInstance': [
    {
      property: 'LoggingConfigurations',
      path: ['KinesisDataFirehose', 'DeliveryStream'],
      off: { path: ['KinesisDataFirehose', 'Enabled'] },
    },
  ],
  'AWS::Cognito::LogDeliveryConfiguration': [
    { property: 'LogConfigurations', path: ['FirehoseConfiguration', 'StreamArn'], list: true },
  ],
  'AWS::Pipes::Pipe': [{ property: 'LogConfiguration', path: ['FirehoseLogDestination', 'DeliveryStreamArn'] }],
};

/** The destinations `table` says a resource of `type` names (see Delivery), into `out`. */
function readDeliveries(
  table: Readonly<Record<string, readonly Delivery[]>>,
  type: unknown,
  p: Json,
  out: Found,
): void {
  for (const d of typeof type === 'string' && Object.hasOwn(table, type) ? table[type]! : []) {
    const value = p[d.property];
    if (d.off !== undefined && switchedOff(value, d.off.path, d.off.values)) continue;
    if (d.list) readEach(out, d.property, value, (entry) => readAt(out, d.property, entry, d.path));
    else readAt(out, d.property, value, d.path);
  }
}

/**
 * A Network Firewall's log destinations (LoggingConfiguration.LogDestinationConfigs[].LogDestination.`key`: a
 * bucketName or a deliveryStream); a configuration only deploy resolves is given whole.
 */
function networkFirewallDestinations(p: Json, key: string, out: Found): void {
  const property = 'LoggingConfiguration.LogDestinationConfigs';
  const config = p.LoggingConfiguration;
  if (config !== undefined && (!isObject(config) || isIntrinsic(config))) out.push(['LoggingConfiguration', config]);
  else
    readEach(out, property, config?.LogDestinationConfigs, (entry) =>
      readAt(out, property, entry, ['LogDestination', key]),
    );
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
  readDeliveries(STREAM_DELIVERIES, type, p, out);
  switch (type) {
    case 'AWS::WAFv2::LoggingConfiguration':
    case 'AWS::Route53Resolver::ResolverQueryLoggingConfig':
    case 'AWS::VpcLattice::AccessLogSubscription':
    case 'AWS::Logs::DeliveryDestination':
    case 'AWS::EC2::FlowLog':
      // The properties whose S3 destinations logDestinationValues reads: an ARN there may be a stream's.
      out.push(...logDestinationValues(type, p));
      break;
    case 'AWS::NetworkFirewall::LoggingConfiguration':
      networkFirewallDestinations(p, 'deliveryStream', out);
      break;
    case 'AWS::ECS::TaskDefinition':
      for (const options of fireLensOptions(p)) {
        readAt(out, 'ContainerDefinitions.LogConfiguration.Options', options, ['delivery_stream']);
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
