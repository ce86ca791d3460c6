/**
 * Which buckets of an assembly a property value names: by Ref or Fn::GetAtt, across stacks (Fn::GetStackOutput,
 * Fn::ImportValue), inside Fn::Join, Fn::Sub, Fn::Select and each branch of a condition, and by literal name, S3 ARN
 * or bucket domain name. One reader for every rule that follows a value to a bucket (the log bucket shape, a template
 * on its own; LogDestinationsMarked and the replication rules, over the assembly). Pure: no CDK.
 */
import {
  assemblyResources,
  AssemblyStack,
  crossStackReference,
  isIntrinsic,
  isObject,
  memo,
  producerOf,
  sameEnvironment,
  REGION_NAME_PATTERN,
  resolveValue,
  StackResource,
  TemplateJson,
} from './template-json';
import { stringForms, UNKNOWN_PART } from './string-forms';

const BUCKET = 'AWS::S3::Bucket';

/** An S3 ARN's prefix: a literal partition, or the `<AWS::Partition>` of a flattened Fn::Join (flatten). */
export const S3_ARN_PREFIX = /^arn:(?:<AWS::Partition>|[a-z-]+):s3:::/;
/**
 * A bucket domain name's suffix: `.s3.amazonaws.com`, `.s3.<region>.amazonaws.com`, `.s3-<region>...`, dual-stack,
 * China's `.cn`, the region and URL suffix as pseudo parameters (a flattened Fn::Join).
 */
const S3_DOMAIN_SUFFIX =
  /\.s3(?:\.dualstack)?(?:[.-](?:[a-z0-9-]+|<AWS::Region>))?\.(?:amazonaws\.com(?:\.cn)?|<AWS::URLSuffix>)$/;

/**
 * The bucket name a literal means: a name, an S3 ARN (`arn:<partition>:s3:::<name>[/key]`), an S3 URI
 * (`s3://<name>[/key]`, EMR's LogUri, also its older `s3n://`), a name with a key prefix (`<name>/<prefix>`, CodeBuild's S3 log location; a
 * bucket name holds no `/`) or a bucket domain name.
 */
export function bucketNameOf(literal: string): string {
  const path = literal.replace(/^s3n?:\/\//, '');
  const fromArn = S3_ARN_PREFIX.test(path) ? path.replace(S3_ARN_PREFIX, '') : path;
  return fromArn.split('/')[0]!.replace(S3_DOMAIN_SUFFIX, '');
}

/** What a pseudo parameter of a flattened name (flatten writes `<AWS::AccountId>`) may stand for. */
const PSEUDO: Readonly<Record<string, string>> = {
  '<AWS::AccountId>': '\\d{12}',
  '<AWS::Region>': REGION_NAME_PATTERN,
};

/**
 * The bucket names a name can mean, as a pattern: a pseudo parameter in it (an account joined at deploy) matches its
 * value written literally, or the same pseudo parameter.
 */
export function bucketNamePattern(name: string): RegExp {
  let pattern = NAME_PATTERNS.get(name);
  if (pattern === undefined) {
    pattern = namePattern(name);
    if (NAME_PATTERNS.size >= NAME_PATTERNS_LIMIT) NAME_PATTERNS.clear();
    NAME_PATTERNS.set(name, pattern);
  }
  return pattern;
}

/**
 * The patterns made so far, by name: the rules compare the same few names many times per check (building each
 * expression again was a tenth of the probe set's time). Neither global nor sticky, so a kept expression holds no state.
 * Emptied when it holds NAME_PATTERNS_LIMIT (names come from the templates checked; a long-lived process checks many).
 */
const NAME_PATTERNS = new Map<string, RegExp>();
const NAME_PATTERNS_LIMIT = 10_000;

function namePattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A pseudo parameter holds no character the escaping changes.
  const body = Object.entries(PSEUDO).reduce(
    (text, [pseudo, value]) => text.split(pseudo).join(`(?:${value}|${pseudo})`),
    escaped,
  );
  return new RegExp(`^${body}$`);
}

