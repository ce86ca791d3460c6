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
    expect(removeScratchDirs().sort()).toEqual([a, b].sort());
    expect([existsSync(a), existsSync(b)]).toEqual([false, false]);
    expect(removeScratchDirs()).toEqual([]);
  });

  test('a file’s start and end (file-isolation’s hooks) remove the folders made before them, and the assemblies of Apps given no outdir', () => {
    const before = scratchDir('scratch-test-');
    const real = expect.getState().snapshotState;
    let saved = false;
    let dir = '';
    let assembly = '';
    // A file's start and end as jest-light-runner drives them (file-isolation.ts install()).
    expect.setState({ testPath: __filename, snapshotState: { save: () => (saved = true) } });
    try {
      // A folder left by a file that ended without its end hook (it crashed) goes when the next file starts.
      expect(existsSync(before)).toBe(false);
      dir = scratchDir('scratch-test-');
      // An App given no outdir: aws-cdk-lib synthesizes it into a cdk.outXXXXXX folder of the OS temp folder.
      assembly = new App().synth().directory;
      expect(assembly.startsWith(join(realpathSync(tmpdir()), 'cdk.out'))).toBe(true);
      (expect.getState().snapshotState as unknown as { save: () => unknown }).save();
    } finally {
      expect.setState({ snapshotState: real });
    }
    expect(saved).toBe(true);
    expect(guardedFile()).toBe(__filename);
    expect([existsSync(dir), existsSync(assembly)]).toEqual([false, false]);
  });
});
