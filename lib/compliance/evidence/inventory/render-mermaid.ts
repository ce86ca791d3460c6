/**
 * network-map.mmd: the map model as a Mermaid flowchart (GitHub renders it in Markdown and .mmd
 * files). Identifiers are generated, so nothing a template contains can break the syntax; every
 * label is quoted with its characters outside a small safe set written as Mermaid entity codes.
 */
import { DEFAULT_NODE, EDGE_STYLES, groupColors, MAP_TITLE, NODE_SHAPES, nodeColors, Shape } from './map-style';
import { EdgeKind, MapGroup, MapNode, NetworkMap } from './network-map';
import { tierChain } from './render-dot';
import { stampLine } from './stamp';

const SAFE = /[A-Za-z0-9 .,:/_()=+*@'-]/;

/**
 * Text for a quoted Mermaid label: every character outside [A-Za-z0-9 .,:/_()=+*@'-] becomes a
 * `#<code>;` entity (so quotes, brackets, pipes, `#`, `;`, `<`, `>`, backticks and newlines
 * cannot end the label or start markup); lines are joined with `<br>`.
 */
export function mermaidText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => [...line].map((ch) => (SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`)).join(''))
    .join('<br>');
}

/**
 * A Mermaid identifier for any string: letters, digits and `_` only, prefixed so that it never
 * starts with a letter Mermaid reads as an edge head (`o`, `x`) or is a keyword (`end`), and
 * unique among the identifiers `used` already holds.
 */
export function mermaidId(raw: string, prefix: string, used: Map<string, string>): string {
  const found = used.get(`${prefix}\u0000${raw}`);
  if (found) return found;
  const base = `${prefix}_${
    raw
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'x'
  }`;
  const taken = new Set(used.values());
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
  used.set(`${prefix}\u0000${raw}`, id);
  return id;
}

function shaped(shape: Shape, label: string): string {
  const q = `"${label}"`;
  switch (shape) {
    case 'cylinder':
      return `[(${q})]`;
    case 'hexagon':
      return `{{${q}}}`;
    case 'circle':
      return `((${q}))`;
    case 'stadium':
      return `([${q}])`;
    case 'note':
      return `[/${q}/]`;
    default:
      return `[${q}]`;
  }
}

const ARROWS: Readonly<Record<EdgeKind, string>> = {
  request: '==>',
  'data-access': '==>',
  replication: '==>',
  'network-rule': '-->',
  route: '-->',
  uses: '-.-',
  log: '-.->',
  audit: '-.->',
  alert: '-.->',
  backup: '-.->',
};

/** Renders the map as a Mermaid flowchart. */
export function renderMermaid(map: NetworkMap): string {
  const ids = new Map<string, string>();
  const nid = (id: string): string => mermaidId(id, 'n', ids);
  const gid = (id: string): string => mermaidId(id, 'g', ids);
  const out: string[] = [
    '---',
    // YAML accepts a JSON string; newlines cannot survive JSON.stringify.
    `title: ${JSON.stringify(`${MAP_TITLE}: ${map.stamp.environment}`)}`,
    '---',
    `%% ${MAP_TITLE}. Generated at synth from the synthesized templates; do not edit.`,
    `%% ${stampLine(map.stamp).replace(/[\r\n]/g, ' ')}`,
    'flowchart LR',
  ];
  const children = new Map<string | undefined, MapGroup[]>();
  for (const g of map.groups) children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  const nodesIn = new Map<string | undefined, MapNode[]>();
  for (const n of map.nodes) nodesIn.set(n.group, [...(nodesIn.get(n.group) ?? []), n]);

  const nodeLine = (n: MapNode, indent: string): string =>
    `${indent}${nid(n.id)}${shaped(NODE_SHAPES[n.kind], mermaidText([n.label, ...n.detail].join('\n')))}`;
  const emit = (parent: string | undefined, indent: string): void => {
    for (const g of children.get(parent) ?? []) {
      out.push(`${indent}subgraph ${gid(g.id)}["${mermaidText(g.label)}"]`);
      emit(g.id, `${indent}  `);
      for (const n of nodesIn.get(g.id) ?? []) out.push(nodeLine(n, `${indent}  `));
      out.push(`${indent}end`);
    }
  };
  emit(undefined, '  ');
  for (const n of nodesIn.get(undefined) ?? []) out.push(nodeLine(n, '  '));

  const linkStyles = new Map<EdgeKind, number[]>();
  map.edges.forEach((e, i) => {
    const label = e.label ? `|"${mermaidText(e.label)}"|` : '';
    out.push(`  ${nid(e.from)} ${ARROWS[e.kind]}${label} ${nid(e.to)}`);
    linkStyles.set(e.kind, [...(linkStyles.get(e.kind) ?? []), i]);
  });

  // Layout only: tiers in order (invisible links, after the real ones so linkStyle indexes hold).
  const chain = tierChain(map);
  for (const [a, b] of chain) out.push(`  ${nid(a)} ~~~ ${nid(b)}`);

  // Legend: one sample arrow per edge kind present.
  const kinds = [...linkStyles.keys()].sort();
  if (kinds.length) {
    out.push(`  subgraph ${gid('legend')}["Legend"]`);
    for (const k of kinds) {
      out.push(
        `    ${nid(`legend:${k}:a`)}[" "] ${ARROWS[k]}|"${mermaidText(EDGE_STYLES[k].meaning)}"| ${nid(`legend:${k}:b`)}[" "]`,
      );
      linkStyles.get(k)!.push(map.edges.length + chain.length + kinds.indexOf(k));
    }
    out.push('  end');
  }

  for (const g of map.groups) {
    const c = groupColors(g);
    out.push(`  style ${gid(g.id)} fill:${c.fill},stroke:${c.stroke}`);
  }
  for (const n of map.nodes) {
    const c = nodeColors(n);
    if (c.fill === DEFAULT_NODE.fill && c.stroke === DEFAULT_NODE.stroke && !c.dashed) continue;
    out.push(`  style ${nid(n.id)} fill:${c.fill},stroke:${c.stroke}${c.dashed ? ',stroke-dasharray:4 3' : ''}`);
  }
  for (const [kind, indexes] of [...linkStyles].sort(([a], [b]) => a.localeCompare(b))) {
    const s = EDGE_STYLES[kind];
    const width = s.line === 'bold' ? 3 : 1.5;
    const dash = s.line === 'dashed' ? ',stroke-dasharray:6 4' : s.line === 'dotted' ? ',stroke-dasharray:2 3' : '';
    out.push(`  linkStyle ${indexes.join(',')} stroke:${s.color},stroke-width:${width}px${dash}`);
  }
  return `${out.join('\n')}\n`;
}