/** Whether two bucket names, either possibly holding pseudo parameters, can be the same bucket. */
export function sameBucketName(a: string, b: string): boolean {
  return bucketNamePattern(a).test(b) || bucketNamePattern(b).test(a);
}

/** An Fn::Sub body with its pseudo parameters written as flatten writes them (`${AWS::AccountId}` as `<AWS::AccountId>`). */
export const subLiteral = (body: string): string => body.replace(/\$\{(AWS::[A-Za-z]+)\}/g, '<$1>');

/**
 * The strings a value may be that the template holds whole (core/string-forms, without a part only deploy knows): a
 * literal, a join or substitution of literals and pseudo parameters (`<AWS::AccountId>`), each branch or selection.
 * A resource's own name is read so, and every name a writer's join or substitution may give.
 */
export function literalForms(value: unknown, template: TemplateJson): string[] {
  return stringForms(value, template).forms.filter((f) => !f.includes(UNKNOWN_PART));
}

/**
 * The values inside `value` (of `template`) that may name a bucket: the value itself; the parts of an Fn::Join and
 * every string the join may be (core/string-forms: its parts' branches, selections and splits, a substitution's
 * variables); an Fn::Sub's body (its `${Resource}` references, every string it may be with
 * its variables substituted) and its variables;
 * what an Fn::Select, Fn::Split or Fn::Base64 is applied to; every value an Fn::FindInMap may return (its map's, when
 * the keys are not literal); each branch of an Fn::If (not its condition name: fail closed); every value of a plain
 * object or list (a block given whole). Ref, Fn::GetAtt and cross-stack references are followed by resolveValue.
 */
function candidates(value: unknown, template: TemplateJson): unknown[] {
  const inner = (v: unknown): unknown[] => candidates(v, template);
  if (Array.isArray(value)) return value.flatMap(inner);
  if (!isObject(value)) return [value];
  if (!isIntrinsic(value)) return Object.values(value).flatMap(inner);
  const [fn, args] = Object.entries(value)[0]!;
  switch (fn) {
    case 'Fn::Join': {
      return [...literalForms(value, template), ...(Array.isArray(args) ? inner(args[1]) : inner(args))];
    }
    case 'Fn::Sub': {
      const [body, variables] = Array.isArray(args) ? args : [args, undefined];
      if (typeof body !== 'string') return inner(args);
      const refs = [...body.matchAll(/\$\{\s*([^}.!\s]+)(?:\.[^}]*)?\s*\}/g)].map(([, id]) => ({ Ref: id }));
      return [...literalForms(value, template), ...refs, ...inner(variables)];
    }
    case 'Fn::Select':
    case 'Fn::Split':
      return Array.isArray(args) ? inner(args[1]) : inner(args);
    case 'Fn::Base64':
      return inner(args);
    case 'Fn::If':
      return Array.isArray(args) ? inner(args.slice(1)) : [];
    case 'Fn::FindInMap': {
      const [map, first, second] = Array.isArray(args) ? args : [];
      const mapping = typeof map === 'string' && isObject(template.Mappings) ? template.Mappings[map] : undefined;
      if (!isObject(mapping)) return inner(args);
      const tops = typeof first === 'string' ? [mapping[first]] : Object.values(mapping);
      return tops.flatMap((top) =>
        isObject(top) ? (typeof second === 'string' ? inner(top[second]) : Object.values(top).flatMap(inner)) : [],
      );
    }
    default:
      return [value];
  }
}

/** A kind of resource a value may name: its type, the name a literal means, and the resource's own names. */
export interface NamedKind {
  readonly type: string;
  /** The name a literal (flattened) value means, '' for none. */
  readonly nameOf: (literal: string) => string;
  /** The property holding the resource's own name (absent: a name only deploy gives it). */
  readonly nameProperty: string;
  /** Whether names are unique per account and region (streams, destinations) rather than global (buckets). */
  readonly regional: boolean;
}

