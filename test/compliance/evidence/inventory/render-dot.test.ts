import { NetworkMap } from '../../../../lib/compliance/evidence/inventory/network-map';
import { dotString, renderDot, tierChain } from '../../../../lib/compliance/evidence/inventory/render-dot';
import { TEST_STAMP } from '../../../support/inventory-stacks';

const map: NetworkMap = {
  stamp: TEST_STAMP,
  groups: [
    { id: 'vpc', kind: 'vpc', label: 'VPC "PHI" 10.0.0.0/16', phi: true },
    { id: 'public', kind: 'tier', label: 'Public tier', parent: 'vpc', order: 0 },
    { id: 'data', kind: 'tier', label: 'Data tier', parent: 'vpc', order: 1 },
  ],
  nodes: [
    {
      id: 'a"b\\c',
      kind: 'load-balancer',
      label: 'Load balancer "x"',
      detail: ['line\\n2'],
      group: 'public',
      resources: [],
    },
    { id: 's1', kind: 'subnet', label: 'Public subnet', detail: [], group: 'public', resources: [] },
    { id: 's2', kind: 'subnet', label: 'Data subnet', detail: [], group: 'data', resources: [] },
    {
      id: 'db',
      kind: 'database',
      label: 'RDS postgres',
      detail: ['port 5433'],
      group: 'data',
      resources: [],
      phi: true,
    },
  ],
  edges: [{ from: 'a"b\\c', to: 'db', kind: 'data-access', label: 'tcp 5433', detail: [] }],
  unresolved: [],
};

describe('DOT', () => {
  test('V2 dotString escapes backslashes and quotes, so a template value cannot end the string or add attributes', () => {
    expect(dotString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(dotString('x"; fillcolor="red')).toBe('"x\\"; fillcolor=\\"red"');
    expect(dotString('two\nlines')).toBe('"two\\nlines"');
  });

  test('V2 the DOT carries the stamp and every node and edge of the model', () => {
    const dot = renderDot(map);
    expect(dot).toContain(`commit ${TEST_STAMP.gitCommit}, config ${TEST_STAMP.configHash}`);
    expect(dot).toContain('"a\\"b\\\\c" [label="Load balancer \\"x\\"\\nline\\\\n2", shape=box');
    expect(dot).toContain('"a\\"b\\\\c" -> "db" [label="tcp 5433"');
  });

  test('V2 a tier is one column (rank=same) and tiers are chained in order (layout only)', () => {
    const dot = renderDot(map);
    expect(tierChain(map)).toEqual([['s1', 's2']]);
    expect(dot).toContain('"s1" -> "s2" [style=invis, weight=20];');
    expect(dot).toContain('{ rank=same; "a\\"b\\\\c"; "s1"; }');
  });
});
