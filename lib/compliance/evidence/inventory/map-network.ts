/**
 * The network part of the map: VPCs (PHI or not, from the DataClassification tag), their tiers
 * ordered by exposure, subnets by AZ with their routes, internet and NAT gateways, gateway and
 * interface endpoints, network ACLs, the resources placed in the tiers of their subnets, and
 * security groups with their inline and separate ingress/egress rules (CIDR and group-to-group).
 */
import { isPhiStore } from './asset-inventory';
import { chunk, list, MapCanvas, obj, OUTSIDE, shortName } from './map-canvas';
import { IndexedResource, InventoryStack } from './template-index';

/** The egress rule CDK writes to mean "no egress". */
const CDK_NO_EGRESS = { CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 };

const PROTOCOLS: Readonly<Record<string, string>> = {
  '-1': 'all',
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
};

function portText(protocol: unknown, from: unknown, to: unknown): string {
  const p = PROTOCOLS[String(protocol)] ?? String(protocol ?? 'all');
  if (p === 'all' || p === '-1') return 'all traffic';
  if (from === undefined && to === undefined) return `${p} all ports`;
  if (p.startsWith('icmp')) return `${p} type ${String(from)} code ${String(to)}`;
  return from === to || to === undefined ? `${p} ${String(from)}` : `${p} ${String(from)}-${String(to)}`;
}

/** An IPv4 CIDR's first address as a number (Infinity when not an IPv4 CIDR). */
function ipv4Number(cidr: string | undefined): number {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\//.exec(cidr ?? '');
  return m ? m.slice(1, 5).reduce((n, part) => n * 256 + Number(part), 0) : Infinity;
}

