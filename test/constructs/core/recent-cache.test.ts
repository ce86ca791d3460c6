import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { keepRecent, markUsed } from '../../../constructs/core/recent-cache';

describe('recent-cache: the most recently used entries of a cache folder are kept', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recent-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Entry `name` (a file, or a folder holding one) last used `minutesAgo`. */
  const entry = (name: string, minutesAgo: number, folder = false): string => {
    const path = join(dir, name);
    if (folder) {
      mkdirSync(path);
      writeFileSync(join(path, 'index.js'), name);
    } else {
      writeFileSync(path, name);
    }
    const when = new Date(Date.now() - minutesAgo * 60_000);
    utimesSync(path, when, when);
    return path;
  };

  test('keepRecent removes the least recently used entries, files and folders, and leaves other names alone', () => {
    entry('a.svg', 50);
    entry('b.svg', 10);
    entry('c', 40, true);
    entry('d', 20, true);
    entry('other.txt', 90);
    keepRecent(dir, 2, (name) => name !== 'other.txt');
    expect(readdirSync(dir).sort()).toEqual(['b.svg', 'd', 'other.txt']);
  });

  test('markUsed makes an old entry the most recent', () => {
    const old = entry('old', 60, true);
    entry('new', 1, true);
    markUsed(old);
    keepRecent(dir, 1, () => true);
    expect(readdirSync(dir)).toEqual(['old']);
  });

  test('a missing folder or entry is no error (the cache only costs its reuse)', () => {
    expect(() => keepRecent(join(dir, 'absent'), 1, () => true)).not.toThrow();
    expect(() => markUsed(join(dir, 'absent'))).not.toThrow();
    expect(existsSync(join(dir, 'absent'))).toBe(false);
  });
});
