/**
 * The Node.js options the test processes and the globalSetup's synths copy from cdk.json's app command
 * (test/support/app-node-options.js).
 */
import { spawnSync } from 'child_process';
import { appNodeOptions, nodeOptionsOf } from './app-node-options';

describe("the Node.js options of cdk.json's app command", () => {
  test('the shipped command: the garbage collector option, not the tsx loader', () => {
    expect(appNodeOptions()).toEqual(['--no-concurrent-marking']);
  });

  test('Node.js accepts them', () => {
    const r = spawnSync(process.execPath, [...appNodeOptions(), '-e', '0'], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test.each([
    ['node --import tsx bin/x.ts', []],
    ['node bin/x.ts', []],
    ['node --max-old-space-size=4096 --import tsx bin/x.ts', ['--max-old-space-size=4096']],
    [
      'node --import=tsx --no-concurrent-marking --enable-source-maps bin/x.ts',
      ['--no-concurrent-marking', '--enable-source-maps'],
    ],
    ['node -r ts-node/register --require=x --loader y bin/x.ts', []],
    // The script's own arguments, and a script run through another script, are not Node's options.
    ['node --no-concurrent-marking --import tsx bin/x.ts --verbose -c a=b', ['--no-concurrent-marking']],
    ['node node_modules/ts-node/dist/bin.js --prefer-ts-exts bin/x.ts', []],
    // Commands that do not start Node.js directly have no options of Node's to copy.
    ['npx ts-node --prefer-ts-exts bin/x.ts', []],
    ['npx tsx --tsconfig tsconfig.json bin/x.ts', []],
    ['', []],
  ])('%s', (app, expected) => {
    expect(nodeOptionsOf(app)).toEqual(expected);
  });
});
