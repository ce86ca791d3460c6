/**
 * The Node.js options the test processes and the globalSetup's synths copy from cdk.json's app command
 * (test/support/app-node-options.js).
 */
import { spawnSync } from 'child_process';
import { appCommandArgs, appNodeOptions, nodeOptionsOf, scriptCommandArgs } from './app-node-options';

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

describe("package.json's commands", () => {
  test.each(['check-template', 'preflight', 'cost', 'docs', 'deploy', 'diff', 'verify'])(
    '`npm run %s` runs its bin through the app launcher with the app’s Node.js options',
    (name) => {
      const [launcher] = appCommandArgs().filter((w) => !w.startsWith('-'));
      expect(scriptCommandArgs(name)).toEqual([...appNodeOptions(), launcher, `bin/${name}.ts`]);
    },
  );

  test('a script that is not there, or does not start Node.js, is an error naming it', () => {
    expect(() => scriptCommandArgs('no-such-script')).toThrow("package.json: no script 'no-such-script'");
    expect(() => scriptCommandArgs('test')).toThrow("package.json: script test 'jest' does not start with node");
  });
});
