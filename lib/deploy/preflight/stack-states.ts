import { DeployedStack } from '../core/deployed-state';
import { error, Finding } from '../core/finding';
import { PreflightCheck } from './context';

const CHECK = 'stack states';

/** Statuses a deploy can start from. */
const DEPLOYABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
  // Not deployed: CDK creates the stack (a change set that was never executed is replaced).
  'DELETE_COMPLETE',
  'REVIEW_IN_PROGRESS',
]);

function cfn(stack: DeployedStack, command: string): string {
  return `\`aws cloudformation ${command} --stack-name ${stack.stackName} --region ${stack.region}\``;
}

function unprotect(stack: DeployedStack): string {
  return stack.terminationProtection
    ? `turn off termination protection (${cfn(stack, 'update-termination-protection --no-enable-termination-protection')}), then `
    : '';
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function failed(stack: DeployedStack, status: string): string {
  const list = stack.resources.filter((r) => r.status === status);
  return list.length
    ? list.map((r) => `${r.logicalId} (${r.type}${r.physicalId ? ` ${r.physicalId}` : ''})`).join(', ')
    : '(none listed)';
}

/** The recovery CloudFormation needs for a stack in this state, or undefined when a deploy can proceed. */
export function recoveryFor(stack: DeployedStack): string | undefined {
  const s = stack.status;
  if (DEPLOYABLE.has(s)) return undefined;
  const head = `stack ${stack.stackName} (${stack.region}) is ${s}`;
  if (s === 'ROLLBACK_COMPLETE') {
    return (
      `${head}: its first create failed and it can only be deleted. Fix the cause (see its events: ` +
      `${cfn(stack, 'describe-stack-events')}), ${unprotect(stack)}delete it with ${cfn(stack, 'delete-stack')} and ` +
      'deploy again. Its retained resources (keys, log groups, buckets) stay; preflight then names any whose fixed name ' +
      'blocks the new create'
    );
  }
  if (s === 'ROLLBACK_FAILED' || s === 'DELETE_FAILED') {
    const retain = stack.resources.filter((r) => r.status === 'DELETE_FAILED').map((r) => r.logicalId);
    const retainCmd = retain.length
      ? cfn(stack, `delete-stack --retain-resources ${retain.join(' ')}`)
      : cfn(stack, 'delete-stack --retain-resources LOGICAL_ID...');
    const first =
      s === 'ROLLBACK_FAILED'
        ? `its failed create could not be rolled back: resources that failed to delete: ${failed(stack, 'DELETE_FAILED')}. ` +
          sentence(
            `${unprotect(stack)}delete it with ${cfn(stack, 'delete-stack')}; if it ends in DELETE_FAILED, delete it keeping `,
          ) +
          `those resources: ${retainCmd}`
        : `resources that failed to delete: ${failed(stack, 'DELETE_FAILED')}. ` +
          sentence(`${unprotect(stack)}delete it keeping them: ${retainCmd}`);
    return (
      `${head}: ${first}. The kept resources stay in the account (delete or \`cdk import\` them; a database ` +
      'with deletion protection must have it turned off to be deleted), then deploy again'
    );
  }
  if (s === 'UPDATE_ROLLBACK_FAILED') {
    return (
      `${head}: an update failed and so did its rollback; resources that failed: ${failed(stack, 'UPDATE_FAILED')}. Fix ` +
      `what blocks them (see ${cfn(stack, 'describe-stack-events')}), then ${cfn(stack, 'continue-update-rollback')} ` +
      '(add --resources-to-skip LOGICAL_ID... only for resources that cannot be rolled back), and deploy again once it ' +
      'is UPDATE_ROLLBACK_COMPLETE'
    );
  }
  if (s === 'CREATE_FAILED' || s === 'UPDATE_FAILED') {
    return (
      `${head} (deployed with rollback disabled): roll it back with ${cfn(stack, 'rollback-stack')} ` +
      '(a stack that never completed a create is deleted by it), then deploy again'
    );
  }
  if (s.endsWith('_IN_PROGRESS')) {
    return `${head}: another operation is running on it; wait until it finishes (${cfn(stack, 'describe-stacks')}) and run the command again`;
  }
  return `${head}: not a state a deploy can start from; inspect it with ${cfn(stack, 'describe-stack-events')}`;
}

/**
 * Stack states: a deploy refuses stacks in ROLLBACK_COMPLETE, ROLLBACK_FAILED, DELETE_FAILED,
 * UPDATE_ROLLBACK_FAILED, CREATE_FAILED/UPDATE_FAILED (rollback disabled) and *_IN_PROGRESS, with the
 * recovery CloudFormation needs for each.
 */
export const checkStackStates: PreflightCheck = async (ctx) => {
  const findings: Finding[] = [];
  for (const stack of ctx.assembly.stacks) {
    const deployed = ctx.deployed.get(stack.stackName);
    const recovery = deployed && recoveryFor(deployed);
    if (recovery) findings.push(error(CHECK, recovery));
  }
  return findings;
};
