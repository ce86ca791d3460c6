/**
 * Which buckets of an assembly a property value names: by Ref or Fn::GetAtt, across stacks (Fn::GetStackOutput,
 * Fn::ImportValue), inside Fn::Join, Fn::Sub, Fn::Select and each branch of a condition, and by literal name, S3 ARN
 * or bucket domain name. One reader for every rule that follows a value to a bucket (the log bucket shape, a template
 * on its own; LogDestinationsMarked and the replication rules, over the assembly). Pure: no CDK.
 */
import {
  assemblyResources,
  AssemblyStack,
  flatten,
  isIntrinsic,
  isObject,
  resolveValue,
  StackResource,
} from './template-json';

const BUCKET = 'AWS::S3::Bucket';

/** An S3 ARN's prefix: a literal partition, or the `<AWS::Partition>` of a flattened Fn::Join (flatten). */
export const S3_ARN_PREFIX = /^arn:(?:<AWS::Partition>|[a-z-]+):s3:::/;
/** A bucket domain name's suffix: `.s3.amazonaws.com`, `.s3.<region>.amazonaws.com`, `.s3-<region>...`, China's `.cn`. */
const S3_DOMAIN_SUFFIX = /\.s3(?:[.-][a-z0-9-]+)?\.(?:amazonaws\.com(?:\.cn)?|<AWS::URLSuffix>)$/;

/** The bucket name a literal means: a name, an S3 ARN (`arn:<partition>:s3:::<name>[/key]`) or a bucket domain name. */
export function bucketNameOf(literal: string): string {
  const fromArn = S3_ARN_PREFIX.test(literal) ? literal.replace(S3_ARN_PREFIX, '').split('/')[0]! : literal;
  return fromArn.replace(S3_DOMAIN_SUFFIX, '');
}

/** What a pseudo parameter of a flattened name (flatten writes `<AWS::AccountId>`) may stand for. */
const PSEUDO: Readonly<Record<string, string>> = {
  '<AWS::AccountId>': '\\d{12}',
  '<AWS::Region>': '[a-z]{2}(?:-[a-z]+)+-\\d',
};

/**
 * The bucket names a name can mean, as a pattern: a pseudo parameter in it (an account joined at deploy) matches its
 * value written literally, or the same pseudo parameter.
 */
export function bucketNamePattern(name: string): RegExp {
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
const subLiteral = (body: string): string => body.replace(/\$\{(AWS::[A-Za-z]+)\}/g, '<$1>');

/**
 * A bucket's own name as far as the template says: a literal, an Fn::Join of literals and pseudo parameters (flatten),
 * or an Fn::Sub whose body refers to pseudo parameters only.
 */
export function literalBucketName(value: unknown): string | undefined {
  const flat = flatten(value);
  if (flat !== undefined) return flat;
  const sub = isObject(value) ? value['Fn::Sub'] : undefined;
  if (typeof sub !== 'string' || /\$\{(?!AWS::)/.test(sub)) return undefined;
  return subLiteral(sub);
}

/**
 * The values inside `value` that may name a bucket: the value itself; the parts of an Fn::Join and the join read whole;
 * an Fn::Sub's body (its `${Resource}` references, and the body read as a literal) and its variables; the list of an
 * Fn::Select; each branch of an Fn::If (not its condition name: fail closed); every value of a plain object or list (a
 * block given whole). Other intrinsics (Ref, Fn::GetAtt, cross-stack references) are followed by resolveValue.
 */
function candidates(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(candidates);
  if (!isObject(value)) return [value];
  if (!isIntrinsic(value)) return Object.values(value).flatMap(candidates);
  const join = value['Fn::Join'];
  if (join !== undefined) {
    const joined = flatten(value);
    return [...(joined === undefined ? [] : [joined]), ...(Array.isArray(join) ? candidates(join[1]) : [])];
  }
  const sub = value['Fn::Sub'];
  if (sub !== undefined) {
    const [body, variables] = Array.isArray(sub) ? sub : [sub, undefined];
    if (typeof body !== 'string') return candidates(sub);
    const refs = [...body.matchAll(/\$\{([^}.!]+)(?:\.[^}]*)?\}/g)].map(([, id]) => ({ Ref: id }));
    return [subLiteral(body), ...refs, ...candidates(variables)];
  }
  const select = value['Fn::Select'];
  if (select !== undefined) return Array.isArray(select) ? candidates(select[1]) : [];
  const branches = value['Fn::If'];
  if (branches !== undefined) return Array.isArray(branches) ? candidates(branches.slice(1)) : [];
  return [value];
}

/**
 * The buckets of `stacks` that `value` (found in `from`) names (see the header). A bucket's own name is read with
 * literalBucketName, so a name joined from the account matches a destination written literally and the other way
 * round.
 */
export function bucketsNamed(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource[] {
  const out = new Map<string, StackResource>();
  const add = (r: StackResource): void => void out.set(`${r.stack.stackName}/${r.stack.file}/${r.logicalId}`, r);
  for (const part of candidates(value)) {
    const resolved = resolveValue(part, from, stacks);
    if (resolved.kind === 'resource' && resolved.target.resource.Type === BUCKET) add(resolved.target);
    if (resolved.kind !== 'literal') continue;
    const name = bucketNameOf(resolved.value);
    if (name === '') continue;
    for (const bucket of assemblyResources(stacks, BUCKET)) {
      const own = literalBucketName(bucket.resource.Properties?.BucketName);
      if (own !== undefined && sameBucketName(name, own)) add(bucket);
    }
  }
  return [...out.values()];
}