export function drawVpcs(c: MapCanvas): void {
  for (const vpc of c.index.ofType('AWS::EC2::VPC')) {
    const cls = c.index.tagsOf(vpc).DataClassification;
    const phi = cls === 'PHI';
    const cidr = c.index.flatten(vpc.properties.CidrBlock, vpc.stack) ?? '(CIDR from IPAM)';
    const id = c.group({
      id: `vpc:${vpc.key}`,
      kind: 'vpc',
      label: `VPC ${shortName(vpc)} ${cidr} (${cls ? `DataClassification=${cls}` : 'no DataClassification tag'})`,
      ...(phi ? { phi } : {}),
    });
    c.vpcGroupOf.set(vpc.key, id);
  }
  const igwVpc = new Map<string, string>();
  for (const att of c.index.ofType('AWS::EC2::VPCGatewayAttachment')) {
    const vpc = c.vpcOf(att.properties.VpcId, att.stack);
    const igw = c.index.resolveOne(att.properties.InternetGatewayId, att.stack);
    if (vpc && igw?.kind === 'resource') igwVpc.set(igw.target.key, vpc.key);
  }
  for (const igw of c.index.ofType('AWS::EC2::InternetGateway')) {
    const vpcKey = igwVpc.get(igw.key);
    const id = c.addNode({
      id: igw.key,
      kind: 'internet-gateway',
      label: 'Internet gateway',
      detail: [],
      group: vpcKey ? c.vpcGroupOf.get(vpcKey)! : c.stackGroup(igw.stack),
      resources: [`${igw.stack.stackPath}/${igw.logicalId}`],
    });
    c.nodeOf.set(igw.key, id);
    c.edge(id, c.internet(), 'route', '');
  }

  const routeTableOf = new Map<string, IndexedResource>();
  for (const a of c.index.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnet = c.index.resolveOne(a.properties.SubnetId, a.stack);
    const rt = c.index.resolveOne(a.properties.RouteTableId, a.stack);
    if (subnet?.kind === 'resource' && rt?.kind === 'resource') routeTableOf.set(subnet.target.key, rt.target);
  }
  const routesOf = new Map<string, IndexedResource[]>();
  for (const route of c.index.ofType('AWS::EC2::Route')) {
    const rt = c.index.resolveOne(route.properties.RouteTableId, route.stack);
    if (rt?.kind === 'resource') routesOf.set(rt.target.key, [...(routesOf.get(rt.target.key) ?? []), route]);
  }
  const natSubnet = new Map<string, string>();
  for (const nat of c.index.ofType('AWS::EC2::NatGateway')) {
    const subnet = c.index.resolveOne(nat.properties.SubnetId, nat.stack);
    if (subnet?.kind === 'resource') natSubnet.set(nat.key, subnet.target.key);
  }

  for (const subnet of c.index.ofType('AWS::EC2::Subnet')) {
    const vpc = c.vpcOf(subnet.properties.VpcId, subnet.stack);
    const tags = c.index.tagsOf(subnet);
    const tier =
      tags['aws-cdk:subnet-name'] ?? /([A-Za-z]+)Subnet\d+/.exec(subnet.constructPath ?? '')?.[1] ?? 'Subnets';
    const subnetType = tags['aws-cdk:subnet-type'];
    const vpcGroup = vpc ? c.vpcGroupOf.get(vpc.key) : undefined;
    const phi = vpcGroup ? c.groups.get(vpcGroup)?.phi === true : false;
    const tierId = c.group({
      id: `tier:${vpc?.key ?? subnet.stack.stackPath}:${tier}`,
      kind: 'tier',
      label: `${tier} tier${subnetType ? ` (${subnetType})` : ''}`,
      ...(vpcGroup ? { parent: vpcGroup } : {}),
      ...(phi ? { phi } : {}),
    });
    c.tierOfSubnet.set(subnet.key, tierId);
    const az = azOf(c, subnet);
    const rt = routeTableOf.get(subnet.key);
    const routes = rt ? (routesOf.get(rt.key) ?? []) : [];
    const id = c.addNode({
      id: subnet.key,
      kind: 'subnet',
      label: `${tier} subnet, ${az}`,
      detail: [
        c.index.flatten(subnet.properties.CidrBlock, subnet.stack) ?? '(CIDR unknown)',
        ...(subnet.properties.MapPublicIpOnLaunch === true ? ['public IPs on launch'] : []),
        rt
          ? routes.length
            ? `routes: ${routes.map((x) => routeText(c, x)).join('; ')}`
            : 'routes: local only'
          : 'no route table association in the templates',
      ],
      group: tierId,
      resources: [
        `${subnet.stack.stackPath}/${subnet.logicalId}`,
        ...(rt ? [`${rt.stack.stackPath}/${rt.logicalId}`] : []),
      ],
      ...(phi ? { phi } : {}),
    });
    c.nodeOf.set(subnet.key, id);
    if (rt) c.nodeOf.set(rt.key, id);
  }
  // Tier order: exposure (internet gateway, NAT, neither), then lowest subnet address.
  const tierFacts = new Map<string, { exposure: number; lowest: number }>();
  for (const subnet of c.index.ofType('AWS::EC2::Subnet')) {
    const tierId = c.tierOfSubnet.get(subnet.key);
    if (!tierId) continue;
    const rt = routeTableOf.get(subnet.key);
    const targets = (rt ? (routesOf.get(rt.key) ?? []) : []).flatMap((route) =>
      Object.values(route.properties).map((v) => c.index.resolveOne(v, route.stack)),
    );
    const exposure = targets.some((t) => t?.kind === 'resource' && t.target.type === 'AWS::EC2::InternetGateway')
      ? 0
      : targets.some((t) => t?.kind === 'resource' && t.target.type === 'AWS::EC2::NatGateway')
        ? 1
        : 2;
    const lowest = ipv4Number(c.index.flatten(subnet.properties.CidrBlock, subnet.stack));
    const f = tierFacts.get(tierId) ?? { exposure, lowest };
    tierFacts.set(tierId, { exposure: Math.min(f.exposure, exposure), lowest: Math.min(f.lowest, lowest) });
  }
  const byVpc = new Map<string | undefined, string[]>();
  for (const t of tierFacts.keys())
    byVpc.set(c.groups.get(t)?.parent, [...(byVpc.get(c.groups.get(t)?.parent) ?? []), t]);
  for (const tiers of byVpc.values()) {
    tiers
      .sort(
        (a, b) =>
          tierFacts.get(a)!.exposure - tierFacts.get(b)!.exposure ||
          tierFacts.get(a)!.lowest - tierFacts.get(b)!.lowest,
      )
      .forEach((t, i) => c.groups.set(t, { ...c.groups.get(t)!, order: i }));
  }
  for (const nat of c.index.ofType('AWS::EC2::NatGateway')) {
    const subnetKey = natSubnet.get(nat.key);
    const id = c.addNode({
      id: nat.key,
      kind: 'nat-gateway',
      label: 'NAT gateway',
      detail: [],
      group: (subnetKey && c.tierOfSubnet.get(subnetKey)) || c.stackGroup(nat.stack),
      resources: [`${nat.stack.stackPath}/${nat.logicalId}`],
    });
    c.nodeOf.set(nat.key, id);
    if (subnetKey) c.edge(id, subnetKey, 'uses', '');
  }
  // Route edges: subnet -> gateway (the routes are listed on the subnet too).
  for (const subnet of c.index.ofType('AWS::EC2::Subnet')) {
    const rt = routeTableOf.get(subnet.key);
    for (const route of rt ? (routesOf.get(rt.key) ?? []) : []) {
      const dest = routeDestination(c, route);
      for (const prop of [
        'GatewayId',
        'NatGatewayId',
        'TransitGatewayId',
        'VpcPeeringConnectionId',
        'NetworkInterfaceId',
        'InstanceId',
        'VpcEndpointId',
        'EgressOnlyInternetGatewayId',
        'CarrierGatewayId',
      ]) {
        const v = route.properties[prop];
        if (v === undefined) continue;
        for (const to of c.nodesFor(v, route.stack, prop))
          c.edge(subnet.key, to, 'route', dest, [`${route.stack.stackPath}/${route.logicalId}`]);
      }
    }
  }
}

