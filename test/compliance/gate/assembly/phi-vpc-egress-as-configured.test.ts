import { PhiVpcEgressAsConfigured } from '../../../../lib/compliance/gate/assembly/phi-vpc-egress-as-configured';
import { asAssembly, findingsOf, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

/** A route table of the PHI VPC associated with `subnet`, with one route whose target is `target`. */
function routeFrom(t: Record<string, Mutable>, subnet: string, target: Mutable, prefix = subnet): void {
  const r = t.network.Resources;
  r[`${prefix}Table`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } };
  r[`${prefix}Association`] = {
    Type: 'AWS::EC2::SubnetRouteTableAssociation',
    Properties: { RouteTableId: { Ref: `${prefix}Table` }, SubnetId: { Ref: subnet } },
  };
  r[`${prefix}Default`] = {
    Type: 'AWS::EC2::Route',
    Properties: { RouteTableId: { Ref: `${prefix}Table` }, DestinationCidrBlock: '0.0.0.0/0', ...target },
  };
}

/** A public subnet with an internet gateway, and a NAT gateway in it. */
function publicTierWithNat(t: Record<string, Mutable>): void {
  const r = t.network.Resources;
  r.PublicSubnet = {
    Type: 'AWS::EC2::Subnet',
    Metadata: { 'HipaaBlueprint::Tier': 'public' },
    Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' },
  };
  r.Igw = { Type: 'AWS::EC2::InternetGateway' };
  r.Eip = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
  r.Nat = {
    Type: 'AWS::EC2::NatGateway',
    Properties: { AllocationId: { 'Fn::GetAtt': ['Eip', 'AllocationId'] }, SubnetId: { Ref: 'PublicSubnet' } },
  };
  routeFrom(t, 'PublicSubnet', { GatewayId: { Ref: 'Igw' } });
}

const check = (mutate: (t: Record<string, Mutable>) => void, internetEgress?: 'none' | 'nat'): string[] => {
  const t = fixtureTemplates();
  mutate(t);
  return PhiVpcEgressAsConfigured.check(asAssembly(t), {
    phiBucketNames: [PHI_BUCKET],
    ...(internetEgress !== undefined ? { internetEgress } : {}),
  })
    .findings.map((f) => f.ruleId.slice(`Blueprint-${PhiVpcEgressAsConfigured.name}`.length))
    .sort();
};

describe('PhiVpcEgressAsConfigured', () => {
  test('N2 N3 the shipped shape passes: a public tier with its internet gateway, no route out of the other tiers', () => {
    expect(findingsOf(PhiVpcEgressAsConfigured)).toEqual([]);
    expect(check((t) => routeFrom(t, 'PublicSubnet', {}, 'Unused'))).toEqual([]);
    const publicOnly = (t: Record<string, Mutable>) => {
      publicTierWithNat(t);
      delete t.network.Resources.Nat;
    };
    expect(check(publicOnly)).toEqual([]);
  });

  test("N3 a NAT gateway and a default route from the application tier (attacker review) are findings while config's internetEgress is 'none' or unknown", () => {
    const nat = (t: Record<string, Mutable>) => {
      publicTierWithNat(t);
      routeFrom(t, 'AppSubnet', { NatGatewayId: { Ref: 'Nat' } });
    };
    const expected = ['[AppSubnetDefault::application-tier-egress]', '[Nat::nat-without-egress]'];
    expect(check(nat)).toEqual(expected);
    expect(check(nat, 'none')).toEqual(expected);
    // With 'nat', the application tier's route to its NAT gateway is what config asked for.
    expect(check(nat, 'nat')).toEqual([]);
  });

  test('N2 the data tier routes nowhere out of the VPC, whatever config says', () => {
    const dataNat = (t: Record<string, Mutable>) => {
      publicTierWithNat(t);
      routeFrom(t, 'DataSubnet', { NatGatewayId: { Ref: 'Nat' } });
    };
    expect(check(dataNat, 'nat')).toEqual(['[DataSubnetDefault::data-tier-egress]']);
  });

  test.each<[string, Mutable]>([
    ['an internet gateway', { GatewayId: { Ref: 'Igw' } }],
    ['an egress-only internet gateway', { EgressOnlyInternetGatewayId: 'eigw-0123456789abcdef0' }],
    ['a NAT instance', { InstanceId: 'i-0123456789abcdef0' }],
    ['a forwarding appliance’s network interface', { NetworkInterfaceId: 'eni-0123456789abcdef0' }],
    ['a Gateway Load Balancer endpoint', { VpcEndpointId: 'vpce-0123456789abcdef0' }],
    ['a virtual private gateway (a VPN)', { GatewayId: 'vgw-0123456789abcdef0' }],
  ])('N3 an application tier route to %s is a finding even with internetEgress nat', (_, target) => {
    const route = (t: Record<string, Mutable>) => {
      publicTierWithNat(t);
      routeFrom(t, 'AppSubnet', target);
    };
    expect(check(route, 'nat')).toEqual(['[AppSubnetDefault::application-tier-egress]']);
  });

  test('N3 a subnet of unknown tier is held to the application tier; a route table in another stack is followed', () => {
    const unknown = (t: Record<string, Mutable>) => {
      publicTierWithNat(t);
      t.network.Resources.OtherSubnet = {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.9.0/24' },
      };
      routeFrom(t, 'OtherSubnet', { NatGatewayId: { Ref: 'Nat' } });
    };
    expect(check(unknown)).toEqual(['[Nat::nat-without-egress]', '[OtherSubnetDefault::unknown-tier-egress]']);
    const elsewhere = (t: Record<string, Mutable>) => {
      publicTierWithNat(t);
      routeFrom(t, 'AppSubnet', { NatGatewayId: { Ref: 'Nat' } });
      t.network.Outputs.AppTable = { Value: { Ref: 'AppSubnetTable' } };
      const route = t.network.Resources.AppSubnetDefault;
      delete t.network.Resources.AppSubnetDefault;
      route.Properties.RouteTableId = {
        'Fn::GetStackOutput': { StackName: 'app-prod-network', OutputName: 'AppTable' },
      };
      route.Properties.NatGatewayId = 'nat-0123456789abcdef0';
      t.data.Resources.SneakyRoute = route;
    };
    expect(check(elsewhere, 'nat')).toEqual([]);
    expect(check(elsewhere)).toEqual(['[Nat::nat-without-egress]', '[SneakyRoute::application-tier-egress]']);
  });
});
