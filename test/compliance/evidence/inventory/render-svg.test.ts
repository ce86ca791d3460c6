import { rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { NetworkMap } from '../../../../lib/compliance/evidence/inventory/network-map';
import { renderDot } from '../../../../lib/compliance/evidence/inventory/render-dot';
import { DOT_TO_SVG_SCRIPT, renderSvg } from '../../../../lib/compliance/evidence/inventory/render-svg';
import { TEST_STAMP } from '../../../support/inventory-stacks';
import { scratchDir } from '../../../support/scratch';

const map: NetworkMap = {
  stamp: TEST_STAMP,
  groups: [{ id: 'vpc', kind: 'vpc', label: 'VPC "PHI" 10.0.0.0/16', phi: true }],
  nodes: [
    {
      id: 'a"b\\c',
      kind: 'load-balancer',
      label: 'Load balancer "x"',
      detail: ['line\\n2'],
      group: 'vpc',
      resources: [],
    },
    {
      id: 'db',
      kind: 'database',
      label: 'RDS postgres',
      detail: ['port 5433'],
      group: 'vpc',
      resources: [],
      phi: true,
    },
  ],
  edges: [{ from: 'a"b\\c', to: 'db', kind: 'data-access', label: 'tcp 5433', detail: [] }],
  unresolved: [],
};

let dir: string;
beforeAll(() => {
  dir = scratchDir('render-svg-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SVG, offline (Graphviz as WebAssembly in a child process)', () => {
  test('V2 renders the DOT to an SVG document holding every node', () => {
    const svg = renderSvg(renderDot(map));
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<\/svg>\s*$/);
    // DOT keeps `\\` in node names (ids stay distinct); labels decode it, so a literal `\n` stays text.
    expect(svg).toContain('<title>a&quot;b\\\\c</title>');
    expect(svg).toContain('>Load balancer &quot;x&quot;</text>');
    expect(svg).toContain('>line\\n2</text>');
    expect(svg).toContain('<title>db</title>');
    expect(svg).toContain('RDS postgres');
  });

  test('V2 fails clearly when the renderer script is missing', () => {
    const script = join(dir, 'missing.mjs');
    expect(() => renderSvg('digraph { a }', { script })).toThrow(
      `network-map.svg: the Graphviz renderer ${script} (run by ${process.execPath}) does not exist; the SVG cannot be rendered`,
    );
  });

  test('V2 fails clearly when Node.js cannot be started', () => {
    expect(() => renderSvg('digraph { a }', { node: join(dir, 'no-node') })).toThrow(
      `network-map.svg: the Graphviz renderer ${DOT_TO_SVG_SCRIPT} (run by ${join(dir, 'no-node')}) could not start: ${join(dir, 'no-node')} not found`,
    );
  });

  test('V2 fails clearly, with the Graphviz message, on DOT Graphviz rejects', () => {
    expect(() => renderSvg('digraph { a -> }')).toThrow(
      /the Graphviz renderer .*dot-to-svg\.mjs .* failed with exit code 2: Graphviz could not render the DOT: \| error: .*syntax error/,
    );
  });

  test('V2 fails clearly when the renderer writes something that is not SVG', () => {
    const script = join(dir, 'not-svg.mjs');
    writeFileSync(script, "process.stdout.write('hello');\n");
    expect(() => renderSvg('digraph { a }', { script })).toThrow(/returned no SVG document \(first bytes: "hello"\)/);
  });

  test('V2 fails clearly when the renderer does not finish in time', () => {
    const script = join(dir, 'slow.mjs');
    writeFileSync(script, 'setTimeout(() => {}, 10000);\n');
    expect(() => renderSvg('digraph { a }', { script, timeoutMs: 300 })).toThrow(
      /was stopped by SIGTERM \(timeout 300 ms\)/,
    );
  });
});
