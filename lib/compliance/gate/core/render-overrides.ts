/**
 * What code put over the way a construct renders its template, after the construct tree the rule packs judge.
 *
 * cdk-nag's rules read an L1's typed properties; the template is what the L1's (and its stack's) methods render from
 * them. A function set on one object over a method or accessor of its class (`resource._toCloudFormation = ...`,
 * `Object.defineProperty(resource, 'cfnProperties', ...)`, `stack._synthesizeTemplate = ...`) can render anything,
 * and the packs would not see it. The blueprint does this twice itself, each time only to add to what renders: the
 * safeguard metadata aspect (each resource's `_toCloudFormation`, adding Metadata) and the parallel validation (each
 * stack's `_synthesizeTemplate`, telling its worker a template was written). Those go through `overrideOwnMethod`,
 * which vouches for the function it sets only when the object had no function of its own there before (so a fork's
 * override under the blueprint's wrapper is still one); `unvouchedOverrides` names every other.
 *
 * Not seen here: a change to a class's prototype (`CfnDBInstance.prototype.renderProperties = ...`), which changes
 * every instance alike; `npm run deploy` runs check-template on what synth wrote, which reads every template as written.
 */

/** The functions overrideOwnMethod set where the object had none of its own. */
const VOUCHED = new WeakSet<object>();

/**
 * Sets `fn` as `target`'s own `name` (over its class's method), as the blueprint's own rendering wrappers do. The
 * function is vouched for (unvouchedOverrides passes it) only when `target` had no own `name` before.
 */
export function overrideOwnMethod(target: object, name: string, fn: (...args: never[]) => unknown): void {
  if (!Object.hasOwn(target, name)) VOUCHED.add(fn);
  Object.defineProperty(target, name, { configurable: true, enumerable: false, writable: true, value: fn });
}

/** By prototype: the names its chain holds a method or an accessor under (computed once per prototype). */
const CHAIN_MEMBERS = new WeakMap<object, ReadonlySet<string | symbol>>();

function chainMembers(proto: object): ReadonlySet<string | symbol> {
  let members = CHAIN_MEMBERS.get(proto);
  if (members === undefined) {
    const found = new Set<string | symbol>();
    for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p) as object | null) {
      for (const key of Reflect.ownKeys(p)) {
        const d = Object.getOwnPropertyDescriptor(p, key)!;
        if (key !== 'constructor' && (typeof d.value === 'function' || d.get !== undefined || d.set !== undefined)) {
          found.add(key);
        }
      }
    }
    members = found;
    CHAIN_MEMBERS.set(proto, members);
  }
  return members;
}

/**
 * The own properties of `target` that stand over a method or accessor of its prototype chain, but those
 * overrideOwnMethod vouched for: sorted names, empty when none.
 */
export function unvouchedOverrides(target: object): string[] {
  const proto = Object.getPrototypeOf(target) as object | null;
  if (proto === null) return [];
  const members = chainMembers(proto);
  const out: string[] = [];
  for (const key of Reflect.ownKeys(target)) {
    if (!members.has(key)) continue;
    const d = Object.getOwnPropertyDescriptor(target, key)!;
    if (d.get === undefined && d.set === undefined && VOUCHED.has(d.value as object)) continue;
    out.push(String(key));
  }
  return out.sort();
}

/**
 * The methods and accessors among `names` that a class between `target` and `base` (the library class it extends)
 * defines, or that `target` holds as its own unvouched: `DataStack._toCloudFormation`, `own _synthesizeTemplate`.
 */
export function renderingOverrides(target: object, base: object, names: readonly string[]): string[] {
  const out: string[] = [];
  for (
    let p = Object.getPrototypeOf(target) as object | null;
    p !== null && p !== base;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    if (p === Object.prototype) break;
    const cls = (p as { constructor?: { name?: string } }).constructor?.name ?? '(anonymous)';
    for (const name of names) if (Object.hasOwn(p, name)) out.push(`${cls}.${name}`);
  }
  for (const name of unvouchedOverrides(target)) if (names.includes(name)) out.push(`own ${name}`);
  return out;
}
