import { PhiDatabaseIngressFromGroups } from '../../../../lib/compliance/gate/assembly/phi-database-ingress-from-groups';
import { findingsOf, Mutable } from './assembly-fixture';

/** The fixture's database behind its own security group, which admits the application tier's group only. */
function withGroups(t: Record<string, Mutable>): void {
  const r = t.data.Resources;
  r.AppGroup = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'app', SecurityGroupEgress: [] } };
  r.DbGroup = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'db', SecurityGroupEgress: [] } };
  r.DbFromApp = {
    Type: 'AWS::EC2::SecurityGroupIngress',
    Properties: {
      GroupId: { 'Fn::GetAtt': ['DbGroup', 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 5433,
      ToPort: 5433,
      SourceSecurityGroupId: { 'Fn::GetAtt': ['AppGroup', 'GroupId'] },
    },
  };
  r.Db.Properties.VPCSecurityGroups = [{ 'Fn::GetAtt': ['DbGroup', 'GroupId'] }];
}
const check = (mutate: (t: Record<string, Mutable>) => void = () => undefined): string[] =>
  findingsOf(PhiDatabaseIngressFromGroups, (t) => {
    withGroups(t);
    mutate(t);
  });

describe('PhiDatabaseIngressFromGroups', () => {
  test('N2 a database group admitting the application group only passes (inline too, or across stacks)', () => {
    expect(check()).toEqual([]);
    expect(
      check((t) => {
        const r = t.data.Resources;
        r.DbGroup.Properties.SecurityGroupIngress = [r.DbFromApp.Properties];
        delete r.DbFromApp;
      }),
    ).toEqual([]);
    // An address range into a group that is not the database's is not this rule's business.
    expect(
      check((t) => {
        t.data.Resources.AppFromAnywhere = {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: { Ref: 'AppGroup' }, IpProtocol: 'tcp', CidrIp: '10.0.0.0/16' },
        };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the ingress from a literal CIDR instead of the application group',
      (t) => {
        const p = t.data.Resources.DbFromApp.Properties;
        delete p.SourceSecurityGroupId;
        p.CidrIp = '10.30.0.0/16';
      },
      ['[SecurityGroupIngress::CidrIp] DbFromApp'],
    ],
    [
      'an IPv6 range added',
      (t) => {
        const p = t.data.Resources.DbFromApp.Properties;
        delete p.SourceSecurityGroupId;
        p.CidrIpv6 = '::/0';
      },
      ['[SecurityGroupIngress::CidrIpv6] DbFromApp'],
    ],
    [
      'a prefix list in a branch of a condition',
      (t) => {
        const p = t.data.Resources.DbFromApp.Properties;
        p.SourcePrefixListId = { 'Fn::If': ['C', 'pl-12345678', { Ref: 'AWS::NoValue' }] };
      },
      ['[SecurityGroupIngress::SourcePrefixListId] DbFromApp'],
    ],
    [
      "another account's security group",
      (t) => (t.data.Resources.DbFromApp.Properties.SourceSecurityGroupOwnerId = '222222222222'),
      ['[SecurityGroupIngress::SourceSecurityGroupOwnerId] DbFromApp'],
    ],
    [
      'an inline CIDR ingress on the database group',
      (t) =>
        (t.data.Resources.DbGroup.Properties.SecurityGroupIngress = [
          { IpProtocol: 'tcp', FromPort: 5433, ToPort: 5433, CidrIp: '10.0.0.0/8' },
        ]),
      ['[SecurityGroupIngress::CidrIp] DbGroup'],
    ],
    [
      'a CIDR ingress into a group named by an import (it may be the database’s)',
      (t) =>
        (t.detection.Resources.Sneaky = {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: { 'Fn::ImportValue': 'db-group' }, IpProtocol: 'tcp', CidrIp: '10.0.0.0/8' },
        }),
      ['[SecurityGroupIngress::CidrIp-into-unresolved-group] Sneaky'],
    ],
    [
      'a database without security groups (the default group)',
      (t) => delete t.data.Resources.Db.Properties.VPCSecurityGroups,
      ['[VPCSecurityGroups::none] Db'],
    ],
    [
      'a database whose group is imported from outside the assembly',
      (t) => (t.data.Resources.Db.Properties.VPCSecurityGroups = [{ 'Fn::ImportValue': 'db-group' }]),
      ['[VPCSecurityGroups::unresolved] Db'],
    ],
  ])('N2 %s is a finding', (_name, mutate, expected) => {
    expect(check(mutate)).toEqual(expected);
  });
});
