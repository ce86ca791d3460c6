import { assemblyResources, AssemblyStack, flatten, REGION_NAME_PATTERN, resolveValue } from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { keyOf, vpcNamedBy, vpcsOf } from './network-facts';

const NAME = 'NoPhiVpcInterconnect';

/** Whether `cidr` (a.b.c.d/n) lies inside `range`. */
function within(cidr: string, range: string): boolean {
  const parse = (c: string): [number, number] | undefined => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(c);
    if (!m) return undefined;
    const ip = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
    return [ip, Number(m[5])];
  };
  const a = parse(cidr);
  const b = parse(range);
  if (!a || !b) return false;
  const size = 2 ** (32 - b[1]);
  return a[1] >= b[1] && Math.floor(a[0] / size) === Math.floor(b[0] / size);
}

const ATTACHMENTS = ['AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::TransitGatewayVpcAttachment'];

/**
 * An AWS service's endpoint service name, `com.amazonaws.<region>.<service>` (the region literal or the stack's,
 * `<AWS::Region>` once flattened). Not `com.amazonaws.vpce.<region>.vpce-svc-...`: an endpoint service someone runs
 * behind a Network Load Balancer, in any account (PrivateLink), a path out of the VPC to their network.
 */
const AWS_SERVICE_NAME = new RegExp(
  `^com\\.amazonaws\\.(?:${REGION_NAME_PATTERN}|<AWS::Region>)\\.(?!vpce-svc-)[a-z0-9.-]+$`,
);

/**
 * N1: nothing connects the PHI VPC to another network: no VPC peering connection or transit gateway attachment
 * names it, no route of its route tables goes through a peering connection or a transit gateway, and no route
 * anywhere sends traffic to its addresses through one; its VPC endpoints reach AWS services only (not an endpoint
 * service someone runs, com.amazonaws.vpce.*, nor a VPC Lattice service network or resource), and no VPC Lattice
 * association joins it to a service network. (Config has no field that allows a route between the PHI and non-PHI
 * VPCs, so every such connection is a finding.)
 */
export const NoPhiVpcInterconnect: AssemblyRule = {
  name: NAME,
  info: 'A VPC peering connection or transit gateway attachment names the PHI VPC, or a route of the PHI VPC (or to its addresses) goes through a peering connection or transit gateway, or a VPC endpoint of the PHI VPC reaches something other than an AWS service (an endpoint service of another network, a VPC Lattice service network or resource), or a VPC Lattice association joins the PHI VPC to a service network.',
  explanation:
    'PHI and non-PHI networks are separate (164.312(e)(1), 164.308(a)(3)): a peering or transit route would let any workload of the other network reach the PHI tiers.',
  safeguards: ['N1'],
  hipaaSections: ['164.312(e)(1)', '164.308(a)(3)(ii)(A)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const phi = vpcsOf(stacks).filter((v) => v.phi);
    const phiKeys = new Set(phi.map(keyOf));
    const phiCidrs = phi.map((v) => v.resource.Properties?.CidrBlock).filter((c): c is string => typeof c === 'string');
    const namesPhi = (value: unknown, from: AssemblyStack): boolean => {
      const vpc = vpcNamedBy(value, from, stacks);
      return vpc !== undefined && phiKeys.has(keyOf(vpc));
    };
    let evaluated = 0;
    for (const { stack, logicalId, resource } of assemblyResources(stacks)) {
      const p = resource.Properties ?? {};
      if (resource.Type === 'AWS::EC2::VPCPeeringConnection') {
        evaluated++;
        if (namesPhi(p.VpcId, stack) || namesPhi(p.PeerVpcId, stack)) {
          findings.push(
            finding(
              NAME,
              'VPCPeeringConnection::PHI-VPC',
              stack,
              logicalId,
              `VPC peering connection ${logicalId} connects the PHI VPC to another VPC (N1)`,
            ),
          );
        }
      } else if (resource.Type === 'AWS::EC2::VPCEndpoint') {
        if (!namesPhi(p.VpcId, stack)) continue;
        evaluated++;
        // A VPC Lattice service network or resource endpoint reaches services and resources of other accounts and VPCs.
        const type = p.VpcEndpointType;
        const service = flatten(p.ServiceName);
        const why =
          type === 'ServiceNetwork' || type === 'Resource'
            ? `is a VPC Lattice ${String(type)} endpoint (${JSON.stringify(p.ServiceNetworkArn ?? p.ResourceConfigurationArn)})`
            : service === undefined || !AWS_SERVICE_NAME.test(service) || service.startsWith('com.amazonaws.vpce.')
              ? `reaches ${JSON.stringify(service ?? p.ServiceName)}, not an AWS service (com.amazonaws.<region>.<service>): an endpoint service of another network (PrivateLink)`
              : undefined;
        if (why !== undefined) {
          findings.push(
            finding(
              NAME,
              `${logicalId}::endpoint-to-another-network`,
              stack,
              logicalId,
              `VPC endpoint ${logicalId} of the PHI VPC ${why} (N1 N3)`,
            ),
          );
        }
      } else if (resource.Type === 'AWS::VpcLattice::ServiceNetworkVpcAssociation') {
        evaluated++;
        if (namesPhi(p.VpcIdentifier, stack)) {
          findings.push(
            finding(
              NAME,
              `${logicalId}::lattice-service-network`,
              stack,
              logicalId,
              `VPC Lattice association ${logicalId} joins the PHI VPC to a service network, which reaches services of other VPCs and accounts (N1)`,
            ),
          );
        }
      } else if (ATTACHMENTS.includes(resource.Type)) {
        evaluated++;
        if (namesPhi(p.VpcId, stack)) {
          findings.push(
            finding(
              NAME,
              'TransitGatewayAttachment::PHI-VPC',
              stack,
              logicalId,
              `Transit gateway attachment ${logicalId} attaches the PHI VPC (N1)`,
            ),
          );
        }
      } else if (resource.Type === 'AWS::EC2::Route') {
        const via =
          p.VpcPeeringConnectionId !== undefined
            ? 'peering'
            : p.TransitGatewayId !== undefined
              ? 'transit-gateway'
              : undefined;
        if (via === undefined) continue;
        evaluated++;
        const table = resolveValue(p.RouteTableId, stack, stacks);
        const tableInPhi =
          table.kind === 'resource' &&
          table.target.resource.Type === 'AWS::EC2::RouteTable' &&
          namesPhi(table.target.resource.Properties?.VpcId, table.target.stack);
        const destination = p.DestinationCidrBlock;
        const toPhi =
          typeof destination === 'string' && phiCidrs.some((c) => within(destination, c) || within(c, destination));
        if (tableInPhi || toPhi) {
          findings.push(
            finding(
              NAME,
              `Route::${via}`,
              stack,
              logicalId,
              `Route ${logicalId} ${tableInPhi ? 'of a PHI VPC route table' : 'to the PHI VPC addresses'} goes through a ${via === 'peering' ? 'VPC peering connection' : 'transit gateway'} (N1)`,
            ),
          );
        }
      }
    }
    return { findings, evaluated };
  },
};
