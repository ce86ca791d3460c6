import { assemblyResources, AssemblyStack, isObject, resolveValue, StackResource } from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { keyOf, subnetsOf, vpcsOf } from './network-facts';

const NAME = 'PhiVpcEgressAsConfigured';

/**
 * The route targets that lead out of the VPC's own address space towards the internet or a device that may forward
 * there: a NAT gateway; an internet, egress-only, carrier or local gateway (GatewayId also names a virtual private
 * gateway: a VPN, outside the account); an instance or network interface (a NAT instance, any forwarding appliance);
 * a Gateway Load Balancer endpoint (an appliance's); a Cloud WAN core network. Peering and transit gateways are
 * NoPhiVpcInterconnect's.
 */
const EGRESS_TARGETS: Readonly<Record<string, string>> = {
  NatGatewayId: 'a NAT gateway',
  GatewayId: 'an internet or virtual private gateway',
  EgressOnlyInternetGatewayId: 'an egress-only internet gateway',
  CarrierGatewayId: 'a carrier gateway',
  LocalGatewayId: 'a local gateway',
  InstanceId: 'an instance',
  NetworkInterfaceId: 'a network interface',
  VpcEndpointId: 'a Gateway Load Balancer endpoint',
  CoreNetworkArn: 'a Cloud WAN core network',
};

/** The resource a value names in the assembly (Ref, Fn::GetAtt, across stacks), if it names one. */
function named(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource | undefined {
  const resolved = resolveValue(value, from, stacks);
  return resolved.kind === 'resource' ? resolved.target : undefined;
}

/**
 * N2 N3: the PHI VPC's application and data tiers reach the internet only as config says. Every route of a route table
 * associated with a subnet of the PHI VPC that is not in its public tier (the load balancer's) is judged: in the data
 * tier, no route may lead out (N2: no route to the internet); in the application tier, only a route to a NAT gateway,
 * and only when config's `network.internetEgress` is 'nat' (N3; without config, 'none'). With 'none', the PHI VPC holds
 * no NAT gateway at all. A subnet whose tier is unknown is held to the application tier's rule. Routes are found
 * wherever they are (any stack, the route table named by reference across stacks).
 */
export const PhiVpcEgressAsConfigured: AssemblyRule = {
  name: NAME,
  info: "A route of the PHI VPC's application or data tier leads out of the VPC (a NAT gateway while config's internetEgress is 'none', or an internet, egress-only, virtual private or other gateway, an instance, a network interface, a Gateway Load Balancer endpoint), or the PHI VPC holds a NAT gateway while config's internetEgress is 'none'.",
  explanation:
    'Workloads of the PHI VPC reach AWS through VPC endpoints; a route out of the application or data tier gives every task or the database a path to anywhere on the internet, which config did not ask for (164.312(e)(1)).',
  safeguards: ['N2', 'N3'],
  hipaaSections: ['164.312(e)(1)', '164.308(a)(4)(ii)(B)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    const natAllowed = context.internetEgress === 'nat';
    for (const vpc of vpcsOf(stacks).filter((v) => v.phi)) {
      // The tier of every subnet of this VPC, by subnet key.
      const tiers = new Map(subnetsOf(vpc).map((s) => [keyOf(s), s.tier ?? 'unknown']));
      // The non-public tiers each route table of the assembly is associated with, in this VPC.
      const tableTiers = new Map<string, Set<string>>();
      for (const association of assemblyResources(stacks, 'AWS::EC2::SubnetRouteTableAssociation')) {
        const subnet = named(association.resource.Properties?.SubnetId, association.stack, stacks);
        const table = named(association.resource.Properties?.RouteTableId, association.stack, stacks);
        const tier = subnet === undefined ? undefined : tiers.get(keyOf(subnet));
        if (table === undefined || tier === undefined || tier === 'public') continue;
        const set = tableTiers.get(keyOf(table)) ?? new Set<string>();
        set.add(tier);
        tableTiers.set(keyOf(table), set);
      }
      for (const route of assemblyResources(stacks, 'AWS::EC2::Route')) {
        const table = named(route.resource.Properties?.RouteTableId, route.stack, stacks);
        const routed = table === undefined ? undefined : tableTiers.get(keyOf(table));
        if (routed === undefined) continue;
        evaluated++;
        const properties = isObject(route.resource.Properties) ? route.resource.Properties : {};
        for (const [property, what] of Object.entries(EGRESS_TARGETS)) {
          if (properties[property] === undefined) continue;
          const target = named(properties[property], route.stack, stacks);
          const toNat = property === 'NatGatewayId' || target?.resource.Type === 'AWS::EC2::NatGateway';
          for (const tier of routed) {
            // The application tier (or an unknown one) may route to a NAT gateway when config asks for egress.
            if (toNat && natAllowed && tier !== 'data') continue;
            findings.push(
              finding(
                NAME,
                `${route.logicalId}::${tier}-tier-egress`,
                route.stack,
                route.logicalId,
                `Route ${route.logicalId} (${route.stack.stackName}) of the PHI VPC ${vpc.logicalId}'s ${tier} tier leads to ${what} (${property})${tier === 'data' ? ': the data tier has no route out of the VPC (N2)' : toNat ? ": config's internetEgress is not 'nat' (N3)" : ': the application tier reaches the internet only through a NAT gateway config asks for (N3)'}`,
              ),
            );
          }
        }
      }
      if (natAllowed) continue;
      for (const nat of assemblyResources(stacks, 'AWS::EC2::NatGateway')) {
        const subnet = named(nat.resource.Properties?.SubnetId, nat.stack, stacks);
        if (subnet === undefined || !tiers.has(keyOf(subnet))) continue;
        evaluated++;
        findings.push(
          finding(
            NAME,
            `${nat.logicalId}::nat-without-egress`,
            nat.stack,
            nat.logicalId,
            `NAT gateway ${nat.logicalId} (${nat.stack.stackName}) is in the PHI VPC ${vpc.logicalId}, whose config's internetEgress is 'none' (or unknown): egress to the internet only if config asks for it (N3)`,
          ),
        );
      }
    }
    return { findings, evaluated };
  },
};
