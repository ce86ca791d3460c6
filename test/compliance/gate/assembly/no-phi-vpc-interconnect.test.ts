import { NoPhiVpcInterconnect } from '../../../../lib/compliance/gate/assembly/no-phi-vpc-interconnect';
import { findingsOf, Mutable } from './assembly-fixture';

const net = (t: Record<string, Mutable>) => t.network.Resources;

describe('NoPhiVpcInterconnect', () => {
  test('N1 separate PHI and non-PHI VPCs pass; a peering between two non-PHI VPCs is not this rule s business', () => {
    expect(findingsOf(NoPhiVpcInterconnect)).toEqual([]);
    expect(
      findingsOf(NoPhiVpcInterconnect, (t) => {
        net(t).Other = {
          Type: 'AWS::EC2::VPC',
          Metadata: { 'HipaaBlueprint::Vpc': { classification: 'NonPHI', interfaceEndpoints: [] } },
          Properties: { CidrBlock: '10.2.0.0/16' },
        };
        net(t).Peering = {
          Type: 'AWS::EC2::VPCPeeringConnection',
          Properties: { VpcId: { Ref: 'NonPhiVpc' }, PeerVpcId: { Ref: 'Other' } },
        };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'a peering between the PHI and non-PHI VPCs, with routes both ways',
      (t) => {
        net(t).PhiTable = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } };
        net(t).Peering = {
          Type: 'AWS::EC2::VPCPeeringConnection',
          Properties: { VpcId: { Ref: 'Vpc' }, PeerVpcId: { Ref: 'NonPhiVpc' } },
        };
        net(t).ToNonPhi = {
          Type: 'AWS::EC2::Route',
          Properties: {
            RouteTableId: { Ref: 'PhiTable' },
            DestinationCidrBlock: '10.1.0.0/16',
            VpcPeeringConnectionId: { Ref: 'Peering' },
          },
        };
        net(t).ToPhi = {
          Type: 'AWS::EC2::Route',
          Properties: {
            RouteTableId: { Ref: 'NonPhiTable' },
            DestinationCidrBlock: '10.0.0.0/16',
            VpcPeeringConnectionId: { Ref: 'Peering' },
          },
        };
      },
      ['[Route::peering] ToNonPhi', '[Route::peering] ToPhi', '[VPCPeeringConnection::PHI-VPC] Peering'],
    ],
    [
      'a peering in another stack naming the PHI VPC through an output',
      (t) => {
        t.data.Resources.Peering = {
          Type: 'AWS::EC2::VPCPeeringConnection',
          Properties: {
            VpcId: { 'Fn::GetStackOutput': { StackName: 'app-prod-network', OutputName: 'VpcId' } },
            PeerVpcId: 'vpc-0123456789abcdef0',
          },
        };
      },
      ['[VPCPeeringConnection::PHI-VPC] Peering'],
    ],
    [
      'a transit gateway attachment of the PHI VPC',
      (t) =>
        (net(t).Attachment = {
          Type: 'AWS::EC2::TransitGatewayVpcAttachment',
          Properties: { VpcId: { Ref: 'Vpc' }, TransitGatewayId: 'tgw-1', SubnetIds: [] },
        }),
      ['[TransitGatewayAttachment::PHI-VPC] Attachment'],
    ],
    [
      'a route of the non-PHI VPC to the PHI addresses through a transit gateway',
      (t) =>
        (net(t).ToPhi = {
          Type: 'AWS::EC2::Route',
          Properties: {
            RouteTableId: { Ref: 'NonPhiTable' },
            DestinationCidrBlock: '10.0.2.0/24',
            TransitGatewayId: 'tgw-1',
          },
        }),
      ['[Route::transit-gateway] ToPhi'],
    ],
  ])('N1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(NoPhiVpcInterconnect, mutate)).toEqual(expected);
  });
});

describe('NoPhiVpcInterconnect: endpoints to other networks (attacker review, 2026-12-02)', () => {
  const endpoint = (properties: Mutable) => (t: Record<string, Mutable>) => {
    net(t).PartnerEndpoint = {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcId: { Ref: 'Vpc' }, VpcEndpointType: 'Interface', PrivateDnsEnabled: false, ...properties },
    };
  };

  test('N1 N3 AWS services pass, written literally or with the stack region; the non-PHI VPC is not judged', () => {
    expect(findingsOf(NoPhiVpcInterconnect, endpoint({ ServiceName: 'com.amazonaws.us-east-1.kms' }))).toEqual([]);
    expect(
      findingsOf(
        NoPhiVpcInterconnect,
        endpoint({
          VpcEndpointType: 'Gateway',
          ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
        }),
      ),
    ).toEqual([]);
    expect(
      findingsOf(NoPhiVpcInterconnect, (t) => {
        endpoint({ ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718' })(t);
        net(t).PartnerEndpoint.Properties.VpcId = { Ref: 'NonPhiVpc' };
      }),
    ).toEqual([]);
  });

  test.each<[string, Mutable]>([
    [
      'an endpoint service someone runs (PrivateLink)',
      { ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718' },
    ],
    ['a partner service name', { ServiceName: 'com.partner.saas.us-east-1.intake' }],
    ['a service name only deploy knows', { ServiceName: { Ref: 'ServiceName' } }],
    [
      'a VPC Lattice service network',
      {
        VpcEndpointType: 'ServiceNetwork',
        ServiceNetworkArn: 'arn:aws:vpc-lattice:us-east-1:999999999999:servicenetwork/sn-0123456789abcdef0',
      },
    ],
    [
      'a VPC Lattice resource',
      {
        VpcEndpointType: 'Resource',
        ResourceConfigurationArn: 'arn:aws:vpc-lattice:us-east-1:999999999999:resourceconfiguration/rcfg-0123',
      },
    ],
  ])('N1 N3 a PHI VPC endpoint to %s is a finding', (_, properties) => {
    expect(findingsOf(NoPhiVpcInterconnect, endpoint(properties))).toEqual([
      '[PartnerEndpoint::endpoint-to-another-network] PartnerEndpoint',
    ]);
  });

  test('N1 a VPC Lattice association of the PHI VPC with a service network is a finding', () => {
    expect(
      findingsOf(NoPhiVpcInterconnect, (t) => {
        net(t).Lattice = {
          Type: 'AWS::VpcLattice::ServiceNetworkVpcAssociation',
          Properties: { VpcIdentifier: { Ref: 'Vpc' }, ServiceNetworkIdentifier: 'sn-0123456789abcdef0' },
        };
      }),
    ).toEqual(['[Lattice::lattice-service-network] Lattice']);
  });
});
