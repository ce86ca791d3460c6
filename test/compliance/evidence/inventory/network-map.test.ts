import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAssetInventory } from '../../../../lib/compliance/evidence/inventory/asset-inventory';
import { buildNetworkMap, NetworkMap } from '../../../../lib/compliance/evidence/inventory/network-map';
import { fixtureStack, pathApp, synthStacks, TEST_STAMP } from '../../../support/inventory-stacks';

const env = { account: '123456789012', region: 'us-east-1' };

/** A PHI VPC with public, application (NAT) and data tiers and two security groups. */
function networkApp(options: { cacheTier?: boolean } = {}): App {
  const app = pathApp();
  const stack = new Stack(app, 'Net', { env });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    natGateways: 1,
    restrictDefaultSecurityGroup: false,
    // Listed most private first, so address order alone would put the data tier first.
    subnetConfiguration: [
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'Application', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
    ],
  });
  Tags.of(vpc).add('DataClassification', 'PHI');
  const appSg = new ec2.SecurityGroup(stack, 'AppSg', { vpc, allowAllOutbound: false });
  const dbSg = new ec2.SecurityGroup(stack, 'DbSg', { vpc, allowAllOutbound: false });
  dbSg.addIngressRule(appSg, ec2.Port.tcp(5432), 'application to database');
  dbSg.addIngressRule(ec2.Peer.ipv4('10.1.0.0/16'), ec2.Port.tcp(5433), 'from the VPC');
  if (options.cacheTier) {
    // The resource "added to the stack": a cache group admitting the application group.
    const cacheSg = new ec2.SecurityGroup(stack, 'CacheSg', { vpc, allowAllOutbound: false });
    cacheSg.addIngressRule(appSg, ec2.Port.tcp(6379), 'application to cache');
  }
  return app;
}

const nodeLabelled = (map: NetworkMap, label: string) => map.nodes.find((n) => n.label === label);
const edgesBetween = (map: NetworkMap, from: string, to: string) =>
  map.edges.filter(
    (e) => e.from === map.nodes.find((n) => n.label === from)?.id && e.to === map.nodes.find((n) => n.label === to)?.id,
  );

