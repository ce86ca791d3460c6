import {
  asList,
  assemblyResources,
  AssemblyStack,
  isObject,
  JsonResource,
  localTarget,
  resourcesOf,
  StackResource,
} from '../core/template-json';
import { entries, PolicyStatementJson } from '../core/policy-json';

/** The statements of the IAM policies attached to role `roleId` of `stack` (managed and inline, and its own). */
export function roleStatements(stack: AssemblyStack, roleId: string): PolicyStatementJson[] {
  const ref = JSON.stringify({ Ref: roleId });
  const attachedTo = (r: JsonResource) => asList(r.Properties?.Roles).some((x) => JSON.stringify(x) === ref);
  const documents: unknown[] = [];
  const role = stack.template.Resources[roleId];
  for (const inline of asList(role?.Properties?.Policies).filter(isObject)) documents.push(inline.PolicyDocument);
  const managedIds = new Set(asList(role?.Properties?.ManagedPolicyArns).map(localTarget));
  for (const [id, r] of resourcesOf(stack.template)) {
    if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
    if (attachedTo(r) || managedIds.has(id)) documents.push(r.Properties?.PolicyDocument);
  }
  return documents.flatMap((d) => (isObject(d) ? (entries(d.Statement) as PolicyStatementJson[]) : []));
}

/** The task roles of the assembly: the roles of their own template that ECS task definitions name as TaskRoleArn. */
export function taskRoles(stacks: readonly AssemblyStack[]): StackResource[] {
  const roles = new Map<string, StackResource>();
  for (const td of assemblyResources(stacks, 'AWS::ECS::TaskDefinition')) {
    const id = localTarget(td.resource.Properties?.TaskRoleArn);
    const resource = id === undefined ? undefined : td.stack.template.Resources?.[id];
    if (id !== undefined && resource?.Type === 'AWS::IAM::Role') {
      roles.set(`${td.stack.stackName}/${td.stack.file}/${id}`, { stack: td.stack, logicalId: id, resource });
    }
  }
  return [...roles.values()];
}
