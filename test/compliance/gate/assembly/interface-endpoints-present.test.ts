import { InterfaceEndpointsPresent } from '../../../../lib/compliance/gate/assembly/interface-endpoints-present';
import { findingsOf, Mutable } from './assembly-fixture';

const ecsService = (exec: boolean | string) => ({
  Type: 'AWS::ECS::Service',
  Properties: { Cluster: 'c', TaskDefinition: 't', EnableExecuteCommand: exec },
});

/** An ECS service with ECS Exec set to `exec`, and every endpoint it needs except the two ECS Exec needs. */
const execWithoutItsEndpoints =
  (exec: boolean | string) =>
  (t: Record<string, Mutable>): void => {
    t.data.Resources.Service = ecsService(exec);
    for (const n of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']) {
      t.network.Resources[`E${n.replace('.', '')}`] = {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          VpcEndpointType: 'Interface',
          ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${n}`]] },
          PrivateDnsEnabled: 'true',
        },
      };
    }
  };

describe('InterfaceEndpointsPresent', () => {
  test('N3 the declared endpoints present pass; with a NAT gateway, endpoints the workloads need are not required', () => {
    expect(findingsOf(InterfaceEndpointsPresent)).toEqual([]);
    expect(
      findingsOf(InterfaceEndpointsPresent, (t) => {
        t.network.Resources.Nat = { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } };
        t.data.Resources.Service = ecsService(false);
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    ['the declared sns endpoint removed', (t) => delete t.network.Resources.SnsEndpoint, ['[Endpoint::sns] Vpc']],
    [
      'an ECS service without the ECR, Logs and Secrets Manager endpoints (no NAT)',
      (t) => (t.data.Resources.Service = ecsService(false)),
      ['[Endpoint::ecr.api] Vpc', '[Endpoint::ecr.dkr] Vpc', '[Endpoint::logs] Vpc', '[Endpoint::secretsmanager] Vpc'],
    ],
    [
      'ECS Exec without the SSM messages and KMS endpoints',
      execWithoutItsEndpoints(true),
      ['[Endpoint::kms] Vpc', '[Endpoint::ssmmessages] Vpc'],
    ],
    [
      'ECS Exec turned on as "true" (a string, as CloudFormation takes it) without the SSM messages and KMS endpoints',
      execWithoutItsEndpoints('true'),
      ['[Endpoint::kms] Vpc', '[Endpoint::ssmmessages] Vpc'],
    ],
    [
      'the critical findings age check in the VPC without the securityhub and monitoring endpoints',
      (t) => (t.detection.Resources.FindingsAgeFunction.Properties.VpcConfig = { SubnetIds: ['subnet-1'] }),
      ['[Endpoint::monitoring] Vpc', '[Endpoint::securityhub] Vpc'],
    ],
    [
      'an endpoint of the right service in another VPC',
      (t) => (t.network.Resources.SnsEndpoint.Properties.VpcId = { Ref: 'NonPhiVpc' }),
      ['[Endpoint::sns] Vpc'],
    ],
    [
      'the declared sns endpoint without private DNS (the SDK resolves the public endpoint)',
      (t) => (t.network.Resources.SnsEndpoint.Properties.PrivateDnsEnabled = false),
      ['[Endpoint::sns-private-dns-off] Vpc'],
    ],
    [
      'the declared sns endpoint with private DNS left to the default (false)',
      (t) => delete t.network.Resources.SnsEndpoint.Properties.PrivateDnsEnabled,
      ['[Endpoint::sns-private-dns-off] Vpc'],
    ],
    [
      'the declared sns endpoint with private DNS chosen by a condition',
      (t) => (t.network.Resources.SnsEndpoint.Properties.PrivateDnsEnabled = { 'Fn::If': ['C', true, false] }),
      ['[Endpoint::sns-private-dns-off] Vpc'],
    ],
  ])('N3 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(InterfaceEndpointsPresent, mutate)).toEqual(expected);
  });
});
