import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { validateConfig } from '../../lib/config';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { testConfig } from '../support/blueprint';
import { constructPaths, logicalIdAt, synthesizedStack, synthesizedTemplate } from '../support/synthesized';

// The network stack as the shared dev synth wrote it (test/support/global-setup.ts): the stage's own props, the gate on.
const template = synthesizedTemplate('dev', 'Network');
const at = (path: string): string => logicalIdAt('dev', 'Network', `Dev/Network/${path}`);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const config = testConfig('dev');

function ofType(type: string): Array<[string, { Properties: Record<string, unknown> }]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

describe('NetworkStack', () => {
  // SegmentedVpc's own safeguards are tested in test/constructs/segmented-vpc.test.ts; here, what the stack adds.
  it('N1 creates a PHI and a non-PHI VPC with no route between them', () => {
    template.resourceCountIs('AWS::EC2::VPC', 2);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.10.0.0/16' });
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    for (const type of [
      'AWS::EC2::VPCPeeringConnection',
      'AWS::EC2::TransitGateway',
      'AWS::EC2::TransitGatewayAttachment',
    ]) {
      template.resourceCountIs(type, 0);
    }
  });

  it('N2 N3 config.network reaches the PHI VPC (data tier on databasePort, interface endpoints); the non-PHI VPC has neither', () => {
    const iface = ofType('AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface');
    expect(iface.every(([id]) => id.startsWith('PhiVpc'))).toBe(true);
    expect(
      iface.map(([, e]) => String(e.Properties.ServiceName).replace('com.amazonaws.us-east-1.', '')).sort(),
    ).toEqual([...config.network.interfaceEndpoints].sort());
    const ports = ofType('AWS::EC2::NetworkAclEntry')
      .filter(([, e]) => e.Properties.Egress !== true)
      .map(([, e]) => e.Properties.PortRange);
    expect(ports).toEqual([
      { From: config.network.databasePort, To: config.network.databasePort },
      { From: config.network.databasePort, To: config.network.databasePort },
    ]);
    expect(ofType('AWS::EC2::Subnet').filter(([id]) => id.startsWith('NonPhiVpcData'))).toEqual([]);
    const acls = ofType('AWS::EC2::NetworkAcl').map(([id]) => constructPaths('dev', 'Network').get(id));
    expect(acls).toEqual(['Dev/Network/PhiVpc/DataAcl/Resource']);
  });

  it('N3 config.network.internetEgress nat reaches the PHI VPC: one NAT gateway per AZ (the non-PHI VPC has no public tier)', () => {
    const nat = validateConfig(testConfig('dev', { network: { internetEgress: 'nat' } }));
    const root = new Construct(new App({ builtinCloudFormationValidation: false }), 'Dev');
    const keys = new KeysStack(root, 'Keys', { config: nat });
    const network = new NetworkStack(root, 'Network', { config: nat, keys: keys.keys });
    const natTemplate = Template.fromStack(network);
    natTemplate.resourceCountIs('AWS::EC2::NatGateway', 2);
    expect(
      Object.keys(natTemplate.findResources('AWS::EC2::NatGateway'))
        .map((id) => id.replace(/PublicSubnet.*/, ''))
        .sort(),
    ).toEqual(['PhiVpc', 'PhiVpc']);
  });

  it('N4 both VPCs log their flows to log groups encrypted with the operations key of the keys stack', () => {
    template.resourceCountIs('AWS::EC2::FlowLog', 2);
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: config.retention.logRetentionDays,
      // The operations key of the keys stack, read as a weak cross-stack reference.
      KmsKeyId: {
        'Fn::GetStackOutput': Match.objectLike({
          StackName: 'hipaa-dev-keys',
          OutputName: Match.stringLikeRegexp('OperationsKey'),
        }),
      },
    });
  });

  it('outputs both VPC ids', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.PhiVpcId.Value).toEqual({ Ref: at('PhiVpc/Vpc/Resource') });
    expect(outputs.NonPhiVpcId.Value).toEqual({
      Ref: at('NonPhiVpc/Vpc/Resource'),
    });
  });

  it('I2 flow log groups are retained and their logical IDs pinned', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(groups).sort()).toEqual([
      'NonPhiVpcFlowLogGroupBE47BA1E',
      'PhiVpcFlowLogGroup1FD643E8',
      'VpcRestrictDefaultSgProviderLogGroup9E98C1E3',
    ]);
    for (const g of Object.values(groups)) {
      expect(g.DeletionPolicy).toBe('Retain');
      expect(g.UpdateReplacePolicy).toBe('Retain');
    }
    expect(at('PhiVpc/FlowLogGroup/Resource/Resource')).toBe('PhiVpcFlowLogGroup1FD643E8');
  });

  it('tags the non-PHI VPC as non-PHI and the PHI VPC as PHI', () => {
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.20.0.0/16',
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'NonPHI' }]),
    });
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.10.0.0/16',
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'PHI' }]),
    });
  });

  it('I2 has termination protection', () => {
    expect(synthesizedStack('dev', 'Network').terminationProtection).toBe(true);
  });

  it('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
