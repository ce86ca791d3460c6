/** The network and data-flow map model: groups (clusters), nodes (boxes) and edges (arrows). */
import { EvidenceStamp } from './stamp';

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
