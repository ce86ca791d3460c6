import { LOG_BUCKET_METADATA } from '../../../../constructs/core/markers';
import { bucketsNamed } from '../core/bucket-names';
import { logDeliveries, replicationDestinationValues } from '../core/log-destinations';
import { AssemblyStack, isObject, JsonResource, metadataOf } from '../core/template-json';
import { isLogBucket } from '../rules/log-bucket-shape';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'LogDestinationsMarked';
const BUCKET = 'AWS::S3::Bucket';

/**
 * What `writer` (of `stack`) delivers logs into: the log writers' destinations (core/log-destinations), and, when the
 * writer is itself a log bucket (marked, or by its template's shape), its replication destinations: a copy of logs is
 * held to the same retention.
 */
function destinationsOf(
  stack: AssemblyStack,
  writerId: string,
  writer: JsonResource,
  stacks: readonly AssemblyStack[],
): Array<[string, unknown, AssemblyStack]> {
  const out = logDeliveries(stack, writer, stacks);
  const p = isObject(writer.Properties) ? writer.Properties : {};
  if (writer.Type === BUCKET && isLogBucket(writer, stack.template, writerId))
    out.push(...replicationDestinationValues(p).map(([k, v]): [string, unknown, AssemblyStack] => [k, v, stack]));
  return out;
}

/**
 * U3: every bucket of the assembly that a log writer delivers to (core/log-destinations: a trail, an AWS Config
 * delivery channel, another bucket's server access logging, a flow log, a load balancer's logs, a CloudFront
 * distribution's logs, and the writers a fork may add, WAF to EMR) or that replicates a log bucket carries the log bucket marker
 * (`HipaaBlueprint::LogBucket`), followed across stacks (Fn::GetStackOutput, Fn::ImportValue) and by literal name. The
 * log bucket rules (LogBucketRetention, LogBucketVersionDeleteDeny) select buckets by that marker and by what the
 * bucket's own template shows; a marker removed from a bucket whose writer is in another stack would otherwise leave
 * its retention unjudged. A destination outside the assembly is not judged here.
 */
export const LogDestinationsMarked: AssemblyRule = {
  name: NAME,
  info: 'A bucket that receives logs (from a trail, AWS Config, server access logging, flow logs, a load balancer, CloudFront, WAF, Network Firewall, Route 53 Resolver, VPC Lattice, a CloudWatch Logs delivery destination, Redshift, MSK, ECS Exec, Session Manager, EMR, CodeBuild, Cognito, EventBridge Pipes, Verified Access, MSK Connect, EMR Serverless, maintenance window tasks, Image Builder, State Manager associations, a container’s FireLens router, a Firehose delivery stream one of these or a log group’s subscription filter sends to, or a log bucket it replicates) does not carry the log bucket marker, so the log bucket rules may not judge its retention.',
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
        for (const [property, value, where] of destinationsOf(stack, writerId, writer, stacks)) {
          for (const bucket of bucketsNamed(value, where, stacks)) {
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
