import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { INPUT_FILES, INPUT_FOLDERS, inputFiles, synthInputsKey } from './synth-inputs';
import { scratchDir } from './scratch';

/** A project tree with one file in every input folder, every input file, and files that are not inputs. */
function project(): string {
  const root = scratchDir('synth-inputs-');
  const write = (file: string, content = file): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };
  for (const folder of INPUT_FOLDERS) write(`${folder}/nested/a.ts`);
  for (const file of INPUT_FILES) write(file);
  write('README.md');
  write('test/stacks/keys-stack.test.ts');
  write('services/sample-api/node_modules/dep/index.js');
  write('lib/node_modules/x.js');
  return root;
}

const change = (root: string, file: string): void => writeFileSync(join(root, file), `changed ${file}`);

describe('the cache key of the shared synth', () => {
  let root: string;
  beforeEach(() => (root = project()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('covers bin/, lib/, constructs/, lambda/, services/ and test/support/, and the dependency and context files', () => {
    expect(INPUT_FOLDERS).toEqual(['bin', 'lib', 'constructs', 'lambda', 'services', 'test/support']);
    expect(INPUT_FILES).toEqual(
      expect.arrayContaining([
        'cdk.json',
        'package-lock.json',
        'node_modules/.package-lock.json',
        'test/safeguard-tests.json',
      ]),
    );
    expect(inputFiles(root)).toEqual([...INPUT_FOLDERS.map((f) => `${f}/nested/a.ts`), ...INPUT_FILES].sort());
  });

  it.each([...INPUT_FOLDERS.map((f) => `${f}/nested/a.ts`), ...INPUT_FILES])('changes when %s changes', (file) => {
    const before = synthInputsKey(root, {});
    change(root, file);
    expect(synthInputsKey(root, {})).not.toBe(before);
  });

  it('changes when an input file is added or renamed, or a CDK_* variable changes', () => {
    const before = synthInputsKey(root, {});
    writeFileSync(join(root, 'lib/nested/b.ts'), 'lib/nested/a.ts');
    const added = synthInputsKey(root, {});
    expect(added).not.toBe(before);
    rmSync(join(root, 'lib/nested/a.ts'));
    expect(synthInputsKey(root, {})).not.toBe(added);
    expect(synthInputsKey(root, { CDK_DEFAULT_REGION: 'eu-west-1' })).not.toBe(synthInputsKey(root, {}));
  });

  it('does not change for files that are not inputs (tests, docs, dependencies inside input folders)', () => {
    const before = synthInputsKey(root, { HOME: '/a' });
    for (const file of [
      'README.md',
      'test/stacks/keys-stack.test.ts',
      'services/sample-api/node_modules/dep/index.js',
      'lib/node_modules/x.js',
    ]) {
      change(root, file);
    }
    expect(synthInputsKey(root, { HOME: '/b' })).toBe(before);
  });
});
