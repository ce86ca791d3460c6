import { readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderSvgCached, svgCacheKey } from '../../../../lib/compliance/evidence/inventory/svg-cache';
import { scratchDir } from '../../../support/scratch';

/**
 * A stand-in renderer: wraps the DOT in an SVG document (its length in characters) and counts its runs in a file next
 * to it. A shell script run by /bin/sh (renderSvg's `node` option), not a Node.js one: what is tested here is the
 * cache around renderSvg, and a Node.js start per rendering was most of this file's time.
 */
function fakeRenderer(dir: string, variant = ''): { script: string; node: string; runs: () => number } {
  const script = join(dir, `fake-dot-to-svg${variant}.sh`);
  const counter = join(dir, `runs${variant}.txt`);
  writeFileSync(
    script,
    ['dot=$(cat)', `printf x >> '${counter}'`, `printf '<svg data-v="${variant}">%s</svg>\\n' "\${#dot}"`].join('\n'),
  );
  return {
    script,
    node: '/bin/sh',
    runs: () => {
      try {
        return readFileSync(counter, 'utf8').length;
      } catch {
        return 0;
      }
    },
  };
}

describe('renderSvgCached: the network map SVG is rendered only when an input changed', () => {
  let dir: string;
  let cacheDir: string;
  beforeEach(() => {
    dir = scratchDir('svg-cache-');
    cacheDir = join(dir, 'cache');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renders once for the same DOT and renderer, then reuses the SVG', () => {
    const r = fakeRenderer(dir);
    const first = renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir });
    expect(r.runs()).toBe(1);
    expect(renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir })).toBe(first);
    expect(r.runs()).toBe(1);
  });

  it('renders again when the DOT changes', () => {
    const r = fakeRenderer(dir);
    renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir });
    const second = renderSvgCached('digraph { a -> b -> c }', { script: r.script, node: r.node, cacheDir });
    expect(r.runs()).toBe(2);
    expect(second).toContain('>23<');
  });

  it('renders again when the renderer script changes (its content is part of the key)', () => {
    const r = fakeRenderer(dir);
    renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir });
    const before = svgCacheKey('digraph { a -> b }', r.script);
    writeFileSync(r.script, `${readFileSync(r.script, 'utf8')}\n# changed\n`);
    expect(svgCacheKey('digraph { a -> b }', r.script)).not.toBe(before);
    renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir });
    expect(r.runs()).toBe(2);
  });

  it('renders again when the cached file is not a whole SVG document', () => {
    const r = fakeRenderer(dir);
    renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir });
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file!), '<svg>trunc');
    expect(renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir })).toMatch(/<\/svg>\s*$/);
    expect(r.runs()).toBe(2);
  });

  it('with cacheDir false, renders every time; a missing renderer is still reported by renderSvg', () => {
    const r = fakeRenderer(dir);
    renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir: false });
    renderSvgCached('digraph { a -> b }', { script: r.script, node: r.node, cacheDir: false });
    expect(r.runs()).toBe(2);
    expect(() => renderSvgCached('digraph {}', { script: join(dir, 'absent.mjs'), cacheDir })).toThrow(
      /absent\.mjs.*does not exist/,
    );
  });
});
