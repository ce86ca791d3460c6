/**
 * An index over every synthesized template of an app, and the resolution of CloudFormation
 * references between them: `Ref`, `Fn::GetAtt`, `Fn::Sub` and, across stacks, the weak references
 * `Fn::GetStackOutput` (resolved through the producing stack's `Outputs`) and `Fn::ImportValue`
 * (through `Export.Name`). A reference that cannot be followed is returned as `unresolved` with the
 * reason, never dropped. Pure: it reads only the templates it is given.
 */
import { SynthesizedStack } from '../control-matrix';

/** A synthesized stack with what the templates alone do not say. */
export interface InventoryStack extends SynthesizedStack {
  /**
   * The CloudFormation stack name (what `Fn::GetStackOutput` names).
   * @default - unknown: weak references to this stack stay unresolved
   */
  readonly stackName?: string;
  /**
   * The account the stack deploys to.
   * @default - unknown: `AWS::AccountId` stays a placeholder
   */
  readonly account?: string;
  /**
   * The region the stack deploys to.
   * @default - unknown: `AWS::Region` stays a placeholder and regional matching is not applied
   */
  readonly region?: string;
}

/** A resource of a template, as the index holds it. */
export interface IndexedResource {
  /** `${stackPath}::${logicalId}`, unique across the app. */
  readonly key: string;
  readonly stack: InventoryStack;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  /** `aws:cdk:path` metadata, when the template carries it. */
  readonly constructPath?: string;
}

/** Where a reference leads. */
export type Reference =
  | {
      readonly kind: 'resource';
      readonly target: IndexedResource;
      /** The `Fn::GetAtt` attribute, when the reference reads one. */
      readonly attribute?: string;
      /** How a cross-stack reference was followed, e.g. `Fn::GetStackOutput hipaa-dev-keys.KeyArn`. */
      readonly via?: string;
    }
  | {
      readonly kind: 'unresolved';
      /** The reference as written, e.g. `Fn::GetStackOutput hipaa-dev-keys.KeyArn`. */
      readonly text: string;
      /** Why it could not be followed. */
      readonly reason: string;
    };

/** The key of a resource in the index. */
export function resourceKey(stackPath: string, logicalId: string): string {
  return `${stackPath}::${logicalId}`;
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single intrinsic function of `{ "Fn::X": ... }` (or `Ref`), if `v` is one. */
function intrinsic(v: Json): [string, Json] | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === 'Ref' || k.startsWith('Fn::') ? [k, v[k]] : undefined;
}

const PSEUDO_PARAMETER = /^AWS::/;

