import { VPC_METADATA, VpcMarker } from '../../../../constructs/core/markers';
import { AssemblyStack, cfnBoolean, isObject, localTarget, metadataOf, StackResource } from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { databaseSubnets, keyOf, subnetsOf, vpcsOf } from './network-facts';

const NAME = 'DataTierNetworkAcl';

/** The database port: the VPC marker's, else the port of a database of the assembly. */
function databasePort(vpc: StackResource, stacks: readonly AssemblyStack[]): number | undefined {
  const marker = metadataOf(vpc.resource, VPC_METADATA);
  if (isObject(marker) && typeof (marker as unknown as VpcMarker).databasePort === 'number') {
    return (marker as unknown as VpcMarker).databasePort;
  }
  for (const s of stacks) {
    for (const r of Object.values(s.template.Resources)) {
      if (r.Type === 'AWS::RDS::DBInstance' || r.Type === 'AWS::RDS::DBCluster') {
        const port = Number(r.Properties?.Port);
        if (Number.isInteger(port)) return port;
      }
    }
  }
  return undefined;
}

/**
 * N2: each data-tier subnet of the PHI VPC (marked tier 'data', or named by a database subnet group) is associated
 * with a network ACL of its own (not the VPC's default ACL, which allows everything) whose allow entries admit only
 * the application tier's subnets: inbound TCP on the database port only, outbound TCP to them only.
 */
export const DataTierNetworkAcl: AssemblyRule = {
  name: NAME,
  info: 'A data-tier subnet of the PHI VPC has no network ACL of its own (the default ACL allows all traffic), or its ACL allows traffic other than TCP from the application tier on the database port (and replies to it).',
  explanation:
    'Network segmentation (164.312(e)(1), 164.308(a)(3)): the database tier is reachable only from the application tier, also below the security groups, so one misconfigured group does not expose PHI.',
  safeguards: ['N2'],
  hipaaSections: ['164.312(e)(1)', '164.308(a)(3)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    const fromDatabases = new Set(databaseSubnets(stacks).map(keyOf));
    for (const vpc of vpcsOf(stacks).filter((v) => v.phi)) {
      const subnets = subnetsOf(vpc);
      const data = subnets.filter((s) => s.tier === 'data' || fromDatabases.has(keyOf(s)));
      if (data.length === 0) continue;
      const appCidrs = new Set(
        subnets.filter((s) => s.tier === 'application').map((s) => String(s.resource.Properties?.CidrBlock)),
      );
      const port = databasePort(vpc, stacks);
      const resources = vpc.stack.template.Resources;
      const reported = new Set<string>();
      for (const subnet of data) {
        evaluated++;
        const association = Object.values(resources).find(
          (r) =>
            r.Type === 'AWS::EC2::SubnetNetworkAclAssociation' &&
            localTarget(r.Properties?.SubnetId) === subnet.logicalId,
        );
        const aclId = localTarget(association?.Properties?.NetworkAclId);
        if (aclId === undefined || resources[aclId]?.Type !== 'AWS::EC2::NetworkAcl') {
          findings.push(
            finding(
              NAME,
              'Subnet::default-network-acl',
              vpc.stack,
              subnet.logicalId,
              `Data-tier subnet ${subnet.logicalId} of the PHI VPC ${vpc.logicalId} has no network ACL of its own: the VPC's default ACL allows all traffic (N2)`,
            ),
          );
          continue;
        }
        if (reported.has(aclId)) continue;
        reported.add(aclId);
        for (const [entryId, entry] of Object.entries(resources)) {
          const e = entry.Properties ?? {};
          if (entry.Type !== 'AWS::EC2::NetworkAclEntry' || localTarget(e.NetworkAclId) !== aclId) continue;
          if (e.RuleAction !== 'allow') continue;
          const egress = cfnBoolean(e.Egress) === true;
          const range = isObject(e.PortRange) ? e.PortRange : {};
          const tcp = String(e.Protocol) === '6';
          const fromApp = typeof e.CidrBlock === 'string' && appCidrs.has(e.CidrBlock) && e.Ipv6CidrBlock === undefined;
          const onPort = port !== undefined && Number(range.From) === port && Number(range.To) === port;
          const ok = egress ? fromApp && tcp : fromApp && tcp && onPort;
          if (ok) continue;
          findings.push(
            finding(
              NAME,
              `NetworkAclEntry::${egress ? 'egress' : 'ingress'}-${String(e.CidrBlock ?? e.Ipv6CidrBlock)}-protocol-${String(e.Protocol)}-ports-${String(range.From ?? 'all')}-${String(range.To ?? 'all')}`,
              vpc.stack,
              entryId,
              `Network ACL entry ${entryId} of the data tier allows ${egress ? 'outbound' : 'inbound'} ${String(e.CidrBlock ?? e.Ipv6CidrBlock)} protocol ${String(e.Protocol)}: only TCP ${egress ? 'to' : 'from'} the application tier${egress ? '' : ` on port ${String(port)}`} is allowed (N2)`,
            ),
          );
        }
      }
    }
    return { findings, evaluated };
  },
};