function azOf(c: MapCanvas, subnet: IndexedResource): string {
  const az = subnet.properties.AvailabilityZone;
  const sel = obj(az)['Fn::Select'];
  if (Array.isArray(sel) && obj(sel[1])['Fn::GetAZs'] !== undefined) return `AZ ${Number(sel[0]) + 1}`;
  return c.index.flatten(az, subnet.stack) ?? 'AZ ?';
}

function routeDestination(c: MapCanvas, route: IndexedResource): string {
  const p = route.properties;
  return (
    c.index.flatten(p.DestinationCidrBlock, route.stack) ??
    c.index.flatten(p.DestinationIpv6CidrBlock, route.stack) ??
    c.index.flatten(p.DestinationPrefixListId, route.stack) ??
    '?'
  );
}

function routeText(c: MapCanvas, route: IndexedResource): string {
  const p = route.properties;
  const target = Object.entries(p).find(([k]) => /(Gateway|Connection|Interface|Instance|Endpoint)Id$/.test(k));
  if (!target) return `${routeDestination(c, route)} -> ?`;
  const ref = c.index.resolveOne(target[1], route.stack);
  const what =
    ref?.kind === 'resource'
      ? ref.target.type === 'AWS::EC2::InternetGateway'
        ? 'internet gateway'
        : ref.target.type === 'AWS::EC2::NatGateway'
          ? 'NAT gateway'
          : ref.target.type.replace(/^AWS::EC2::/, '')
      : `${target[0]} ${c.index.flatten(target[1], route.stack) ?? '(unresolved)'}`;
  return `${routeDestination(c, route)} -> ${what}`;
}

/** The tier (or VPC) group holding every subnet `value` names, if they share one. */

/** Creates the nodes of resources that live in subnets, in their tier. */
export function drawPlacedResources(c: MapCanvas): void {
  const types = [
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::ECS::Service',
    'AWS::Lambda::Function',
    'AWS::RDS::DBInstance',
    'AWS::RDS::DBCluster',
  ];
  for (const r of c.index.ofType(...types)) {
    const subnets = c.subnetsOf(r);
    const where = subnets ? c.placeBySubnets(subnets.value, subnets.stack) : undefined;
    if (r.type === 'AWS::Lambda::Function' && !where) continue; // not in a VPC: drawn only if a flow names it
    const { kind, label, detail } = c.describe(r);
    const id = c.addNode({
      id: r.key,
      kind,
      label,
      detail,
      group: where ?? c.stackGroup(r.stack),
      resources: [`${r.stack.stackPath}/${r.logicalId}`],
      ...(isPhiStore(r) ? { phi: true } : {}),
    });
    c.nodeOf.set(r.key, id);
  }
}

// ---- NACLs, endpoints ------------------------------------------------------------------------

