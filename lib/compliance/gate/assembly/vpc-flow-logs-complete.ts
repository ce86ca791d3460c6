import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import {
  assemblyResources,
  AssemblyStack,
  cfnAlternatives,
  cfnAbsent,
  isObject,
  resourceNamed,
  StackResource,
} from '../core/template-json';
import { entries } from '../core/policy-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { bucketOf } from './findings-archive-present';
import { documentStatements, roleStatements, writesShortfall } from './role-facts';
import { keyOf, vpcNamedBy, vpcsOf } from './network-facts';

const NAME = 'VpcFlowLogsComplete';

/**
 * The fields a custom flow log format must keep: who talked to whom (addresses, ports, protocol), whether it was let
 * through, and when. The default format (no LogFormat) has them all.
 */
export const FLOW_LOG_REQUIRED_FIELDS: readonly string[] = [
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'action',
  'start',
  'end',
];

/**
 * Why a flow log's delivery role cannot write its records (undefined: it can): VPC Flow Logs may assume it (its trust
 * names `vpc-flow-logs.amazonaws.com`), and its policies (any attaching form, across the assembly) allow each of
 * LOG_DELIVERY_ACTIONS on the log group and may deny neither (role-facts writesShortfall). Without them
 * CreateFlowLogs succeeds and nothing is ever delivered.
 */
function deliveryRoleShortfall(
  role: StackResource,
  group: StackResource,
  stacks: readonly AssemblyStack[],
): string | undefined {
  const trusted = documentStatements(role.resource.Properties?.AssumeRolePolicyDocument).some(
    (s) =>
      s.Effect === 'Allow' &&
      isObject(s.Principal) &&
      entries(s.Principal.Service).includes('vpc-flow-logs.amazonaws.com'),
  );
  if (!trusted) return 'DeliveryRole-not-assumable-by-flow-logs';
  const writes = writesShortfall(roleStatements(role.stack, role.logicalId, stacks), group, role.stack, stacks);
  return writes === undefined ? undefined : 'DeliveryRole-may-not-write';
}

/**
 * Why a flow log's records may not land where the log rules judge them (undefined: they land there): CloudWatch Logs
 * (the default type) into a log group of the assembly, named by reference (`LogGroupName` or `LogDestination`), through
 * a role of the assembly; or S3 into a bucket of the assembly (its ARN, or the ARN with a folder). Another account's
 * bucket, a log group the assembly does not hold (the service creates it, unencrypted and unretained) or Firehose is
 * a finding.
 */
function destinationShortfall(flowLog: StackResource, stacks: readonly AssemblyStack[]): string | undefined {
  const p = flowLog.resource.Properties ?? {};
  const types = cfnAlternatives(p.LogDestinationType ?? 'cloud-watch-logs');
  if (types.length !== 1 || typeof types[0] !== 'string') return 'LogDestinationType-unresolved';
  const type = types[0];
  if (type === 'cloud-watch-logs') {
    const group = resourceNamed(cfnAbsent(p.LogDestination) ? p.LogGroupName : p.LogDestination, flowLog.stack, stacks);
    if (group?.resource.Type !== 'AWS::Logs::LogGroup') return 'LogGroup-outside-assembly';
    const role = resourceNamed(p.DeliverLogsPermissionArn, flowLog.stack, stacks);
    if (role?.resource.Type !== 'AWS::IAM::Role') return 'DeliverLogsPermissionArn-outside-assembly';
    return deliveryRoleShortfall(role, group, stacks);
  }
  if (type === 's3') {
    const bucket = bucketOf(p.LogDestination, flowLog.stack, stacks);
    return bucket !== undefined ? undefined : 'LogDestination-outside-assembly';
  }
  return `LogDestinationType-${type}`;
}

