import { isPhiStoreIn } from '../core/phi-shapes';
import { clusterMembership } from '../core/rds-cluster-member';
import {
  assemblyResources,
  AssemblyStack,
  cfnAlternatives,
  cfnListForms,
  isObject,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'PhiDatabaseIngressFromGroups';
const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const INGRESS = 'AWS::EC2::SecurityGroupIngress';
/** Each database type and the property listing its security groups. */
const DATABASES: ReadonlyArray<{ type: string; groups: string }> = [
  { type: 'AWS::RDS::DBInstance', groups: 'VPCSecurityGroups' },
  { type: 'AWS::RDS::DBCluster', groups: 'VpcSecurityGroupIds' },
];
/** Sources of an ingress rule that admit addresses rather than a security group. */
const ADDRESS_SOURCES: readonly string[] = ['CidrIp', 'CidrIpv6', 'SourcePrefixListId'];

/** The security group a value (of `from`) names, across stacks; undefined when it names none the assembly holds. */
function groupOf(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource | undefined {
  const resolved = resolveValue(value, from, stacks);
  return resolved.kind === 'resource' &&
    resolved.target.resource.Type === SECURITY_GROUP &&
    ['Ref', 'GroupId'].includes(resolved.attribute)
    ? resolved.target
    : undefined;
}

/**
 * The problem of an ingress rule (an inline SecurityGroupIngress entry or an AWS::EC2::SecurityGroupIngress's
 * Properties): '' when, in every branch of a condition, it admits a security group of this account
 * (SourceSecurityGroupId, no SourceSecurityGroupOwnerId) and no addresses (CidrIp, CidrIpv6, SourcePrefixListId).
 */
function ingressProblem(rule: unknown): string {
  if (!isObject(rule)) return 'unresolved';
  for (const source of ADDRESS_SOURCES) {
    if (cfnAlternatives(rule[source]).some((v) => v !== undefined)) return source;
  }
  if (cfnAlternatives(rule.SourceSecurityGroupOwnerId).some((v) => v !== undefined))
    return 'SourceSecurityGroupOwnerId';
  if (cfnAlternatives(rule.SourceSecurityGroupId).some((v) => v === undefined)) return 'no-source-group';
  return '';
}

const same = (a: StackResource, b: StackResource): boolean => a.stack === b.stack && a.logicalId === b.logicalId;

/**
 * N2: the PHI database admits connections only from security groups. Every security group attached to a PHI DB
 * instance or cluster (VPCSecurityGroups, VpcSecurityGroupIds; followed across stacks) admits, in its inline
 * SecurityGroupIngress and in every AWS::EC2::SecurityGroupIngress of the assembly whose GroupId is it, only a
 * SourceSecurityGroupId of this account: never an address range (CidrIp, CidrIpv6) or a prefix list, which admit every
 * host of the range (the public tier's load balancer, a peered network) whatever its role. A database without its
 * security groups stated (none: the VPC's default group; a list or a group only deploy resolves), a group list the
 * assembly cannot follow, an inline ingress list only deploy resolves, and an ingress resource whose GroupId the
 * assembly cannot follow (it may be the database's group) that admits addresses, are findings. An Aurora cluster's
 * member instance has its cluster's groups (the cluster is judged).
 */
export const PhiDatabaseIngressFromGroups: AssemblyRule = {
  name: NAME,
  info: "A security group of a PHI database (VPCSecurityGroups, VpcSecurityGroupIds) admits ingress from an address range or prefix list (CidrIp, CidrIpv6, SourcePrefixListId) or another account's security group, inline or through an AWS::EC2::SecurityGroupIngress, instead of only the application tier's security groups; or the database's groups, or an ingress rule that may be theirs, are not stated by the assembly.",
  explanation:
    "Only the application tier reaches the PHI database (164.312(e)(1), 164.308(a)(3)(ii)(A), 164.312(a)(1)): a security group reference admits the tasks of that group alone; an address range admits every host in it, the public tier's included.",
  safeguards: ['N2'],
  hipaaSections: ['164.312(e)(1)', '164.308(a)(3)(ii)(A)', '164.312(a)(1)'],
  check(stacks: readonly AssemblyStack[], _context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const groups: StackResource[] = [];
    let evaluated = 0;
    for (const { type, groups: property } of DATABASES) {
      for (const { stack, logicalId, resource } of assemblyResources(stacks, type)) {
        if (!isPhiStoreIn(stack.template, logicalId)) continue;
        if (type === DATABASES[0]!.type && clusterMembership(stack.template, resource).kind === 'cluster') continue;
        evaluated++;
        const lists = cfnListForms(resource.Properties?.[property]);
        if (lists === undefined || lists.some((l) => l.length === 0)) {
          findings.push(
            finding(
              NAME,
              `${property}::${lists === undefined ? 'unresolved' : 'none'}`,
              stack,
              logicalId,
              `PHI database ${logicalId} does not state its security groups (${property}): the ingress it admits cannot be judged (N2)`,
            ),
          );
          continue;
        }
        for (const value of lists.flat()) {
          const group = groupOf(value, stack, stacks);
          if (group === undefined) {
            findings.push(
              finding(
                NAME,
                `${property}::unresolved`,
                stack,
                logicalId,
                `PHI database ${logicalId} has a security group the assembly does not hold: its ingress cannot be judged (N2)`,
              ),
            );
          } else if (!groups.some((g) => same(g, group))) groups.push(group);
        }
      }
    }
    for (const group of groups) {
      const inline = cfnListForms(group.resource.Properties?.SecurityGroupIngress);
      const problems = inline === undefined ? ['unresolved'] : inline.flat().map(ingressProblem);
      for (const problem of new Set(problems.filter((p) => p !== ''))) {
        findings.push(
          finding(
            NAME,
            `SecurityGroupIngress::${problem}`,
            group.stack,
            group.logicalId,
            `Security group ${group.logicalId} of the PHI database admits ingress other than from a security group of this account (${problem}) (N2)`,
          ),
        );
      }
    }
    for (const ingress of assemblyResources(stacks, INGRESS)) {
      const p = ingress.resource.Properties ?? {};
      const problem = ingressProblem(p);
      if (problem === '') continue;
      const targets = cfnAlternatives(p.GroupId).map((v) =>
        v === undefined ? undefined : groupOf(v, ingress.stack, stacks),
      );
      const ofDatabase = targets.some((t) => t !== undefined && groups.some((g) => same(g, t)));
      // A group the assembly cannot follow may be the database's: an address range into it is a finding.
      const unknown = targets.some((t) => t === undefined) && ADDRESS_SOURCES.includes(problem) && groups.length > 0;
      if (!ofDatabase && !unknown) continue;
      findings.push(
        finding(
          NAME,
          `SecurityGroupIngress::${ofDatabase ? problem : `${problem}-into-unresolved-group`}`,
          ingress.stack,
          ingress.logicalId,
          `Ingress rule ${ingress.logicalId} admits ${problem} into ${ofDatabase ? 'a security group of the PHI database' : 'a security group the assembly cannot follow (it may be the PHI database’s)'}: only security groups of this account may reach the database (N2)`,
        ),
      );
    }
    return { findings, evaluated };
  },
};
