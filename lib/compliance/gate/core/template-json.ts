/**
 * CloudFormation templates as JSON, and the small vocabulary the gate's template rules share: references inside a
 * template (Ref, Fn::GetAtt), references across the stacks of one cloud assembly (Fn::GetStackOutput, and the
 * Fn::ImportValue "<StackName>:<OutputName>" the template checker rewrites them to), literal strings flattened
 * from Fn::Join, and the blueprint's markers. Pure: no CDK, no file system.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** A resource of a template. */
export interface JsonResource {
  readonly Type: string;
  readonly Properties?: Json;
  readonly Metadata?: Json;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: unknown;
  readonly [k: string]: unknown;
}

/** A CloudFormation template. */
export interface TemplateJson {
  readonly Resources: Readonly<Record<string, JsonResource>>;
  readonly Outputs?: Readonly<
    Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>
  >;
  readonly Metadata?: Json;
  readonly [k: string]: unknown;
}

/** One stack of a cloud assembly. */
export interface AssemblyStack {
  /** CloudFormation stack name (what Fn::GetStackOutput names), e.g. 'hipaa-prod-data'. */
  readonly stackName: string;
  /** Template file name in the assembly, e.g. 'ProdData90A795AA.template.json'. */
  readonly file: string;
  /** Construct path of the stack, e.g. 'Prod/Data', when known. */
  readonly path?: string;
  /**
   * The region the stack deploys to (concreteRegion), e.g. 'us-east-1', when known: the manifest's environment
   * (check-template), the stack's region at synth. Unknown for a single template file and an environment-agnostic
   * stack.
   */
  readonly region?: string;
  /** The account the stack deploys to (an account id), when known, from the same sources as its region. */
  readonly account?: string;
  readonly template: TemplateJson;
}

/** An account id as the manifest or the synth context gives it (twelve digits); undefined for anything else. */
export function concreteAccount(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{12}$/.test(value) ? value : undefined;
}

/**
 * The shape of a region name (a regular expression's source, unanchored): an area, dash-separated words, a number
 * ('us-east-1', 'us-gov-west-1', 'us-isob-east-1', 'eusc-de-east-1'). One pattern for the gate: stack regions
 * (concreteRegion) and the values `${AWS::Region}` may take in a bucket name (core/bucket-names).
 */
export const REGION_NAME_PATTERN = '[a-z]{2,}(?:-[a-z]+)+-\\d+';

/**
 * A region name as the manifest or the synth context gives it, when it names one region (REGION_NAME_PATTERN);
 * undefined for anything else: CDK's 'unknown-region' of an environment-agnostic stack, a token. A name of that shape
 * that no region has is still a region here: a stack in it sees none of another region's events (fail closed), and
 * deploy refuses it.
 */
export function concreteRegion(value: unknown): string | undefined {
  return typeof value === 'string' && new RegExp(`^${REGION_NAME_PATTERN}$`).test(value) ? value : undefined;
}

/**
 * The stacks whose rules see the events of `region`: those deployed to it (a service emits its events to the default
 * bus of the region where they happen). A region not known (undefined, on either side) matches every stack.
 */
export function stacksInRegion(stacks: readonly AssemblyStack[], region: string | undefined): AssemblyStack[] {
  return stacks.filter((s) => region === undefined || s.region === undefined || s.region === region);
}

/**
 * Of the regions where something must be (undefined: a region not known), each once, those where `has` finds it not
 * (an alert rule routing the events, a detector, registry scanning): empty when every one has it.
 */
export function regionsLacking(
  regions: ReadonlyArray<string | undefined>,
  has: (region: string | undefined) => boolean,
): Array<string | undefined> {
  return [...new Set(regions)].filter((region) => !has(region));
}

/** How a finding names the regions lacking a rule: ' in us-east-1 and eu-west-1 (where the events happen)', or ''. */
export function inRegionsText(regions: ReadonlyArray<string | undefined>): string {
  const named = regions.filter((r) => r !== undefined);
  return named.length > 0 ? ` in ${named.join(' and ')} (where the events happen)` : '';
}

/** A resource of one stack of the assembly. */
export interface StackResource {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly resource: JsonResource;
}

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a property value is absent to CloudFormation: undefined, or `{"Ref": "AWS::NoValue"}`. */
export function cfnAbsent(value: unknown): boolean {
  return value === undefined || (isObject(value) && Object.keys(value).length === 1 && value.Ref === 'AWS::NoValue');
}

