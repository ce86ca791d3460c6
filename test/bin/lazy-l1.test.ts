/**
 * bin/lazy-l1.js, the stand-in bin/run-app.js builds into an app bundle for each aws-cdk-lib service module cdk-nag's
 * rules import (run-app.test.ts shows it in a bundle). Here in this process, where `require` is this file's own.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as dms from 'aws-cdk-lib/aws-dms';
import { CfnReplicationInstance } from 'aws-cdk-lib/aws-dms';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnCluster } from 'aws-cdk-lib/aws-ecs';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

type LazyL1 = (
  request: string,
  load: () => Record<string, unknown>,
  definedIn: Record<string, string>,
) => Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lazyL1 } = require('../../bin/lazy-l1') as { lazyL1: LazyL1 };

const FILE = 'lib/dms.generated.js';
const stack = (): Stack => new Stack(new App(), 'S');

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
    let loaded = false;
    const module = lazyL1(
      'aws-cdk-lib/aws-dms',
      () => {
        loaded = true;
        return {};
      },
      { CfnReplicationInstance: 'lib/no-such-file.generated.js' },
    );
    const bucket = new CfnBucket(stack(), 'B');
    for (const value of [bucket, {}, null, undefined, 'CfnReplicationInstance', Object.create(null)]) {
      expect(value instanceof (module.CfnReplicationInstance as new () => unknown)).toBe(false);
    }
    expect(loaded).toBe(false);
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
    let loaded = false;
    const eks = lazyL1(
      'aws-cdk-lib/aws-eks',
      () => {
        loaded = true;
        return {};
      },
      { CfnCluster: 'lib/no-such-file.generated.js' },
    );
    expect(new CfnCluster(stack(), 'C') instanceof (eks.CfnCluster as new () => unknown)).toBe(false);
    expect(loaded).toBe(false);
  });

  test("every L1 class of every service module cdk-nag's rules import has the jsii name the stand-in expects", () => {
    const requests = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.js')) {
          for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/require\("(aws-cdk-lib\/[a-z0-9-]+)"\)/g)) {
            requests.add(m[1]!);
          }
        }
      }
    };
    walk(join(__dirname, '..', '..', 'node_modules', 'cdk-nag', 'lib'));
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
});
