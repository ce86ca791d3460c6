/**
 * The network and data-flow map as one graph model, built from the synthesized templates: VPCs
 * (PHI or not, from the DataClassification tag) holding their tiers and subnets (by AZ, with their
 * routes), gateways, endpoints, network ACLs and security groups with their rules; the request path
 * (WAF -> load balancer listeners -> target groups -> services -> database and buckets); replication;
 * log flows; alert flows; backup. Renderers (Mermaid, Graphviz DOT) draw this model and nothing else.
 * A reference that cannot be followed becomes an `unresolved` node: it is shown, never dropped.
 */
import { backupCoverage, BackupCoverage } from './backup-coverage';
import { describeKey, encryptionOf, resolveKey } from './encryption';
import { isPhiStore } from './asset-inventory';
import { EvidenceStamp } from './stamp';
import { IndexedResource, InventoryStack, Reference, TemplateIndex } from './template-index';

export type GroupKind = 'vpc' | 'tier' | 'stack' | 'outside';

/** A cluster of the drawing. */
export interface MapGroup {
  readonly id: string;
  readonly kind: GroupKind;
  readonly label: string;
  /** The enclosing group (a tier's VPC). */
  readonly parent?: string;
  /** A VPC tagged DataClassification=PHI, or a tier in one. */
  readonly phi?: boolean;
  /**
   * Position of a tier in its VPC, most exposed first: 0 routes to an internet gateway, 1 to a NAT
   * gateway, 2 neither; ties by lowest subnet address. A layout hint for the renderers.
   */
  readonly order?: number;
}

export type NodeKind =
  | 'internet'
  | 'cidr'
  | 'subnet'
  | 'internet-gateway'
  | 'nat-gateway'
  | 'gateway-endpoint'
  | 'interface-endpoints'
  | 'network-acl'
  | 'security-group'
  | 'flow-log'
  | 'waf'
  | 'load-balancer'
  | 'listener'
  | 'target-group'
  | 'user-pool'
  | 'ecs-service'
  | 'function'
  | 'database'
  | 'bucket'
  | 'log-group'
  | 'trail'
  | 'config-delivery'
  | 'alarms'
  | 'event-rules'
  | 'topic'
  | 'queue'
  | 'subscribers'
  | 'backup-vault'
  | 'resource'
  | 'unresolved';

/** A box of the drawing. */
export interface MapNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** Further lines (CIDR, AZ, routes, ports, keys...). */
  readonly detail: readonly string[];
  readonly group?: string;
  /** The template resources it stands for (`stackPath/logicalId`). */
  readonly resources: readonly string[];
  /** A PHI store (template marker) or a PHI VPC subnet. */
  readonly phi?: boolean;
}

export type EdgeKind =
  'request' | 'data-access' | 'network-rule' | 'uses' | 'route' | 'replication' | 'log' | 'audit' | 'alert' | 'backup';

/** An arrow of the drawing. */
export interface MapEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label: string;
  /** Where the edge comes from in the templates. */
  readonly detail: readonly string[];
}

/** network-map.json */
export interface NetworkMap {
  readonly stamp: EvidenceStamp;
  readonly groups: readonly MapGroup[];
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  /** Every reference the map could not follow, with the reason. */
  readonly unresolved: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const INTERNET = 'internet';
const OUTSIDE = 'outside';
const UNRESOLVED_GROUP = 'unresolved';
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

/** Construct path below the stack without the trailing `Resource`/`Default` segments. */
export function shortName(r: IndexedResource): string {
  const path = r.constructPath;
  if (!path) return r.logicalId;
  const prefix = `${r.stack.stackPath}/`;
  let rest = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  while (/\/(Resource|Default)$/.test(rest)) rest = rest.replace(/\/(Resource|Default)$/, '');
  return rest || r.logicalId;
}

/** An IPv4 CIDR's first address as a number (Infinity when not an IPv4 CIDR). */
function ipv4Number(cidr: string | undefined): number {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\//.exec(cidr ?? '');
  return m ? m.slice(1, 5).reduce((n, part) => n * 256 + Number(part), 0) : Infinity;
}

function chunk(items: readonly string[], perLine: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += perLine) out.push(items.slice(i, i + perLine).join(', '));
  return out;
}

function summarizeActions(actions: readonly string[]): string {
  const unique = [...new Set(actions)].sort();
  return unique.length <= 3 ? unique.join(', ') : `${unique.slice(0, 3).join(', ')} +${unique.length - 3}`;
}

class MapBuilder {
  private readonly groups = new Map<string, MapGroup>();
  private readonly nodes = new Map<string, MapNode>();
  private readonly edges = new Map<string, MapEdge>();
  private readonly nodeOf = new Map<string, string>();
  private readonly unresolved = new Set<string>();
  private readonly tierOfSubnet = new Map<string, string>();
  private readonly vpcGroupOf = new Map<string, string>();
  private readonly backup: Map<string, BackupCoverage>;

  constructor(private readonly index: TemplateIndex) {
    this.backup = backupCoverage(index);
  }