/** Whether a value is an intrinsic function or a Ref (`{"Fn::...": ...}`, `{"Ref": ...}`): only deploy resolves it. */
export function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/**
 * A Boolean property value as CloudFormation reads it: `true`/`false`, or its string form "true"/"false" (read in any
 * case, so that no spelling of it slips past a rule); undefined for anything else (absent, an intrinsic).
 */
export function cfnBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

/**
 * The values a property value may take when deployed, as far as the template says: each branch of an `Fn::If`
 * (recursively), a branch `{"Ref": "AWS::NoValue"}` (or the value itself when it is one) being `undefined` (absent).
 * Any other value, an intrinsic only deploy resolves included, is one alternative as written.
 */
export function cfnAlternatives(value: unknown): unknown[] {
  if (cfnAbsent(value)) return [undefined];
  const branches = isObject(value) && isIntrinsic(value) ? value['Fn::If'] : undefined;
  if (Array.isArray(branches) && branches.length === 3) {
    return [...cfnAlternatives(branches[1]), ...cfnAlternatives(branches[2])];
  }
  return [value];
}

/** Most lists cfnListForms spells out before it gives up (a list of many conditional entries). */
const MAX_LIST_FORMS = 64;

/**
 * The lists a List property may be when deployed: one per choice of every `Fn::If` in it (of the list itself or of an
 * entry), with absent entries (`{"Ref": "AWS::NoValue"}`, a branch that is one) dropped, as CloudFormation drops them;
 * an absent list is the empty list. Undefined when only deploy knows the list (a Ref to a parameter, Fn::Split, any
 * other intrinsic in its place) or its conditions make more than 64 forms. An entry that is another intrinsic (a Ref
 * to a topic) is an entry: it is there whatever it resolves to.
 */
export function cfnListForms(value: unknown): unknown[][] | undefined {
  const forms: unknown[][] = [];
  for (const list of cfnAlternatives(value)) {
    if (list === undefined) {
      forms.push([]);
      continue;
    }
    if (isIntrinsic(list)) return undefined;
    let partial: unknown[][] = [[]];
    for (const entry of asList(list)) {
      const options = cfnAlternatives(entry);
      partial = partial.flatMap((p) => options.map((o) => (o === undefined ? p : [...p, o])));
      if (partial.length > MAX_LIST_FORMS) return undefined;
    }
    forms.push(...partial);
    if (forms.length > MAX_LIST_FORMS) return undefined;
  }
  return forms;
}

/**
 * Whether `test` holds for every list a List property may be when deployed (cfnListForms); false when only deploy
 * knows the list. E.g. `cfnListAlways(p.AlarmActions, (l) => l.length > 0)`: the alarm surely has an action.
 */
export function cfnListAlways(value: unknown, test: (list: readonly unknown[]) => boolean): boolean {
  const forms = cfnListForms(value);
  return forms !== undefined && forms.every(test);
}

/**
 * Whether a Boolean switch may be on when deployed: true or "true", or a value only deploy resolves (an intrinsic such
 * as a condition). Only an absent or literally false switch (false, "false") is off: what a switch turns on (a key it
 * needs) is checked whenever it may be on.
 */
export function cfnSwitchMayBeOn(value: unknown): boolean {
  return value !== undefined && cfnBoolean(value) !== false;
}

/**
 * Whether a Boolean switch that is on by default (an alarm's ActionsEnabled) stays on when deployed: absent, true or
 * "true". A literal false ("false") turns it off, and a value only deploy resolves (an intrinsic such as a condition)
 * may: a rule relying on the switch must not count it as on.
 */
export function cfnSwitchStaysOn(value: unknown): boolean {
  // {"Ref": "AWS::NoValue"} is absent to CloudFormation: the default (on).
  return cfnAbsent(value) || cfnBoolean(value) === true;
}

/**
 * Whether an EventBridge rule's State lets it run: absent or AWS::NoValue (ENABLED is the default), ENABLED or
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. Anything else (DISABLED, a condition only deploy resolves) may leave
 * the rule off.
 */
export function eventRuleEnabled(state: unknown): boolean {
  return cfnAbsent(state) || state === 'ENABLED' || state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
}

/** Whether a rule target's Arn invokes a Lambda function of `template` (`Fn::GetAtt` Arn: a Ref is its name). */
export function invokesFunctionOf(template: TemplateJson, arn: unknown): boolean {
  const id = localTarget(arn);
  return (
    id !== undefined && template.Resources?.[id]?.Type === 'AWS::Lambda::Function' && localAttribute(arn) === 'Arn'
  );
}

