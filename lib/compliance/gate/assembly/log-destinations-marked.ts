import { LOG_BUCKET_METADATA } from '../../../../constructs/core/markers';
import { AssemblyStack, flatten, isObject, Json, metadataOf, resolveValue, StackResource } from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'LogDestinationsMarked';
const BUCKET = 'AWS::S3::Bucket';

/** The values of a resource that name the bucket it delivers logs to, with what each is (for the messages). */
function destinationsOf(type: string, p: Json): Array<[string, unknown]> {
  switch (type) {
    case 'AWS::CloudTrail::Trail':
    case 'AWS::Config::DeliveryChannel':
      return [['S3BucketName', p.S3BucketName]];
    case BUCKET:
      return isObject(p.LoggingConfiguration) && p.LoggingConfiguration.DestinationBucketName !== undefined
        ? [['LoggingConfiguration.DestinationBucketName', p.LoggingConfiguration.DestinationBucketName]]
        : [];
    case 'AWS::EC2::FlowLog':
      return p.LogDestinationType === 's3' ? [['LogDestination', p.LogDestination]] : [];
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return (Array.isArray(p.LoadBalancerAttributes) ? p.LoadBalancerAttributes : [])
        .filter((a): a is Json => isObject(a) && a.Key === 'access_logs.s3.bucket')
        .map((a) => ['access_logs.s3.bucket', a.Value] as [string, unknown]);
    default:
      return [];
  }
}

/** The references inside `value` (itself, or the parts of an Fn::Join or Fn::Sub) a bucket may be named by. */
function references(value: unknown): unknown[] {
  if (!isObject(value)) return [value];
  const join = value['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) return [value, ...join[1].flatMap(references)];
  const sub = value['Fn::Sub'];
  if (Array.isArray(sub) && isObject(sub[1])) return [value, ...Object.values(sub[1]).flatMap(references)];
  return [value];
}

/** The buckets of the assembly `value` (found in `from`) names: by reference, across stacks, or by literal name. */
function bucketsNamed(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource[] {
  const out: StackResource[] = [];
  for (const part of references(value)) {
    const resolved = resolveValue(part, from, stacks);
    if (resolved.kind === 'resource' && resolved.target.resource.Type === BUCKET) out.push(resolved.target);
    if (resolved.kind === 'literal') {
      // A name, an ARN (arn:<partition>:s3:::<name>[/prefix]).
      const name = resolved.value.replace(/^arn:[^:]*:s3:::/, '').split('/')[0];
      for (const s of stacks) {
        for (const [logicalId, resource] of Object.entries(s.template.Resources ?? {})) {
          if (resource.Type === BUCKET && flatten(resource.Properties?.BucketName) === name) {
            out.push({ stack: s, logicalId, resource });
          }
        }
      }
    }
  }
  return out;
}

/**
 * U3: every bucket of the assembly that a trail, an AWS Config delivery channel, another bucket's server access
 * logging, an S3 flow log or a load balancer's access logs deliver to carries the log bucket marker
 * (`HipaaBlueprint::LogBucket`), followed across stacks (Fn::GetStackOutput, Fn::ImportValue) and by literal name. The
 * log bucket rules (LogBucketRetention, LogBucketVersionDeleteDeny) select buckets by that marker and by what the
 * bucket's own template shows; a marker removed from a bucket whose writer is in another stack would otherwise leave
 * its retention unjudged. A destination outside the assembly is not judged here.
 */
export const LogDestinationsMarked: AssemblyRule = {
  name: NAME,
  info: 'A bucket that receives logs (from a trail, AWS Config, server access logging, flow logs or a load balancer) does not carry the log bucket marker, so the log bucket rules may not judge its retention.',
  explanation:
    'Audit controls (164.312(b), 164.316(b)(2)(i)): every log is kept at least six years; the log bucket rules find log buckets by their marker, so a log destination without it is a finding wherever its writer is.',
  safeguards: ['U3'],
  hipaaSections: ['164.312(b)', '164.316(b)(2)(i)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const reported = new Set<string>();
    let evaluated = 0;
    for (const stack of stacks) {
      for (const [writerId, writer] of Object.entries(stack.template.Resources ?? {})) {
        const p = isObject(writer.Properties) ? writer.Properties : {};
        for (const [property, value] of destinationsOf(String(writer.Type), p)) {
          for (const bucket of bucketsNamed(value, stack, stacks)) {
            evaluated++;
            if (metadataOf(bucket.resource, LOG_BUCKET_METADATA) !== undefined) continue;
            const key = `${bucket.stack.stackName}/${bucket.logicalId}`;
            if (reported.has(key)) continue;
            reported.add(key);
            findings.push(
              finding(
                NAME,
                `${bucket.logicalId}::unmarked`,
                bucket.stack,
                bucket.logicalId,
                `Bucket ${bucket.logicalId} receives logs (${writer.Type} ${writerId} of ${stack.stackName}, ${property}) but carries no ${LOG_BUCKET_METADATA} marker: the log bucket rules may not judge its retention (U3)`,
              ),
            );
          }
        }
      }
    }
    return { findings, evaluated };
  },
};
