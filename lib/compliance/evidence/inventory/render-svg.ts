/**
 * DOT -> SVG, offline, with Graphviz compiled to WebAssembly (@viz-js/viz).
 *
 * The evidence plugin's validate() is synchronous, while @viz-js/viz only offers an async
 * `instance()`. Rendering therefore runs in a child Node.js process (`dot-to-svg.mjs`, next to this
 * file) that the plugin waits for with execFileSync, passing the DOT on stdin. It costs one Node
 * start plus loading the WebAssembly module, measured at a few hundred milliseconds per synth
 * (see the README), and needs no browser, no network and no change to the CDK app's lifecycle.
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

/** The renderer script shipped with this module. */
export const DOT_TO_SVG_SCRIPT = join(__dirname, 'dot-to-svg.mjs');

/** Options of renderSvg. */
export interface RenderSvgOptions {
  /**
   * The renderer script (reads DOT on stdin, writes SVG on stdout).
   * @default DOT_TO_SVG_SCRIPT
   */
  readonly script?: string;
  /**
   * The Node.js executable that runs it.
   * @default process.execPath (the Node.js running the synth)
   */
  readonly node?: string;
  /**
   * Give up after this many milliseconds.
   * @default 60000
   */
  readonly timeoutMs?: number;
}

/**
 * Renders DOT to an SVG document.
 * @throws Error naming the renderer, the Node.js executable and what went wrong (missing script,
 *   a process that could not start, Graphviz errors, a timeout, or output that is not SVG).
 */
export function renderSvg(dot: string, options: RenderSvgOptions = {}): string {
  const script = options.script ?? DOT_TO_SVG_SCRIPT;
  const node = options.node ?? process.execPath;
  const timeout = options.timeoutMs ?? 60000;
  const what = `network-map.svg: the Graphviz renderer ${script} (run by ${node})`;
  if (!existsSync(script)) throw new Error(`${what} does not exist; the SVG cannot be rendered`);
  let svg: string;
  try {
    svg = execFileSync(node, [script], {
      input: dot,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & {
      stderr?: string | Buffer;
      status?: number | null;
      signal?: string | null;
    };
    const stderr = String(err.stderr ?? '').trim();
    const reason =
      err.code === 'ENOENT'
        ? `could not start: ${node} not found`
        : err.signal
          ? `was stopped by ${err.signal}${err.signal === 'SIGTERM' ? ` (timeout ${timeout} ms)` : ''}`
          : `failed with exit code ${String(err.status)}${stderr ? `: ${stderr.split('\n').slice(0, 8).join(' | ')}` : ''}`;
    throw new Error(`${what} ${reason}`, { cause: e });
  }
  if (!/<svg[\s>]/.test(svg) || !/<\/svg>\s*$/.test(svg)) {
    throw new Error(`${what} returned no SVG document (first bytes: ${JSON.stringify(svg.slice(0, 80))})`);
  }
  return svg;
}
