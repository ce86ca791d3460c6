/**
 * The bookkeeping of the small caches kept under node_modules/.cache (built Lambda bundles, rendered network maps):
 * each entry is a file or folder named by a hash of everything that made it, written whole or not at all, marked used
 * when read, and only the most recently used entries are kept. A cache that cannot be written or pruned only costs the
 * reuse.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'fs';
import { dirname, join } from 'path';

/** Marks `entry` as just used, so that pruning keeps it longest. */
export function markUsed(entry: string): void {
  try {
    const now = new Date();
    utimesSync(entry, now, now);
  } catch {
    // a read-only cache: the entry is still valid
  }
}

/** Keeps the `keep` most recently used entries of `dir` (files or folders, unfinished ones included); removes the rest. */
export function keepRecent(dir: string, keep: number): void {
  try {
    const entries = readdirSync(dir)
      .map((name) => ({ name, used: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.used - a.used);
    for (const { name } of entries.slice(keep)) rmSync(join(dir, name), { recursive: true, force: true });
  } catch {
    // not pruned: the next write prunes
  }
}

/**
 * Adds `entry` to its cache folder: `write(temporary)` makes a file or folder at `temporary`, which is then renamed to
 * `entry` (another process's entry of the same name stays), and the folder keeps its `keep` most recent entries.
 */
export function storeRecent(entry: string, keep: number, write: (temporary: string) => void): void {
  const temporary = `${entry}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(entry), { recursive: true });
    rmSync(temporary, { recursive: true, force: true });
    write(temporary);
    renameSync(temporary, entry);
  } catch {
    rmSync(temporary, { recursive: true, force: true }); // not kept: the next one makes it again
  }
  keepRecent(dirname(entry), keep);
}
