import { literalForms } from '../core/bucket-names';
import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import { entries, parsedPolicyDocument, PolicyStatementJson, statementCovers } from '../core/policy-json';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  inStackEnvironment,
  isObject,
  JsonResource,
  localTarget,
  memo,
  resolveValue,
  resourceNamed,
  resourcesOf,
  StackResource,
} from '../core/template-json';

/** The ARNs `role` may have: its path and each literal name it may have, in its stack's account and partition. */
export function roleArnsOf(role: StackResource): readonly string[] {
  // Once per role in a run of the assembly rules (rolesNamed reads every role's for each ARN it looks up); a resource
  // object is in one stack, whose account and region the ARNs hold.
  return memo('roleArns', role.resource, () => {
    const path = role.resource.Properties?.Path;
    const prefix = typeof path === 'string' ? path : '/';
    return Object.freeze(
      literalForms(role.resource.Properties?.RoleName, role.stack.template).map((name) =>
        inStackEnvironment(`arn:<AWS::Partition>:iam::<AWS::AccountId>:role${prefix}${name}`, role.stack),
      ),
    );
  });
}

/**
 * The roles of the assembly a value names: a reference to one (followed across stacks), or a role ARN written out (a
 * literal, a join of literals and pseudo parameters) that one of them has.
 */
export function rolesNamed(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource[] {
  const resolved = resolveValue(value, from, stacks);
  if (resolved.kind === 'resource') return resolved.target.resource.Type === 'AWS::IAM::Role' ? [resolved.target] : [];
  // An ARN joined from a role's name (`Ref`) and other parts names that role.
  if (resolved.kind !== 'literal') return referencedRoles(value, from);
  const arn = inStackEnvironment(resolved.value, from);
  return assemblyResources(stacks, 'AWS::IAM::Role').filter((role) => roleArnsOf(role).includes(arn));
}

/** The roles of `from`'s template a value refers to anywhere inside it (a `Ref` or an `Fn::GetAtt`). */
function referencedRoles(value: unknown, from: AssemblyStack): StackResource[] {
  const found = new Map<string, StackResource>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObject(v)) return;
    const id = localTarget(v);
    const resource = id === undefined ? undefined : from.template.Resources[id];
    if (id !== undefined && resource?.Type === 'AWS::IAM::Role')
      found.set(id, { stack: from, logicalId: id, resource });
    Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found.values()];
}

/**
 * The managed policies of `stack`'s template a value of `from` (`stack` itself by default) names by their ARN written
 * out (a literal, a join of literals and pseudo parameters): `arn:<partition>:iam::<account>:policy<path><Name>`.
 */
export function managedPoliciesNamed(
  value: unknown,
  stack: AssemblyStack,
  from: AssemblyStack = stack,
): JsonResource[] {
  const forms = literalForms(value, from.template).map((f) => inStackEnvironment(f, from));
  if (forms.length === 0) return [];
  return resourcesOf(stack.template)
    .filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy')
    .map(([, r]) => r)
    .filter((r) => {
      const path = typeof r.Properties?.Path === 'string' ? r.Properties.Path : '/';
      return literalForms(r.Properties?.ManagedPolicyName, stack.template).some((name) =>
        forms.includes(inStackEnvironment(`arn:<AWS::Partition>:iam::<AWS::AccountId>:policy${path}${name}`, stack)),
      );
    });
}

/** A policy document as an object: CloudFormation takes it as an object or as the same JSON in a string. */
function documentOf(document: unknown): Record<string, unknown> | undefined {
  const value = parsedPolicyDocument(document);
  return isObject(value) ? value : undefined;
}

/** The statements of a policy document (object or string). */
export function documentStatements(document: unknown): PolicyStatementJson[] {
  const d = documentOf(document);
  return d === undefined ? [] : (entries(d.Statement) as PolicyStatementJson[]);
}

/**
 * Whether a value of `from` (an entry of a policy's `Roles`, a `RoleName`) may name `role`: a reference to it
 * (followed across stacks, exports included), a name it may have (every string form, pseudo parameters written in),
 * or, where only deploy resolves the value, a reference to it anywhere inside (`Fn::If`, `Fn::Select`, `Fn::Sub`'s
 * `${Role}`): read as naming it, so a grant is never lost to the form it is written in.
 */
function namesRole(
  value: unknown,
  from: AssemblyStack,
  role: StackResource,
  stacks: readonly AssemblyStack[],
): boolean {
  const resolved = resolveValue(value, from, stacks);
  if (resolved.kind === 'resource')
    return resolved.target.stack === role.stack && resolved.target.logicalId === role.logicalId;
  const names = literalForms(role.resource.Properties?.RoleName, role.stack.template).map((n) =>
    inStackEnvironment(n, role.stack),
  );
  const { forms, complete } = stringForms(value, from.template);
  if (forms.some((f) => names.includes(inStackEnvironment(f, from)))) return true;
  // Every form a literal that is not its name: not this role. A part only deploy knows may be its name.
  if (complete && forms.length > 0 && forms.every((f) => !f.includes(UNKNOWN_PART))) return false;
  if (from !== role.stack) return false;
  if (referencedRoles(value, from).some((r) => r.logicalId === role.logicalId)) return true;
  return (
    JSON.stringify(value ?? null).includes(`\${${role.logicalId}}`) ||
    JSON.stringify(value ?? null).includes(`\${${role.logicalId}.`)
  );
}

/**
 * The statements of the IAM policies attached to role `roleId` of `stack`: its own inline policies, the
 * `AWS::IAM::ManagedPolicy`, `AWS::IAM::Policy` and `AWS::IAM::RolePolicy` resources of the assembly (`stacks`; its
 * own template when not given) attached to it in any form (namesRole), and the managed policies of the assembly it
 * lists (by reference, export or ARN written out). A document written as a JSON string is read too.
 */
