/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * What bin/run-app.js builds into an app bundle in place of each aws-cdk-lib service module cdk-nag's rules import
 * (`aws-cdk-lib/aws-dms`, ...): cdk-nag's rules use a service's L1 classes only in `node instanceof CfnX`, and the first
 * such check loaded the service's L1 module, for services the app has no resource of too (test/bin/run-app.test.ts).
 *
 * `lazyL1(request, load, definedIn)` returns a module object. Reading `CfnX`, while the file that defines CfnX
 * (`definedIn[CfnX]`, relative to the folder of the module `request` resolves to, read from its index files when the
 * bundle was built) has not been loaded, gives a stand-in class; anything else, or CfnX once that file is loaded,
 * comes from the real module (`load()`). An object can be an instance of CfnX only if the file defining CfnX ran.
 *
 * The stand-in fails closed: `x instanceof` it is false at once only when no constructor on x's prototype chain has
 * the name CfnX, or each that has names another jsii class (aws-cdk-lib gives every class its jsii name, which is the
 * service module's: a test checks each class cdk-nag imports); otherwise the real class answers (its module is loaded
 * then). So a wrong or stale `definedIn` (an
 * aws-cdk-lib moved, linked or upgraded under a bundle) costs time, never a finding.
 *
 * Plain JavaScript: run-app.js reads this file as the source of a module of the bundle, where `require` is the
 * bundle's own (its cache is Node.js's module cache).
 */
const { dirname, join } = require('path');

const RTTI = Symbol.for('jsii.rtti');

/**
 * True when a constructor named `name` is on the prototype chain of `value` that may be the class `fqn` (aws-cdk-lib's
 * jsii name of it, as `aws-cdk-lib.aws_dms.CfnReplicationInstance`): one that names no jsii class, or that one. A
 * class of the same name in another service (`aws_ecs.CfnCluster` for `aws_eks.CfnCluster`) names its own.
 */
function mayBe(value, name, fqn) {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') ? proto.constructor : undefined;
    if (typeof ctor !== 'function' || ctor.name !== name) continue;
    const named = ctor[RTTI] !== null && typeof ctor[RTTI] === 'object' ? ctor[RTTI].fqn : undefined;
    if (typeof named !== 'string' || named === fqn) return true;
  }
  return false;
}

exports.lazyL1 = (request, load, definedIn) => {
  let real;
  let base;
  const files = new Map();
  const loadReal = () => (real ??= load());
  const service = `aws-cdk-lib.${request.slice('aws-cdk-lib/'.length).replace(/-/g, '_')}`;
  const standIns = new Map();
  const standIn = (name) => {
    let cls = standIns.get(name);
    if (cls === undefined) {
      // Judged once per prototype (a synth checks thousands of resources of a few dozen classes).
      const judged = new WeakMap();
      cls = class {
        static [Symbol.hasInstance](value) {
          if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
          const proto = Object.getPrototypeOf(value);
          if (proto === null) return false;
          let named = judged.get(proto);
          if (named === undefined) {
            named = mayBe(value, name, `${service}.${name}`);
            judged.set(proto, named);
          }
          return named && value instanceof loadReal()[name];
        }
      };
      standIns.set(name, cls);
    }
    return cls;
  };
  return new Proxy(Object.create(null), {
    get(_target, name) {
      if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(definedIn, name)) {
        let file = files.get(name);
        if (file === undefined) {
          base ??= dirname(require.resolve(request));
          file = join(base, definedIn[name]);
          files.set(name, file);
        }
        if (require.cache[file] === undefined) return standIn(name);
      }
      return loadReal()[name];
    },
  });
};
