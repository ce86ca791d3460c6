/**
 * The bookkeeping of the small caches kept under node_modules/.cache (built Lambda bundles, rendered network maps):
 * each entry is a file or folder named by a hash of everything that made it, marked used when read, and only the most
 * recently used entries are kept. A cache that cannot be written or pruned only costs the reuse.
 */
import { readdirSync, rmSync, statSync, utimesSync } from 'fs';
import { join } from 'path';

/** Marks `entry` as just used, so that pruning keeps it longest. */
export function markUsed(entry: string): void {
  try {
    const now = new Date();
    utimesSync(entry, now, now);
  } catch {
    // a read-only cache: the entry is still valid
  }
}

/** Keeps the `keep` most recently used entries of `dir` whose names `isEntry` accepts; removes the others. */
export function keepRecent(dir: string, keep: number, isEntry: (name: string) => boolean): void {
  try {
    const entries = readdirSync(dir)
      .filter(isEntry)
      .map((name) => ({ name, used: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.used - a.used);
    for (const { name } of entries.slice(keep)) rmSync(join(dir, name), { recursive: true, force: true });
  } catch {
    // not pruned: the next write prunes
  }
}