/** The name an ARN of `service` and `resource` prefix means (`arn:<partition>:<service>:<region>:<account>:<prefix><name>`). */
const arnName =
  (service: string, prefix: string) =>
  (literal: string): string => {
    const arn = new RegExp(`^arn:(?:<AWS::Partition>|[a-z-]+):${service}:[^:]*:[^:]*:${prefix}(.+)$`).exec(literal);
    return arn?.[1] ?? '';
  };

export const BUCKETS: NamedKind = { type: BUCKET, nameOf: bucketNameOf, nameProperty: 'BucketName', regional: false };

/** Firehose delivery streams named by ARN (or reference). */
export const STREAMS: NamedKind = {
  type: 'AWS::KinesisFirehose::DeliveryStream',
  nameOf: arnName('firehose', 'deliverystream/'),
  nameProperty: 'DeliveryStreamName',
  regional: true,
};

/** Firehose delivery streams named by ARN or by name (Network Firewall, MSK, Verified Access, FireLens). */
export const STREAMS_BY_NAME: NamedKind = {
  ...STREAMS,
  nameOf: (literal) => STREAMS.nameOf(literal) || (/^[A-Za-z0-9_.<>-]+$/.test(literal) ? literal : ''),
};

/** CloudWatch Logs destinations (a subscription filter's DestinationArn), by ARN. */
export const LOGS_DESTINATIONS: NamedKind = {
  type: 'AWS::Logs::Destination',
  nameOf: arnName('logs', 'destination:'),
  nameProperty: 'DestinationName',
  regional: true,
};

/** Kinesis data streams, by ARN. */
export const KINESIS_STREAMS: NamedKind = {
  type: 'AWS::Kinesis::Stream',
  nameOf: arnName('kinesis', 'stream/'),
  nameProperty: 'Name',
  regional: true,
};

/**
 * The resources of `kind` of `stacks` that `value` (found in `from`) names (see the header): by reference, across
 * stacks, or by a literal the kind reads as a name, matching every name the resource's own name property may be
 * (core/string-forms: a name joined from the account matches one written literally and the other way round); a
 * regional kind's names only in `from`'s account and region.
 */
export function resourcesNamed(
  value: unknown,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
  kind: NamedKind,
  depth = 0,
): StackResource[] {
  const out = new Map<string, StackResource>();
  const add = (r: StackResource): void => void out.set(`${r.stack.stackName}/${r.stack.file}/${r.logicalId}`, r);
  for (const part of candidates(value, from.template)) {
    const resolved = resolveValue(part, from, stacks);
    // An output of another stack whose value resolveValue does not follow (an Fn::Join of a Ref): read as a value there.
    const cross = resolved.kind === 'unresolved' && isObject(part) ? crossStackReference(part) : undefined;
    const producer = cross && producerOf(cross, from, stacks);
    const output = producer?.template.Outputs?.[cross!.outputName];
    if (producer && output && depth < 8) {
      for (const r of resourcesNamed(output.Value, producer, stacks, kind, depth + 1)) add(r);
    }
    if (resolved.kind === 'resource' && resolved.target.resource.Type === kind.type) add(resolved.target);
    if (resolved.kind !== 'literal') continue;
    const name = kind.nameOf(resolved.value);
    if (name === '') continue;
    for (const candidate of assemblyResources(stacks, kind.type)) {
      if (kind.regional && !sameEnvironment(candidate.stack, from.account, from.region)) continue;
      const own = memo(`names:${kind.nameProperty}`, candidate.resource, (r) =>
        literalForms(r.Properties?.[kind.nameProperty], candidate.stack.template),
      );
      if (own.some((o) => sameBucketName(name, o))) add(candidate);
    }
  }
  return [...out.values()];
}

/**
 * The buckets of `stacks` that `value` (found in `from`) names (see the header and resourcesNamed). A bucket's own name
 * is read as every string it may be, so a name joined from the account matches a destination written literally and
 * the other way round.
 */
export function bucketsNamed(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource[] {
  return resourcesNamed(value, from, stacks, BUCKETS);
}
