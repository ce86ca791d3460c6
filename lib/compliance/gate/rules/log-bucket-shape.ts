/**
 * Which buckets of a template receive logs, read from what writes to them rather than from the
 * `HipaaBlueprint::LogBucket` marker alone (a marker deleted by hand would otherwise switch off the log bucket rules,
 * as a deleted PhiStore marker would without core/phi-shapes). A bucket is a log bucket when, in the same template:
 * - a log writer delivers to it (core/log-destinations: server access logging, a trail, a load balancer, a Config
 *   delivery channel, a flow log, a CloudFront distribution, a container's FireLens router...), directly or through a
 *   Firehose delivery stream of the template, named as core/bucket-names reads names (Ref, Fn::GetAtt, Fn::Join,
 *   Fn::Sub, a condition's branches: fail closed; a literal name, ARN or domain name);
 * - its bucket policy lets a log delivery service write (LOG_DELIVERY_SERVICES), which covers a writer in another stack
 *   (the Config delivery channel of a region, a trail of another stack);
 * - its ACL may be `LogDeliveryWrite` (in any branch, or one only deploy resolves);
 * - it is the replication destination of a log bucket of the template (marked, or one of the above), down a chain.
 * A writer in another stack that no grant names (CloudFront's ACL-based delivery, a replica's source) is not seen here:
 * LogDestinationsMarked follows those over the assembly. Pure: no CDK.
 */
import { LOG_BUCKET_METADATA } from '../../../../constructs/core/markers';
import { bucketsNamed as bucketsNamedIn } from '../core/bucket-names';
import { logDeliveries, replicationDestinationValues } from '../core/log-destinations';
import {
  asList,
  cfnAbsent,
  cfnAlternatives,
  isIntrinsic,
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

/**
 * The values of `template` that name a bucket logs are delivered to (core/log-destinations logDeliveries): directly,
 * or through a Firehose delivery stream of the template a log writer sends to.
 */
function logDestinations(template: TemplateJson): unknown[] {
  const self = { stackName: '', file: '', template };
  return Object.values(template.Resources ?? {}).flatMap((r) =>
    isObject(r) ? logDeliveries(self, r, [self]).map(([, value]) => value) : [],
  );
}

/** The logical ids of buckets of `template` that `value` names (core/bucket-names, within the template). */
function bucketsNamed(value: unknown, template: TemplateJson, out: Set<string>): void {
  const self = { stackName: '', file: '', template };
  for (const bucket of bucketsNamedIn(value, self, [self])) out.add(bucket.logicalId);
}

/**
 * The logical ids of the buckets of `template` that receive logs by the shape of the template (see above); computed once
 * per template within a run of the assembly rules (memo).
 */
export function logBucketIds(template: TemplateJson): ReadonlySet<string> {
  return memo('logBucketIds', template, computeLogBucketIds);
}

function computeLogBucketIds(template: TemplateJson): Set<string> {
  const out = new Set<string>();
  for (const destination of [...logDestinations(template), ...deliveryGrantees(template)]) {
    bucketsNamed(destination, template, out);
  }
  // A bucket with the LogDeliveryWrite canned ACL (in any branch of a condition, or an ACL only deploy resolves) lets
  // the log delivery group write.
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const acl = cfnAlternatives(r?.Type === BUCKET ? r.Properties?.AccessControl : undefined);
    if (acl.some((a) => a === 'LogDeliveryWrite' || isIntrinsic(a))) out.add(id);
  }
  // A replica of a log bucket (marked, or by the shape above) in the same template holds the same logs; followed to
  // the end of a chain.
  const resources = template.Resources ?? {};
  const pending = Object.keys(resources).filter(
    (id) =>
      resources[id]?.Type === BUCKET && (out.has(id) || metadataOf(resources[id]!, LOG_BUCKET_METADATA) !== undefined),
  );
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const p = resources[id]!.Properties;
    for (const [, value] of replicationDestinationValues(isObject(p) ? p : {})) {
      const found = new Set<string>();
      bucketsNamed(value, template, found);
      for (const replica of found) {
        if (out.has(replica)) continue;
        out.add(replica);
        pending.push(replica);
      }
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
