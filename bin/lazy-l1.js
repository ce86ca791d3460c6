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
 * the name CfnX; otherwise the real class answers (its module is loaded then). So a wrong or stale `definedIn` (an
 * aws-cdk-lib moved, linked or upgraded under a bundle) costs time, never a finding.
 *
 * Plain JavaScript: run-app.js reads this file as the source of a module of the bundle, where `require` is the
 * bundle's own (its cache is Node.js's module cache).
 */
const { dirname, join } = require('path');

/** True when a constructor named `name` is on the prototype chain of `value`. */
function hasConstructorNamed(value, name) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') ? proto.constructor : undefined;
    if (typeof ctor === 'function' && ctor.name === name) return true;
  }
  return false;
}

exports.lazyL1 = (request, load, definedIn) => {
  let real;
  let base;
  const files = new Map();
  const loadReal = () => (real ??= load());
  const standIns = new Map();
  const standIn = (name) => {
    let cls = standIns.get(name);
    if (cls === undefined) {
      // Judged once per constructor (a synth checks thousands of resources of a few dozen classes).
      const judged = new WeakMap();
      cls = class {
        static [Symbol.hasInstance](value) {
          if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
          const ctor = value.constructor;
          if (typeof ctor !== 'function') return hasConstructorNamed(value, name) && value instanceof loadReal()[name];
          let named = judged.get(ctor);
          if (named === undefined) {
            named = hasConstructorNamed(value, name);
            judged.set(ctor, named);
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
