import { NetworkMap } from '../../../../lib/compliance/evidence/inventory/network-map';
import { mermaidId, mermaidText, renderMermaid } from '../../../../lib/compliance/evidence/inventory/render-mermaid';
import { TEST_STAMP } from '../../../support/inventory-stacks';

/** Ids and labels a template could carry (construct paths, names, descriptions). */
const ODD = [
  'a"b',
  'x[1]|y',
  'end',
  'o-->x',
  'id;#35;',
  'line\nbreak',
  '`tick`',
  '<script>',
  'a b',
  'a_b',
  'ünï ☃',
  '%%{init}%%',
  'click',
];

const map: NetworkMap = {
  stamp: { ...TEST_STAMP, environment: 'e"v\nx' },
  groups: [
    { id: 'vpc"]end', kind: 'vpc', label: 'VPC "x" [y] {z} | end', phi: true },
    { id: 'tier;1', kind: 'tier', label: 'end', parent: 'vpc"]end', order: 0 },
    { id: 'tier;2', kind: 'tier', label: 'Data', parent: 'vpc"]end', order: 1 },
  ],
  nodes: ODD.map((id, i) => ({
    id,
    kind: i === 0 || i === 6 ? 'subnet' : i % 2 ? 'database' : 'security-group',
    label: `${id} label`,
    detail: [`detail ${id}`],
    group: i < 5 ? 'tier;1' : i < 8 ? 'tier;2' : undefined,
    resources: [],
  })),
  edges: ODD.slice(1).map((id, i) => ({
    from: ODD[i]!,
    to: id,
    kind: (['request', 'uses', 'log', 'network-rule'] as const)[i % 4]!,
    label: `${id} -->| "x" ;`,
    detail: [],
  })),
  unresolved: [],
};
const text = renderMermaid(map);
const lines = text.split('\n');

const ID = 'n_[A-Za-z0-9_]+';
const LABEL = '"((?:[A-Za-z0-9 .,:/_()=+*@\'-]|#\\d+;|<br>)*)"';
const NODE = new RegExp(
  `^ +(${ID})(?:\\[${LABEL}\\]|\\[\\(${LABEL}\\)\\]|\\{\\{${LABEL}\\}\\}|\\(\\(${LABEL}\\)\\)|\\(\\[${LABEL}\\]\\)|\\[/${LABEL}/\\])$`,
);
const EDGE = new RegExp(
  `^ +(${ID})(?:\\[" "\\])? (==>|-->|-\\.->|-\\.-|~~~)(?:\\|${LABEL}\\|)? (${ID})(?:\\[" "\\])?$`,
);
const SUBGRAPH = new RegExp(`^ +subgraph g_[A-Za-z0-9_]+\\[${LABEL}\\]$`);
const STYLE = /^ +style [gn]_[A-Za-z0-9_]+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}(,stroke-dasharray:\d+ \d+)?$/;
const LINK_STYLE = /^ +linkStyle (\d+(?:,\d+)*) stroke:#[0-9a-f]{6},stroke-width:[\d.]+px(,stroke-dasharray:\d+ \d+)?$/;

describe('Mermaid rendering', () => {
  test('V2 mermaidText turns every character that could end a label or start markup into an entity code', () => {
    expect(mermaidText('He said "hi" | <b>#1; [x] {y} `z`')).toBe(
      'He said #34;hi#34; #124; #60;b#62;#35;1#59; #91;x#93; #123;y#125; #96;z#96;',
    );
    expect(mermaidText('two\nlines')).toBe('two<br>lines');
    expect(mermaidText('ünï ☃')).toBe('#252;n#239; #9731;');
  });

  test('V2 mermaidId gives letters, digits and _ only, never a keyword or an edge head, unique per raw id', () => {
    const used = new Map<string, string>();
    const ids = ODD.map((raw) => mermaidId(raw, 'n', used));
    for (const id of ids) expect(id).toMatch(/^n_[A-Za-z0-9_]+$/);
    expect(new Set(ids).size).toBe(ODD.length); // 'a b' and 'a_b' sanitize alike but stay distinct
    expect(mermaidId('a b', 'n', used)).toBe(ids[ODD.indexOf('a b')]); // stable
  });

  test('V2 with odd characters in every id and label, each line is one well-formed statement', () => {
    expect(lines.slice(0, 6)).toEqual([
      '---',
      'title: "Network and data-flow map: e\\"v\\nx"',
      '---',
      '%% Network and data-flow map. Generated at synth from the synthesized templates; do not edit.',
      `%% environment e"v x, account ${TEST_STAMP.account}, region ${TEST_STAMP.region}, commit ${TEST_STAMP.gitCommit}, config ${TEST_STAMP.configHash}`,
      'flowchart LR',
    ]);
    const body = lines.slice(6).filter((l) => l !== '');
    const unmatched = body.filter(
      (l) =>
        !(NODE.test(l) || EDGE.test(l) || SUBGRAPH.test(l) || STYLE.test(l) || LINK_STYLE.test(l) || /^ +end$/.test(l)),
    );
    expect(unmatched).toEqual([]);
    expect(body.filter((l) => NODE.test(l))).toHaveLength(ODD.length);
    // Subgraphs open and close in balance.
    expect(body.filter((l) => /^ +subgraph /.test(l)).length).toBe(body.filter((l) => /^ +end$/.test(l)).length);
  });

  test('V2 every edge of the model is drawn once, and linkStyle indexes only existing links', () => {
    const links = lines.filter((l) => EDGE.test(l));
    expect(links.filter((l) => !/\[" "\]/.test(l) && !/~~~/.test(l))).toHaveLength(map.edges.length);
    // Mermaid numbers links in order, invisible ones included: every visible link is styled once, no invisible one.
    const styled = lines.flatMap((l) => LINK_STYLE.exec(l)?.[1]!.split(',').map(Number) ?? []);
    const visible = links.flatMap((l, i) => (l.includes('~~~') ? [] : [i]));
    expect([...styled].sort((a, b) => a - b)).toEqual(visible);
  });

  test('V2 tiers are chained in order with invisible links (layout only)', () => {
    expect(text).toContain('  n_a_b ~~~ n_tick'); // first subnet of tier 1 -> first subnet of tier 2
  });
});