/**
 * Whether an EventBridge rule of `template` surely alerts when deployed: every form its Targets list may take
 * (cfnListForms: entries of AWS::NoValue dropped, each Fn::If branch) holds an entry that invokes a Lambda function of
 * the rule's own template (its Arn, in every branch of a condition, `Fn::GetAtt` Arn of one: the alert formatter) with
 * the event as it is: no Input, InputPath or InputTransformer (a constant input, a heartbeat's, makes the formatter drop
 * the alert; a raw event sent to the topic instead could carry an object key into an e-mail). Not a list only deploy
 * resolves, and not another ARN (another account's event bus, a queue nobody reads, a topic, a literal). With
 * `isFormatter`, the function (its logical id) must also be one it accepts (the formatter a heartbeat proves alive).
 */
export function eventRuleAlertsInTemplate(
  template: TemplateJson,
  targets: unknown,
  isFormatter: (functionId: string) => boolean = () => true,
): boolean {
  const eventAsItIs = (t: Record<string, unknown>): boolean =>
    ['Input', 'InputPath', 'InputTransformer'].every((k) => cfnAlternatives(t[k]).every((v) => v === undefined));
  const formatter = (arn: unknown): boolean => invokesFunctionOf(template, arn) && isFormatter(localTarget(arn)!);
  return cfnListAlways(targets, (list) =>
    list.some((t) => isObject(t) && eventAsItIs(t) && cfnAlternatives(t.Arn).every(formatter)),
  );
}

/**
 * A number property value as CloudFormation reads it: a finite number, or a string of one ("30"), which CloudFormation
 * accepts for Integer and Double properties; undefined for anything else (absent, an intrinsic, "thirty").
 */
export function cfnNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * A value of a String property (or of a list of strings) as CloudFormation reads it: a number or a Boolean becomes its
 * string form (`true` is "true", `2` is "2"), anything else (a string, an intrinsic) is unchanged. A rule comparing a
 * template value with a string must compare this, or a hand-edited `true` slips past a check for "true".
 */
