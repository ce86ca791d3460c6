/**
 * includeTemplate (lib/compliance/gate/core/include-template.ts): CfnInclude of a template in memory gives what
 * CfnInclude gives for the same template written to a JSON file and read by its own YAML parser, and resolves each
 * L1 module CfnInclude requires once per template.
 */
import { rmSync, writeFileSync } from 'fs';
import Module from 'module';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { cfnIncludeFileUtils, includeTemplate, resolveOnce } from '../../../lib/compliance/gate/core/include-template';
import { rewriteStackOutputReferences } from '../../../lib/compliance/gate/template-checker';
import { allTemplates } from '../../support/synthesized';
import { scratchDir } from '../../support/scratch';

/** The template as a stack renders it after including it: through a file (CfnInclude's own read) or from memory. */
function rendered(template: unknown, how: 'file' | 'memory'): unknown {
  const stack = new Stack(new App(), 'Included');
  if (how === 'memory') {
    includeTemplate(stack, 'Template', template);
  } else {
    const dir = scratchDir('include-template-');
    try {
      const file = join(dir, 'template.json');
      writeFileSync(file, JSON.stringify(template));
      new CfnInclude(stack, 'Template', { templateFile: file });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return (stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation();
}

/** includeTemplate of a template CfnInclude refuses (a DependsOn naming no resource), in a new stack `id`. */
const includeRefused = (id: string): unknown =>
  includeTemplate(new Stack(new App(), id), 'Template', {
    Resources: { A: { Type: 'AWS::SNS::Topic', DependsOn: 'Missing' } },
  });

/** aws-cdk-lib's cloudformation-include/lib/file-utils, the module instance includeTemplate reads through. */
const fileUtils = cfnIncludeFileUtils();

describe('includeTemplate', () => {
  test('every template of the prod assembly renders the same from memory as from a file', () => {
    const templates = allTemplates('prod');
    expect(templates.length).toBe(9);
    const differing = templates.filter(({ file, template }) => {
      const { template: rewritten } = rewriteStackOutputReferences(template, file);
      return JSON.stringify(rendered(rewritten, 'memory')) !== JSON.stringify(rendered(rewritten, 'file'));
    });
    expect(differing.map((t) => t.file)).toEqual([]);
  });

  test('values a YAML parser could read otherwise than JSON.parse render the same', () => {
    // Untyped properties (a custom resource's) and metadata are rendered as read, so a different reading shows.
    const tricky = {
      strings: ['true', 'False', 'yes', 'no', 'on', '~', 'null', '0x1F', '0o17', '1e3', '.5', '+1', '2026-01-01'],
      yaml: ['&a', '*a', '!Ref x', '- item', 'key: value', '#comment', '<<'],
      text: 'line\nbreak\ttab "quoted" \u00e9 \u2028 \\',
      numbers: [0, -0, 1.5, 1e21, 2 ** 53 + 2, -7],
      literals: [true, false, null],
      '<<': { merged: 'no' },
      y: 'n',
      '': 'empty key',
    };
    const template = {
      Parameters: { Flag: { Type: 'String', Default: 'yes', AllowedValues: ['yes', 'no'] } },
      Resources: {
        Probe: {
          Type: 'Custom::Probe',
          Metadata: { tricky },
          Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x', tricky },
        },
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'null', ObjectLockEnabled: 'true' } },
      },
      Outputs: { Name: { Value: { Ref: 'Bucket' } } },
    };
    const fromMemory = rendered(template, 'memory');
    expect(JSON.stringify(fromMemory)).toContain('"0x1F"');
    expect(fromMemory).toEqual(rendered(template, 'file'));
  });

  test('file-utils.readYamlSync is restored, also after a template CfnInclude refuses', () => {
    const original = fileUtils.readYamlSync;
    includeTemplate(new Stack(new App(), 'A'), 'Template', { Resources: {} });
    expect(fileUtils.readYamlSync).toBe(original);
    expect(() => includeRefused('B')).toThrow(/Missing/);
    expect(fileUtils.readYamlSync).toBe(original);
  });

  test("CfnInclude's require of each resource's L1 module is resolved once per template (when Node.js resolves it at all), and the resolver restored", () => {
    // Node.js resolves a request again on each require, except when the first require of that request from that
    // folder loaded the module: then it skips the resolver for good (its relative-resolve cache). Whether CfnInclude
    // was the first to load aws-s3 or aws-sns in this process depends on the files that ran before this one, so
    // CfnInclude's own count, measured first on the same template through a file, decides: one resolution per resource
    // there is one per template through includeTemplate; otherwise none. resolveOnce's own test below pins "once"
    // on modules no other file loads.
    const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
    const original = resolver._resolveFilename;
    const requests: string[] = [];
    const spy = function (this: unknown, request: string, ...rest: unknown[]): string {
      requests.push(request);
      return original.call(this, request, ...rest);
    };
    const bucket = { Type: 'AWS::S3::Bucket' };
    const topic = { Type: 'AWS::SNS::Topic' };
    const template = { Resources: { A: bucket, B: bucket, C: bucket, T: topic, U: topic } };
    const modules = ['aws-cdk-lib/aws-s3', 'aws-cdk-lib/aws-sns'];
    const counts = (): number[] => modules.map((m) => requests.filter((r) => r === m).length);
    const dir = scratchDir('include-template-resolve-');
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(template));
    resolver._resolveFilename = spy;
    try {
      new CfnInclude(new Stack(new App(), 'Plain'), 'Template', { templateFile: file });
      const plain = counts();
      // Each module resolved on every require (one per resource); once, when this include loaded it first (Node.js
      // skips the resolver for the requires after); or never.
      const perResource = [3, 2];
      expect(plain.map((n, i) => [0, 1, perResource[i]].includes(n))).toEqual([true, true]);
      const expected = plain.map((n, i) => (n === perResource[i] ? 1 : 0));
      for (const id of ['D', 'E']) {
        // Kept for one template only: the next include resolves again.
        requests.length = 0;
        const included = includeTemplate(new Stack(new App(), id), 'Template', template);
        expect(counts()).toEqual(expected);
        // Each resource still gets its own L1 instance of its type.
        expect(['A', 'B', 'C', 'T', 'U'].map((r) => included.getResource(r).constructor.name)).toEqual([
          'CfnBucket',
          'CfnBucket',
          'CfnBucket',
          'CfnTopic',
          'CfnTopic',
        ]);
        expect(resolver._resolveFilename).toBe(spy);
      }
    } finally {
      resolver._resolveFilename = original;
    }
    expect(() => includeRefused('F')).toThrow(/Missing/);
    expect(resolver._resolveFilename).toBe(original);
  });

  test('resolveOnce: the require calls of the one module named resolve each request once while it runs, then as before; others always', () => {
    const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
    const original = resolver._resolveFilename;
    // Modules no other file loads: a dependency loaded first by its path (so no require of it by name is the one that
    // loaded it, and Node.js resolves every such require), and two modules that require it by name on each call.
    const dir = scratchDir('resolve-once-');
    writeFileSync(join(dir, 'dep.js'), 'module.exports = { dep: true };\n');
    writeFileSync(join(dir, 'caller.js'), "module.exports = () => require('./dep');\n");
    writeFileSync(join(dir, 'other.js'), "module.exports = () => require('./dep');\n");
    /* eslint-disable @typescript-eslint/no-require-imports */
    const dep = require(join(dir, 'dep.js')) as unknown;
    const caller = require(join(dir, 'caller.js')) as () => unknown;
    const other = require(join(dir, 'other.js')) as () => unknown;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const requests: string[] = [];
    resolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
      requests.push(request);
      return original.call(this, request, ...rest);
    };
    const spy = resolver._resolveFilename;
    try {
      const calls = (): unknown[] => [caller(), caller(), caller(), other(), other()];
      // Without it, every require resolves: the premise of the counts below.
      expect(calls()).toEqual([dep, dep, dep, dep, dep]);
      expect(requests).toEqual(['./dep', './dep', './dep', './dep', './dep']);
      requests.length = 0;
      expect(resolveOnce(join(dir, 'caller.js'), calls)).toEqual([dep, dep, dep, dep, dep]);
      // caller.js's three requires: one resolution; other.js's two: two.
      expect(requests).toEqual(['./dep', './dep', './dep']);
      expect(resolver._resolveFilename).toBe(spy);
      requests.length = 0;
      // Restored also when the function throws; afterwards caller.js resolves on each call again.
      expect(() =>
        resolveOnce(join(dir, 'caller.js'), () => {
          throw new Error('thrown');
        }),
      ).toThrow('thrown');
      expect(resolver._resolveFilename).toBe(spy);
      calls();
      expect(requests).toHaveLength(5);
    } finally {
      resolver._resolveFilename = original;
      for (const file of ['dep.js', 'caller.js', 'other.js']) delete require.cache[join(dir, file)];
    }
  });

  test('when CfnInclude no longer reads through file-utils.readYamlSync, the include fails saying so', () => {
    const original = fileUtils.readYamlSync;
    // As if aws-cdk-lib read the template another way: replacing readYamlSync has no effect.
    Object.defineProperty(fileUtils, 'readYamlSync', { configurable: true, get: () => original, set: () => {} });
    try {
      expect(() => includeTemplate(new Stack(new App(), 'C'), 'Template', { Resources: {} })).toThrow(
        /CfnInclude no longer reads its template through cloudformation-include\/lib\/file-utils readYamlSync/,
      );
    } finally {
      Object.defineProperty(fileUtils, 'readYamlSync', {
        configurable: true,
        enumerable: true,
        writable: true,
        value: original,
      });
    }
  });
});
