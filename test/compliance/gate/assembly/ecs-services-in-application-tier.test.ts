import { EcsServicesInApplicationTier } from '../../../../lib/compliance/gate/assembly/ecs-services-in-application-tier';
import { findingsOf, Mutable } from './assembly-fixture';

const output = (name: string) => ({ 'Fn::GetStackOutput': { StackName: 'app-prod-network', OutputName: name } });

/**
 * The fixture with a public subnet, the application and public subnets published by the network stack, and an ECS
 * service of the data stack in the application tier without public IPs (the blueprint's shape), then `mutate`.
 */
const withService =
  (mutate: (awsvpc: Mutable, t: Record<string, Mutable>) => void = () => undefined) =>
  (t: Record<string, Mutable>): void => {
    t.network.Resources.PublicSubnet = {
      Type: 'AWS::EC2::Subnet',
      Metadata: { 'HipaaBlueprint::Tier': 'public' },
      Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' },
    };
    Object.assign(t.network.Outputs, {
      AppSubnetId: { Value: { Ref: 'AppSubnet' } },
      PublicSubnetId: { Value: { Ref: 'PublicSubnet' } },
    });
    const awsvpc: Mutable = { AssignPublicIp: 'DISABLED', Subnets: [output('AppSubnetId')] };
    t.data.Resources.ApiService = {
      Type: 'AWS::ECS::Service',
      Properties: {
        LaunchType: 'FARGATE',
        TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:1',
        NetworkConfiguration: { AwsvpcConfiguration: awsvpc },
      },
    };
    mutate(awsvpc, t);
  };

describe('EcsServicesInApplicationTier', () => {
  test('N2 a service in the application tier without public IPs passes (AssignPublicIp DISABLED or absent)', () => {
    expect(findingsOf(EcsServicesInApplicationTier, withService())).toEqual([]);
    expect(
      findingsOf(
        EcsServicesInApplicationTier,
        withService((a) => delete a.AssignPublicIp),
      ),
    ).toEqual([]);
  });

  test.each<[string, (awsvpc: Mutable, t: Record<string, Mutable>) => void, string[]]>([
    [
      'the service in the public tier with public IPs',
      (a) => Object.assign(a, { AssignPublicIp: 'ENABLED', Subnets: [output('PublicSubnetId')] }),
      ['[AssignPublicIp::ENABLED] ApiService', '[Subnets::public] ApiService'],
    ],
    [
      'public IPs in the application tier',
      (a) => (a.AssignPublicIp = 'ENABLED'),
      ['[AssignPublicIp::ENABLED] ApiService'],
    ],
    [
      'public IPs chosen by a condition',
      (a) => (a.AssignPublicIp = { 'Fn::If': ['C', 'ENABLED', { Ref: 'AWS::NoValue' }] }),
      ['[AssignPublicIp::ENABLED+absent] ApiService'],
    ],
    [
      'one subnet of the data tier among the application ones',
      (a) => a.Subnets.push(output('DataSubnetId')),
      ['[Subnets::data] ApiService'],
    ],
    [
      'a literal subnet id (no subnet of the assembly)',
      (a) => (a.Subnets = ['subnet-0123456789abcdef0']),
      ['[Subnets::unresolved] ApiService'],
    ],
    [
      'subnets only deploy resolves',
      (a) => (a.Subnets = { 'Fn::Split': [',', { 'Fn::ImportValue': 'subnets' }] }),
      ['[Subnets::unresolved] ApiService'],
    ],
    [
      'a subnet of a VPC that gives it no tier',
      (_a, t) => delete t.network.Resources.AppSubnet.Metadata,
      ['[Subnets::untiered] ApiService'],
    ],
    [
      'no awsvpc network configuration',
      (_a, t) => delete t.data.Resources.ApiService.Properties.NetworkConfiguration,
      ['[NetworkConfiguration::unresolved] ApiService'],
    ],
  ])('N2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(EcsServicesInApplicationTier, withService(mutate))).toEqual(expected);
  });
});
