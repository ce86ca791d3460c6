/**
 * The architecture, checked from the import graph (parsed by the TypeScript compiler, not regular
 * expressions): constructs never import lib/, the floor (constructs/core) imports nothing above it, and
 * the source folders form no import cycle.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import * as ts from 'typescript';
import * as library from '../constructs';

const ROOT = resolve(__dirname, '..');
const SOURCES = ['bin', 'lib', 'constructs', 'lambda'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : filesUnder(full);
    return full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : [];
  });
}

/** Project-relative files each file imports (relative imports only, resolved to .ts or index.ts). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCES.flatMap((d) => filesUnder(join(ROOT, d)))) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => {
        const base = resolve(dirname(file), spec);
        for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
          try {
            if (statSync(candidate).isFile()) return relative(ROOT, candidate).split(sep).join('/');
          } catch {
            // try the next form
          }
        }
        throw new Error(`${relative(ROOT, file)}: cannot resolve import '${spec}'`);
      });
    graph.set(relative(ROOT, file).split(sep).join('/'), targets);
  }
  return graph;
}

const graph = importGraph();
const folderOf = (file: string): string => dirname(file);

describe('architecture', () => {
  it('no file under constructs/ imports anything from lib/ (the construct library sits at the bottom)', () => {
    const offending = [...graph]
      .filter(([file]) => file.startsWith('constructs/'))
      .flatMap(([file, targets]) => targets.filter((t) => t.startsWith('lib/')).map((t) => `${file} -> ${t}`));
    expect(offending).toEqual([]);
  });

  it('the floor (constructs/core) imports only itself', () => {
    const offending = [...graph]
      .filter(([file]) => file.startsWith('constructs/core/'))
      .flatMap(([file, targets]) =>
        targets.filter((t) => !t.startsWith('constructs/core/')).map((t) => `${file} -> ${t}`),
      );
    expect(offending).toEqual([]);
  });

  it('the source folders form no import cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      for (const t of targets) {
        if (folderOf(t) === folderOf(file)) continue;
        edges.set(folderOf(file), (edges.get(folderOf(file)) ?? new Set()).add(folderOf(t)));
      }
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (folder: string, path: string[]): void => {
      if (state.get(folder) === 'done') return;
      if (state.get(folder) === 'open') {
        cycles.push([...path.slice(path.indexOf(folder)), folder].join(' -> '));
        return;
      }
      state.set(folder, 'open');
      for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
      state.set(folder, 'done');
    };
    for (const folder of edges.keys()) visit(folder, []);
    expect(cycles).toEqual([]);
  });

  it('constructs/index.ts exports every construct class of the library', () => {
    const exported = new Set(Object.keys(library));
    const classes = filesUnder(join(ROOT, 'constructs'))
      .filter((f) => !f.includes(`${sep}core${sep}`))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1]!));
    expect(classes.length).toBeGreaterThan(25);
    expect(classes.filter((c) => !exported.has(c))).toEqual([]);
  });
});
