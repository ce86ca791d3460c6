/**
 * Temporary folders for test files. `scratchDir(prefix)` makes one under the OS temp folder (as
 * `mkdtempSync(join(tmpdir(), prefix))`), and test/support/file-isolation.ts removes every folder made here when the
 * file that made it ends (after its afterAll hooks). Before, about 600 folders (outdirs of synths, stand-in binaries,
 * written templates) stayed in the temp folder after each `npm test`, gigabytes over a day of runs.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** Folders made by scratchDir that the current file's end has not removed yet. */
const made = new Set<string>();

/** A new empty folder under the OS temp folder, named `prefix` and a random suffix; removed when the file ends. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes every folder scratchDir made (and what is in it); returns them. */
export function removeScratchDirs(): string[] {
  const removed = [...made];
  for (const dir of removed) {
    rmSync(dir, { recursive: true, force: true });
    made.delete(dir);
  }
  return removed;
}
