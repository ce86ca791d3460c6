/**
 * How the map's kinds are drawn, shared by the Mermaid and DOT renderers so both read the same:
 * colours and line styles per edge kind, fills per group, shapes per node kind.
 */
import { EdgeKind, MapGroup, MapNode, NodeKind } from './network-map';

export interface EdgeStyle {
  /** Legend text. */
  readonly meaning: string;
  readonly color: string;
  readonly line: 'solid' | 'dashed' | 'dotted' | 'bold';
  readonly arrow: boolean;
}

export const EDGE_STYLES: Readonly<Record<EdgeKind, EdgeStyle>> = {
  request: { meaning: 'request path', color: '#1f4e9c', line: 'bold', arrow: true },
  'data-access': { meaning: 'data access (security groups, IAM)', color: '#a61b1b', line: 'bold', arrow: true },
  'network-rule': { meaning: 'security group rule (port)', color: '#333333', line: 'solid', arrow: true },
  uses: { meaning: 'member of / attached to', color: '#9e9e9e', line: 'dotted', arrow: false },
  route: { meaning: 'route', color: '#0b7a75', line: 'solid', arrow: true },
  replication: { meaning: 'replication', color: '#6a1b9a', line: 'bold', arrow: true },
  log: { meaning: 'log delivery', color: '#6d6d6d', line: 'dashed', arrow: true },
  audit: { meaning: 'audited by', color: '#8d6e63', line: 'dashed', arrow: true },
  alert: { meaning: 'alert flow', color: '#d35400', line: 'dashed', arrow: true },
  backup: { meaning: 'backup', color: '#2e7d32', line: 'dashed', arrow: true },
};

/** Fill and border of a group. */
export function groupColors(g: MapGroup): { fill: string; stroke: string } {
  if (g.kind === 'vpc') return g.phi ? { fill: '#fff4f2', stroke: '#c0392b' } : { fill: '#f2f7ff', stroke: '#2c6fbb' };
  if (g.kind === 'tier') {
    const name = g.label.toLowerCase();
    if (name.startsWith('public')) return { fill: '#fffbe6', stroke: '#c9a227' };
    if (name.startsWith('data')) return { fill: '#fde9e7', stroke: '#a93226' };
    return { fill: '#edf7ed', stroke: '#3c8d40' };
  }
  if (g.id === 'unresolved') return { fill: '#fff0f0', stroke: '#d00000' };
  return { fill: '#f7f7f7', stroke: '#9e9e9e' };
}

export type Shape = 'box' | 'cylinder' | 'hexagon' | 'circle' | 'stadium' | 'note';

export const NODE_SHAPES: Readonly<Record<NodeKind, Shape>> = {
  internet: 'circle',
  cidr: 'circle',
  subnet: 'box',
  'internet-gateway': 'hexagon',
  'nat-gateway': 'hexagon',
  'gateway-endpoint': 'box',
  'interface-endpoints': 'box',
  'network-acl': 'note',
  'security-group': 'note',
  'flow-log': 'stadium',
  waf: 'box',
  'load-balancer': 'box',
  listener: 'stadium',
  'target-group': 'stadium',
  'user-pool': 'box',
  'ecs-service': 'box',
  function: 'box',
  database: 'cylinder',
  bucket: 'cylinder',
  'log-group': 'cylinder',
  trail: 'box',
  'config-delivery': 'box',
  alarms: 'stadium',
  'event-rules': 'stadium',
  topic: 'stadium',
  queue: 'cylinder',
  subscribers: 'circle',
  'backup-vault': 'cylinder',
  resource: 'box',
  unresolved: 'note',
};

/** Fill and border of a node. */
export function nodeColors(n: MapNode): { fill: string; stroke: string; dashed: boolean } {
  if (n.kind === 'unresolved') return { fill: '#fff0f0', stroke: '#d00000', dashed: true };
  if (n.phi && (n.kind === 'database' || n.kind === 'bucket' || n.kind === 'backup-vault' || n.kind === 'resource')) {
    return { fill: '#f9d3cf', stroke: '#a93226', dashed: false };
  }
  if (n.kind === 'security-group' || n.kind === 'network-acl')
    return { fill: '#fffde7', stroke: '#8d6e63', dashed: false };
  return { ...DEFAULT_NODE, dashed: false };
}

/** Colours of a node with nothing to stand out for. */
export const DEFAULT_NODE = { fill: '#ffffff', stroke: '#555555' } as const;

/** Title line of the drawing. */
export const MAP_TITLE = 'Network and data-flow map';
