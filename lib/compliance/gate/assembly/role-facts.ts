import { literalForms } from '../core/bucket-names';
import { entries, PolicyStatementJson } from '../core/policy-json';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  inStackEnvironment,
  isObject,
  JsonResource,
  localTarget,
  resolveValue,
  resourcesOf,
  StackResource,
} from '../core/template-json';

/** The ARNs `role` may have: its path and each literal name it may have, in its stack's account and partition. */
export function roleArnsOf(role: StackResource): string[] {
  const path = role.resource.Properties?.Path;
  const prefix = typeof path === 'string' ? path : '/';
  return literalForms(role.resource.Properties?.RoleName, role.stack.template).map((name) =>
    inStackEnvironment(`arn:<AWS::Partition>:iam::<AWS::AccountId>:role${prefix}${name}`, role.stack),
  );
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
 * The managed policies of `stack`'s template a value names by their ARN written out (a literal, a join of literals and
 * pseudo parameters): `arn:<partition>:iam::<account>:policy<path><ManagedPolicyName>`.
 */
export function managedPoliciesNamed(value: unknown, stack: AssemblyStack): JsonResource[] {
  const forms = literalForms(value, stack.template).map((f) => inStackEnvironment(f, stack));
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

/**
 * The statements of the IAM policies attached to role `roleId` of `stack`: its own inline policies, the managed and
 * inline policies of its template attached to it (by a reference to it, or by its literal name), its
 * `AWS::IAM::RolePolicy` resources, and the managed policies of its template it lists (by reference or ARN).
 */
export function roleStatements(stack: AssemblyStack, roleId: string): PolicyStatementJson[] {
  const role = stack.template.Resources[roleId];
  const names = role === undefined ? [] : literalForms(role.Properties?.RoleName, stack.template);
  const isThisRole = (x: unknown): boolean => localTarget(x) === roleId || (typeof x === 'string' && names.includes(x));
  const attachedTo = (r: JsonResource) => asList(r.Properties?.Roles).some(isThisRole);
  const documents: unknown[] = [];
  for (const inline of asList(role?.Properties?.Policies).filter(isObject)) documents.push(inline.PolicyDocument);
  const listed = asList(role?.Properties?.ManagedPolicyArns);
  const managedIds = new Set(listed.map(localTarget));
  // Listed by their ARN written out.
  const byArn = new Set(listed.flatMap((arn) => managedPoliciesNamed(arn, stack)));
  for (const [id, r] of resourcesOf(stack.template)) {
    if (r.Type === 'AWS::IAM::RolePolicy' && isThisRole(r.Properties?.RoleName)) {
      documents.push(r.Properties?.PolicyDocument);
      continue;
    }
    if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
    if (attachedTo(r) || managedIds.has(id) || byArn.has(r)) documents.push(r.Properties?.PolicyDocument);
  }
  return documents.flatMap((d) => (isObject(d) ? (entries(d.Statement) as PolicyStatementJson[]) : []));
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
