import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { lambdaSourceHash } from '../../../constructs/core/lambda-source-hash';
import { scratchDir } from '../../support/scratch';

/** A throw-away project: package files, a lockfile, esbuild's version, a function folder and a shared module. */
function project(): { root: string; entry: string; write: (file: string, text: string) => void } {
  const root = scratchDir('lambda-hash-');
  const write = (file: string, text: string): void => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('package.json', '{"name":"p"}');
  write('package-lock.json', '{"lockfileVersion":3,"packages":{"node_modules/pg":{"version":"1.0.0"}}}');
  write('tsconfig.json', '{"compilerOptions":{"target":"ES2022"}}');
  write('node_modules/esbuild/package.json', '{"version":"0.28.2"}');
  write(
    'lambda/fn/index.ts',
    "import { a } from './a';\nimport { shared } from '../../shared/util';\nexport const h = a + shared;\n",
  );
  write('lambda/fn/a.ts', 'export const a = 1;\n');
  write('shared/util.ts', "export { deeper as shared } from './deeper';\n");
  write('shared/deeper.ts', 'export const deeper = 2;\n');
  write('shared/unused.ts', 'export const unused = 3;\n');
  return { root, entry: join(root, 'lambda/fn/index.ts'), write };
}

describe('lambdaSourceHash: a hash of every input of the bundle', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  const cases: [string, string, string][] = [
    ['a file of the function folder', 'lambda/fn/a.ts', 'export const a = 10;\n'],
    ['a new file in the function folder', 'lambda/fn/new.json', '{}'],
    ['a module outside the folder imported by the entry', 'shared/util.ts', 'export const shared = 5;\n'],
    ['a module reached transitively', 'shared/deeper.ts', 'export const deeper = 20;\n'],
    [
      'the lockfile (a dependency version)',
      'package-lock.json',
      '{"lockfileVersion":3,"packages":{"node_modules/pg":{"version":"2.0.0"}}}',
    ],
    ['the installed tree', 'node_modules/.package-lock.json', '{"x":1}'],
    ['tsconfig.json', 'tsconfig.json', '{"compilerOptions":{"target":"ES2020"}}'],
    ['package.json', 'package.json', '{"name":"p","type":"module"}'],
    ['the esbuild version', 'node_modules/esbuild/package.json', '{"version":"0.29.0"}'],
  ];
  it.each(cases)('changes with %s', (_label, file, text) => {
    const p = project();
    roots.push(p.root);
    const before = lambdaSourceHash({ entry: p.entry, projectRoot: p.root });
    expect(lambdaSourceHash({ entry: p.entry, projectRoot: p.root })).toBe(before);
    p.write(file, text);
    expect(lambdaSourceHash({ entry: p.entry, projectRoot: p.root })).not.toBe(before);
  });

  it('does not change with a module nothing imports, and changes with `extra`', () => {
    const p = project();
    roots.push(p.root);
    const before = lambdaSourceHash({ entry: p.entry, projectRoot: p.root });
    p.write('shared/unused.ts', 'export const unused = 30;\n');
    expect(lambdaSourceHash({ entry: p.entry, projectRoot: p.root })).toBe(before);
    expect(lambdaSourceHash({ entry: p.entry, projectRoot: p.root, extra: ['x'] })).not.toBe(before);
  });

  it('refuses a relative import that resolves to no file, naming it', () => {
    const p = project();
    roots.push(p.root);
    p.write('lambda/fn/a.ts', "export { b as a } from './missing';\n");
    expect(() => lambdaSourceHash({ entry: p.entry, projectRoot: p.root })).toThrow(
      "lambdaSourceHash: import './missing' in lambda/fn/a.ts: resolves to no file",
    );
  });
});