export function drawNetworkAcls(c: MapCanvas): void {
  const subnetsOf = new Map<string, IndexedResource[]>();
  for (const a of c.index.ofType('AWS::EC2::SubnetNetworkAclAssociation')) {
    const acl = c.index.resolveOne(a.properties.NetworkAclId, a.stack);
    const subnet = c.index.resolveOne(a.properties.SubnetId, a.stack);
    if (acl?.kind === 'resource' && subnet?.kind === 'resource') {
      subnetsOf.set(acl.target.key, [...(subnetsOf.get(acl.target.key) ?? []), subnet.target]);
    }
  }
  const entriesOf = new Map<string, IndexedResource[]>();
  for (const e of c.index.ofType('AWS::EC2::NetworkAclEntry')) {
    const acl = c.index.resolveOne(e.properties.NetworkAclId, e.stack);
    if (acl?.kind === 'resource') entriesOf.set(acl.target.key, [...(entriesOf.get(acl.target.key) ?? []), e]);
  }
  for (const acl of c.index.ofType('AWS::EC2::NetworkAcl')) {
    const subnets = subnetsOf.get(acl.key) ?? [];
    const tiers = new Set(subnets.map((s) => c.tierOfSubnet.get(s.key)));
    const vpc = c.vpcOf(acl.properties.VpcId, acl.stack);
    const group =
      tiers.size === 1 && [...tiers][0] ? [...tiers][0]! : vpc ? c.vpcGroupOf.get(vpc.key)! : c.stackGroup(acl.stack);
    const entries = (entriesOf.get(acl.key) ?? [])
      .map((e) => e.properties)
      .sort(
        (a, b) => Number(a.Egress === true) - Number(b.Egress === true) || Number(a.RuleNumber) - Number(b.RuleNumber),
      )
      .map((e) => {
        const range = obj(e.PortRange);
        const peer = c.index.flatten(e.CidrBlock ?? e.Ipv6CidrBlock, acl.stack) ?? '?';
        return `${e.Egress === true ? 'out' : 'in'} #${String(e.RuleNumber)} ${String(e.RuleAction)} ${portText(e.Protocol, range.From, range.To)} ${e.Egress === true ? 'to' : 'from'} ${peer}`;
      });
    const id = c.addNode({
      id: acl.key,
      kind: 'network-acl',
      label: `Network ACL ${shortName(acl)}`,
      detail: [
        `subnets: ${subnets.map((s) => shortName(s).split('/').slice(-2, -1)[0] ?? s.logicalId).join(', ') || 'none associated'}`,
        ...entries,
        'everything else denied',
      ],
      group,
      resources: [
        `${acl.stack.stackPath}/${acl.logicalId}`,
        ...(entriesOf.get(acl.key) ?? []).map((e) => `${e.stack.stackPath}/${e.logicalId}`),
      ],
    });
    c.nodeOf.set(acl.key, id);
  }
}

function endpointService(c: MapCanvas, r: IndexedResource): string {
  const name = c.index.flatten(r.properties.ServiceName, r.stack) ?? '?';
  return /^com\.amazonaws\.[^.]+\.(.+)$/.exec(name)?.[1] ?? /\.([^.]+)$/.exec(name)?.[1] ?? name;
}

