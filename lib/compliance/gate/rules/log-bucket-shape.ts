/**
 * Which buckets of a template receive logs, read from what writes to them rather than from the
 * `HipaaBlueprint::LogBucket` marker alone (a marker deleted by hand would otherwise switch off the log bucket rules,
 * as a deleted PhiStore marker would without core/phi-shapes): a bucket is a log bucket when, in the same template,
 * it is another bucket's server access log destination (LoggingConfiguration.DestinationBucketName), a CloudTrail
 * trail's S3BucketName, a load balancer's log bucket (LoadBalancerAttributes access_logs.s3.bucket, and the
 * connection and health check logs), an AWS Config delivery channel's S3BucketName, a VPC flow log's LogDestination
 * or a CloudFront distribution's Logging.Bucket. Named by Ref, Fn::GetAtt, a bucket of the template in Fn::Sub or
 * Fn::Join, or its literal name (or ARN). A reference inside a condition counts (fail closed). A writer in another
 * stack is not in the template (the Config delivery channel of a region, a trail of another stack): a bucket whose
 * bucket policy lets a log delivery service write (LOG_DELIVERY_SERVICES) is a log bucket too, whoever delivers. Pure:
 * no CDK.
 */
import { LOG_BUCKET_METADATA } from '../../../../constructs/core/markers';
import { logDestinationValues, replicationDestinationValues } from '../core/log-destinations';
import {
  asList,
  cfnAbsent,
  cfnAlternatives,
  flatten,
  isObject,
  JsonResource,
  memo,
  metadataOf,
  TemplateJson,
} from '../core/template-json';

const BUCKET = 'AWS::S3::Bucket';

/**
 * The service principals that deliver logs into S3: server access logging, CloudTrail, AWS Config, the log delivery
 * service (VPC flow logs and other vended logs), and Elastic Load Balancing's log delivery.
 */
export const LOG_DELIVERY_SERVICES: readonly string[] = [
  'logging.s3.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'config.amazonaws.com',
  'delivery.logs.amazonaws.com',
  'logdelivery.elasticloadbalancing.amazonaws.com',
];

/**
 * Whether a Principal may name a log delivery service: its text names one (in any case), or a service principal is
 * given by an intrinsic only deploy resolves (Fn::Join of "config." and the URL suffix...), or it is everyone ("*").
 */
function mayNameLogService(principal: unknown): boolean {
  const text = JSON.stringify(principal ?? null).toLowerCase();
  if (LOG_DELIVERY_SERVICES.some((service) => text.includes(`"${service}"`))) return true;
  if (principal === '*' || (isObject(principal) && asList(principal.AWS).includes('*'))) return true;
  const service = isObject(principal) ? principal.Service : undefined;
  return (Array.isArray(service) ? service : [service]).some((s) => isObject(s));
}

/**
 * The Bucket of each bucket policy of `template` with a statement that may allow (an Effect of Allow, or one only
 * deploy resolves) a log delivery service: the service named anywhere in the statement's Principal, also in a
 * condition's branch (fail closed).
 */
function deliveryGrantees(template: TemplateJson): unknown[] {
  const out: unknown[] = [];
  for (const r of Object.values(template.Resources ?? {})) {
    if (r?.Type !== 'AWS::S3::BucketPolicy' || !isObject(r.Properties)) continue;
    // Every branch of a condition: the document, its statement list, a statement.
    const statements = cfnAlternatives(r.Properties.PolicyDocument)
      .flatMap((d) => (isObject(d) ? cfnAlternatives(d.Statement) : []))
      .flatMap((list) => (Array.isArray(list) ? list : [list]))
      .flatMap(cfnAlternatives);
    const grants = statements.some(
      (st) => isObject(st) && st.Effect !== 'Deny' && (mayNameLogService(st.Principal) || !cfnAbsent(st.NotPrincipal)),
    );
    if (grants) out.push(r.Properties.Bucket);
  }
  return out;
}

