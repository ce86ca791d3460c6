import { App } from 'aws-cdk-lib';
import { existsSync, realpathSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join } from 'path';
import { guardedFile } from './file-isolation';
import { removeScratchDirs, scratchDir } from './scratch';

describe('scratch folders of test files', () => {
  test('scratchDir makes a new folder under the OS temp folder; removeScratchDirs removes it with its contents', () => {
    const a = scratchDir('scratch-test-');
    const b = scratchDir('scratch-test-');
    expect(a).not.toBe(b);
    expect(dirname(a)).toBe(tmpdir());
    expect(basename(a)).toMatch(/^scratch-test-.{6}$/);
    writeFileSync(join(a, 'template.json'), '{}');
    expect([...removeScratchDirs().removed].sort()).toEqual([a, b].sort());
    expect([existsSync(a), existsSync(b)]).toEqual([false, false]);
    expect(removeScratchDirs()).toEqual({ removed: [], failed: [] });
  });

  test('a folder that cannot be removed is reported once, with the error, and forgotten', () => {
    const dir = scratchDir('scratch-test-');
    // The module object scratch.ts calls rmSync on (a namespace import's properties cannot be replaced).
    const fs = require('fs') as typeof import('fs'); // eslint-disable-line @typescript-eslint/no-require-imports
    const rm = jest.spyOn(fs, 'rmSync').mockImplementationOnce(() => {
      throw new Error('EBUSY: resource busy or locked');
    });
    expect(removeScratchDirs()).toEqual({ removed: [], failed: [`${dir}: EBUSY: resource busy or locked`] });
    rm.mockRestore();
    expect(removeScratchDirs()).toEqual({ removed: [], failed: [] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a file’s start and end (file-isolation’s hooks) remove the folders made before them, and the assemblies of Apps given no outdir', () => {
    const before = scratchDir('scratch-test-');
    const assemblyBefore = new App().synth().directory;
    const real = expect.getState().snapshotState;
    let saved = false;
    const made: string[] = [];
    // A file's start and end as jest-light-runner drives them (file-isolation.ts install()).
    expect.setState({ testPath: __filename, snapshotState: { save: () => (saved = true) } });
    try {
      // A folder left by a file that ended without its end hook (it crashed) goes when the next file starts.
      expect([existsSync(before), existsSync(assemblyBefore)]).toEqual([false, false]);
      made.push(scratchDir('scratch-test-'));
      // An App given no outdir: aws-cdk-lib synthesizes it into a cdk.outXXXXXX folder of the OS temp folder.
      made.push(new App().synth().directory);
      expect(made[1]!.startsWith(join(realpathSync(tmpdir()), 'cdk.out'))).toBe(true);
      expect(made.map((d) => existsSync(d))).toEqual([true, true]);
      (expect.getState().snapshotState as unknown as { save: () => unknown }).save();
    } finally {
      expect.setState({ snapshotState: real });
    }
    expect(saved).toBe(true);
    expect(guardedFile()).toBe(__filename);
    expect(made.map((d) => existsSync(d))).toEqual([false, false]);
  });
});