export function drawEndpoints(c: MapCanvas): void {
  const interfaceGroups = new Map<string, IndexedResource[]>();
  for (const ep of c.index.ofType('AWS::EC2::VPCEndpoint')) {
    const vpc = c.vpcOf(ep.properties.VpcId, ep.stack);
    const type = c.index.flatten(ep.properties.VpcEndpointType, ep.stack) ?? 'Gateway';
    if (type === 'Gateway') {
      const tiers = [
        ...new Set(
          c.index
            .references(ep.properties.RouteTableIds, ep.stack)
            .map((r) => (r.kind === 'resource' ? c.tierOfSubnet.get(subnetOfRouteTable(c, r.target) ?? '') : undefined))
            .map((t) => (t ? c.groups.get(t)?.label.replace(/ tier.*$/, '') : 'unknown')),
        ),
      ].sort();
      const id = c.addNode({
        id: ep.key,
        kind: 'gateway-endpoint',
        label: `Gateway endpoint ${endpointService(c, ep)}`,
        detail: [
          `in the route tables of: ${tiers.join(', ') || 'none'}`,
          ...(ep.properties.PolicyDocument ? ['endpoint policy'] : []),
        ],
        group: vpc ? c.vpcGroupOf.get(vpc.key)! : c.stackGroup(ep.stack),
        resources: [`${ep.stack.stackPath}/${ep.logicalId}`],
      });
      c.nodeOf.set(ep.key, id);
    } else {
      const subnets = c.index
        .references(ep.properties.SubnetIds, ep.stack)
        .map((r) => (r.kind === 'resource' ? r.target.key : r.text));
      const sgs = c.index
        .references(ep.properties.SecurityGroupIds, ep.stack)
        .map((r) => (r.kind === 'resource' ? r.target.key : r.text));
      const k = `${vpc?.key ?? ep.stack.stackPath}|${type}|${[...subnets].sort().join(',')}|${[...sgs].sort().join(',')}`;
      interfaceGroups.set(k, [...(interfaceGroups.get(k) ?? []), ep]);
    }
  }
  let n = 0;
  for (const [k, eps] of [...interfaceGroups].sort(([a], [b]) => a.localeCompare(b))) {
    const first = eps[0]!;
    const where = c.placeBySubnets(first.properties.SubnetIds, first.stack);
    const services = eps.map((e) => endpointService(c, e)).sort();
    const id = c.addNode({
      id: `endpoints:${k.split('|')[0]}:${n++}`,
      kind: 'interface-endpoints',
      label: `Interface endpoints (${eps.length})`,
      detail: [
        ...chunk(services, 4),
        ...(eps.every((e) => e.properties.PrivateDnsEnabled === true) ? ['private DNS'] : []),
      ],
      group: where ?? c.stackGroup(first.stack),
      resources: eps.map((e) => `${e.stack.stackPath}/${e.logicalId}`),
    });
    for (const e of eps) c.nodeOf.set(e.key, id);
  }
}

function subnetOfRouteTable(c: MapCanvas, rt: IndexedResource): string | undefined {
  for (const a of c.index.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const t = c.index.resolveOne(a.properties.RouteTableId, a.stack);
    const s = c.index.resolveOne(a.properties.SubnetId, a.stack);
    if (t?.kind === 'resource' && t.target.key === rt.key && s?.kind === 'resource') return s.target.key;
  }
  return undefined;
}

// ---- security groups -------------------------------------------------------------------------

function cidrNode(c: MapCanvas, value: unknown, stack: InventoryStack): string {
  const ref = c.index.resolveOne(value, stack);
  if (ref?.kind === 'resource' && ref.target.type === 'AWS::EC2::VPC') return vpcCidrNode(c, ref.target);
  if (ref?.kind === 'unresolved') return c.unresolvedNode(ref.text, ref.reason);
  const cidr = c.index.flatten(value, stack) ?? '?';
  for (const vpc of c.index.ofType('AWS::EC2::VPC')) {
    if (c.index.flatten(vpc.properties.CidrBlock, vpc.stack) === cidr) return vpcCidrNode(c, vpc);
  }
  c.edgeGroup();
  return c.addNode({
    id: `cidr:${cidr}`,
    kind: 'cidr',
    label:
      cidr === '0.0.0.0/0'
        ? 'any IPv4 address (0.0.0.0/0)'
        : cidr === '::/0'
          ? 'any IPv6 address (::/0)'
          : `CIDR ${cidr}`,
    detail: [],
    group: OUTSIDE,
    resources: [],
  });
}

function vpcCidrNode(c: MapCanvas, vpc: IndexedResource): string {
  return c.addNode({
    id: `cidr:${vpc.key}`,
    kind: 'cidr',
    label: `addresses of VPC ${shortName(vpc)}`,
    detail: [c.index.flatten(vpc.properties.CidrBlock, vpc.stack) ?? '?'],
    group: c.vpcGroupOf.get(vpc.key) ?? c.stackGroup(vpc.stack),
    resources: [],
  });
}