describe('network map of a small VPC (real synth)', () => {
  const stacks = synthStacks(networkApp());
  const map = buildNetworkMap(stacks, TEST_STAMP);

  test('V2 the VPC is a group named with its CIDR and its DataClassification, and marked PHI', () => {
    const vpc = map.groups.find((g) => g.kind === 'vpc')!;
    expect(vpc).toMatchObject({ label: 'VPC Vpc 10.1.0.0/16 (DataClassification=PHI)', phi: true });
  });

  test('V2 subnets are grouped by tier, ordered by exposure, and labelled with their AZ, CIDR and routes', () => {
    const tiers = map.groups.filter((g) => g.kind === 'tier').sort((a, b) => a.order! - b.order!);
    expect(tiers.map((t) => [t.label, t.order])).toEqual([
      ['Public tier (Public)', 0],
      ['Application tier (Private)', 1],
      ['Data tier (Isolated)', 2],
    ]);
    const subnets = map.nodes.filter((n) => n.kind === 'subnet');
    expect(subnets.map((s) => s.label).sort()).toEqual([
      'Application subnet, us-east-1a',
      'Application subnet, us-east-1b',
      'Data subnet, us-east-1a',
      'Data subnet, us-east-1b',
      'Public subnet, us-east-1a',
      'Public subnet, us-east-1b',
    ]);
    expect(nodeLabelled(map, 'Public subnet, us-east-1a')?.detail).toEqual([
      '10.1.128.0/19',
      'public IPs on launch',
      'routes: 0.0.0.0/0 -> internet gateway',
    ]);
    expect(nodeLabelled(map, 'Application subnet, us-east-1b')?.detail).toContain('routes: 0.0.0.0/0 -> NAT gateway');
    expect(nodeLabelled(map, 'Data subnet, us-east-1a')?.detail).toContain('routes: local only');
  });

  test('V2 route edges go from subnets to the internet gateway and the NAT gateway', () => {
    expect(edgesBetween(map, 'Public subnet, us-east-1a', 'Internet gateway')).toEqual([
      expect.objectContaining({ kind: 'route', label: '0.0.0.0/0' }),
    ]);
    expect(edgesBetween(map, 'Application subnet, us-east-1a', 'NAT gateway')).toEqual([
      expect.objectContaining({ kind: 'route', label: '0.0.0.0/0' }),
    ]);
    expect(map.edges.filter((e) => e.from === nodeLabelled(map, 'Data subnet, us-east-1a')!.id)).toEqual([]);
  });

  test('V2 a separate AWS::EC2::SecurityGroupIngress between groups is an edge with its port', () => {
    expect(edgesBetween(map, 'Security group AppSg', 'Security group DbSg')).toEqual([
      {
        from: 'Net::AppSg898BCA4E',
        to: 'Net::DbSg495F8305',
        kind: 'network-rule',
        label: 'tcp 5432',
        detail: [expect.stringMatching(/^Net\/DbSgfromNetAppSg.* \(ingress\)$/)],
      },
    ]);
  });

  test('V2 an inline CIDR ingress is an edge from the VPC address range; the CDK no-egress rule is no edge', () => {
    expect(edgesBetween(map, 'addresses of VPC Vpc', 'Security group DbSg')).toEqual([
      expect.objectContaining({
        kind: 'network-rule',
        label: 'tcp 5433',
        detail: ['Net/DbSg495F8305 inline ingress (ingress)'],
      }),
    ]);
    expect(nodeLabelled(map, 'Security group DbSg')?.detail).toEqual(['egress: none']);
    expect(map.edges.filter((e) => e.from === 'Net::DbSg495F8305')).toEqual([]);
  });

  test('V2 the model is deterministic: the same templates give the same map', () => {
    expect(buildNetworkMap(synthStacks(networkApp()), TEST_STAMP)).toEqual(map);
  });

  test('V2 adding a security group with an ingress from another group adds its row and its edge', () => {
    const before = stacks;
    const after = synthStacks(networkApp({ cacheTier: true }));
    const rows = (s: typeof before) =>
      buildAssetInventory(s, TEST_STAMP).assets.filter((a) => a.constructPath?.startsWith('Net/CacheSg/'));
    const cacheEdges = (s: typeof before) =>
      buildNetworkMap(s, TEST_STAMP).edges.filter((e) => e.to.startsWith('Net::CacheSg'));
    expect(rows(before)).toEqual([]);
    expect(cacheEdges(before)).toEqual([]);
    expect(
      rows(after)
        .map((r) => r.type)
        .sort(),
    ).toEqual(['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress']);
    expect(cacheEdges(after)).toEqual([
      expect.objectContaining({ from: 'Net::AppSg898BCA4E', kind: 'network-rule', label: 'tcp 6379' }),
    ]);
  });
});

describe('references the map cannot follow', () => {
  test('V2 a workload whose security group comes from a stack not in the synth is drawn with an unresolved node', () => {
    const stack = fixtureStack('App/Service', {
      Resources: {
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: {
            NetworkConfiguration: {
              AwsvpcConfiguration: {
                SecurityGroups: [
                  { 'Fn::GetStackOutput': { StackName: 'elsewhere', Region: 'us-east-1', OutputName: 'SgId' } },
                ],
              },
            },
          },
        },
      },
    });
    const map = buildNetworkMap([stack], TEST_STAMP);
    const unresolved = map.nodes.find((n) => n.kind === 'unresolved');
    expect(unresolved).toMatchObject({
      label: 'unresolved reference',
      detail: ['Fn::GetStackOutput elsewhere@us-east-1.SgId', 'no stack of that name in this synth'],
    });
    expect(map.edges).toContainEqual(
      expect.objectContaining({ from: 'App/Service::Service', to: unresolved!.id, kind: 'uses' }),
    );
    expect(map.unresolved).toEqual([
      'Fn::GetStackOutput elsewhere@us-east-1.SgId: no stack of that name in this synth',
    ]);
  });
});
