// Reads Graphviz DOT on stdin and writes the SVG on stdout. Graphviz runs as WebAssembly inside
// @viz-js/viz (bundled in the package: nothing is downloaded, no browser, no network). Run by
// render-svg.ts in a child process so that the synchronous validation plugin can wait for it.
// Exit codes: 0 rendered; 2 Graphviz rejected the DOT; 1 anything else. Errors go to stderr.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { instance } from '@viz-js/viz';

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const dot = Buffer.concat(chunks).toString('utf8');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => `${e.level ?? 'error'}: ${e.message}`).join('\n');
    process.stderr.write(`Graphviz could not render the DOT:\n${messages}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(result.output);
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