export function roleStatements(
  stack: AssemblyStack,
  roleId: string,
  stacks: readonly AssemblyStack[] = [stack],
): PolicyStatementJson[] {
  const resource = stack.template.Resources[roleId];
  if (resource === undefined) return [];
  // Several rules read the same roles over the same assembly within one run.
  if (stacks.length > 1) return memo('roleStatements', resource, () => statementsOf(stack, roleId, resource, stacks));
  return statementsOf(stack, roleId, resource, stacks);
}

function statementsOf(
  stack: AssemblyStack,
  roleId: string,
  resource: JsonResource,
  stacks: readonly AssemblyStack[],
): PolicyStatementJson[] {
  const role: StackResource = { stack, logicalId: roleId, resource };
  const documents: unknown[] = [];
  for (const inline of asList(resource.Properties?.Policies).filter(isObject)) documents.push(inline.PolicyDocument);
  const listed = new Set<JsonResource>();
  for (const arn of asList(resource.Properties?.ManagedPolicyArns)) {
    const resolved = resolveValue(arn, stack, stacks);
    if (resolved.kind === 'resource' && resolved.target.resource.Type === 'AWS::IAM::ManagedPolicy') {
      listed.add(resolved.target.resource);
    }
    for (const s of stacks) for (const p of managedPoliciesNamed(arn, s, stack)) listed.add(p);
  }
  for (const s of stacks) {
    for (const [, r] of resourcesOf(s.template)) {
      if (r.Type === 'AWS::IAM::RolePolicy') {
        if (namesRole(r.Properties?.RoleName, s, role, stacks)) documents.push(r.Properties?.PolicyDocument);
        continue;
      }
      if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
      const attached = asList(r.Properties?.Roles).some((x) => namesRole(x, s, role, stacks));
      if (attached || listed.has(r)) documents.push(r.Properties?.PolicyDocument);
    }
  }
  return documents.flatMap(documentStatements);
}

/**
 * The task roles of the assembly: the roles ECS task definitions name as TaskRoleArn, by a reference (across stacks
 * too) or by their ARN written out.
 */
export function taskRoles(stacks: readonly AssemblyStack[]): StackResource[] {
  const roles = new Map<string, StackResource>();
  for (const td of assemblyResources(stacks, 'AWS::ECS::TaskDefinition')) {
    for (const role of rolesNamed(td.resource.Properties?.TaskRoleArn, td.stack, stacks)) {
      roles.set(`${role.stack.stackName}/${role.stack.file}/${role.logicalId}`, role);
    }
  }
  return [...roles.values()];
}

/**
 * The actions a service needs on a log group to deliver to it: CloudTrail's and VPC Flow Logs' delivery roles (the
 * CloudTrail User Guide, "Sending events to CloudWatch Logs"; the Amazon VPC User Guide, "IAM role for publishing").
 */
export const LOG_DELIVERY_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * Whether a Deny statement's resources may include `group`: NotResource, `*`, a pattern or value only deploy resolves,
 * a reference to it, or a logs ARN that is not surely another log group's. Its conditions are not read: a deny with
 * any condition (a date, a tag) may apply once the service's role check at deploy has passed.
 */
function denyMayReach(
  s: PolicyStatementJson,
  group: StackResource,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
): boolean {
  if (s.NotResource !== undefined || s.Resource === undefined) return true;
  const names = literalForms(group.resource.Properties?.LogGroupName, group.stack.template);
  return entries(s.Resource).some((r) => {
    const named = resourceNamed(r, from, stacks);
    if (named !== undefined) return named.stack === group.stack && named.logicalId === group.logicalId;
    if (typeof r !== 'string') return true;
    if (/[*?]|\$\{/.test(r)) return true;
    if (!r.includes(':logs:')) return false;
    // A literal log group ARN reaches the group unless the group's name is literal and another.
    return names.length === 0 || names.some((n) => r.includes(`:log-group:${n}:`) || r.endsWith(`:log-group:${n}`));
  });
}

/**
 * Why `statements` (a role's, across the assembly: roleStatements; or a permissions boundary's) do not surely let a
 * service write to the log group `group` (undefined: they do); VPC Flow Logs and CloudTrail's CloudWatch Logs delivery
 * both need this: an Allow of each LOG_DELIVERY_ACTIONS on the group (its ARN by reference, a join starting with it, or
 * `*`), and no statement other than an Allow that may cover one of them on it.
 */
export function writesShortfall(
  statements: readonly PolicyStatementJson[],
  group: StackResource,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
): 'not-allowed' | 'denied' | undefined {
  const namesGroup = (r: unknown): boolean => {
    if (r === '*') return true;
    let value = r;
    if (isObject(r) && Array.isArray(r['Fn::Join']) && r['Fn::Join'][0] === '') value = asList(r['Fn::Join'][1])[0];
    const named = resourceNamed(value, from, stacks);
    return named !== undefined && named.stack === group.stack && named.logicalId === group.logicalId;
  };
  const denied = LOG_DELIVERY_ACTIONS.some((action) =>
    statements.some(
      (s) => s.Effect !== 'Allow' && statementCovers(s, action, 'possibly') && denyMayReach(s, group, from, stacks),
    ),
  );
  if (denied) return 'denied';
  const allowed = LOG_DELIVERY_ACTIONS.every((action) =>
    statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        s.NotResource === undefined &&
        statementCovers(s, action, 'surely') &&
        entries(s.Resource).some(namesGroup),
    ),
  );
  return allowed ? undefined : 'not-allowed';
}
