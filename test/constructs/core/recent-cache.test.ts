import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { join } from 'path';
import { keepRecent, markUsed, storeRecent } from '../../../constructs/core/recent-cache';
import { scratchDir } from '../../support/scratch';

describe('recent-cache: the most recently used entries of a cache folder are kept', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchDir('recent-cache-');
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

  test('keepRecent removes the least recently used entries, files and folders alike', () => {
    entry('a.svg', 50);
    entry('b.svg', 10);
    entry('c', 40, true);
    entry('d', 20, true);
    entry('left.123.tmp', 90); // what a process killed while writing left behind
    keepRecent(dir, 2);
    expect(readdirSync(dir).sort()).toEqual(['b.svg', 'd']);
  });

  test('storeRecent puts a whole entry in place and prunes; a failed write leaves nothing', () => {
    entry('old', 60, true);
    storeRecent(join(dir, 'new'), 1, (temporary) => {
      mkdirSync(temporary);
      writeFileSync(join(temporary, 'index.js'), 'built');
    });
    expect(readdirSync(dir)).toEqual(['new']);
    storeRecent(join(dir, 'broken'), 5, (temporary) => {
      mkdirSync(temporary);
      throw new Error('disk full');
    });
    expect(readdirSync(dir)).toEqual(['new']);
  });

  test('markUsed makes an old entry the most recent', () => {
    const old = entry('old', 60, true);
    entry('new', 1, true);
    markUsed(old);
    keepRecent(dir, 1);
    expect(readdirSync(dir)).toEqual(['old']);
  });

  test('a missing folder or entry is no error (the cache only costs its reuse)', () => {
    expect(() => keepRecent(join(dir, 'absent'), 1)).not.toThrow();
    expect(() => markUsed(join(dir, 'absent'))).not.toThrow();
    expect(existsSync(join(dir, 'absent'))).toBe(false);
  });
});