/** Why a flow log of a VPC falls short of recording all traffic in full, where it is judged (empty when it does not). */
export function flowLogShortfalls(
  flowLog: StackResource,
  stacks: readonly AssemblyStack[] = [flowLog.stack],
): string[] {
  const p = flowLog.resource.Properties ?? {};
  const problems: string[] = [];
  const destination = destinationShortfall(flowLog, stacks);
  if (destination !== undefined) problems.push(destination);
  const traffic = cfnAlternatives(p.TrafficType);
  if (!traffic.every((t) => t === 'ALL')) {
    problems.push(`TrafficType-${traffic.map((t) => (typeof t === 'string' ? t : 'unresolved')).join('+')}`);
  }
  if (!cfnAbsent(p.LogFormat)) {
    const { forms, complete } = stringForms(p.LogFormat, flowLog.stack.template);
    if (!complete || forms.some((f) => f.includes(UNKNOWN_PART))) problems.push('LogFormat-unresolved');
    else {
      const missing = FLOW_LOG_REQUIRED_FIELDS.filter((field) => forms.some((f) => !f.includes(`\${${field}}`)));
      if (missing.length > 0) problems.push(`LogFormat-without-${missing.join('+')}`);
    }
  }
  return problems;
}

/**
 * N4: every VPC of the assembly (PHI or not) has a flow log (AWS::EC2::FlowLog of ResourceType VPC naming it, in any
 * stack) that records all traffic (TrafficType ALL, not only accepted or rejected) in a format that keeps addresses,
 * ports, protocol, action and time (the default format, or a LogFormat with every field of FLOW_LOG_REQUIRED_FIELDS in
 * every string form), delivered where the log rules judge it (destinationShortfall: a log group or bucket of the
 * assembly). A flow log whose resource or properties only deploy resolves (a condition, a parameter) covers nothing
 * and is a finding of its own.
 */
export const VpcFlowLogsComplete: AssemblyRule = {
  name: NAME,
  info: 'A VPC has no flow log recording all traffic (TrafficType ALL) in a format with source and destination addresses and ports, protocol, action, start and end (the default format, or a LogFormat with each), or a flow log names a resource or type only deploy resolves.',
  explanation:
    'Audit controls record network activity (164.312(b)): a flow log of rejected traffic only, or without addresses and ports, cannot show where PHI went (164.308(a)(1)(ii)(D), 164.308(a)(6)(ii)).',
  safeguards: ['N4', 'U3'],
  hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.312(e)(1)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const shortfalls = new Map<string, string[]>();
    const complete = new Set<string>();
    const flowLogs = assemblyResources(stacks, 'AWS::EC2::FlowLog');
    for (const flowLog of flowLogs) {
      const p = flowLog.resource.Properties ?? {};
      const type = cfnAlternatives(p.ResourceType);
      if (!type.every((t) => typeof t === 'string') || new Set(type).size > 1) {
        findings.push(
          finding(
            NAME,
            'FlowLog::unresolved',
            flowLog.stack,
            flowLog.logicalId,
            `Flow log ${flowLog.logicalId} names a resource type only deploy resolves: no rule can tell what it records (N4)`,
          ),
        );
        continue;
      }
      if (!type.every((t) => t === 'VPC')) continue;
      const vpc = vpcNamedBy(p.ResourceId, flowLog.stack, stacks);
      if (vpc === undefined) {
        findings.push(
          finding(
            NAME,
            'FlowLog::unresolved',
            flowLog.stack,
            flowLog.logicalId,
            `Flow log ${flowLog.logicalId} names no VPC of the assembly (its ResourceId only deploy resolves) (N4)`,
          ),
        );
        continue;
      }
      const problems = flowLogShortfalls(flowLog, stacks);
      if (problems.length === 0) complete.add(keyOf(vpc));
      else shortfalls.set(keyOf(vpc), [...(shortfalls.get(keyOf(vpc)) ?? []), ...problems]);
    }
    const vpcs = vpcsOf(stacks);
    for (const vpc of vpcs) {
      if (complete.has(keyOf(vpc))) continue;
      const problems = [...new Set(shortfalls.get(keyOf(vpc)) ?? ['none'])];
      findings.push(
        finding(
          NAME,
          `FlowLog::${problems.join('+')}`,
          vpc.stack,
          vpc.logicalId,
          `VPC ${vpc.logicalId} has no flow log recording all traffic with addresses, ports and action (${problems.join(', ')}) (N4)`,
        ),
      );
    }
    return { findings, evaluated: vpcs.length + flowLogs.length };
  },
};
