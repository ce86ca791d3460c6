import { Json, one, Probe, refersTo, remove } from './probe';

const isPhiVpc = (r: Json) => r.Metadata?.['HipaaBlueprint::Vpc']?.classification === 'PHI';
const isNonPhiVpc = (r: Json) => r.Metadata?.['HipaaBlueprint::Vpc']?.classification === 'NonPHI';

/** Network segmentation: N1 separate VPCs, N2 tiers and data ACL, N3 endpoints, N4 flow logs and default SG. */
export const PROBES: readonly Probe[] = [
  {
    name: 'N1 a peering between the PHI and non-PHI VPCs, with routes both ways',
    safeguards: ['N1'],
    mutate: (t) => {
      const [phi, phiVpc] = one(t, 'network', 'AWS::EC2::VPC', isPhiVpc);
      const [nonPhi, nonPhiVpc] = one(t, 'network', 'AWS::EC2::VPC', isNonPhiVpc);
      const [phiTable] = one(t, 'network', 'AWS::EC2::RouteTable', (r) => refersTo(r.Properties.VpcId, phi));
      const [nonPhiTable] = one(t, 'network', 'AWS::EC2::RouteTable', (r) => refersTo(r.Properties.VpcId, nonPhi));
      Object.assign(t.network!.Resources, {
        ProbePeering: {
          Type: 'AWS::EC2::VPCPeeringConnection',
          Properties: { VpcId: { Ref: phi }, PeerVpcId: { Ref: nonPhi } },
        },
        ProbeToNonPhi: {
          Type: 'AWS::EC2::Route',
          Properties: {
            RouteTableId: { Ref: phiTable },
            DestinationCidrBlock: nonPhiVpc.Properties.CidrBlock,
            VpcPeeringConnectionId: { Ref: 'ProbePeering' },
          },
        },
        ProbeToPhi: {
          Type: 'AWS::EC2::Route',
          Properties: {
            RouteTableId: { Ref: nonPhiTable },
            DestinationCidrBlock: phiVpc.Properties.CidrBlock,
            VpcPeeringConnectionId: { Ref: 'ProbePeering' },
          },
        },
      });
    },
    caughtBy: /NoPhiVpcInterconnect\[VPCPeeringConnection::PHI-VPC\]/,
  },
  {
    name: 'N1 the PHI VPC attached to a transit gateway',
    safeguards: ['N1'],
    mutate: (t) => {
      const [phi] = one(t, 'network', 'AWS::EC2::VPC', isPhiVpc);
      const subnets = Object.keys(t.network!.Resources).filter(
        (id) => id.startsWith('PhiVpcApplicationSubnet') && id.endsWith('Subnet'),
      );
      t.network!.Resources.ProbeAttachment = {
        Type: 'AWS::EC2::TransitGatewayVpcAttachment',
        Properties: {
          VpcId: { Ref: phi },
          TransitGatewayId: 'tgw-0123456789abcdef0',
          SubnetIds: subnets.map((s) => ({ Ref: s })),
        },
      };
    },
    caughtBy: /NoPhiVpcInterconnect\[TransitGatewayAttachment::PHI-VPC\]/,
  },
  {
    name: 'N2 the data-tier network ACL removed',
    safeguards: ['N2'],
    mutate: (t) => {
      const [acl] = one(t, 'network', 'AWS::EC2::NetworkAcl');
      const ids = Object.entries(t.network!.Resources)
        .filter(([id, r]) => id === acl || refersTo(r.Properties?.NetworkAclId, acl))
        .map(([id]) => id);
      remove(t, 'network', ids);
    },
    caughtBy: /DataTierNetworkAcl\[Subnet::default-network-acl\]/,
  },
  {
    name: 'N2 the data-tier ACL opened to the whole internet',
    safeguards: ['N2'],
    mutate: (t) =>
      Object.assign(
        one(t, 'network', 'AWS::EC2::NetworkAclEntry', (r) => r.Properties.Egress === false)[1].Properties,
        { CidrBlock: '0.0.0.0/0', Protocol: -1 },
      ),
    caughtBy: /DataTierNetworkAcl\[NetworkAclEntry::ingress-0\.0\.0\.0\/0/,
  },
  {
    name: 'N2 public IPs assigned on launch in the public tier',
    safeguards: ['N2'],
    mutate: (t) =>
      (one(
        t,
        'network',
        'AWS::EC2::Subnet',
        (r) => r.Metadata?.['HipaaBlueprint::Tier'] === 'public',
      )[1].Properties.MapPublicIpOnLaunch = true),
    caughtBy: /VPCSubnetAutoAssignPublicIpDisabled/,
  },
  {
    name: 'N3 the interface endpoints removed',
    safeguards: ['N3'],
    mutate: (t) =>
      remove(
        t,
        'network',
        Object.entries(t.network!.Resources)
          .filter(([, r]) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties.VpcEndpointType === 'Interface')
          .map(([id]) => id),
      ),
    caughtBy: /InterfaceEndpointsPresent\[Endpoint::ecr\.api\]/,
  },
  {
    name: 'N3 the tasks security group egress left to EC2 (allow all)',
    safeguards: ['N3'],
    mutate: (t) =>
      delete one(t, 'app', 'AWS::EC2::SecurityGroup', (_r, id) => id.startsWith('ApiService'))[1].Properties
        .SecurityGroupEgress,
    caughtBy: /SecurityGroupEgressExplicit\[SecurityGroupEgress::unset\]/,
  },
  {
    name: 'N4 the VPC flow logs removed',
    safeguards: ['N4'],
    mutate: (t) =>
      remove(
        t,
        'network',
        Object.entries(t.network!.Resources)
          .filter(([, r]) => r.Type === 'AWS::EC2::FlowLog')
          .map(([id]) => id),
      ),
    caughtBy: /VPCFlowLogsEnabled/,
  },
  {
    name: 'N4 the default security group left open (its closer removed)',
    safeguards: ['N4'],
    mutate: (t) =>
      remove(
        t,
        'network',
        Object.entries(t.network!.Resources)
          .filter(([, r]) => r.Type === 'Custom::VpcRestrictDefaultSG')
          .map(([id]) => id),
      ),
    caughtBy: /VPCDefaultSecurityGroupClosed/,
  },
];
