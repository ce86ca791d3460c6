/**
 * The drawing surface the map is built on: its groups, nodes and edges, the resource-to-node index
 * and the helpers every part of the map uses (a resource's node and label, unresolved nodes, the
 * placement of resources in the tiers of their subnets). map-network.ts and map-flows.ts draw on it.
 */
import { isPhiStore } from './asset-inventory';
import { backupCoverage, BackupCoverage } from './backup-coverage';
import { describeKey, encryptionOf } from './encryption';
import { EdgeKind, MapEdge, MapGroup, MapNode, NetworkMap, NodeKind } from './map-model';
import { EvidenceStamp } from './stamp';
import { IndexedResource, InventoryStack, Reference, TemplateIndex } from './template-index';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const INTERNET = 'internet';
/** The group of the internet edge and of addresses outside the VPCs. */
export const OUTSIDE = 'outside';
const UNRESOLVED_GROUP = 'unresolved';

/** Construct path below the stack without the trailing `Resource`/`Default` segments. */
export function shortName(r: IndexedResource): string {
  const path = r.constructPath;
  if (!path) return r.logicalId;
  const prefix = `${r.stack.stackPath}/`;
  let rest = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  while (/\/(Resource|Default)$/.test(rest)) rest = rest.replace(/\/(Resource|Default)$/, '');
  return rest || r.logicalId;
}

/** `items` joined `perLine` to a line. */
export function chunk(items: readonly string[], perLine: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += perLine) out.push(items.slice(i, i + perLine).join(', '));
  return out;
}

/** Builds the map; one per synth. */
/** The group of event buses reached by ARN (cross-region forwarding). */
const EVENT_BUSES_GROUP = 'event-buses';

export class MapCanvas {
  public readonly groups = new Map<string, MapGroup>();
  public readonly nodes = new Map<string, MapNode>();
  public readonly edges = new Map<string, MapEdge>();
  /** Resource key -> the node standing for it. */
  public readonly nodeOf = new Map<string, string>();
  /** `text: reason` of every reference that could not be followed. */
  public readonly unresolved = new Set<string>();
  /** Subnet resource key -> its tier group. */
  public readonly tierOfSubnet = new Map<string, string>();
  /** VPC resource key -> its group. */
  public readonly vpcGroupOf = new Map<string, string>();
  /** Backup coverage of every resource. */
  public readonly backup: Map<string, BackupCoverage>;

  constructor(public readonly index: TemplateIndex) {
    this.backup = backupCoverage(index);
  }

