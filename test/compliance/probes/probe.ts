/**
 * The probe set: mutations of the synthesized prod templates, each removing or weakening one safeguard the way a
 * reviewer, a fork or an attacker editing a template would (property changes, whole-resource removals, added
 * resources, hand-made acknowledgements). run-probes.test.ts applies every probe of every `*.probes.ts` file in
 * this folder to the prod assembly and requires the template checker (assembly mode) to report a new finding
 * naming the expected rule. Add probes as safeguards are added.
 */
import { SafeguardId } from '../../../constructs/core/safeguard-ids';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** The prod templates by stack: keys, network, alerting, audit, detection, data, phiReplica, replicaDetection, app. */
export type Templates = Record<string, { Resources: Record<string, Json>; [k: string]: unknown }>;

/** One probe. */
export interface Probe {
  /** What is removed or weakened, as a reviewer would say it. */
  readonly name: string;
  /** The safeguards it removes (SAFEGUARDS.md ids). */
  readonly safeguards: readonly SafeguardId[];
  /** Changes the templates (a deep copy of the prod assembly's). */
  readonly mutate: (t: Templates) => void;
  /** A new finding whose rule id matches this expression catches the probe. */
  readonly caughtBy: RegExp;
}

/** Logical ids of the resources of `stack` of `type` (and matching `where`), in template order. */
export function idsOf(
  t: Templates,
  stack: string,
  type: string,
  where: (r: Json, id: string) => boolean = () => true,
): string[] {
  const template = t[stack];
  if (!template) throw new Error(`probe: no stack '${stack}' in the assembly`);
  const ids = Object.entries(template.Resources)
    .filter(([id, r]) => r.Type === type && where(r, id))
    .map(([id]) => id);
  return ids;
}

/** The one resource of `stack` of `type` matching `where`; throws when there is none (the probe must bite). */
export function one(
  t: Templates,
  stack: string,
  type: string,
  where?: (r: Json, id: string) => boolean,
): [string, Json] {
  const ids = idsOf(t, stack, type, where);
  if (ids.length === 0) throw new Error(`probe: no ${type} in ${stack} matches`);
  return [ids[0]!, t[stack]!.Resources[ids[0]!]!];
}

/** The one EventBridge rule of `stack` whose pattern lists `detailType` among its detail types (see one). */
export function eventRuleFor(t: Templates, stack: string, detailType: string): [string, Json] {
  return one(t, stack, 'AWS::Events::Rule', (r) =>
    (r.Properties?.EventPattern?.['detail-type'] ?? []).includes(detailType),
  );
}

/** Whether `value` (any JSON) holds a Ref or Fn::GetAtt of `id`. */
function references(value: unknown, id: string): boolean {
  const text = JSON.stringify(value ?? null);
  return text.includes(`{"Ref":"${id}"}`) || text.includes(`"Fn::GetAtt":["${id}"`);
}

/**
 * Removes resources as a consistent hand edit would: with every resource whose properties reference a removed
 * one (e.g. an alarm's Lambda permission), and DependsOn entries naming them.
 */
export function remove(t: Templates, stack: string, ids: readonly string[]): void {
  if (ids.length === 0) throw new Error(`probe: nothing to remove in ${stack}`);
  const resources = t[stack]!.Resources;
  const gone = new Set(ids);
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, r] of Object.entries(resources)) {
      if (!gone.has(id) && [...gone].some((g) => references(r.Properties, g))) {
        gone.add(id);
        changed = true;
      }
    }
  }
  for (const id of gone) delete resources[id];
  for (const r of Object.values(resources)) {
    if (typeof r.DependsOn === 'string' && gone.has(r.DependsOn)) delete r.DependsOn;
    else if (Array.isArray(r.DependsOn)) r.DependsOn = r.DependsOn.filter((d: string) => !gone.has(d));
  }
  const outputs = (t[stack] as { Outputs?: Record<string, Json> }).Outputs ?? {};
  for (const [name, o] of Object.entries(outputs)) if ([...gone].some((g) => references(o, g))) delete outputs[name];
}

/** Whether `value` (any JSON) is a Ref or GetAtt of `id`. */
export function refersTo(value: unknown, id: string): boolean {
  return JSON.stringify(value ?? null).includes(`"${id}"`);
}

/** A `Metadata.cdk_nag.rules_to_suppress` entry added by hand to a resource. */
export function suppress(resource: Json, ids: readonly string[], reason = 'Reviewed: acceptable.'): void {
  resource.Metadata = resource.Metadata ?? {};
  const existing = resource.Metadata.cdk_nag?.rules_to_suppress ?? [];
  resource.Metadata.cdk_nag = { rules_to_suppress: [...existing, ...ids.map((id) => ({ id, reason }))] };
}

/** A cross-stack reference to the ARN of key `domainKeyId` of the keys stack `keys` (its output), as the prod stacks write it. */
export const keyOutput = (keys: { [k: string]: unknown }, domainKeyId: string): Json => ({
  'Fn::GetStackOutput': {
    StackName: 'hipaa-prod-keys',
    Region: 'us-east-1',
    OutputName: Object.entries((keys as { Outputs?: Record<string, { Value?: unknown }> }).Outputs ?? {}).find(
      ([, o]) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [domainKeyId, 'Arn'] }),
    )?.[0],
  },
});

/** Whether a resource is the key of key domain `domain` (its metadata). */
export const isDomainKey =
  (domain: string) =>
  (r: Json): boolean =>
    r.Metadata?.['HipaaBlueprint::KeyDomain'] === domain;

/** Removes from the bucket policies of bucket `bucketId` (of `stack`) the statements whose Principal mentions `principal`. */
export function dropGrants(t: Templates, stack: string, bucketId: string, principal: string): void {
  for (const policy of Object.values(t[stack]!.Resources)) {
    if (policy.Type !== 'AWS::S3::BucketPolicy' || !refersTo(policy.Properties.Bucket, bucketId)) continue;
    const document = policy.Properties.PolicyDocument;
    document.Statement = document.Statement.filter(
      (st: Json) => !JSON.stringify(st.Principal ?? '').includes(principal),
    );
  }
}

/**
 * Moves the alert rule routing `detailType` from the alerting stack to the stack `to`, as a hand edit moving an alert
 * to another stack would: what referenced the rule (the formatter's invoke permission, the dead-letter queue's policy)
 * is removed with it, and `to` gains a function for the rule to invoke (the moved rule's only target).
 */
export function moveAlertRuleRouting(t: Templates, detailType: string, to: string): void {
  const [id, rule] = eventRuleFor(t, 'alerting', detailType);
  const moved = JSON.parse(JSON.stringify(rule)) as Json;
  remove(t, 'alerting', [id]);
  t[to]!.Resources.MovedFormatter = {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Code: { ZipFile: 'exports.handler = async () => undefined;' },
      Handler: 'index.handler',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::222222222222:role/moved-formatter',
    },
  };
  moved.Properties.Targets = [{ Arn: { 'Fn::GetAtt': ['MovedFormatter', 'Arn'] }, Id: 'Target0' }];
  t[to]!.Resources[id] = moved;
}
