/**
 * Temporary folders for test files. `scratchDir(prefix)` makes one under the OS temp folder (as
 * `mkdtempSync(join(tmpdir(), prefix))`), and test/support/file-isolation.ts removes every folder made here when the
 * file that made it ends (after its afterAll hooks). Before, about 600 folders (outdirs of synths, stand-in binaries,
 * written templates) stayed in the temp folder after each `npm test`, gigabytes over a day of runs.
 * Only for folders that live within one test file: the hooks at every file's start and end remove them (under `-w 1`
 * the files run in Jest's own process, so a folder of the globalSetup made here would go at the first file's start).
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

/** What removeScratchDirs did: the folders removed, and those it could not remove (each with the error). */
export interface ScratchRemoval {
  readonly removed: readonly string[];
  readonly failed: readonly string[];
}

/**
 * Removes every folder scratchDir made (and what is in it). A folder that cannot be removed is forgotten all the same
 * (reported once in `failed`, not again at every later file).
 */
export function removeScratchDirs(): ScratchRemoval {
  const removed: string[] = [];
  const failed: string[] = [];
  for (const dir of [...made]) {
    made.delete(dir);
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      removed.push(dir);
    } catch (e) {
      failed.push(`${dir}: ${(e as Error).message}`);
    }
  }
  return { removed, failed };
}