  /** The model, sorted (deterministic output). */
  public result(stamp: EvidenceStamp): NetworkMap {
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

  public group(g: MapGroup): string {
    if (!this.groups.has(g.id)) this.groups.set(g.id, g);
    return g.id;
  }

  public stackGroup(stack: InventoryStack): string {
    const where = [stack.stackName, stack.region].filter(Boolean).join(', ');
    return this.group({
      id: `stack:${stack.stackPath}`,
      kind: 'stack',
      label: `${stack.stackPath}${where ? ` (${where})` : ''}`,
    });
  }

  public addNode(n: MapNode): string {
    const existing = this.nodes.get(n.id);
    if (existing) {
      this.nodes.set(n.id, { ...existing, resources: [...new Set([...existing.resources, ...n.resources])].sort() });
    } else {
      this.nodes.set(n.id, n);
    }
    return n.id;
  }

  public edge(from: string, to: string, kind: EdgeKind, label: string, detail: readonly string[] = []): void {
    const key = `${from}|${to}|${kind}|${label}`;
    const e = this.edges.get(key);
    this.edges.set(key, { from, to, kind, label, detail: [...new Set([...(e?.detail ?? []), ...detail])].sort() });
  }

  public internet(): string {
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

  public unresolvedNode(text: string, reason: string): string {
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

  /**
   * The node of an EventBridge event bus named by ARN (a rule forwarding to another region's default bus, as the
   * replica region's finding forwarding does): a known destination, not an unresolved literal. Undefined for any
   * other text.
   */
  public eventBusNode(arn: string | undefined): string | undefined {
    const m = arn === undefined ? null : /^arn:[^:]+:events:([^:]+):[^:]*:event-bus\/(.+)$/.exec(arn);
    if (!m) return undefined;
    this.group({ id: EVENT_BUSES_GROUP, kind: 'outside', label: 'EventBridge event buses (by ARN)' });
    return this.addNode({
      id: `event-bus:${arn}`,
      kind: 'event-rules',
      label: `event bus ${m[2]} (${m[1]})`,
      detail: [arn!],
      group: EVENT_BUSES_GROUP,
      resources: [],
    });
  }

  /** The group of the internet edge: clients, address ranges outside the VPCs, WAF, sign-in. */

  /** The group of the internet edge: clients, address ranges outside the VPCs, WAF, sign-in. */
  public edgeGroup(): string {
    return this.group({ id: OUTSIDE, kind: 'outside', label: 'Internet edge and addresses outside the VPCs' });
  }

  /** The node standing for a resource, created (in `group`, by default its stack's) when it has none yet. */

  /** The node standing for a resource, created (in `group`, by default its stack's) when it has none yet. */
  public nodeFor(r: IndexedResource, group?: string): string {
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

  /** The node a reference leads to (a resource's node, or an unresolved node). */
  public nodeForRef(ref: Reference): string {
    return ref.kind === 'resource' ? this.nodeFor(ref.target) : this.unresolvedNode(ref.text, ref.reason);
  }

  /** Nodes for every reference inside `value`; a literal that is not a reference becomes unresolved. */

  /** Nodes for every reference inside `value`; a literal that is not a reference becomes unresolved. */
  public nodesFor(value: unknown, stack: InventoryStack, what: string): string[] {
    const refs = this.index.references(value, stack);
    if (refs.length > 0) return refs.map((r) => this.nodeForRef(r));
    const text = this.index.flatten(value, stack);
    return text === undefined
      ? []
      : [this.unresolvedNode(`${stack.stackPath}: ${what} ${text}`, 'a literal, not a resource of this synth')];
  }

  public describe(r: IndexedResource): { kind: NodeKind; label: string; detail: string[] } {
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

  public actionSummary(actions: unknown, r: IndexedResource, prefix: string): string[] {
    return list(actions)
      .map(obj)
      .sort((a, b) => Number(a.Order ?? 0) - Number(b.Order ?? 0))
      .map((a) => {
        const type = String(a.Type);
        if (type === 'redirect') {
          const redirect = obj(a.RedirectConfig);
          return `${prefix}: redirect to ${String(this.index.flatten(redirect.Protocol, r.stack) ?? '#{protocol}')}:${String(this.index.flatten(redirect.Port, r.stack) ?? '#{port}')}`;
        }
        if (type === 'fixed-response')
          return `${prefix}: fixed response ${String(obj(a.FixedResponseConfig).StatusCode ?? '')}`;
        return `${prefix}: ${type}`;
      });
  }

  // ---- VPCs, tiers, subnets, routes ------------------------------------------------------------

  public vpcOf(value: unknown, stack: InventoryStack): IndexedResource | undefined {
    const ref = this.index.resolveOne(value, stack);
    return ref?.kind === 'resource' && ref.target.type === 'AWS::EC2::VPC' ? ref.target : undefined;
  }

  /** The tier (or VPC) group holding every subnet `value` names, if they share one. */
  public placeBySubnets(value: unknown, stack: InventoryStack): string | undefined {
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

  /** The subnet ids a resource is placed in, and the stack they are written in. */
  public subnetsOf(r: IndexedResource): { value: unknown; stack: InventoryStack } | undefined {
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

  public securityGroupsOf(r: IndexedResource): unknown {
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

  public logGroupNode(value: unknown, stack: InventoryStack, what: string): string[] {
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

  public bucketNodes(value: unknown, stack: InventoryStack, what: string): string[] {
    const refs = this.index.references(value, stack);
    if (refs.length) return refs.map((r) => this.nodeForRef(r));
    const text = this.index.flatten(value, stack);
    if (text === undefined) return [];
    const b = this.index.bucketNamed(text);
    return [
      b ? this.nodeFor(b) : this.unresolvedNode(`${what}: bucket ${text}`, 'no bucket of that name in this synth'),
    ];
  }
}