function partitionOf(region: string | undefined): string | undefined {
  if (region === undefined) return undefined;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Index of all resources and outputs of the given stacks. Build one per synth; resolution is
 * memoized by nothing but is linear in the size of the expression followed.
 */
export class TemplateIndex {
  public readonly stacks: readonly InventoryStack[];
  private readonly byKey = new Map<string, IndexedResource>();
  private readonly ordered: IndexedResource[] = [];
  private readonly aliasesOfKey = new Map<string, string[]>();
  private readonly namedCache = new Map<string, Map<string, IndexedResource[]>>();

  constructor(stacks: readonly InventoryStack[]) {
    this.stacks = [...stacks].sort((a, b) => a.stackPath.localeCompare(b.stackPath));
    for (const stack of this.stacks) {
      for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
        const metadata = (isObject(r.Metadata) ? r.Metadata : {}) as Record<string, unknown>;
        const path = metadata['aws:cdk:path'];
        const indexed: IndexedResource = {
          key: resourceKey(stack.stackPath, logicalId),
          stack,
          logicalId,
          type: r.Type,
          properties: (isObject(r.Properties) ? r.Properties : {}) as Record<string, unknown>,
          metadata,
          ...(typeof r.DeletionPolicy === 'string' ? { deletionPolicy: r.DeletionPolicy } : {}),
          ...(typeof r.UpdateReplacePolicy === 'string' ? { updateReplacePolicy: r.UpdateReplacePolicy } : {}),
          ...(typeof path === 'string' ? { constructPath: path } : {}),
        };
        this.byKey.set(indexed.key, indexed);
        this.ordered.push(indexed);
      }
    }
    for (const alias of this.ofType('AWS::KMS::Alias')) {
      const name = this.flatten(alias.properties.AliasName, alias.stack);
      const target = this.resolveOne(alias.properties.TargetKeyId, alias.stack);
      if (name !== undefined && target?.kind === 'resource') {
        this.aliasesOfKey.set(target.target.key, [...(this.aliasesOfKey.get(target.target.key) ?? []), name].sort());
      }
    }
  }

  /** Every resource, stacks in path order, resources in template order. */
  public resources(): readonly IndexedResource[] {
    return this.ordered;
  }

  public get(key: string): IndexedResource | undefined {
    return this.byKey.get(key);
  }

  public ofType(...types: string[]): IndexedResource[] {
    return this.ordered.filter((r) => types.includes(r.type));
  }

  /** Alias names (`alias/...`) whose TargetKeyId resolves to the key. */
  public aliasesOf(key: IndexedResource): readonly string[] {
    return this.aliasesOfKey.get(key.key) ?? [];
  }

  /**
   * Follows `value` when it is exactly one reference (`Ref`, `Fn::GetAtt`, `Fn::GetStackOutput`,
   * `Fn::ImportValue`). Returns undefined for literals, pseudo parameters and other expressions.
   */
  public resolveOne(value: Json, stack: InventoryStack, seen: ReadonlySet<string> = new Set()): Reference | undefined {
    const fn = intrinsic(value);
    if (!fn) return undefined;
    const [name, arg] = fn;
    if (name === 'Ref') {
      if (typeof arg !== 'string') return { kind: 'unresolved', text: JSON.stringify(value), reason: 'malformed Ref' };
      if (PSEUDO_PARAMETER.test(arg)) return undefined;
      return this.local(stack, arg, undefined, `Ref ${arg}`);
    }
    if (name === 'Fn::GetAtt') {
      const [id, attr] = Array.isArray(arg)
        ? [arg[0], arg[1]]
        : typeof arg === 'string'
          ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)]
          : [undefined, undefined];
      if (typeof id !== 'string' || typeof attr !== 'string') {
        return { kind: 'unresolved', text: JSON.stringify(value), reason: 'malformed Fn::GetAtt' };
      }
      return this.local(stack, id, attr, `Fn::GetAtt ${id}.${attr}`);
    }
    if (name === 'Fn::GetStackOutput') return this.stackOutput(arg, stack, seen);
    if (name === 'Fn::ImportValue') return this.importValue(arg, stack, seen);
    return undefined;
  }

  /**
   * Every reference inside `value` (deep), in order, each followed: pseudo parameters are skipped,
   * `Fn::Sub` placeholders are included. Cross-stack references are followed to the resources
   * their producing output refers to.
   */
  public references(value: Json, stack: InventoryStack, seen: ReadonlySet<string> = new Set()): Reference[] {
    const fn = intrinsic(value);
    if (fn) {
      const [name, arg] = fn;
      if (name === 'Fn::GetStackOutput' || name === 'Fn::ImportValue') {
        const out = this.producerValue(name, arg, stack, seen);
        if (out.kind === 'unresolved') return [out];
        const inner = this.references(out.value, out.stack, out.seen);
        return inner.map((r) => (r.kind === 'resource' ? { ...r, via: r.via ?? out.via } : r));
      }
      const one = this.resolveOne(value, stack, seen);
      if (one) return [one];
      if (name === 'Ref') return [];
      if (name === 'Fn::Sub') return this.subReferences(arg, stack, seen);
      return this.references(arg, stack, seen);
    }
    if (Array.isArray(value)) return value.flatMap((v) => this.references(v, stack, seen));
    if (isObject(value)) return Object.values(value).flatMap((v) => this.references(v, stack, seen));
    return [];
  }

  /** The resources `value` refers to (unresolved references left out; see `references`). */
  public targets(value: Json, stack: InventoryStack): IndexedResource[] {
    const out: IndexedResource[] = [];
    for (const r of this.references(value, stack)) {
      if (r.kind === 'resource' && !out.includes(r.target)) out.push(r.target);
    }
    return out;
  }

  /**
   * `value` evaluated to a string where the templates allow it: literals, `Fn::Join`, `Fn::Sub`,
   * `Fn::Select`, `Fn::Split`, pseudo parameters (when the stack's account and region are known)
   * and cross-stack outputs. A resource reference becomes `${LogicalId}` / `${LogicalId.Attr}`;
   * an unknown pseudo parameter stays `${AWS::AccountId}`. Undefined when it is not a string.
   */
  public flatten(value: Json, stack: InventoryStack): string | undefined {
    const v = this.evaluate(value, stack, new Set());
    return typeof v === 'string' ? v : undefined;
  }

  /** Resources of `type` whose `property` flattens to `name` (e.g. buckets by BucketName). */
  public named(type: string, property: string, name: string): IndexedResource[] {
    const cacheKey = `${type}|${property}`;
    let byName = this.namedCache.get(cacheKey);
    if (!byName) {
      byName = new Map();
      for (const r of this.ofType(type)) {
        const n = this.flatten(r.properties[property], r.stack);
        if (n !== undefined) byName.set(n, [...(byName.get(n) ?? []), r]);
      }
      this.namedCache.set(cacheKey, byName);
    }
    return byName.get(name) ?? [];
  }

  /** The bucket an S3 ARN (`arn:aws:s3:::name[/key]`) or bucket name designates, by BucketName. */
  public bucketNamed(arnOrName: string): IndexedResource | undefined {
    const m = /^arn:[^:]*:s3:::([^/]+)/.exec(arnOrName);
    const name = m ? m[1]! : arnOrName;
    return this.named('AWS::S3::Bucket', 'BucketName', name)[0];
  }

  /** Tags of a resource: `Tags` as a list of {Key, Value} or a map, and `*Tags` maps (e.g. BackupVaultTags). */
  public tagsOf(r: IndexedResource): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [prop, v] of Object.entries(r.properties)) {
      if (prop !== 'Tags' && !/^[A-Za-z]+Tags$/.test(prop)) continue;
      if (Array.isArray(v)) {
        for (const t of v) {
          if (!isObject(t)) continue;
          const key = this.flatten(t.Key, r.stack);
          const val = this.flatten(t.Value, r.stack);
          if (key !== undefined && val !== undefined) out[key] = val;
        }
      } else if (isObject(v)) {
        for (const [key, raw] of Object.entries(v)) {
          const val = this.flatten(raw, r.stack);
          if (val !== undefined) out[key] = val;
        }
      }
    }
    return out;
  }

  private local(stack: InventoryStack, logicalId: string, attribute: string | undefined, text: string): Reference {
    const target = this.byKey.get(resourceKey(stack.stackPath, logicalId));
    if (target) return { kind: 'resource', target, ...(attribute ? { attribute } : {}) };
    const parameters = stack.template.Parameters;
    const reason = isObject(parameters) && logicalId in parameters ? 'template parameter' : 'no such resource';
    return { kind: 'unresolved', text: `${stack.stackPath}: ${text}`, reason };
  }

  private stackOutput(arg: Json, stack: InventoryStack, seen: ReadonlySet<string>): Reference {
    const out = this.producerValue('Fn::GetStackOutput', arg, stack, seen);
    if (out.kind === 'unresolved') return out;
    const ref = this.resolveOne(out.value, out.stack, out.seen);
    if (ref?.kind === 'resource') return { ...ref, via: out.via };
    if (ref) return ref;
    return { kind: 'unresolved', text: out.via, reason: 'the output is not a single resource reference' };
  }

  private importValue(arg: Json, stack: InventoryStack, seen: ReadonlySet<string>): Reference {
    const out = this.producerValue('Fn::ImportValue', arg, stack, seen);
    if (out.kind === 'unresolved') return out;
    const ref = this.resolveOne(out.value, out.stack, out.seen);
    if (ref?.kind === 'resource') return { ...ref, via: out.via };
    if (ref) return ref;
    return { kind: 'unresolved', text: out.via, reason: 'the export is not a single resource reference' };
  }

  /** The Value of the output a cross-stack reference reads, in its producing stack. */
  private producerValue(
    fn: 'Fn::GetStackOutput' | 'Fn::ImportValue',
    arg: Json,
    stack: InventoryStack,
    seen: ReadonlySet<string>,
  ):
    | { kind: 'value'; value: Json; stack: InventoryStack; via: string; seen: ReadonlySet<string> }
    | { kind: 'unresolved'; text: string; reason: string } {
    if (fn === 'Fn::ImportValue') {
      const name = this.flatten(arg, stack);
      const text = `Fn::ImportValue ${name ?? JSON.stringify(arg)}`;
      if (name === undefined) return { kind: 'unresolved', text, reason: 'export name is not a literal' };
      for (const s of this.stacks) {
        for (const [outName, o] of Object.entries(outputsOf(s))) {
          if (isObject(o) && this.flatten(isObject(o.Export) ? o.Export.Name : undefined, s) === name) {
            const key = `${s.stackPath}#${outName}`;
            if (seen.has(key)) return { kind: 'unresolved', text, reason: 'circular output reference' };
            return { kind: 'value', value: o.Value, stack: s, via: text, seen: new Set([...seen, key]) };
          }
        }
      }
      return { kind: 'unresolved', text, reason: 'no stack in this synth exports that name' };
    }
    const a = isObject(arg) ? arg : {};
    const stackName = typeof a.StackName === 'string' ? a.StackName : undefined;
    const outputName = typeof a.OutputName === 'string' ? a.OutputName : undefined;
    const region = typeof a.Region === 'string' ? a.Region : undefined;
    const text = `Fn::GetStackOutput ${stackName ?? '?'}${region ? `@${region}` : ''}.${outputName ?? '?'}`;
    if (stackName === undefined || outputName === undefined) {
      return { kind: 'unresolved', text, reason: 'StackName or OutputName is not a literal' };
    }
    const producers = this.stacks.filter(
      (s) =>
        s.stackName === stackName &&
        (region === undefined || s.region === undefined || s.region === region || region.startsWith('${')),
    );
    if (producers.length === 0) return { kind: 'unresolved', text, reason: 'no stack of that name in this synth' };
    const producer = producers[0]!;
    const output = outputsOf(producer)[outputName];
    if (!isObject(output)) {
      return { kind: 'unresolved', text, reason: `stack ${producer.stackPath} has no output of that name` };
    }
    const key = `${producer.stackPath}#${outputName}`;
    if (seen.has(key)) return { kind: 'unresolved', text, reason: 'circular output reference' };
    return { kind: 'value', value: output.Value, stack: producer, via: text, seen: new Set([...seen, key]) };
  }

  private subReferences(arg: Json, stack: InventoryStack, seen: ReadonlySet<string>): Reference[] {
    const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    const out: Reference[] = isObject(vars) ? this.references(vars, stack, seen) : [];
    if (typeof template !== 'string') return out;
    for (const m of template.matchAll(/\$\{([^!}][^}]*)\}/g)) {
      const name = m[1]!;
      if (isObject(vars) && name in vars) continue;
      if (PSEUDO_PARAMETER.test(name)) continue;
      const dot = name.indexOf('.');
      out.push(
        dot < 0
          ? this.local(stack, name, undefined, `Fn::Sub \${${name}}`)
          : this.local(stack, name.slice(0, dot), name.slice(dot + 1), `Fn::Sub \${${name}}`),
      );
    }
    return out;
  }

  private pseudo(name: string, stack: InventoryStack): string {
    const known: Record<string, string | undefined> = {
      'AWS::AccountId': stack.account,
      'AWS::Region': stack.region,
      'AWS::Partition': partitionOf(stack.region),
      'AWS::URLSuffix': stack.region === undefined ? undefined : 'amazonaws.com',
      'AWS::StackName': stack.stackName,
    };
    return known[name] ?? `\${${name}}`;
  }

  private evaluate(value: Json, stack: InventoryStack, seen: ReadonlySet<string>): string | string[] | undefined {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) {
      const items = value.map((v) => this.evaluate(v, stack, seen));
      return items.every((i): i is string => typeof i === 'string') ? items : undefined;
    }
    const fn = intrinsic(value);
    if (!fn) return undefined;
    const [name, arg] = fn;
    switch (name) {
      case 'Ref':
        if (typeof arg !== 'string') return undefined;
        return PSEUDO_PARAMETER.test(arg) ? this.pseudo(arg, stack) : `\${${arg}}`;
      case 'Fn::GetAtt': {
        const parts = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split('.') : [];
        return parts.every((p) => typeof p === 'string') ? `\${${(parts as string[]).join('.')}}` : undefined;
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string') return undefined;
        const items = this.evaluate(arg[1], stack, seen);
        return Array.isArray(items) ? items.join(arg[0]) : undefined;
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg)) return undefined;
        const index = Number(this.evaluate(arg[0], stack, seen));
        const list = this.evaluate(arg[1], stack, seen);
        return Array.isArray(list) && Number.isInteger(index) ? list[index] : undefined;
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string') return undefined;
        const s = this.evaluate(arg[1], stack, seen);
        return typeof s === 'string' ? s.split(arg[0]) : undefined;
      }
      case 'Fn::Sub': {
        const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
        if (typeof template !== 'string') return undefined;
        return template.replace(/\$\{([^!}][^}]*)\}/g, (whole, n: string) => {
          if (isObject(vars) && n in vars) {
            const v = this.evaluate(vars[n], stack, seen);
            return typeof v === 'string' ? v : whole;
          }
          return PSEUDO_PARAMETER.test(n) ? this.pseudo(n, stack) : whole;
        });
      }
      case 'Fn::GetStackOutput':
      case 'Fn::ImportValue': {
        const out = this.producerValue(name, arg, stack, seen);
        if (out.kind === 'unresolved') return `\${${out.text}}`;
        return this.evaluate(out.value, out.stack, out.seen);
      }
      case 'Fn::GetAZs':
        return undefined;
      default:
        return undefined;
    }
  }
}

function outputsOf(stack: InventoryStack): Record<string, Json> {
  const outputs = stack.template.Outputs;
  return isObject(outputs) ? outputs : {};
}