export function drawSecurityGroups(c: MapCanvas): void {
  const members = new Map<string, Set<string>>();
  for (const r of c.index.resources()) {
    const sgs = c.securityGroupsOf(r);
    if (sgs === undefined) continue;
    const memberNode = c.nodeOf.get(r.key) ?? c.nodeFor(r);
    for (const ref of c.index.references(sgs, r.stack)) {
      const sgNode = ref.kind === 'resource' ? ref.target.key : c.unresolvedNode(ref.text, ref.reason);
      members.set(sgNode, (members.get(sgNode) ?? new Set()).add(memberNode));
    }
  }
  for (const sg of c.index.ofType('AWS::EC2::SecurityGroup')) {
    const memberNodes = [...(members.get(sg.key) ?? [])];
    const groupsOfMembers = new Set(memberNodes.map((m) => c.nodes.get(m)?.group));
    const vpc = c.vpcOf(sg.properties.VpcId, sg.stack);
    const group =
      groupsOfMembers.size === 1 && [...groupsOfMembers][0] && c.groups.get([...groupsOfMembers][0]!)?.kind === 'tier'
        ? [...groupsOfMembers][0]!
        : vpc
          ? c.vpcGroupOf.get(vpc.key)!
          : c.stackGroup(sg.stack);
    const egress = list(sg.properties.SecurityGroupEgress).map(obj);
    const noEgress = egress.length === 1 && Object.entries(CDK_NO_EGRESS).every(([k, v]) => egress[0]![k] === v);
    const id = c.addNode({
      id: sg.key,
      kind: 'security-group',
      label: `Security group ${shortName(sg)}`,
      detail: [
        ...(noEgress ? ['egress: none'] : []),
        ...(sg.properties.SecurityGroupEgress === undefined ? ['egress: all (no SecurityGroupEgress)'] : []),
      ],
      group,
      resources: [`${sg.stack.stackPath}/${sg.logicalId}`],
    });
    c.nodeOf.set(sg.key, id);
    for (const m of memberNodes) c.edge(m, id, 'uses', '');
    const where = `${sg.stack.stackPath}/${sg.logicalId}`;
    for (const rule of list(sg.properties.SecurityGroupIngress).map(obj))
      sgRule(c, id, rule, 'ingress', sg.stack, `${where} inline ingress`);
    if (!noEgress) for (const rule of egress) sgRule(c, id, rule, 'egress', sg.stack, `${where} inline egress`);
  }
  // Members of groups that are not resources of this synth (unresolved references).
  for (const [sgNode, memberNodes] of members) {
    if (c.index.get(sgNode)) continue;
    for (const m of memberNodes) c.edge(m, sgNode, 'uses', '');
  }
  for (const r of c.index.ofType('AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress')) {
    const direction = r.type.endsWith('Ingress') ? 'ingress' : 'egress';
    const target = c.index.resolveOne(r.properties.GroupId, r.stack);
    const sgNode =
      target?.kind === 'resource'
        ? c.nodeFor(target.target)
        : target
          ? c.unresolvedNode(target.text, target.reason)
          : undefined;
    if (!sgNode) continue;
    sgRule(c, sgNode, r.properties, direction, r.stack, `${r.stack.stackPath}/${r.logicalId}`);
  }
}

function sgRule(
  c: MapCanvas,
  sgNode: string,
  rule: Record<string, unknown>,
  direction: 'ingress' | 'egress',
  stack: InventoryStack,
  where: string,
): void {
  const port = portText(c.index.flatten(rule.IpProtocol, stack), rule.FromPort, rule.ToPort);
  const peerValue =
    direction === 'ingress'
      ? (rule.SourceSecurityGroupId ?? rule.SourcePrefixListId ?? rule.CidrIp ?? rule.CidrIpv6)
      : (rule.DestinationSecurityGroupId ?? rule.DestinationPrefixListId ?? rule.CidrIp ?? rule.CidrIpv6);
  let peer: string;
  if (rule.SourceSecurityGroupId !== undefined || rule.DestinationSecurityGroupId !== undefined) {
    const ref = c.index.resolveOne(peerValue, stack);
    peer = ref
      ? c.nodeForRef(ref)
      : c.unresolvedNode(`${where}: ${JSON.stringify(peerValue)}`, 'security group id is a literal');
  } else if (rule.SourcePrefixListId !== undefined || rule.DestinationPrefixListId !== undefined) {
    const text = c.index.flatten(peerValue, stack) ?? JSON.stringify(peerValue);
    c.edgeGroup();
    peer = c.addNode({
      id: `prefix-list:${text}`,
      kind: 'cidr',
      label: `prefix list ${text}`,
      detail: [],
      group: OUTSIDE,
      resources: [],
    });
  } else {
    peer = cidrNode(c, peerValue, stack);
  }
  const [from, to] = direction === 'ingress' ? [peer, sgNode] : [sgNode, peer];
  c.edge(from, to, 'network-rule', port, [`${where} (${direction})`]);
}

// ---- request path ----------------------------------------------------------------------------
