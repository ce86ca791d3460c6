import { DescribeStacksCommand, ListStackResourcesCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { AwsClients } from './aws-clients';
import { errorMessage, isError } from './sdk-error';

/** A resource of a deployed stack (CloudFormation ListStackResources). */
export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  /** @default - none yet (not created) */
  readonly physicalId?: string;
  readonly status: string;
  /** @default - CloudFormation gave no reason */
  readonly statusReason?: string;
}

/** A stack as CloudFormation has it now. */
export interface DeployedStack {
  readonly stackName: string;
  readonly region: string;
  readonly status: string;
  readonly terminationProtection: boolean;
  readonly outputs: Readonly<Record<string, string>>;
  readonly resources: readonly DeployedResource[];
  /** @default - unknown */
  readonly creationTime?: Date;
}

/** Deployed stacks by name; a stack CloudFormation does not know is absent. */
export type DeployedState = ReadonlyMap<string, DeployedStack>;

/** Statuses in which a stack holds nothing a deploy has to care about (CDK creates it anew). */
const NOT_DEPLOYED = new Set(['DELETE_COMPLETE', 'REVIEW_IN_PROGRESS']);

/** Whether the stack exists for deploy purposes (REVIEW_IN_PROGRESS: a change set never executed). */
export function isDeployed(stack: DeployedStack | undefined): stack is DeployedStack {
  return stack !== undefined && !NOT_DEPLOYED.has(stack.status);
}

async function listResources(clients: AwsClients, stackName: string, region: string): Promise<DeployedResource[]> {
  const resources: DeployedResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients
      .cloudFormation(region)
      .send(new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken }));
    for (const r of page.StackResourceSummaries ?? ([] as StackResourceSummary[])) {
      resources.push({
        logicalId: r.LogicalResourceId ?? '',
        type: r.ResourceType ?? '',
        physicalId: r.PhysicalResourceId,
        status: r.ResourceStatus ?? '',
        statusReason: r.ResourceStatusReason,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return resources;
}

/**
 * Reads one stack (DescribeStacks, and ListStackResources unless it is not deployed). Undefined when
 * CloudFormation does not know the stack. Read-only.
 */
export async function readDeployedStack(
  clients: AwsClients,
  stackName: string,
  region: string,
): Promise<DeployedStack | undefined> {
  let described;
  try {
    described = await clients.cloudFormation(region).send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (e) {
    if (isError(e, 'ValidationError') && /does not exist/i.test(errorMessage(e))) return undefined;
    throw e;
  }
  const stack = described.Stacks?.[0];
  if (!stack) return undefined;
  const status = stack.StackStatus ?? 'UNKNOWN';
  const outputs: Record<string, string> = {};
  for (const o of stack.Outputs ?? []) {
    if (o.OutputKey !== undefined && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
  }
  return {
    stackName,
    region,
    status,
    terminationProtection: stack.EnableTerminationProtection ?? false,
    outputs,
    resources: NOT_DEPLOYED.has(status) ? [] : await listResources(clients, stackName, region),
    creationTime: stack.CreationTime,
  };
}

/** Reads every stack in `stacks` (name and region). Read-only. */
export async function readDeployedState(
  clients: AwsClients,
  stacks: ReadonlyArray<{ readonly stackName: string; readonly region: string }>,
): Promise<DeployedState> {
  const state = new Map<string, DeployedStack>();
  for (const s of stacks) {
    const deployed = await readDeployedStack(clients, s.stackName, s.region);
    if (deployed) state.set(s.stackName, deployed);
  }
  return state;
}

/** Live resources of this type in a deployed stack (not deleted, not failed to create). */
export function liveResources(stack: DeployedStack | undefined, type: string): DeployedResource[] {
  if (!isDeployed(stack)) return [];
  return stack.resources.filter(
    (r) => r.type === type && r.physicalId && !['DELETE_COMPLETE', 'CREATE_FAILED'].includes(r.status),
  );
}
