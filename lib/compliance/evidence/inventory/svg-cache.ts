/**
 * The network map's SVG, rendered only when its inputs changed. Rendering starts a Node.js process and loads
 * Graphviz as WebAssembly (render-svg.ts), a few hundred milliseconds per synth, while the DOT of an unchanged app
 * at the same commit is the same. The SVG is kept under node_modules/.cache/hipaa-network-map/<key>.svg, where
 * <key> hashes every input of the rendering: the DOT, the renderer script's path and content, and the
 * @viz-js/viz version the script loads. Anything else gives a new key, so a new rendering; a cached file that is
 * not a whole SVG document is rendered again.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join } from 'path';
import { markUsed, storeRecent } from '../../../../constructs/core/recent-cache';
import { DOT_TO_SVG_SCRIPT, renderSvg, RenderSvgOptions } from './render-svg';

/** The default cache folder, in the project's node_modules (never in the assembly or the evidence). */
export const SVG_CACHE_DIR = join(__dirname, '..', '..', '..', '..', 'node_modules', '.cache', 'hipaa-network-map');

/** Cached renderings kept (the most recently used). */
const KEEP = 32;

/** Options of renderSvgCached. */
export interface CachedSvgOptions extends RenderSvgOptions {
  /**
   * The cache folder; `false` renders every time.
   * @default SVG_CACHE_DIR
   */
  readonly cacheDir?: string | false;
}

/** The version of @viz-js/viz that `script` loads; 'unresolved' when it cannot be found. */
function vizVersion(script: string): string {
  try {
    let dir = dirname(createRequire(script).resolve('@viz-js/viz'));
    while (dir !== dirname(dir)) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg)) {
        const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (json.name === '@viz-js/viz') return `${json.version}@${dir}`;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through: the renderer will report the missing package itself
  }
  return 'unresolved';
}

/** The cache key of rendering `dot` with `script`; undefined when the script does not exist (nothing to cache). */
export function svgCacheKey(dot: string, script: string): string | undefined {
  if (!existsSync(script)) return undefined;
  const hash = createHash('sha256');
  for (const part of [dot, script, readFileSync(script, 'utf8'), vizVersion(script)]) {
    hash.update(`${part.length}\0`);
    hash.update(part);
  }
  return hash.digest('hex');
}

const isSvgDocument = (svg: string): boolean => /<svg[\s>]/.test(svg) && /<\/svg>\s*$/.test(svg);

/**
 * renderSvg, reusing the SVG of an earlier rendering with the same inputs (svgCacheKey). Errors are renderSvg's;
 * a cache folder that cannot be written only costs the reuse next time.
 */
export function renderSvgCached(dot: string, options: CachedSvgOptions = {}): string {
  const { cacheDir = SVG_CACHE_DIR, ...renderOptions } = options;
  const key = cacheDir === false ? undefined : svgCacheKey(dot, renderOptions.script ?? DOT_TO_SVG_SCRIPT);
  if (cacheDir === false || key === undefined) return renderSvg(dot, renderOptions);
  const file = join(cacheDir, `${key}.svg`);
  if (existsSync(file)) {
    const cached = readFileSync(file, 'utf8');
    if (isSvgDocument(cached)) {
      markUsed(file);
      return cached;
    }
  }
  const svg = renderSvg(dot, renderOptions);
  storeRecent(file, KEEP, (temporary) => writeFileSync(temporary, svg));
  return svg;
}