/** The values of `template` that name a bucket logs are delivered to (core/log-destinations). */
function logDestinations(template: TemplateJson): unknown[] {
  return Object.values(template.Resources ?? {}).flatMap((r) =>
    logDestinationValues(r?.Type, isObject(r?.Properties) ? r.Properties : {}).map(([, value]) => value),
  );
}

/** An S3 ARN's prefix, the partition literal or the `<AWS::Partition>` of a flattened Fn::Join. */
export const S3_ARN_PREFIX = /^arn:(?:<AWS::Partition>|[^:]*):s3:::/;

/** The logical ids of buckets of `template` that `value` names, anywhere inside it. */
function bucketsNamed(value: unknown, template: TemplateJson, names: ReadonlyMap<string, string>, out: Set<string>) {
  const isBucket = (id: string): boolean => template.Resources?.[id]?.Type === BUCKET;
  if (typeof value === 'string') {
    // A literal name, an ARN (arn:<partition>:s3:::<name>[/prefix]), a domain name (<name>.s3.amazonaws.com), or an
    // Fn::Sub body naming ${Bucket} or ${Bucket.Arn}.
    for (const [, id] of value.matchAll(/\$\{([^}.!]+)(?:\.[^}]*)?\}/g)) if (isBucket(id!)) out.add(id!);
    const name = value
      .replace(S3_ARN_PREFIX, '')
      .split(/[/]/)[0]!
      .replace(/\.s3[.-].*$/, '');
    const id = names.get(name) ?? names.get(value);
    if (id !== undefined) out.add(id);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) bucketsNamed(v, template, names, out);
    return;
  }
  if (!isObject(value)) return;
  // An ARN joined from parts (arn:, the partition, :s3:::<name>) is read whole.
  const joined = value['Fn::Join'] !== undefined ? flatten(value) : undefined;
  if (joined !== undefined) bucketsNamed(joined, template, names, out);
  if (typeof value.Ref === 'string' && isBucket(value.Ref)) out.add(value.Ref);
  const getAtt = value['Fn::GetAtt'];
  const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  if (typeof target === 'string' && isBucket(target)) out.add(target);
  for (const v of Object.values(value)) bucketsNamed(v, template, names, out);
}

/**
 * The logical ids of the buckets of `template` that receive logs by the shape of the template (see above); computed once
 * per template within a run of the assembly rules (memo).
 */
export function logBucketIds(template: TemplateJson): ReadonlySet<string> {
  return memo('logBucketIds', template, computeLogBucketIds);
}

function computeLogBucketIds(template: TemplateJson): Set<string> {
  const names = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const name = r?.Type === BUCKET ? r.Properties?.BucketName : undefined;
    if (typeof name === 'string') names.set(name, id);
  }
  const out = new Set<string>();
  for (const destination of [...logDestinations(template), ...deliveryGrantees(template)]) {
    bucketsNamed(destination, template, names, out);
  }
  // A bucket with the LogDeliveryWrite canned ACL (in any branch of a condition) lets the log delivery group write.
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r?.Type === BUCKET && cfnAlternatives(r.Properties?.AccessControl).includes('LogDeliveryWrite')) out.add(id);
  }
  // A replica of a log bucket (marked, or by the shape above) in the same template holds the same logs; followed to
  // the end of a chain.
  const replicated = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      if (r?.Type !== BUCKET || replicated.has(id)) continue;
      if (!out.has(id) && metadataOf(r, LOG_BUCKET_METADATA) === undefined) continue;
      replicated.add(id);
      const before = out.size;
      for (const [, value] of replicationDestinationValues(isObject(r.Properties) ? r.Properties : {})) {
        bucketsNamed(value, template, names, out);
      }
      grew ||= out.size > before;
    }
  }
  return out;
}

/**
 * Whether the bucket `logicalId` of `template` (its entry `resource`) is a log bucket: it carries the log bucket marker,
 * or the template's shape says it receives logs (logBucketIds). The one test both log bucket rules use.
 */
export function isLogBucket(resource: JsonResource, template: TemplateJson, logicalId: string): boolean {
  return metadataOf(resource, LOG_BUCKET_METADATA) !== undefined || logBucketIds(template).has(logicalId);
}
