/**
 * The map model as Graphviz DOT, rendered offline to network-map.svg (render-svg.ts). Every id and
 * label is a quoted DOT string with backslashes and quotes escaped, so template content cannot
 * break the syntax or inject attributes.
 */
import { EDGE_STYLES, groupColors, MAP_TITLE, NODE_SHAPES, nodeColors, Shape } from './map-style';
import { MapGroup, MapNode, NetworkMap } from './network-map';
import { stampLine } from './stamp';

/** A quoted DOT string: `\` and `"` escaped, line breaks as `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** A DOT label of left-justified lines (each escaped, each ended by `\l`). */
function leftJustified(lines: readonly string[]): string {
  return `"${lines.map((l) => `${dotString(l.replace(/\r?\n/g, ' ')).slice(1, -1)}\\l`).join('')}"`;
}

const SHAPES: Readonly<Record<Shape, string>> = {
  box: 'box',
  cylinder: 'cylinder',
  hexagon: 'hexagon',
  circle: 'ellipse',
  stadium: 'box',
  note: 'note',
};

function nodeStatement(n: MapNode, indent: string): string {
  const c = nodeColors(n);
  const shape = NODE_SHAPES[n.kind];
  const style = [
    'filled',
    ...(shape === 'stadium' || shape === 'box' ? ['rounded'] : []),
    ...(c.dashed ? ['dashed'] : []),
  ];
  const attrs = [
    `label=${dotString([n.label, ...n.detail].join('\n'))}`,
    `shape=${SHAPES[shape]}`,
    `style=${dotString(style.join(','))}`,
    `fillcolor=${dotString(c.fill)}`,
    `color=${dotString(c.stroke)}`,
    ...(n.phi ? ['penwidth=2'] : []),
  ];
  return `${indent}${dotString(n.id)} [${attrs.join(', ')}];`;
}

/**
 * Pairs of nodes (first node of a tier, first node of the next tier of the same VPC, by order)
 * that the renderers link invisibly so tiers are laid out in order.
 */
export function tierChain(map: NetworkMap): [string, string][] {
  const tiersByVpc = new Map<string | undefined, MapGroup[]>();
  for (const g of map.groups.filter((x) => x.kind === 'tier' && x.order !== undefined)) {
    tiersByVpc.set(g.parent, [...(tiersByVpc.get(g.parent) ?? []), g]);
  }
  const out: [string, string][] = [];
  for (const tiers of tiersByVpc.values()) {
    const firsts = tiers
      .sort((a, b) => a.order! - b.order!)
      .map((t) => map.nodes.find((n) => n.group === t.id && n.kind === 'subnet')?.id)
      .filter((id): id is string => id !== undefined);
    for (let i = 1; i < firsts.length; i++) out.push([firsts[i - 1]!, firsts[i]!]);
  }
  return out;
}

/** Renders the map as a DOT digraph. */
export function renderDot(map: NetworkMap): string {
  const out: string[] = [
    `// ${MAP_TITLE}. Generated at synth from the synthesized templates; do not edit.`,
    'digraph network_map {',
    `  graph [rankdir=LR, newrank=true, compound=true, fontname="Helvetica", fontsize=12, labelloc=t, labeljust=l, nodesep=0.2, ranksep=0.6, label=${leftJustified([MAP_TITLE, stampLine(map.stamp)])}];`,
    '  node [fontname="Helvetica", fontsize=10, margin="0.12,0.06"];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const children = new Map<string | undefined, MapGroup[]>();
  for (const g of map.groups) children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  const nodesIn = new Map<string | undefined, MapNode[]>();
  for (const n of map.nodes) nodesIn.set(n.group, [...(nodesIn.get(n.group) ?? []), n]);
  let cluster = 0;
  const emit = (parent: string | undefined, indent: string): void => {
    for (const g of children.get(parent) ?? []) {
      const c = groupColors(g);
      out.push(
        `${indent}subgraph ${dotString(`cluster_${cluster++}`)} {`,
        `${indent}  label=${dotString(g.label)}; style="filled,rounded"; fillcolor=${dotString(c.fill)}; color=${dotString(c.stroke)};${g.kind === 'vpc' ? ' penwidth=2; fontsize=13;' : ''}`,
      );
      emit(g.id, `${indent}  `);
      const members = nodesIn.get(g.id) ?? [];
      for (const n of members) out.push(nodeStatement(n, `${indent}  `));
      // Layout only: a tier is one column.
      if (g.kind === 'tier' && members.length > 1) {
        out.push(`${indent}  { rank=same; ${members.map((n) => dotString(n.id)).join('; ')}; }`);
      }
      out.push(`${indent}}`);
    }
  };
  emit(undefined, '  ');
  for (const n of nodesIn.get(undefined) ?? []) out.push(nodeStatement(n, '  '));

  // Layout only: each VPC's tiers left to right, most exposed first (invisible, heavy edges).
  for (const [a, b] of tierChain(map)) out.push(`  ${dotString(a)} -> ${dotString(b)} [style=invis, weight=20];`);

  // Layout only (the arrows keep their meaning): membership, routes and security group rules do
  // not rank nodes; other flows from outside into a VPC are ranked reversed, so what lies outside
  // the VPCs (logs, alarms, stores) is laid out to the right of them.
  const groupOf = new Map(map.groups.map((g) => [g.id, g]));
  const inVpc = (nodeId: string): boolean => {
    let g = groupOf.get(map.nodes.find((n) => n.id === nodeId)?.group ?? '');
    for (; g; g = g.parent ? groupOf.get(g.parent) : undefined) if (g.kind === 'vpc') return true;
    return false;
  };
  for (const e of map.edges) {
    const s = EDGE_STYLES[e.kind];
    const free = e.kind === 'uses' || e.kind === 'route' || e.kind === 'network-rule';
    const reversed = !free && e.kind !== 'request' && !inVpc(e.from) && inVpc(e.to);
    const attrs = [
      ...(e.label ? [`label=${dotString(e.label)}`] : []),
      `color=${dotString(s.color)}`,
      `fontcolor=${dotString(s.color)}`,
      `style=${s.line === 'bold' ? 'bold' : s.line}`,
      ...(s.line === 'bold' ? ['penwidth=2.5'] : []),
      ...(s.arrow ? [] : ['arrowhead=none']),
      ...(free ? ['constraint=false'] : []),
      ...(reversed ? [`dir=${s.arrow ? 'back' : 'none'}`] : []),
    ];
    const [a, b] = reversed ? [e.to, e.from] : [e.from, e.to];
    out.push(`  ${dotString(a)} -> ${dotString(b)} [${attrs.join(', ')}];`);
  }

  const kinds = [...new Set(map.edges.map((e) => e.kind))].sort();
  if (kinds.length) {
    out.push(
      `  subgraph "cluster_legend" {`,
      '    label="Legend"; style="rounded"; color="#9e9e9e";',
      '    node [shape=point, width=0.05, label=""];',
    );
    for (const k of kinds) {
      const s = EDGE_STYLES[k];
      out.push(
        `    ${dotString(`legend:${k}:a`)} -> ${dotString(`legend:${k}:b`)} [label=${dotString(s.meaning)}, color=${dotString(s.color)}, fontcolor=${dotString(s.color)}, style=${s.line === 'bold' ? 'bold' : s.line}${s.arrow ? '' : ', arrowhead=none'}];`,
      );
    }
    out.push('  }');
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