  public build(stamp: EvidenceStamp): NetworkMap {
    this.vpcs();
    this.nacls();
    this.endpoints();
    this.placedResources();
    this.securityGroups();
    this.requestPath();
    this.dataAccess();
    this.replication();
    this.logFlows();
    this.alertFlows();
    this.backupFlows();
    const byId = <T extends { id: string }>(a: T, b: T): number => a.id.localeCompare(b.id);
    return {
      stamp,
      groups: [...this.groups.values()].sort(byId),
      nodes: [...this.nodes.values()].sort(byId),
      edges: [...this.edges.values()].sort(
        (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.kind.localeCompare(b.kind),
      ),
      unresolved: [...this.unresolved].sort(),
    };
  }

  // ---- nodes, groups, edges -------------------------------------------------------------------

  private group(g: MapGroup): string {
    if (!this.groups.has(g.id)) this.groups.set(g.id, g);
    return g.id;
  }

  private stackGroup(stack: InventoryStack): string {
    const where = [stack.stackName, stack.region].filter(Boolean).join(', ');
    return this.group({
      id: `stack:${stack.stackPath}`,
      kind: 'stack',
      label: `${stack.stackPath}${where ? ` (${where})` : ''}`,
    });
  }

  private addNode(n: MapNode): string {
    const existing = this.nodes.get(n.id);
    if (existing) {
      this.nodes.set(n.id, { ...existing, resources: [...new Set([...existing.resources, ...n.resources])].sort() });
    } else {
      this.nodes.set(n.id, n);
    }
    return n.id;
  }

  private edge(from: string, to: string, kind: EdgeKind, label: string, detail: readonly string[] = []): void {
    const key = `${from}|${to}|${kind}|${label}`;
    const e = this.edges.get(key);
    this.edges.set(key, { from, to, kind, label, detail: [...new Set([...(e?.detail ?? []), ...detail])].sort() });
  }

  private internet(): string {
    this.edgeGroup();
    return this.addNode({
      id: INTERNET,
      kind: 'internet',
      label: 'Internet (clients)',
      detail: [],
      group: OUTSIDE,
      resources: [],
    });
  }

  private unresolvedNode(text: string, reason: string): string {
    this.unresolved.add(`${text}: ${reason}`);
    this.group({ id: UNRESOLVED_GROUP, kind: 'outside', label: 'Unresolved references' });
    return this.addNode({
      id: `unresolved:${text}`,
      kind: 'unresolved',
      label: 'unresolved reference',
      detail: [text, reason],
      group: UNRESOLVED_GROUP,
      resources: [],
    });
  }

  /** The group of the internet edge: clients, address ranges outside the VPCs, WAF, sign-in. */
  private edgeGroup(): string {
    return this.group({ id: OUTSIDE, kind: 'outside', label: 'Internet edge and addresses outside the VPCs' });
  }

  /** The node standing for a resource, created (in `group`, by default its stack's) when it has none yet. */
  private nodeFor(r: IndexedResource, group?: string): string {
    const known = this.nodeOf.get(r.key);
    if (known) return known;
    const { kind, label, detail } = this.describe(r);
    const id = this.addNode({
      id: r.key,
      kind,
      label,
      detail,
      group: group ?? this.stackGroup(r.stack),
      resources: [`${r.stack.stackPath}/${r.logicalId}`],
      ...(isPhiStore(r) ? { phi: true } : {}),
    });
    this.nodeOf.set(r.key, id);
    return id;
  }

  /** The node a reference leads to (a resource's node, or an unresolved node). */
  private nodeForRef(ref: Reference): string {
    return ref.kind === 'resource' ? this.nodeFor(ref.target) : this.unresolvedNode(ref.text, ref.reason);
  }

  /** Nodes for every reference inside `value`; a literal that is not a reference becomes unresolved. */
  private nodesFor(value: unknown, stack: InventoryStack, what: string): string[] {
    const refs = this.index.references(value, stack);
    if (refs.length > 0) return refs.map((r) => this.nodeForRef(r));
    const text = this.index.flatten(value, stack);
    return text === undefined
      ? []
      : [this.unresolvedNode(`${stack.stackPath}: ${what} ${text}`, 'a literal, not a resource of this synth')];
  }

  private describe(r: IndexedResource): { kind: NodeKind; label: string; detail: string[] } {
    const p = r.properties;
    const f = (v: unknown): string | undefined => this.index.flatten(v, r.stack);
    const name = shortName(r);
    const phi = isPhiStore(r) ? ['PHI store'] : [];
    const key = (): string[] => {
      const enc = encryptionOf(this.index, r);
      const first = enc.keys[0];
      return first ? [`key ${describeKey(first.key)}`] : [enc.summary];
    };
    switch (r.type) {
      case 'AWS::S3::Bucket':
        return {
          kind: 'bucket',
          label: `S3 bucket ${name}`,
          detail: [...phi, ...(f(p.BucketName) ? [f(p.BucketName)!] : []), ...key()],
        };
      case 'AWS::RDS::DBInstance':
      case 'AWS::RDS::DBCluster':
        return {
          kind: 'database',
          label: `RDS ${f(p.Engine) ?? ''} ${name}`.replace(/\s+/g, ' '),
          detail: [
            ...phi,
            ...(p.Port !== undefined ? [`port ${String(f(p.Port))}`] : []),
            ...(p.MultiAZ === true ? ['Multi-AZ'] : []),
            ...key(),
          ],
        };
      case 'AWS::Logs::LogGroup':
        return {
          kind: 'log-group',
          label: `Log group ${f(p.LogGroupName) ?? name}`,
          detail: [p.RetentionInDays === undefined ? 'never expires' : `${String(p.RetentionInDays)} days`, ...key()],
        };
      case 'AWS::Lambda::Function':
        return { kind: 'function', label: `Lambda ${name}`, detail: [] };
      case 'AWS::ECS::Service':
        return {
          kind: 'ecs-service',
          label: `ECS service ${name}`,
          detail: [`${f(p.LaunchType) ?? 'capacity provider'}, desired ${String(p.DesiredCount ?? '?')}`],
        };
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        return {
          kind: 'load-balancer',
          label: `Load balancer ${name}`,
          detail: [`${f(p.Scheme) ?? 'internal'} ${f(p.Type) ?? 'application'}`],
        };
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
        return {
          kind: 'target-group',
          label: `Target group ${name}`,
          detail: [`${f(p.Protocol) ?? '?'} :${String(f(p.Port) ?? '?')}, ${f(p.TargetType) ?? 'instance'} targets`],
        };
      case 'AWS::ElasticLoadBalancingV2::Listener':
        return {
          kind: 'listener',
          label: `Listener ${f(p.Protocol) ?? '?'} :${String(f(p.Port) ?? '?')}`,
          detail: [...(f(p.SslPolicy) ? [f(p.SslPolicy)!] : []), ...this.actionSummary(p.DefaultActions, r, 'default')],
        };
      case 'AWS::WAFv2::WebACL':
        return { kind: 'waf', label: `WAF web ACL ${f(p.Name) ?? name}`, detail: [`${list(p.Rules).length} rules`] };
      case 'AWS::Cognito::UserPool':
        return {
          kind: 'user-pool',
          label: `Cognito user pool ${name}`,
          detail: [`MFA ${f(p.MfaConfiguration) ?? 'OFF'}`],
        };
      case 'AWS::CloudTrail::Trail':
        return {
          kind: 'trail',
          label: `CloudTrail ${f(p.TrailName) ?? name}`,
          detail: [p.IsMultiRegionTrail === true ? 'multi-region' : 'single region', ...key()],
        };
      case 'AWS::SNS::Topic':
        return { kind: 'topic', label: `SNS topic ${name}`, detail: key() };
      case 'AWS::SQS::Queue':
        return { kind: 'queue', label: `SQS queue ${name}`, detail: key() };
      case 'AWS::Backup::BackupVault':
        return {
          kind: 'backup-vault',
          label: `Backup vault ${f(p.BackupVaultName) ?? name}`,
          detail: [...phi, ...key()],
        };
      case 'AWS::Config::DeliveryChannel':
        return { kind: 'config-delivery', label: 'AWS Config delivery channel', detail: [] };
      default:
        return { kind: 'resource', label: `${r.type.replace(/^AWS::/, '')} ${name}`, detail: phi };
    }
  }

  private actionSummary(actions: unknown, r: IndexedResource, prefix: string): string[] {
    return list(actions)
      .map(obj)
      .sort((a, b) => Number(a.Order ?? 0) - Number(b.Order ?? 0))
      .map((a) => {
        const type = String(a.Type);
        if (type === 'redirect') {
          const c = obj(a.RedirectConfig);
          return `${prefix}: redirect to ${String(this.index.flatten(c.Protocol, r.stack) ?? '#{protocol}')}:${String(this.index.flatten(c.Port, r.stack) ?? '#{port}')}`;
        }
        if (type === 'fixed-response')
          return `${prefix}: fixed response ${String(obj(a.FixedResponseConfig).StatusCode ?? '')}`;
        return `${prefix}: ${type}`;
      });
  }

  // ---- VPCs, tiers, subnets, routes ------------------------------------------------------------

  private vpcOf(value: unknown, stack: InventoryStack): IndexedResource | undefined {
    const ref = this.index.resolveOne(value, stack);
    return ref?.kind === 'resource' && ref.target.type === 'AWS::EC2::VPC' ? ref.target : undefined;
  }

  private vpcs(): void {
    for (const vpc of this.index.ofType('AWS::EC2::VPC')) {
      const cls = this.index.tagsOf(vpc).DataClassification;
      const phi = cls === 'PHI';
      const cidr = this.index.flatten(vpc.properties.CidrBlock, vpc.stack) ?? '(CIDR from IPAM)';
      const id = this.group({
        id: `vpc:${vpc.key}`,
        kind: 'vpc',
        label: `VPC ${shortName(vpc)} ${cidr} (${cls ? `DataClassification=${cls}` : 'no DataClassification tag'})`,
        ...(phi ? { phi } : {}),
      });
      this.vpcGroupOf.set(vpc.key, id);
    }
    const igwVpc = new Map<string, string>();
    for (const att of this.index.ofType('AWS::EC2::VPCGatewayAttachment')) {
      const vpc = this.vpcOf(att.properties.VpcId, att.stack);
      const igw = this.index.resolveOne(att.properties.InternetGatewayId, att.stack);
      if (vpc && igw?.kind === 'resource') igwVpc.set(igw.target.key, vpc.key);
    }
    for (const igw of this.index.ofType('AWS::EC2::InternetGateway')) {
      const vpcKey = igwVpc.get(igw.key);
      const id = this.addNode({
        id: igw.key,
        kind: 'internet-gateway',
        label: 'Internet gateway',
        detail: [],
        group: vpcKey ? this.vpcGroupOf.get(vpcKey)! : this.stackGroup(igw.stack),
        resources: [`${igw.stack.stackPath}/${igw.logicalId}`],
      });
      this.nodeOf.set(igw.key, id);
      this.edge(id, this.internet(), 'route', '');
    }

    const routeTableOf = new Map<string, IndexedResource>();
    for (const a of this.index.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
      const subnet = this.index.resolveOne(a.properties.SubnetId, a.stack);
      const rt = this.index.resolveOne(a.properties.RouteTableId, a.stack);
      if (subnet?.kind === 'resource' && rt?.kind === 'resource') routeTableOf.set(subnet.target.key, rt.target);
    }
    const routesOf = new Map<string, IndexedResource[]>();
    for (const route of this.index.ofType('AWS::EC2::Route')) {
      const rt = this.index.resolveOne(route.properties.RouteTableId, route.stack);
      if (rt?.kind === 'resource') routesOf.set(rt.target.key, [...(routesOf.get(rt.target.key) ?? []), route]);
    }
    const natSubnet = new Map<string, string>();
    for (const nat of this.index.ofType('AWS::EC2::NatGateway')) {
      const subnet = this.index.resolveOne(nat.properties.SubnetId, nat.stack);
      if (subnet?.kind === 'resource') natSubnet.set(nat.key, subnet.target.key);
    }

    for (const subnet of this.index.ofType('AWS::EC2::Subnet')) {
      const vpc = this.vpcOf(subnet.properties.VpcId, subnet.stack);
      const tags = this.index.tagsOf(subnet);
      const tier =
        tags['aws-cdk:subnet-name'] ?? /([A-Za-z]+)Subnet\d+/.exec(subnet.constructPath ?? '')?.[1] ?? 'Subnets';
      const subnetType = tags['aws-cdk:subnet-type'];
      const vpcGroup = vpc ? this.vpcGroupOf.get(vpc.key) : undefined;
      const phi = vpcGroup ? this.groups.get(vpcGroup)?.phi === true : false;
      const tierId = this.group({
        id: `tier:${vpc?.key ?? subnet.stack.stackPath}:${tier}`,
        kind: 'tier',
        label: `${tier} tier${subnetType ? ` (${subnetType})` : ''}`,
        ...(vpcGroup ? { parent: vpcGroup } : {}),
        ...(phi ? { phi } : {}),
      });
      this.tierOfSubnet.set(subnet.key, tierId);
      const az = this.azOf(subnet);
      const rt = routeTableOf.get(subnet.key);
      const routes = rt ? (routesOf.get(rt.key) ?? []) : [];
      const id = this.addNode({
        id: subnet.key,
        kind: 'subnet',
        label: `${tier} subnet, ${az}`,
        detail: [
          this.index.flatten(subnet.properties.CidrBlock, subnet.stack) ?? '(CIDR unknown)',
          ...(subnet.properties.MapPublicIpOnLaunch === true ? ['public IPs on launch'] : []),
          rt
            ? routes.length
              ? `routes: ${routes.map((x) => this.routeText(x)).join('; ')}`
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
      this.nodeOf.set(subnet.key, id);
      if (rt) this.nodeOf.set(rt.key, id);
    }
    // Tier order: exposure (internet gateway, NAT, neither), then lowest subnet address.
    const tierFacts = new Map<string, { exposure: number; lowest: number }>();
    for (const subnet of this.index.ofType('AWS::EC2::Subnet')) {
      const tierId = this.tierOfSubnet.get(subnet.key);
      if (!tierId) continue;
      const rt = routeTableOf.get(subnet.key);
      const targets = (rt ? (routesOf.get(rt.key) ?? []) : []).flatMap((route) =>
        Object.values(route.properties).map((v) => this.index.resolveOne(v, route.stack)),
      );
      const exposure = targets.some((t) => t?.kind === 'resource' && t.target.type === 'AWS::EC2::InternetGateway')
        ? 0
        : targets.some((t) => t?.kind === 'resource' && t.target.type === 'AWS::EC2::NatGateway')
          ? 1
          : 2;
      const lowest = ipv4Number(this.index.flatten(subnet.properties.CidrBlock, subnet.stack));
      const f = tierFacts.get(tierId) ?? { exposure, lowest };
      tierFacts.set(tierId, { exposure: Math.min(f.exposure, exposure), lowest: Math.min(f.lowest, lowest) });
    }
    const byVpc = new Map<string | undefined, string[]>();
    for (const t of tierFacts.keys())
      byVpc.set(this.groups.get(t)?.parent, [...(byVpc.get(this.groups.get(t)?.parent) ?? []), t]);
    for (const tiers of byVpc.values()) {
      tiers
        .sort(
          (a, b) =>
            tierFacts.get(a)!.exposure - tierFacts.get(b)!.exposure ||
            tierFacts.get(a)!.lowest - tierFacts.get(b)!.lowest,
        )
        .forEach((t, i) => this.groups.set(t, { ...this.groups.get(t)!, order: i }));
    }
    for (const nat of this.index.ofType('AWS::EC2::NatGateway')) {
      const subnetKey = natSubnet.get(nat.key);
      const id = this.addNode({
        id: nat.key,
        kind: 'nat-gateway',
        label: 'NAT gateway',
        detail: [],
        group: (subnetKey && this.tierOfSubnet.get(subnetKey)) || this.stackGroup(nat.stack),
        resources: [`${nat.stack.stackPath}/${nat.logicalId}`],
      });
      this.nodeOf.set(nat.key, id);
      if (subnetKey) this.edge(id, subnetKey, 'uses', '');
    }
    // Route edges: subnet -> gateway (the routes are listed on the subnet too).
    for (const subnet of this.index.ofType('AWS::EC2::Subnet')) {
      const rt = routeTableOf.get(subnet.key);
      for (const route of rt ? (routesOf.get(rt.key) ?? []) : []) {
        const dest = this.routeDestination(route);
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
          for (const to of this.nodesFor(v, route.stack, prop))
            this.edge(subnet.key, to, 'route', dest, [`${route.stack.stackPath}/${route.logicalId}`]);
        }
      }
    }
  }

  private azOf(subnet: IndexedResource): string {
    const az = subnet.properties.AvailabilityZone;
    const sel = obj(az)['Fn::Select'];
    if (Array.isArray(sel) && obj(sel[1])['Fn::GetAZs'] !== undefined) return `AZ ${Number(sel[0]) + 1}`;
    return this.index.flatten(az, subnet.stack) ?? 'AZ ?';
  }

  private routeDestination(route: IndexedResource): string {
    const p = route.properties;
    return (
      this.index.flatten(p.DestinationCidrBlock, route.stack) ??
      this.index.flatten(p.DestinationIpv6CidrBlock, route.stack) ??
      this.index.flatten(p.DestinationPrefixListId, route.stack) ??
      '?'
    );
  }

  private routeText(route: IndexedResource): string {
    const p = route.properties;
    const target = Object.entries(p).find(([k]) => /(Gateway|Connection|Interface|Instance|Endpoint)Id$/.test(k));
    if (!target) return `${this.routeDestination(route)} -> ?`;
    const ref = this.index.resolveOne(target[1], route.stack);
    const what =
      ref?.kind === 'resource'
        ? ref.target.type === 'AWS::EC2::InternetGateway'
          ? 'internet gateway'
          : ref.target.type === 'AWS::EC2::NatGateway'
            ? 'NAT gateway'
            : ref.target.type.replace(/^AWS::EC2::/, '')
        : `${target[0]} ${this.index.flatten(target[1], route.stack) ?? '(unresolved)'}`;
    return `${this.routeDestination(route)} -> ${what}`;
  }

  /** The tier (or VPC) group holding every subnet `value` names, if they share one. */
  private placeBySubnets(value: unknown, stack: InventoryStack): string | undefined {
    const subnets = this.index.references(value, stack);
    if (subnets.length === 0) return undefined;
    const tiers = new Set(
      subnets.map((s) => (s.kind === 'resource' ? this.tierOfSubnet.get(s.target.key) : undefined)),
    );
    if (tiers.size === 1) {
      const t = [...tiers][0];
      if (t !== undefined) return t;
    }
    const vpcs = new Set([...tiers].map((t) => (t ? this.groups.get(t)?.parent : undefined)));
    return vpcs.size === 1 ? [...vpcs][0] : undefined;
  }

  /** The subnet ids a resource is placed in, and the stack they are written in. */
  private subnetsOf(r: IndexedResource): { value: unknown; stack: InventoryStack } | undefined {
    const p = r.properties;
    const here = (value: unknown): { value: unknown; stack: InventoryStack } | undefined =>
      value === undefined ? undefined : { value, stack: r.stack };
    switch (r.type) {
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        return here(p.Subnets ?? list(p.SubnetMappings).map((m) => obj(m).SubnetId));
      case 'AWS::ECS::Service':
        return here(obj(obj(p.NetworkConfiguration).AwsvpcConfiguration).Subnets);
      case 'AWS::Lambda::Function':
        return here(obj(p.VpcConfig).SubnetIds);
      case 'AWS::RDS::DBInstance':
      case 'AWS::RDS::DBCluster': {
        const group = this.index.resolveOne(p.DBSubnetGroupName, r.stack);
        return group?.kind === 'resource'
          ? { value: group.target.properties.SubnetIds, stack: group.target.stack }
          : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Creates the nodes of resources that live in subnets, in their tier. */
  private placedResources(): void {
    const types = [
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::ECS::Service',
      'AWS::Lambda::Function',
      'AWS::RDS::DBInstance',
      'AWS::RDS::DBCluster',
    ];
    for (const r of this.index.ofType(...types)) {
      const subnets = this.subnetsOf(r);
      const where = subnets ? this.placeBySubnets(subnets.value, subnets.stack) : undefined;
      if (r.type === 'AWS::Lambda::Function' && !where) continue; // not in a VPC: drawn only if a flow names it
      const { kind, label, detail } = this.describe(r);
      const id = this.addNode({
        id: r.key,
        kind,
        label,
        detail,
        group: where ?? this.stackGroup(r.stack),
        resources: [`${r.stack.stackPath}/${r.logicalId}`],
        ...(isPhiStore(r) ? { phi: true } : {}),
      });
      this.nodeOf.set(r.key, id);
    }
  }

  // ---- NACLs, endpoints ------------------------------------------------------------------------

  private nacls(): void {
    const subnetsOf = new Map<string, IndexedResource[]>();
    for (const a of this.index.ofType('AWS::EC2::SubnetNetworkAclAssociation')) {
      const acl = this.index.resolveOne(a.properties.NetworkAclId, a.stack);
      const subnet = this.index.resolveOne(a.properties.SubnetId, a.stack);
      if (acl?.kind === 'resource' && subnet?.kind === 'resource') {
        subnetsOf.set(acl.target.key, [...(subnetsOf.get(acl.target.key) ?? []), subnet.target]);
      }
    }
    const entriesOf = new Map<string, IndexedResource[]>();
    for (const e of this.index.ofType('AWS::EC2::NetworkAclEntry')) {
      const acl = this.index.resolveOne(e.properties.NetworkAclId, e.stack);
      if (acl?.kind === 'resource') entriesOf.set(acl.target.key, [...(entriesOf.get(acl.target.key) ?? []), e]);
    }
    for (const acl of this.index.ofType('AWS::EC2::NetworkAcl')) {
      const subnets = subnetsOf.get(acl.key) ?? [];
      const tiers = new Set(subnets.map((s) => this.tierOfSubnet.get(s.key)));
      const vpc = this.vpcOf(acl.properties.VpcId, acl.stack);
      const group =
        tiers.size === 1 && [...tiers][0]
          ? [...tiers][0]!
          : vpc
            ? this.vpcGroupOf.get(vpc.key)!
            : this.stackGroup(acl.stack);
      const entries = (entriesOf.get(acl.key) ?? [])
        .map((e) => e.properties)
        .sort(
          (a, b) =>
            Number(a.Egress === true) - Number(b.Egress === true) || Number(a.RuleNumber) - Number(b.RuleNumber),
        )
        .map((e) => {
          const range = obj(e.PortRange);
          const peer = this.index.flatten(e.CidrBlock ?? e.Ipv6CidrBlock, acl.stack) ?? '?';
          return `${e.Egress === true ? 'out' : 'in'} #${String(e.RuleNumber)} ${String(e.RuleAction)} ${portText(e.Protocol, range.From, range.To)} ${e.Egress === true ? 'to' : 'from'} ${peer}`;
        });
      const id = this.addNode({
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
      this.nodeOf.set(acl.key, id);
    }
  }

  private endpointService(r: IndexedResource): string {
    const name = this.index.flatten(r.properties.ServiceName, r.stack) ?? '?';
    return /^com\.amazonaws\.[^.]+\.(.+)$/.exec(name)?.[1] ?? /\.([^.]+)$/.exec(name)?.[1] ?? name;
  }

  private endpoints(): void {
    const interfaceGroups = new Map<string, IndexedResource[]>();
    for (const ep of this.index.ofType('AWS::EC2::VPCEndpoint')) {
      const vpc = this.vpcOf(ep.properties.VpcId, ep.stack);
      const type = this.index.flatten(ep.properties.VpcEndpointType, ep.stack) ?? 'Gateway';
      if (type === 'Gateway') {
        const tiers = [
          ...new Set(
            this.index
              .references(ep.properties.RouteTableIds, ep.stack)
              .map((r) =>
                r.kind === 'resource' ? this.tierOfSubnet.get(this.subnetOfRouteTable(r.target) ?? '') : undefined,
              )
              .map((t) => (t ? this.groups.get(t)?.label.replace(/ tier.*$/, '') : 'unknown')),
          ),
        ].sort();
        const id = this.addNode({
          id: ep.key,
          kind: 'gateway-endpoint',
          label: `Gateway endpoint ${this.endpointService(ep)}`,
          detail: [
            `in the route tables of: ${tiers.join(', ') || 'none'}`,
            ...(ep.properties.PolicyDocument ? ['endpoint policy'] : []),
          ],
          group: vpc ? this.vpcGroupOf.get(vpc.key)! : this.stackGroup(ep.stack),
          resources: [`${ep.stack.stackPath}/${ep.logicalId}`],
        });
        this.nodeOf.set(ep.key, id);
      } else {
        const subnets = this.index
          .references(ep.properties.SubnetIds, ep.stack)
          .map((r) => (r.kind === 'resource' ? r.target.key : r.text));
        const sgs = this.index
          .references(ep.properties.SecurityGroupIds, ep.stack)
          .map((r) => (r.kind === 'resource' ? r.target.key : r.text));
        const k = `${vpc?.key ?? ep.stack.stackPath}|${type}|${[...subnets].sort().join(',')}|${[...sgs].sort().join(',')}`;
        interfaceGroups.set(k, [...(interfaceGroups.get(k) ?? []), ep]);
      }
    }
    let n = 0;
    for (const [k, eps] of [...interfaceGroups].sort(([a], [b]) => a.localeCompare(b))) {
      const first = eps[0]!;
      const where = this.placeBySubnets(first.properties.SubnetIds, first.stack);
      const services = eps.map((e) => this.endpointService(e)).sort();
      const id = this.addNode({
        id: `endpoints:${k.split('|')[0]}:${n++}`,
        kind: 'interface-endpoints',
        label: `Interface endpoints (${eps.length})`,
        detail: [
          ...chunk(services, 4),
          ...(eps.every((e) => e.properties.PrivateDnsEnabled === true) ? ['private DNS'] : []),
        ],
        group: where ?? this.stackGroup(first.stack),
        resources: eps.map((e) => `${e.stack.stackPath}/${e.logicalId}`),
      });
      for (const e of eps) this.nodeOf.set(e.key, id);
    }
  }

  private subnetOfRouteTable(rt: IndexedResource): string | undefined {
    for (const a of this.index.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
      const t = this.index.resolveOne(a.properties.RouteTableId, a.stack);
      const s = this.index.resolveOne(a.properties.SubnetId, a.stack);
      if (t?.kind === 'resource' && t.target.key === rt.key && s?.kind === 'resource') return s.target.key;
    }
    return undefined;
  }

  // ---- security groups -------------------------------------------------------------------------

  private securityGroupsOf(r: IndexedResource): unknown {
    const p = r.properties;
    switch (r.type) {
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        return p.SecurityGroups;
      case 'AWS::ECS::Service':
        return obj(obj(p.NetworkConfiguration).AwsvpcConfiguration).SecurityGroups;
      case 'AWS::Lambda::Function':
        return obj(p.VpcConfig).SecurityGroupIds;
      case 'AWS::RDS::DBInstance':
        return p.VPCSecurityGroups;
      case 'AWS::RDS::DBCluster':
        return p.VpcSecurityGroupIds;
      case 'AWS::EC2::VPCEndpoint':
        return p.SecurityGroupIds;
      case 'AWS::ElastiCache::ReplicationGroup':
        return p.SecurityGroupIds;
      default:
        return undefined;
    }
  }

  private cidrNode(value: unknown, stack: InventoryStack): string {
    const ref = this.index.resolveOne(value, stack);
    if (ref?.kind === 'resource' && ref.target.type === 'AWS::EC2::VPC') return this.vpcCidrNode(ref.target);
    if (ref?.kind === 'unresolved') return this.unresolvedNode(ref.text, ref.reason);
    const cidr = this.index.flatten(value, stack) ?? '?';
    for (const vpc of this.index.ofType('AWS::EC2::VPC')) {
      if (this.index.flatten(vpc.properties.CidrBlock, vpc.stack) === cidr) return this.vpcCidrNode(vpc);
    }
    this.edgeGroup();
    return this.addNode({
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

  private vpcCidrNode(vpc: IndexedResource): string {
    return this.addNode({
      id: `cidr:${vpc.key}`,
      kind: 'cidr',
      label: `addresses of VPC ${shortName(vpc)}`,
      detail: [this.index.flatten(vpc.properties.CidrBlock, vpc.stack) ?? '?'],
      group: this.vpcGroupOf.get(vpc.key) ?? this.stackGroup(vpc.stack),
      resources: [],
    });
  }

  private securityGroups(): void {
    const members = new Map<string, Set<string>>();
    for (const r of this.index.resources()) {
      const sgs = this.securityGroupsOf(r);
      if (sgs === undefined) continue;
      const memberNode = this.nodeOf.get(r.key) ?? this.nodeFor(r);
      for (const ref of this.index.references(sgs, r.stack)) {
        const sgNode = ref.kind === 'resource' ? ref.target.key : this.unresolvedNode(ref.text, ref.reason);
        members.set(sgNode, (members.get(sgNode) ?? new Set()).add(memberNode));
      }
    }
    for (const sg of this.index.ofType('AWS::EC2::SecurityGroup')) {
      const memberNodes = [...(members.get(sg.key) ?? [])];
      const groupsOfMembers = new Set(memberNodes.map((m) => this.nodes.get(m)?.group));
      const vpc = this.vpcOf(sg.properties.VpcId, sg.stack);
      const group =
        groupsOfMembers.size === 1 &&
        [...groupsOfMembers][0] &&
        this.groups.get([...groupsOfMembers][0]!)?.kind === 'tier'
          ? [...groupsOfMembers][0]!
          : vpc
            ? this.vpcGroupOf.get(vpc.key)!
            : this.stackGroup(sg.stack);
      const egress = list(sg.properties.SecurityGroupEgress).map(obj);
      const noEgress = egress.length === 1 && Object.entries(CDK_NO_EGRESS).every(([k, v]) => egress[0]![k] === v);
      const id = this.addNode({
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
      this.nodeOf.set(sg.key, id);
      for (const m of memberNodes) this.edge(m, id, 'uses', '');
      const where = `${sg.stack.stackPath}/${sg.logicalId}`;
      for (const rule of list(sg.properties.SecurityGroupIngress).map(obj))
        this.sgRule(id, rule, 'ingress', sg.stack, `${where} inline ingress`);
      if (!noEgress) for (const rule of egress) this.sgRule(id, rule, 'egress', sg.stack, `${where} inline egress`);
    }
    // Members of groups that are not resources of this synth (unresolved references).
    for (const [sgNode, memberNodes] of members) {
      if (this.index.get(sgNode)) continue;
      for (const m of memberNodes) this.edge(m, sgNode, 'uses', '');
    }
    for (const r of this.index.ofType('AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress')) {
      const direction = r.type.endsWith('Ingress') ? 'ingress' : 'egress';
      const target = this.index.resolveOne(r.properties.GroupId, r.stack);
      const sgNode =
        target?.kind === 'resource'
          ? this.nodeFor(target.target)
          : target
            ? this.unresolvedNode(target.text, target.reason)
            : undefined;
      if (!sgNode) continue;
      this.sgRule(sgNode, r.properties, direction, r.stack, `${r.stack.stackPath}/${r.logicalId}`);
    }
  }

  private sgRule(
    sgNode: string,
    rule: Record<string, unknown>,
    direction: 'ingress' | 'egress',
    stack: InventoryStack,
    where: string,
  ): void {
    const port = portText(this.index.flatten(rule.IpProtocol, stack), rule.FromPort, rule.ToPort);
    const peerValue =
      direction === 'ingress'
        ? (rule.SourceSecurityGroupId ?? rule.SourcePrefixListId ?? rule.CidrIp ?? rule.CidrIpv6)
        : (rule.DestinationSecurityGroupId ?? rule.DestinationPrefixListId ?? rule.CidrIp ?? rule.CidrIpv6);
    let peer: string;
    if (rule.SourceSecurityGroupId !== undefined || rule.DestinationSecurityGroupId !== undefined) {
      const ref = this.index.resolveOne(peerValue, stack);
      peer = ref
        ? this.nodeForRef(ref)
        : this.unresolvedNode(`${where}: ${JSON.stringify(peerValue)}`, 'security group id is a literal');
    } else if (rule.SourcePrefixListId !== undefined || rule.DestinationPrefixListId !== undefined) {
      const text = this.index.flatten(peerValue, stack) ?? JSON.stringify(peerValue);
      this.edgeGroup();
      peer = this.addNode({
        id: `prefix-list:${text}`,
        kind: 'cidr',
        label: `prefix list ${text}`,
        detail: [],
        group: OUTSIDE,
        resources: [],
      });
    } else {
      peer = this.cidrNode(peerValue, stack);
    }
    const [from, to] = direction === 'ingress' ? [peer, sgNode] : [sgNode, peer];
    this.edge(from, to, 'network-rule', port, [`${where} (${direction})`]);
  }

  // ---- request path ----------------------------------------------------------------------------

  private requestPath(): void {
    const wafOf = new Map<string, IndexedResource>();
    for (const a of this.index.ofType('AWS::WAFv2::WebACLAssociation')) {
      const alb = this.index.resolveOne(a.properties.ResourceArn, a.stack);
      const acl = this.index.resolveOne(a.properties.WebACLArn, a.stack);
      if (alb?.kind === 'resource' && acl?.kind === 'resource') wafOf.set(alb.target.key, acl.target);
      else if (alb?.kind === 'resource' && acl?.kind === 'unresolved') this.unresolvedNode(acl.text, acl.reason);
    }
    const listenersOf = new Map<string, IndexedResource[]>();
    for (const l of this.index.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
      const lb = this.index.resolveOne(l.properties.LoadBalancerArn, l.stack);
      if (lb?.kind === 'resource') listenersOf.set(lb.target.key, [...(listenersOf.get(lb.target.key) ?? []), l]);
    }
    for (const lb of this.index.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      const lbNode = this.nodeFor(lb);
      const listeners = listenersOf.get(lb.key) ?? [];
      const ports = listeners
        .map(
          (l) =>
            `${this.index.flatten(l.properties.Protocol, l.stack) ?? '?'} ${String(this.index.flatten(l.properties.Port, l.stack))}`,
        )
        .join(', ');
      const internetFacing = this.index.flatten(lb.properties.Scheme, lb.stack) === 'internet-facing';
      const waf = wafOf.get(lb.key);
      if (waf) {
        const wafNode = this.nodeFor(waf, this.edgeGroup());
        if (internetFacing) this.edge(this.internet(), wafNode, 'request', ports);
        this.edge(wafNode, lbNode, 'request', 'inspected requests');
      } else if (internetFacing) {
        this.edge(this.internet(), lbNode, 'request', `${ports} (no WAF)`);
      }
      for (const l of listeners) {
        const lNode = this.addNode({
          ...this.describe(l),
          id: l.key,
          group: this.nodes.get(lbNode)?.group,
          resources: [`${l.stack.stackPath}/${l.logicalId}`],
        });
        this.nodeOf.set(l.key, lNode);
        this.edge(lbNode, lNode, 'request', '');
        this.forwards(lNode, l.properties.DefaultActions, l, 'default action');
      }
    }
    for (const rule of this.index.ofType('AWS::ElasticLoadBalancingV2::ListenerRule')) {
      const l = this.index.resolveOne(rule.properties.ListenerArn, rule.stack);
      const from = l ? this.nodeForRef(l) : undefined;
      if (!from) continue;
      const conditions = list(rule.properties.Conditions)
        .map(obj)
        .map((c) => {
          const values = list(obj(c.PathPatternConfig).Values ?? obj(c.HostHeaderConfig).Values ?? c.Values).map(
            String,
          );
          return `${String(c.Field)} ${values.join(' ')}`;
        });
      this.forwards(
        from,
        rule.properties.Actions,
        rule,
        `priority ${String(rule.properties.Priority)}: ${conditions.join(', ')}`,
      );
    }
    for (const svc of this.index.ofType('AWS::ECS::Service')) {
      for (const lb of list(svc.properties.LoadBalancers).map(obj)) {
        const tg = this.index.resolveOne(lb.TargetGroupArn, svc.stack);
        if (!tg) continue;
        const tgNode = this.nodeForRef(tg);
        const proto =
          tg.kind === 'resource' ? this.index.flatten(tg.target.properties.Protocol, tg.target.stack) : undefined;
        this.edge(tgNode, this.nodeFor(svc), 'request', `${proto ?? ''} :${String(lb.ContainerPort ?? '?')}`.trim(), [
          `container ${String(lb.ContainerName ?? '?')}`,
        ]);
      }
    }
    for (const tg of this.index.ofType('AWS::ElasticLoadBalancingV2::TargetGroup')) {
      if (this.index.flatten(tg.properties.TargetType, tg.stack) !== 'lambda') continue;
      for (const t of list(tg.properties.Targets).map(obj)) {
        for (const fn of this.nodesFor(t.Id, tg.stack, 'target')) this.edge(this.nodeFor(tg), fn, 'request', 'invokes');
      }
    }
  }

  private forwards(from: string, actions: unknown, r: IndexedResource, what: string): void {
    const acts = list(actions).map(obj);
    const auth = acts.find((a) => a.Type === 'authenticate-cognito' || a.Type === 'authenticate-oidc');
    const authText = auth
      ? auth.Type === 'authenticate-cognito'
        ? ' after Cognito sign-in'
        : ' after OIDC sign-in'
      : '';
    if (auth?.Type === 'authenticate-cognito') {
      const pool = this.index.resolveOne(obj(auth.AuthenticateCognitoConfig).UserPoolArn, r.stack);
      if (pool?.kind === 'resource') {
        this.edge(from, this.nodeFor(pool.target, this.edgeGroup()), 'request', 'authenticates users');
      } else if (pool) {
        this.edge(from, this.nodeForRef(pool), 'request', 'authenticates users');
      }
    }
    for (const a of acts.filter((x) => x.Type === 'forward')) {
      const tgs = [
        a.TargetGroupArn,
        ...list(obj(a.ForwardConfig).TargetGroups).map((t) => obj(t).TargetGroupArn),
      ].filter((x) => x !== undefined);
      for (const tg of tgs) {
        const ref = this.index.resolveOne(tg, r.stack);
        // A target group is drawn with the load balancer (the listener's group) that forwards to it.
        const to =
          ref?.kind === 'resource'
            ? this.nodeFor(ref.target, this.nodes.get(from)?.group)
            : ref
              ? this.nodeForRef(ref)
              : undefined;
        if (to) this.edge(from, to, 'request', `forward${authText}`, [what]);
      }
    }
  }

  // ---- data access (IAM grants and security groups from compute to stores) --------------------

  private rolesOf(r: IndexedResource): IndexedResource[] {
    const roleRef = (v: unknown, s: InventoryStack): IndexedResource[] =>
      this.index.targets(v, s).filter((t) => t.type === 'AWS::IAM::Role');
    if (r.type === 'AWS::Lambda::Function') return roleRef(r.properties.Role, r.stack);
    if (r.type === 'AWS::ECS::Service') {
      const td = this.index.resolveOne(r.properties.TaskDefinition, r.stack);
      return td?.kind === 'resource' ? roleRef(td.target.properties.TaskRoleArn, td.target.stack) : [];
    }
    return [];
  }

  private statementsOf(role: IndexedResource): { doc: unknown; stack: InventoryStack; where: string }[] {
    const out: { doc: unknown; stack: InventoryStack; where: string }[] = [];
    for (const p of list(role.properties.Policies).map(obj)) {
      out.push({
        doc: p.PolicyDocument,
        stack: role.stack,
        where: `${role.stack.stackPath}/${role.logicalId} inline ${String(p.PolicyName)}`,
      });
    }
    for (const m of this.index.targets(role.properties.ManagedPolicyArns, role.stack)) {
      out.push({ doc: m.properties.PolicyDocument, stack: m.stack, where: `${m.stack.stackPath}/${m.logicalId}` });
    }
    for (const pol of this.index.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
      if (this.index.targets(pol.properties.Roles, pol.stack).includes(role)) {
        out.push({
          doc: pol.properties.PolicyDocument,
          stack: pol.stack,
          where: `${pol.stack.stackPath}/${pol.logicalId}`,
        });
      }
    }
    return out;
  }

  private dataAccess(): void {
    const STORE_TYPES = [
      'AWS::S3::Bucket',
      'AWS::RDS::DBInstance',
      'AWS::RDS::DBCluster',
      'AWS::DynamoDB::Table',
      'AWS::SNS::Topic',
      'AWS::SQS::Queue',
      'AWS::SecretsManager::Secret',
    ];
    const NETWORK_STORES = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::ElastiCache::ReplicationGroup'];
    const sgsOf = (r: IndexedResource): string[] => {
      const v = this.securityGroupsOf(r);
      return v === undefined ? [] : this.index.targets(v, r.stack).map((t) => t.key);
    };
    const ruleEdges = [...this.edges.values()].filter((e) => e.kind === 'network-rule');
    for (const compute of this.index.ofType('AWS::ECS::Service', 'AWS::Lambda::Function')) {
      type Access = { target: IndexedResource; actions: string[]; ports: string[]; where: string[] };
      const access = new Map<string, Access>();
      const entry = (t: IndexedResource): Access => {
        const a = access.get(t.key) ?? { target: t, actions: [], ports: [], where: [] };
        access.set(t.key, a);
        return a;
      };
      // IAM: what the workload's role may do to which store.
      for (const role of this.rolesOf(compute)) {
        for (const { doc, stack, where } of this.statementsOf(role)) {
          for (const st of list(obj(doc).Statement).map(obj)) {
            if (st.Effect !== 'Allow') continue;
            const actions = (Array.isArray(st.Action) ? st.Action : [st.Action]).map(String);
            const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
            for (const res of resources) {
              const targets = this.index.targets(res, stack).filter((t) => STORE_TYPES.includes(t.type));
              const text = this.index.flatten(res, stack);
              const bucket = text ? this.index.bucketNamed(text) : undefined;
              if (bucket && !targets.includes(bucket)) targets.push(bucket);
              for (const t of targets) {
                const a = entry(t);
                a.actions.push(...actions);
                a.where.push(where);
              }
            }
          }
        }
      }
      // Network: the store's security groups admit the workload's.
      const computeSgs = sgsOf(compute);
      for (const store of this.index.ofType(...NETWORK_STORES)) {
        const storeSgs = sgsOf(store);
        const rules = ruleEdges.filter((e) => computeSgs.includes(e.from) && storeSgs.includes(e.to));
        if (rules.length === 0) continue;
        const a = entry(store);
        a.ports.push(...rules.map((e) => e.label));
        a.where.push(...rules.flatMap((e) => e.detail));
      }
      if (access.size === 0) continue;
      const from = this.nodeFor(compute);
      for (const a of access.values()) {
        const kind: EdgeKind = a.target.type === 'AWS::SNS::Topic' ? 'alert' : 'data-access';
        const label = [
          ...(a.ports.length ? [`network: ${[...new Set(a.ports)].sort().join(', ')}`] : []),
          ...(a.actions.length ? [`IAM: ${summarizeActions(a.actions)}`] : []),
        ].join('\n');
        this.edge(from, this.nodeFor(a.target), kind, label, a.where);
      }
    }
  }

  // ---- replication -----------------------------------------------------------------------------

  private replication(): void {
    for (const b of this.index.ofType('AWS::S3::Bucket')) {
      for (const rule of list(obj(b.properties.ReplicationConfiguration).Rules).map(obj)) {
        const dest = obj(rule.Destination);
        const text = this.index.flatten(dest.Bucket, b.stack);
        const ref = this.index.resolveOne(dest.Bucket, b.stack);
        const target = ref?.kind === 'resource' ? ref.target : text ? this.index.bucketNamed(text) : undefined;
        const to = target
          ? this.nodeFor(target)
          : ref?.kind === 'unresolved'
            ? this.unresolvedNode(ref.text, ref.reason)
            : this.unresolvedNode(
                `${b.stack.stackPath}/${b.logicalId} replication to ${text ?? '?'}`,
                'no bucket of that name in this synth',
              );
        const keyValue = obj(dest.EncryptionConfiguration).ReplicaKmsKeyID;
        const key = keyValue !== undefined ? describeKey(resolveKey(this.index, keyValue, b.stack)) : undefined;
        const region = target?.stack.region;
        this.edge(
          this.nodeFor(b),
          to,
          'replication',
          `replication${region ? ` to ${region}` : ''}${rule.Status === 'Enabled' ? '' : ` (${String(rule.Status)})`}`,
          [`rule ${String(rule.Id ?? '?')}`, ...(key ? [`replica key ${key}`] : [])],
        );
      }
    }
  }

  // ---- log flows -------------------------------------------------------------------------------

  private logGroupNode(value: unknown, stack: InventoryStack, what: string): string[] {
    const refs = this.index.references(value, stack);
    if (refs.length) return refs.map((r) => this.nodeForRef(r));
    const text = this.index.flatten(value, stack);
    if (text === undefined) return [];
    const name = /:log-group:([^:]+)/.exec(text)?.[1] ?? text;
    const found = this.index.named('AWS::Logs::LogGroup', 'LogGroupName', name);
    if (found.length) return found.map((f) => this.nodeFor(f));
    return [
      this.unresolvedNode(
        `${what}: log group ${name}`,
        'no AWS::Logs::LogGroup of that name in this synth (the service creates it, outside the blueprint)',
      ),
    ];
  }

  private bucketNodes(value: unknown, stack: InventoryStack, what: string): string[] {
    const refs = this.index.references(value, stack);
    if (refs.length) return refs.map((r) => this.nodeForRef(r));
    const text = this.index.flatten(value, stack);
    if (text === undefined) return [];
    const b = this.index.bucketNamed(text);
    return [
      b ? this.nodeFor(b) : this.unresolvedNode(`${what}: bucket ${text}`, 'no bucket of that name in this synth'),
    ];
  }

  private logFlows(): void {
    for (const fl of this.index.ofType('AWS::EC2::FlowLog')) {
      const source = this.index.resolveOne(fl.properties.ResourceId, fl.stack);
      const vpcGroup = source?.kind === 'resource' ? this.vpcGroupOf.get(source.target.key) : undefined;
      const flNode = this.addNode({
        id: fl.key,
        kind: 'flow-log',
        label: `Flow log (${String(this.index.flatten(fl.properties.TrafficType, fl.stack) ?? '?')})`,
        detail: [
          `of ${String(this.index.flatten(fl.properties.ResourceType, fl.stack))} ${source?.kind === 'resource' ? shortName(source.target) : '?'}`,
        ],
        group: vpcGroup ?? this.stackGroup(fl.stack),
        resources: [`${fl.stack.stackPath}/${fl.logicalId}`],
      });
      this.nodeOf.set(fl.key, flNode);
      const type = this.index.flatten(fl.properties.LogDestinationType, fl.stack) ?? 'cloud-watch-logs';
      const dests =
        type === 's3'
          ? this.bucketNodes(fl.properties.LogDestination, fl.stack, `${fl.stack.stackPath}/${fl.logicalId}`)
          : this.logGroupNode(
              fl.properties.LogGroupName ?? fl.properties.LogDestination,
              fl.stack,
              `${fl.stack.stackPath}/${fl.logicalId}`,
            );
      for (const d of dests) this.edge(flNode, d, 'log', 'flow records');
    }
    for (const trail of this.index.ofType('AWS::CloudTrail::Trail')) {
      const t = this.nodeFor(trail);
      const where = `${trail.stack.stackPath}/${trail.logicalId}`;
      for (const b of this.bucketNodes(trail.properties.S3BucketName, trail.stack, where))
        this.edge(t, b, 'log', 'log files');
      if (trail.properties.CloudWatchLogsLogGroupArn !== undefined) {
        for (const lg of this.logGroupNode(trail.properties.CloudWatchLogsLogGroupArn, trail.stack, where))
          this.edge(t, lg, 'log', 'events');
      }
      const dataValues = [
        ...list(trail.properties.EventSelectors).flatMap((s) =>
          list(obj(s).DataResources)
            .filter((d) => obj(d).Type === 'AWS::S3::Object')
            .flatMap((d) => list(obj(d).Values)),
        ),
        ...list(trail.properties.AdvancedEventSelectors).flatMap((s) =>
          list(obj(s).FieldSelectors)
            .filter((f) => obj(f).Field === 'resources.ARN')
            .flatMap((f) => [...list(obj(f).StartsWith), ...list(obj(f).Equals)]),
        ),
      ];
      for (const v of dataValues) {
        const text = this.index.flatten(v, trail.stack);
        const refs = this.index.targets(v, trail.stack).filter((x) => x.type === 'AWS::S3::Bucket');
        const bucket = refs[0] ?? (text ? this.index.bucketNamed(text) : undefined);
        const from = bucket
          ? this.nodeFor(bucket)
          : this.unresolvedNode(`${where}: data events of ${text ?? '?'}`, 'no bucket of that name in this synth');
        this.edge(from, t, 'audit', 'S3 data events');
      }
    }
    for (const lb of this.index.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      const attrs = new Map(
        list(lb.properties.LoadBalancerAttributes)
          .map(obj)
          .map((a) => [String(a.Key), a.Value]),
      );
      if (this.index.flatten(attrs.get('access_logs.s3.enabled'), lb.stack) !== 'true') continue;
      for (const b of this.bucketNodes(
        attrs.get('access_logs.s3.bucket'),
        lb.stack,
        `${lb.stack.stackPath}/${lb.logicalId}`,
      )) {
        this.edge(this.nodeFor(lb), b, 'log', 'access logs');
      }
    }
    for (const b of this.index.ofType('AWS::S3::Bucket')) {
      const dest = obj(b.properties.LoggingConfiguration).DestinationBucketName;
      if (dest === undefined) continue;
      for (const d of this.bucketNodes(dest, b.stack, `${b.stack.stackPath}/${b.logicalId}`))
        this.edge(this.nodeFor(b), d, 'log', 'server access logs');
    }
    for (const db of this.index.ofType('AWS::RDS::DBInstance', 'AWS::RDS::DBCluster')) {
      const exports = list(db.properties.EnableCloudwatchLogsExports).map(String);
      const isCluster = db.type === 'AWS::RDS::DBCluster';
      const id = this.index.flatten(
        isCluster ? db.properties.DBClusterIdentifier : db.properties.DBInstanceIdentifier,
        db.stack,
      );
      for (const log of exports) {
        const where = `${db.stack.stackPath}/${db.logicalId}`;
        const targets = id
          ? this.logGroupNode(`/aws/rds/${isCluster ? 'cluster' : 'instance'}/${id}/${log}`, db.stack, where)
          : [
              this.unresolvedNode(
                `${where}: ${log} log export`,
                'the identifier is generated at deploy time, so the log group name is unknown',
              ),
            ];
        for (const t of targets) this.edge(this.nodeFor(db), t, 'log', `${log} log export`);
      }
    }
    for (const w of this.index.ofType('AWS::WAFv2::LoggingConfiguration')) {
      const acl = this.index.resolveOne(w.properties.ResourceArn, w.stack);
      if (!acl) continue;
      for (const d of list(w.properties.LogDestinationConfigs)) {
        const text = this.index.flatten(d, w.stack) ?? '';
        const targets = /:s3:::/.test(text)
          ? this.bucketNodes(d, w.stack, `${w.stack.stackPath}/${w.logicalId}`)
          : this.logGroupNode(d, w.stack, `${w.stack.stackPath}/${w.logicalId}`);
        const redacted = list(w.properties.RedactedFields).length;
        for (const t of targets)
          this.edge(this.nodeForRef(acl), t, 'log', `request logs${redacted ? ` (${redacted} fields redacted)` : ''}`);
      }
    }
    for (const fn of this.index.ofType('AWS::Lambda::Function')) {
      const lg = obj(fn.properties.LoggingConfig).LogGroup;
      if (lg === undefined || !this.nodeOf.has(fn.key)) continue;
      for (const t of this.logGroupNode(lg, fn.stack, `${fn.stack.stackPath}/${fn.logicalId}`))
        this.edge(this.nodeFor(fn), t, 'log', 'function logs');
    }
    for (const svc of this.index.ofType('AWS::ECS::Service')) {
      const td = this.index.resolveOne(svc.properties.TaskDefinition, svc.stack);
      if (td?.kind !== 'resource') continue;
      for (const c of list(td.target.properties.ContainerDefinitions).map(obj)) {
        const conf = obj(c.LogConfiguration);
        if (conf.LogDriver !== 'awslogs') continue;
        for (const t of this.logGroupNode(
          obj(conf.Options)['awslogs-group'],
          td.target.stack,
          `${td.target.stack.stackPath}/${td.target.logicalId}`,
        )) {
          this.edge(this.nodeFor(svc), t, 'log', `container logs (${String(c.Name ?? '?')})`);
        }
      }
    }
    for (const ch of this.index.ofType('AWS::Config::DeliveryChannel')) {
      for (const b of this.bucketNodes(ch.properties.S3BucketName, ch.stack, `${ch.stack.stackPath}/${ch.logicalId}`)) {
        this.edge(this.nodeFor(ch), b, 'log', 'configuration history');
      }
    }
  }

  // ---- alert flows -----------------------------------------------------------------------------

  private alertFlows(): void {
    const filters = new Map<string, { logGroups: string[]; names: string[] }>();
    for (const f of this.index.ofType('AWS::Logs::MetricFilter')) {
      const groups = this.logGroupNode(f.properties.LogGroupName, f.stack, `${f.stack.stackPath}/${f.logicalId}`);
      for (const t of list(f.properties.MetricTransformations).map(obj)) {
        const k = `${String(t.MetricNamespace)}|${String(t.MetricName)}`;
        filters.set(k, {
          logGroups: [...new Set([...(filters.get(k)?.logGroups ?? []), ...groups])],
          names: [String(t.MetricName)],
        });
      }
    }
    type Bucket = { stack: InventoryStack; names: string[]; resources: string[]; targets: string[]; sources: string[] };
    const alarmGroups = new Map<string, Bucket>();
    for (const a of this.index.ofType('AWS::CloudWatch::Alarm')) {
      const p = a.properties;
      const actions = [...list(p.AlarmActions), ...list(p.OKActions), ...list(p.InsufficientDataActions)];
      const targets = [...new Set(actions.flatMap((v) => this.nodesFor(v, a.stack, 'alarm action')))].sort();
      const metrics: string[] = [];
      if (p.MetricName !== undefined) metrics.push(`${String(p.Namespace)}|${String(p.MetricName)}`);
      for (const m of list(p.Metrics).map(obj)) {
        const metric = obj(obj(m.MetricStat).Metric);
        if (metric.MetricName !== undefined) metrics.push(`${String(metric.Namespace)}|${String(metric.MetricName)}`);
      }
      const sources = [...new Set(metrics.flatMap((m) => filters.get(m)?.logGroups ?? []))].sort();
      const k = `${a.stack.stackPath}|${targets.join(',')}|${sources.join(',')}`;
      const b = alarmGroups.get(k) ?? { stack: a.stack, names: [], resources: [], targets, sources };
      b.names.push(String(p.MetricName ?? metrics[0]?.split('|')[1] ?? shortName(a)));
      b.resources.push(`${a.stack.stackPath}/${a.logicalId}`);
      alarmGroups.set(k, b);
    }
    let i = 0;
    for (const [, b] of [...alarmGroups].sort(([x], [y]) => x.localeCompare(y))) {
      const id = this.addNode({
        id: `alarms:${b.stack.stackPath}:${i++}`,
        kind: 'alarms',
        label: b.names.length === 1 ? 'CloudWatch alarm' : `CloudWatch alarms (${b.names.length})`,
        detail: chunk([...b.names].sort(), 3),
        group: this.stackGroup(b.stack),
        resources: b.resources.sort(),
      });
      for (const s of b.sources) this.edge(s, id, 'alert', 'metric filters');
      for (const t of b.targets) this.edge(id, t, 'alert', 'alarm action');
      if (b.targets.length === 0)
        this.edge(
          id,
          this.unresolvedNode(
            `${b.stack.stackPath}: alarms ${b.names.join(', ')}`,
            'no alarm action: nobody is notified',
          ),
          'alert',
          'no action',
        );
    }

    const ruleGroups = new Map<string, Bucket & { dlqs: string[] }>();
    for (const r of this.index.ofType('AWS::Events::Rule')) {
      const targets = [
        ...new Set(list(r.properties.Targets).flatMap((t) => this.nodesFor(obj(t).Arn, r.stack, 'rule target'))),
      ].sort();
      const dlqs = [
        ...new Set(
          list(r.properties.Targets).flatMap((t) =>
            this.nodesFor(obj(obj(t).DeadLetterConfig).Arn, r.stack, 'dead-letter queue'),
          ),
        ),
      ].sort();
      const pattern = obj(r.properties.EventPattern);
      const sources = list(pattern.source).map(String);
      const k = `${r.stack.stackPath}|${targets.join(',')}|${dlqs.join(',')}`;
      const b = ruleGroups.get(k) ?? { stack: r.stack, names: [], resources: [], targets, sources: [], dlqs };
      b.names.push(
        ...(sources.length
          ? sources
          : [r.properties.ScheduleExpression ? `schedule ${String(r.properties.ScheduleExpression)}` : shortName(r)]),
      );
      b.resources.push(`${r.stack.stackPath}/${r.logicalId}`);
      ruleGroups.set(k, b);
    }
    let j = 0;
    for (const [, b] of [...ruleGroups].sort(([x], [y]) => x.localeCompare(y))) {
      const id = this.addNode({
        id: `rules:${b.stack.stackPath}:${j++}`,
        kind: 'event-rules',
        label: b.resources.length === 1 ? 'EventBridge rule' : `EventBridge rules (${b.resources.length})`,
        detail: chunk([...new Set(b.names)].sort(), 3),
        group: this.stackGroup(b.stack),
        resources: b.resources.sort(),
      });
      for (const t of b.targets) this.edge(id, t, 'alert', 'matching events');
      for (const d of b.dlqs) this.edge(id, d, 'alert', 'undeliverable events');
    }
    for (const fn of this.index.ofType('AWS::Lambda::Function')) {
      const dlq = obj(fn.properties.DeadLetterConfig).TargetArn;
      if (dlq === undefined || !this.nodeOf.has(fn.key)) continue;
      for (const q of this.nodesFor(dlq, fn.stack, 'dead-letter queue'))
        this.edge(this.nodeFor(fn), q, 'alert', 'failed invocations');
    }
    const subs = new Map<string, { topic: string; protocol: string; resources: string[] }>();
    for (const s of this.index.ofType('AWS::SNS::Subscription')) {
      const protocol = this.index.flatten(s.properties.Protocol, s.stack) ?? '?';
      for (const topic of this.nodesFor(s.properties.TopicArn, s.stack, 'topic')) {
        const k = `${topic}|${protocol}`;
        const e = subs.get(k) ?? { topic, protocol, resources: [] };
        e.resources.push(`${s.stack.stackPath}/${s.logicalId}`);
        subs.set(k, e);
      }
    }
    for (const [k, s] of subs) {
      const id = this.addNode({
        id: `subscribers:${k}`,
        kind: 'subscribers',
        label: `${s.protocol} subscribers (${s.resources.length})`,
        detail: [],
        group: this.nodes.get(s.topic)?.group,
        resources: s.resources.sort(),
      });
      this.edge(s.topic, id, 'alert', 'notifies');
    }
  }

  // ---- backup ----------------------------------------------------------------------------------

  private backupFlows(): void {
    for (const r of this.index.resources()) {
      const cov = this.backup.get(r.key);
      if (!cov?.covered) continue;
      const toVault = new Map<string, { via: Set<string>; detail: string[] }>();
      for (const a of cov.assignments) {
        const sel = this.index.get(a.selection.replace(/\/([^/]+)$/, '::$1'));
        const planRef = sel ? this.index.resolveOne(sel.properties.BackupPlanId, sel.stack) : undefined;
        const vaults =
          planRef?.kind === 'resource'
            ? list(obj(planRef.target.properties.BackupPlan).BackupPlanRule).flatMap((rule) =>
                this.nodesFor(obj(rule).TargetBackupVault, planRef.target.stack, 'backup vault'),
              )
            : [this.unresolvedNode(a.plan, 'backup plan')];
        for (const v of vaults) {
          const e = toVault.get(v) ?? { via: new Set<string>(), detail: [] };
          e.via.add(a.via === 'tag' ? 'by tag' : 'by ARN');
          e.detail.push(`${a.selection}: ${a.detail}`, ...a.rules);
          toVault.set(v, e);
        }
      }
      for (const [v, e] of toVault)
        this.edge(this.nodeFor(r), v, 'backup', `backup (${[...e.via].sort().join(', ')})`, e.detail);
    }
  }
}

/** Builds the map of `stacks`. Pure. */
export function buildNetworkMap(stacks: readonly InventoryStack[], stamp: EvidenceStamp): NetworkMap {
  return buildNetworkMapFromIndex(new TemplateIndex(stacks), stamp);
}

/** Same, from an index already built. */
export function buildNetworkMapFromIndex(index: TemplateIndex, stamp: EvidenceStamp): NetworkMap {
  return new MapBuilder(index).build(stamp);
}
