import { DataTierNetworkAcl } from '../../../../lib/compliance/gate/assembly/data-tier-network-acl';
import { findingsOf, Mutable } from './assembly-fixture';

describe('DataTierNetworkAcl', () => {
  test('N2 a data tier whose ACL admits only the application tier on the database port passes', () => {
    expect(findingsOf(DataTierNetworkAcl)).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the data-tier network ACL removed (default ACL)',
      (t) => {
        for (const id of ['DataAcl', 'DataAclAssociation', 'DatabaseFromApp', 'RepliesToApp'])
          delete t.network.Resources[id];
      },
      ['[Subnet::default-network-acl] DataSubnet'],
    ],
    [
      'the ACL and the tier marker removed: the subnet is found through the database subnet group',
      (t) => {
        for (const id of ['DataAcl', 'DataAclAssociation', 'DatabaseFromApp', 'RepliesToApp'])
          delete t.network.Resources[id];
        delete t.network.Resources.DataSubnet.Metadata;
      },
      ['[Subnet::default-network-acl] DataSubnet'],
    ],
    [
      'an entry admitting everyone',
      (t) => Object.assign(t.network.Resources.DatabaseFromApp.Properties, { CidrBlock: '0.0.0.0/0', Protocol: -1 }),
      ['[NetworkAclEntry::ingress-0.0.0.0/0-protocol--1-ports-5433-5433] DatabaseFromApp'],
    ],
    [
      'an entry admitting the application tier on every port',
      (t) => (t.network.Resources.DatabaseFromApp.Properties.PortRange = { From: 0, To: 65535 }),
      ['[NetworkAclEntry::ingress-10.0.1.0/24-protocol-6-ports-0-65535] DatabaseFromApp'],
    ],
    [
      'an egress entry to the internet',
      (t) => (t.network.Resources.RepliesToApp.Properties.CidrBlock = '0.0.0.0/0'),
      ['[NetworkAclEntry::egress-0.0.0.0/0-protocol-6-ports-1024-65535] RepliesToApp'],
    ],
  ])('N2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(DataTierNetworkAcl, mutate)).toEqual(expected);
  });
});
