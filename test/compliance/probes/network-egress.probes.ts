import { idsOf, one, Probe, Templates } from './probe';

/** The PHI VPC's subnets of `tier` (their tier marker), and their route tables (the association's). */
function tables(t: Templates, tier: string): string[] {
  const r = t.network!.Resources;
  const subnets = idsOf(t, 'network', 'AWS::EC2::Subnet', (s, id) => {
    return s.Metadata?.['HipaaBlueprint::Tier'] === tier && id.startsWith('PhiVpc');
  });
  return idsOf(t, 'network', 'AWS::EC2::SubnetRouteTableAssociation', (a) =>
    subnets.includes(a.Properties.SubnetId?.Ref),
  ).map((id) => r[id]!.Properties.RouteTableId.Ref as string);
}

/** A NAT gateway in the PHI VPC's first public subnet, and a default route to it from each route table given. */
function natFor(t: Templates, routeTables: readonly string[]): void {
  const r = t.network!.Resources;
  const [publicSubnet] = idsOf(t, 'network', 'AWS::EC2::Subnet', (s, id) => {
    return s.Metadata?.['HipaaBlueprint::Tier'] === 'public' && id.startsWith('PhiVpc');
  });
  if (publicSubnet === undefined) throw new Error('probe: no public subnet in the PHI VPC');
  r.ProbeNatEip = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
  r.ProbeNat = {
    Type: 'AWS::EC2::NatGateway',
    Properties: { AllocationId: { 'Fn::GetAtt': ['ProbeNatEip', 'AllocationId'] }, SubnetId: { Ref: publicSubnet } },
  };
  routeTables.forEach((table, i) => {
    r[`ProbeNatRoute${i}`] = {
      Type: 'AWS::EC2::Route',
      Properties: {
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: 'ProbeNat' },
        RouteTableId: { Ref: table },
      },
    };
  });
}

/** A copy of the PHI VPC's KMS interface endpoint with `properties` changed (it keeps its policy and security group). */
function endpointLike(t: Templates, properties: Record<string, unknown>): void {
  const [, kms] = one(t, 'network', 'AWS::EC2::VPCEndpoint', (e) => {
    return typeof e.Properties.ServiceName === 'string' && e.Properties.ServiceName.endsWith('.kms');
  });
  const copy = JSON.parse(JSON.stringify(kms)) as { Properties: Record<string, unknown>; Metadata?: unknown };
  delete copy.Metadata;
  Object.assign(copy.Properties, properties);
  t.network!.Resources.ProbePartnerEndpoint = copy;
}

/** The attacker review of 2026-12-02 (network): ways out of the PHI VPC that passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: "N3 a NAT gateway and default routes from the PHI VPC's application tier (config's internetEgress is 'none')",
    safeguards: ['N3'],
    mutate: (t) => natFor(t, tables(t, 'application')),
    caughtBy: /PhiVpcEgressAsConfigured\[ProbeNatRoute\d::application-tier-egress\]/,
  },
  {
    name: "N2 a default route from the PHI VPC's data tier to a NAT gateway",
    safeguards: ['N2'],
    mutate: (t) => natFor(t, tables(t, 'data').slice(0, 1)),
    caughtBy: /PhiVpcEgressAsConfigured\[ProbeNatRoute0::data-tier-egress\]/,
  },
  {
    name: 'N3 a NAT gateway in the PHI VPC without a route yet (internetEgress none)',
    safeguards: ['N3'],
    mutate: (t) => natFor(t, []),
    caughtBy: /PhiVpcEgressAsConfigured\[ProbeNat::nat-without-egress\]/,
  },
  {
    name: "N1 N3 an interface endpoint in the PHI VPC to another account's endpoint service (PrivateLink)",
    safeguards: ['N1', 'N3'],
    mutate: (t) =>
      endpointLike(t, {
        ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718',
        PrivateDnsEnabled: false,
      }),
    caughtBy: /NoPhiVpcInterconnect\[ProbePartnerEndpoint::endpoint-to-another-network\]/,
  },
  {
    name: 'N1 N3 a VPC Lattice service network endpoint in the PHI VPC',
    safeguards: ['N1', 'N3'],
    mutate: (t) =>
      endpointLike(t, {
        VpcEndpointType: 'ServiceNetwork',
        ServiceName: undefined,
        PrivateDnsEnabled: undefined,
        ServiceNetworkArn: 'arn:aws:vpc-lattice:us-east-1:999999999999:servicenetwork/sn-0123456789abcdef0',
      }),
    caughtBy: /NoPhiVpcInterconnect\[ProbePartnerEndpoint::endpoint-to-another-network\]/,
  },
];
