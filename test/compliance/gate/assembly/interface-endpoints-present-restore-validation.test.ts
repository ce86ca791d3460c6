import {
  endpointsTheWorkloadNeeds,
  InterfaceEndpointsPresent,
} from '../../../../lib/compliance/gate/assembly/interface-endpoints-present';
import { asAssembly, findingsOf, fixtureTemplates, Mutable } from './assembly-fixture';

const inVpc = (t: Record<string, Mutable>) =>
  (t.data.Resources.RestoreValidationFunction.Properties.VpcConfig = { SubnetIds: ['subnet-1'] });

describe('InterfaceEndpointsPresent: the restore validation in the VPC', () => {
  test('I1 N3 the restore validation in the VPC needs the backup, monitoring and rds endpoints', () => {
    const t = fixtureTemplates();
    expect([...endpointsTheWorkloadNeeds(asAssembly(t)).keys()]).not.toContain('rds');
    inVpc(t);
    const needs = endpointsTheWorkloadNeeds(asAssembly(t));
    expect(needs.get('rds')).toBe('the restore validation in the VPC');
    expect(needs.get('backup')).toBe('the restore validation in the VPC');
    expect(needs.has('monitoring')).toBe(true);
  });

  test('I1 N3 without them (no NAT) each is a finding; with a NAT gateway none is', () => {
    expect(findingsOf(InterfaceEndpointsPresent, inVpc)).toEqual([
      '[Endpoint::backup] Vpc',
      '[Endpoint::monitoring] Vpc',
      '[Endpoint::rds] Vpc',
    ]);
    expect(
      findingsOf(InterfaceEndpointsPresent, (t) => {
        inVpc(t);
        t.network.Resources.Nat = { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } };
      }),
    ).toEqual([]);
  });
});
