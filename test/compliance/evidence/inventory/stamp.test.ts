import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  buildStamp,
  canonicalJson,
  configHash,
  readGitCommit,
} from '../../../../lib/compliance/evidence/inventory/stamp';
import { loadConfig } from '../../../../lib/config';
import { scratchDir } from '../../../support/scratch';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

let root: string;
beforeEach(() => {
  root = scratchDir('stamp-');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const file = (path: string, text: string): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

describe('config hash', () => {
  test('V2 canonical JSON sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [2, 1] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' } }));
  });

  test('V2 the hash is sha256 of the canonical JSON and changes with any value of the config', () => {
    const dev = loadConfig('dev');
    const h = configHash(dev);
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(configHash(JSON.parse(JSON.stringify(dev)))).toBe(h);
    expect(configHash({ ...dev, network: { ...dev.network, databasePort: 5434 } })).not.toBe(h);
    expect(configHash(loadConfig('prod'))).not.toBe(h);
  });

  test('V2 a config value JSON cannot carry is an error naming its path', () => {
    expect(() => canonicalJson({ network: { azCount: NaN } })).toThrow(
      'config.network.azCount = NaN: not representable in JSON (finite numbers only)',
    );
    expect(() => canonicalJson({ hook: () => 1 })).toThrow('config.hook is a function');
  });
});

describe('git commit read from .git without running git', () => {
  test('V2 a branch HEAD resolves through its loose ref', () => {
    file(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    file(join(root, '.git', 'refs', 'heads', 'main'), `${SHA_A}\n`);
    mkdirSync(join(root, 'lib', 'deep'), { recursive: true });
    expect(readGitCommit(join(root, 'lib', 'deep'))).toBe(SHA_A);
  });

  test('V2 a branch HEAD resolves through packed-refs', () => {
    file(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    file(
      join(root, '.git', 'packed-refs'),
      `# pack-refs with: peeled fully-peeled sorted\n${SHA_B} refs/heads/other\n${SHA_A} refs/heads/main\n`,
    );
    expect(readGitCommit(root)).toBe(SHA_A);
  });

  test('V2 a detached HEAD is the commit itself', () => {
    file(join(root, '.git', 'HEAD'), `${SHA_B}\n`);
    expect(readGitCommit(root)).toBe(SHA_B);
  });

  test('V2 a worktree (.git file) reads HEAD in its git dir and the branch in the common dir', () => {
    const common = join(root, 'main', '.git');
    file(join(common, 'worktrees', 'wt', 'HEAD'), 'ref: refs/heads/feature\n');
    file(join(common, 'worktrees', 'wt', 'commondir'), '../..\n');
    file(join(common, 'packed-refs'), `${SHA_B} refs/heads/feature\n`);
    file(join(root, 'wt', '.git'), `gitdir: ${join(common, 'worktrees', 'wt')}\n`);
    expect(readGitCommit(join(root, 'wt'))).toBe(SHA_B);
  });

  test('V2 outside a checkout, or with an unreadable HEAD, the commit is unknown and nothing throws', () => {
    expect(readGitCommit(root)).toBe('unknown');
    file(join(root, '.git', 'HEAD'), 'ref: refs/heads/missing\n');
    expect(readGitCommit(root)).toBe('unknown');
    file(join(root, '.git', 'HEAD'), 'garbage');
    expect(readGitCommit(root)).toBe('unknown');
    file(join(root, '.git', 'HEAD'), 'ref: ../../../etc/passwd\n');
    expect(readGitCommit(root)).toBe('unknown');
  });
});

describe('stamp', () => {
  test('V2 environment, account and region come from the config, with its hash', () => {
    const dev = loadConfig('dev');
    expect(buildStamp({ config: dev, stacks: [], gitCommit: SHA_A })).toEqual({
      environment: 'dev',
      account: dev.account,
      region: dev.region,
      gitCommit: SHA_A,
      configHash: configHash(dev),
    });
  });

  test('V2 without a config the stamp says unknown, and names every region the stacks use', () => {
    expect(
      buildStamp({
        stacks: [
          { account: '123456789012', region: 'us-east-1' },
          { account: '123456789012', region: 'us-west-2' },
        ],
        gitCommit: 'unknown',
      }),
    ).toEqual({
      environment: 'unknown',
      account: '123456789012',
      region: 'multiple: us-east-1, us-west-2',
      gitCommit: 'unknown',
      configHash: 'unknown',
    });
  });
});
