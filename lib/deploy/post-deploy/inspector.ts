import { BatchGetAccountStatusCommand, EnableCommand, ResourceScanType } from '@aws-sdk/client-inspector2';
import { PostDeployStep } from './context';

const STEP = 'Amazon Inspector';

/** The scan types the blueprint needs: container images and Lambda functions. */
export const INSPECTOR_SCAN_TYPES: readonly ResourceScanType[] = ['ECR', 'LAMBDA'];

/** Statuses that need no action. */
const ON = new Set(['ENABLED', 'ENABLING']);

/**
 * Amazon Inspector ECR and Lambda scanning for the account in config.region (CloudFormation cannot
 * enable Inspector): BatchGetAccountStatus, then Enable only the scan types that are off.
 */
export const inspectorStep: PostDeployStep = {
  name: STEP,
  run: async (ctx) => {
    const { config } = ctx;
    const inspector = ctx.clients.inspector(config.region);
    const status = await inspector.send(new BatchGetAccountStatusCommand({ accountIds: [config.account] }));
    const state = status.accounts?.find((a) => a.accountId === config.account)?.resourceState;
    const current: Record<string, string> = {
      ECR: state?.ecr?.status ?? 'DISABLED',
      LAMBDA: state?.lambda?.status ?? 'DISABLED',
    };
    const needed = INSPECTOR_SCAN_TYPES.filter((t) => !ON.has(current[t]));
    const shown = INSPECTOR_SCAN_TYPES.map((t) => `${t} ${current[t]}`).join(', ');
    if (needed.length === 0) return { step: STEP, status: 'already done', detail: `${shown} in ${config.region}` };
    const out = await inspector.send(new EnableCommand({ accountIds: [config.account], resourceTypes: [...needed] }));
    const failed = out.failedAccounts?.find((a) => a.accountId === config.account);
    if (failed) {
      return {
        step: STEP,
        status: 'failed',
        detail:
          `enable ${needed.join(', ')} failed: ${failed.errorCode ?? 'error'} ${failed.errorMessage ?? ''}`.trim(),
      };
    }
    return {
      step: STEP,
      status: 'done',
      detail: `enabled ${needed.join(', ')} scanning in ${config.region} (was ${shown})`,
    };
  },
};
