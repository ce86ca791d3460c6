/**
 * bin/lazy-l1.js, the stand-in bin/run-app.js builds into an app bundle for each aws-cdk-lib service module cdk-nag's
 * rules import (run-app.test.ts shows it in a bundle). Here in this process, where `require` is this file's own.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as dms from 'aws-cdk-lib/aws-dms';
import { CfnReplicationInstance } from 'aws-cdk-lib/aws-dms';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnCluster } from 'aws-cdk-lib/aws-ecs';
import { cdkNagSources } from '../support/cdk-nag-sources';

type LazyL1 = (
  request: string,
  load: () => Record<string, unknown>,
  definedIn: Record<string, string>,
) => Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lazyL1 } = require('../../bin/lazy-l1') as { lazyL1: LazyL1 };

const FILE = 'lib/dms.generated.js';
const stack = (): Stack => new Stack(new App(), 'S');

/** The stand-in module for `request` whose `name` is defined in a file never loaded, and whether it loaded the module. */
function notLoaded(request: string, name: string): { module: Record<string, unknown>; loaded: () => boolean } {
  let loaded = false;
  const module = lazyL1(
    request,
    () => {
      loaded = true;
      return {};
    },
    { [name]: 'lib/no-such-file.generated.js' },
  );
  return { module, loaded: () => loaded };
}

describe('bin/lazy-l1.js', () => {
  test('a class whose defining file is loaded, and anything not an L1 class, come from the real module', () => {
    // The defining file is loaded once the class is read.
    expect(CfnReplicationInstance.CFN_RESOURCE_TYPE_NAME).toBe('AWS::DMS::ReplicationInstance');
    expect(Object.keys(require.cache).some((f) => f.endsWith('/aws-cdk-lib/aws-dms/lib/dms.generated.js'))).toBe(true);
    const loads: string[] = [];
    const module = lazyL1(
      'aws-cdk-lib/aws-dms',
      () => (loads.push('load'), dms as unknown as Record<string, unknown>),
      { CfnReplicationInstance: FILE },
    );
    expect(module.CfnReplicationInstance).toBe(dms.CfnReplicationInstance);
    expect(module.CfnEndpoint).toBe(dms.CfnEndpoint);
    expect(loads).toEqual(['load']);
  });

  test('while the defining file is not loaded: a stand-in nothing unrelated is an instance of, without loading the module', () => {
    const { module, loaded } = notLoaded('aws-cdk-lib/aws-dms', 'CfnReplicationInstance');
    const bucket = new CfnBucket(stack(), 'B');
    for (const value of [bucket, {}, null, undefined, 'CfnReplicationInstance', Object.create(null)]) {
      expect(value instanceof (module.CfnReplicationInstance as new () => unknown)).toBe(false);
    }
    expect(loaded()).toBe(false);
  });

  test('fails closed: a real instance behind a wrong or stale defining file is an instance (the real class answers)', () => {
    const module = lazyL1('aws-cdk-lib/aws-dms', () => dms as unknown as Record<string, unknown>, {
      CfnReplicationInstance: 'lib/no-such-file.generated.js',
    });
    const standIn = module.CfnReplicationInstance as new () => unknown;
    expect(standIn).not.toBe(CfnReplicationInstance);
    const instance = new CfnReplicationInstance(stack(), 'R', { replicationInstanceClass: 'dms.t3.micro' });
    expect(instance instanceof standIn).toBe(true);
    // A subclass too; an unrelated class of the same name is judged by the real class: not an instance.
    class Mine extends CfnReplicationInstance {}
    expect(new Mine(stack(), 'M', { replicationInstanceClass: 'dms.t3.micro' }) instanceof standIn).toBe(true);
    const impostor = new (class CfnReplicationInstance {})();
    expect(impostor instanceof standIn).toBe(false);
  });

  test('a class of the same name in another service (its jsii name is its own) is no instance, without loading the module', () => {
    const { module: eks, loaded } = notLoaded('aws-cdk-lib/aws-eks', 'CfnCluster');
    expect(new CfnCluster(stack(), 'C') instanceof (eks.CfnCluster as new () => unknown)).toBe(false);
    expect(loaded()).toBe(false);
  });

  test("every L1 class of every service module cdk-nag's rules import has the jsii name the stand-in expects", () => {
    const requests = new Set<string>();
    for (const text of cdkNagSources().values()) {
      for (const m of text.matchAll(/require\("(aws-cdk-lib\/[a-z0-9-]+)"\)/g)) requests.add(m[1]!);
    }
    expect(requests.size).toBeGreaterThan(40);
    const wrong: string[] = [];
    let classes = 0;
    for (const request of requests) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(request) as Record<string, unknown>;
      const service = `aws-cdk-lib.${request.slice('aws-cdk-lib/'.length).replace(/-/g, '_')}`;
      for (const name of Object.keys(module).filter((k) => k.startsWith('Cfn'))) {
        const cls = module[name];
        if (typeof cls !== 'function') continue;
        classes += 1;
        const fqn = (cls as unknown as Record<symbol, { fqn?: string } | undefined>)[Symbol.for('jsii.rtti')]?.fqn;
        if (fqn !== `${service}.${name}`) wrong.push(`${request} ${name}: ${String(fqn)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(classes).toBeGreaterThan(500);
  });

  test("cdk-nag's rules use an aws-cdk-lib service module's L1 class only in `instanceof`, read at the check (what the stand-ins answer)", () => {
    let uses = 0;
    const other: string[] = [];
    for (const [file, text] of cdkNagSources()) {
      // Every import of a service module is `const NAME = require("aws-cdk-lib/SERVICE")` (no destructuring, which
      // would read the classes once, when the rule file loads).
      const imports = [...text.matchAll(/^(.*)require\("aws-cdk-lib\/[a-z0-9-]+"\)/gm)];
      for (const [line, before] of imports) {
        if (!/^const [A-Za-z0-9_$]+ = $/.test(before!)) other.push(`${file}: ${line}`);
      }
      for (const [, name] of text.matchAll(/^const ([A-Za-z0-9_$]+) = require\("aws-cdk-lib\/[a-z0-9-]+"\)/gm)) {
        for (const m of text.matchAll(
          new RegExp(`(.{0,11})\\b${name!.replace(/\$/g, '\\$')}\\b(.?)([A-Za-z0-9_$]*)`, 'g'),
        )) {
          const [all, before, dot, member] = m;
          if (/^const $/.test(before!.slice(-6)) && dot === ' ') continue; // the import itself
          if (dot !== '.') other.push(`${file}: ${all}`);
          else if (member!.startsWith('Cfn')) {
            uses += 1;
            if (!before!.endsWith('instanceof ')) other.push(`${file}: ${all}`);
          }
        }
      }
    }
    expect(other).toEqual([]);
    expect(uses).toBeGreaterThan(300);
  });
});