export function cfnStringForm(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** The value as an array (a scalar becomes a one-element array, undefined an empty one). */
export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** `{Ref: X}` or `{Fn::GetAtt: [X, ...]}` (or `X.Attr`): the logical id X; otherwise undefined. */
export function localTarget(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  if (typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * Resource types whose `Ref` or `Arn` is not the ARN of something of the assembly: a parameter's or secret's value is
 * whatever text it holds (another account's queue).
 */
const VALUE_HOLDERS: ReadonlySet<string> = new Set(['AWS::SSM::Parameter', 'AWS::SecretsManager::Secret']);

/**
 * Whether `attribute` (localAttribute's: 'Ref' or a GetAtt attribute) of a resource of `type` is that resource's own
 * ARN: its `Ref` or its `Arn`, of any type but a value holder (a parameter, a secret).
 */
export function isOwnArn(type: string, attribute: string | undefined): boolean {
  return !VALUE_HOLDERS.has(type) && (attribute === 'Ref' || attribute === 'Arn');
}

/** The attribute of `{Fn::GetAtt: [X, Attr]}`, or 'Ref' for `{Ref: X}`. */
export function localAttribute(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return 'Ref';
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[1] === 'string') return getAtt[1];
  if (typeof getAtt === 'string') return getAtt.split('.').slice(1).join('.');
  return undefined;
}

/**
 * A string value with Fn::Join flattened and pseudo-parameters written as `<AWS::Partition>` and the like;
 * undefined when any part is another intrinsic (a reference whose value is not in the template).
 */
export function flatten(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string' && value.Ref.startsWith('AWS::') && Object.keys(value).length === 1) {
    return `<${value.Ref}>`;
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(flatten);
    return parts.every((p): p is string => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/** Memos of the run under way (withRunMemo), by name. */
let runMemos: Map<string, WeakMap<object, unknown>> | undefined;

/**
 * Runs `fn` with `memo` keeping what it computes until `fn` returns: one run of the assembly rules reads the same
 * templates many times (each rule looks up resources by type, alarms, ...). The templates must not change during `fn`.
 */
export function withRunMemo<T>(fn: () => T): T {
  if (runMemos !== undefined) return fn();
  runMemos = new Map();
  try {
    return fn();
  } finally {
    runMemos = undefined;
  }
}

/** `compute(key)`; within withRunMemo, computed once per `name` and `key` object. */
export function memo<K extends object, V>(name: string, key: K, compute: (key: K) => V): V {
  if (runMemos === undefined) return compute(key);
  let memos = runMemos.get(name);
  if (memos === undefined) runMemos.set(name, (memos = new WeakMap()));
  if (memos.has(key)) return memos.get(key) as V;
  const value = compute(key);
  memos.set(key, value);
  return value;
}

type ResourceEntries = ReadonlyArray<readonly [string, JsonResource]>;
const NO_RESOURCES: ResourceEntries = Object.freeze([]);

/** A template's resources, all of them and by type (a resource without a string Type is only among all). */
interface ResourceIndex {
  readonly all: ResourceEntries;
  readonly byType: ReadonlyMap<string, ResourceEntries>;
}

function indexResources(template: TemplateJson): ResourceIndex {
  const all = Object.entries(template.Resources ?? {});
  const byType = new Map<string, Array<readonly [string, JsonResource]>>();
  for (const entry of all) {
    const type: unknown = entry[1].Type;
    if (typeof type !== 'string') continue;
    const list = byType.get(type);
    if (list === undefined) byType.set(type, [entry]);
    else list.push(entry);
  }
  for (const list of byType.values()) Object.freeze(list);
  return { all: Object.freeze(all), byType };
}

/**
 * Resources of a template, optionally of one type. Frozen: within withRunMemo the same answer is shared by every
 * rule of the run, and outside it the answer is frozen too, so that a rule behaves the same in both.
 */
export function resourcesOf(template: TemplateJson, type?: string): ResourceEntries {
  if (runMemos === undefined) {
    return Object.freeze(
      Object.entries(template.Resources ?? {}).filter(([, r]) => type === undefined || r.Type === type),
    );
  }
  const index = memo('resourceIndex', template, indexResources);
  return type === undefined ? index.all : (index.byType.get(type) ?? NO_RESOURCES);
}

/** Every resource of every stack, optionally of one type (frozen, as resourcesOf). */
export function assemblyResources(stacks: readonly AssemblyStack[], type?: string): readonly StackResource[] {
  const byType = memo('assemblyResources', stacks, () => new Map<string | undefined, readonly StackResource[]>());
  let found = byType.get(type);
  if (found === undefined) {
    found = Object.freeze(
      stacks.flatMap((stack) =>
        resourcesOf(stack.template, type).map(([logicalId, resource]) => ({ stack, logicalId, resource })),
      ),
    );
    byType.set(type, found);
  }
  return found;
}

/** The resource's template metadata entry `key`. */
export function metadataOf(resource: JsonResource, key: string): unknown {
  return isObject(resource.Metadata) ? resource.Metadata[key] : undefined;
}

/**
 * The construct path of a template's resource: the construct tree's when known (`treePaths`, by logical id, at synth),
 * else its `aws:cdk:path` metadata, which a hand edit or an override can change.
 */
export function constructPathOf(
  resource: JsonResource,
  logicalId: string,
  treePaths?: ReadonlyMap<string, string>,
): string | undefined {
  const path = treePaths?.get(logicalId) ?? metadataOf(resource, 'aws:cdk:path');
  return typeof path === 'string' ? path : undefined;
}

/** A value followed to where it comes from in the assembly. */
export type Resolved =
  /** A resource of a stack (its Ref or an attribute). */
  | { readonly kind: 'resource'; readonly target: StackResource; readonly attribute: string }
  /** A literal value (string, number, boolean, or a flattened Fn::Join). */
  | { readonly kind: 'literal'; readonly value: string }
  /** Nothing in the assembly says what it is (another stack's output that does not exist, a parameter...). */
  | { readonly kind: 'unresolved'; readonly why: string };

/** The keys of an Fn::GetStackOutput the gate follows (a RoleArn reads another account's stack: not followed). */
export const STACK_OUTPUT_KEYS: readonly string[] = ['StackName', 'OutputName', 'Region'];

/** A cross-stack reference: the stack and output it names, and the region it reads them in when it names one. */
export interface CrossStackReference {
  readonly stackName: string;
  readonly outputName: string;
  /** Fn::GetStackOutput's literal Region (absent: the referring stack's own region). */
  readonly region?: string;
}

/** The (StackName, OutputName) a cross-stack reference names, from Fn::GetStackOutput or a rewritten Fn::ImportValue. */
export function crossStackReference(value: Json): CrossStackReference | undefined {
  const gso = value['Fn::GetStackOutput'];
  if (isObject(gso) && typeof gso.StackName === 'string' && typeof gso.OutputName === 'string') {
    const region = concreteRegion(gso.Region);
    return { stackName: gso.StackName, outputName: gso.OutputName, ...(region !== undefined ? { region } : {}) };
  }
  const imported = value['Fn::ImportValue'];
  if (typeof imported === 'string') {
    const at = imported.indexOf(':');
    if (at > 0) return { stackName: imported.slice(0, at), outputName: imported.slice(at + 1) };
  }
  return undefined;
}

/**
 * The stack a cross-stack reference of `from` reads: the stack of that name in `from`'s account and in the region it
 * names (Fn::GetStackOutput's Region, else `from`'s own); where they are unknown (a single template file), the stack of
 * that name.
 */
export function producerOf(
  cross: CrossStackReference,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
): AssemblyStack | undefined {
  const region = cross.region ?? from.region;
  return stacks.find((s) => s.stackName === cross.stackName && sameEnvironment(s, from.account, region));
}

/** Whether `stack` may be in `account` and `region` (where either side does not know one, it may). */
export function sameEnvironment(
  stack: AssemblyStack,
  account: string | undefined,
  region: string | undefined,
): boolean {
  const same = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || a === b;
  return same(stack.account, account) && same(stack.region, region);
}

/**
 * Follows `value`, found in `from`, through Ref/Fn::GetAtt in its own template and through other stacks' outputs
 * (Fn::GetStackOutput, Fn::ImportValue of an export name or of a rewritten "<StackName>:<OutputName>"), to a resource
 * or a literal. Never guesses: anything else is 'unresolved' with the reason.
 */
export function resolveValue(
  value: unknown,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
  depth = 0,
): Resolved {
  if (depth > 8) return { kind: 'unresolved', why: 'reference chain too long' };
  if (typeof value === 'boolean') return { kind: 'literal', value: String(value) };
  const literal = flatten(value);
  if (literal !== undefined) return { kind: 'literal', value: literal };
  if (!isObject(value)) return { kind: 'unresolved', why: 'not a value' };
  const local = localTarget(value);
  if (local !== undefined) {
    const resource = from.template.Resources?.[local];
    if (resource === undefined) return { kind: 'unresolved', why: `no resource ${local} in ${from.stackName}` };
    return { kind: 'resource', target: { stack: from, logicalId: local, resource }, attribute: localAttribute(value)! };
  }
  const cross = crossStackReference(value);
  if (cross !== undefined) {
    const producer = producerOf(cross, from, stacks);
    const output = producer?.template.Outputs?.[cross.outputName];
    if (!producer || !output) {
      return { kind: 'unresolved', why: `output ${cross.stackName}:${cross.outputName} is not in the assembly` };
    }
    return resolveValue(output.Value, producer, stacks, depth + 1);
  }
  const imported = value['Fn::ImportValue'];
  if (imported !== undefined) {
    const name = flatten(imported);
    // Exports are per account and region: an export of that name in another region is another value.
    for (const s of stacks.filter((t) => sameEnvironment(t, from.account, from.region))) {
      for (const output of Object.values(s.template.Outputs ?? {})) {
        if (name !== undefined && flatten(output.Export?.Name) === name)
          return resolveValue(output.Value, s, stacks, depth + 1);
      }
    }
    return { kind: 'unresolved', why: `export ${String(name)} is not in the assembly` };
  }
  return { kind: 'unresolved', why: `intrinsic ${Object.keys(value).join(',')}` };
}

/** The resource of the assembly `value` names (resolveValue), if it names one. */
export function resourceNamed(
  value: unknown,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
): StackResource | undefined {
  const resolved = resolveValue(value, from, stacks);
  return resolved.kind === 'resource' ? resolved.target : undefined;
}

/** The partition of a region: `aws-cn` in China, `aws-us-gov` in GovCloud, else `aws` (unknown region: `aws`). */
export function partitionOfRegion(region: string | undefined): string {
  return region?.startsWith('cn-') ? 'aws-cn' : region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/**
 * A string form (flatten's, with pseudo parameters as `<AWS::AccountId>`) with the account, region and partition of
 * `stack` written in where the stack states them (an unknown account or region stays a pseudo parameter).
 */
export function inStackEnvironment(text: string, stack: Pick<AssemblyStack, 'account' | 'region'>): string {
  // Most strings hold no pseudo parameter: the same string, without the six splits and joins.
  if (!text.includes('<AWS::')) return text;
  return text
    .split('<AWS::AccountId>')
    .join(stack.account ?? '<AWS::AccountId>')
    .split('<AWS::Region>')
    .join(stack.region ?? '<AWS::Region>')
    .split('<AWS::Partition>')
    .join(stack.region !== undefined ? partitionOfRegion(stack.region) : '<AWS::Partition>');
}

/** The template-level declaration (`Metadata.HipaaBlueprint`) of a template, if it has one. */
export function templateDeclaration(template: TemplateJson): Json | undefined {
  const declared = isObject(template.Metadata) ? template.Metadata.HipaaBlueprint : undefined;
  return isObject(declared) ? declared : undefined;
}
