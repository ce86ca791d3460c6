import { BlueprintConfig } from '../config';

/** Who the deploy credentials belong to (the fields of STS GetCallerIdentity we use). */
export interface CallerIdentity {
  readonly account?: string;
  readonly arn?: string;
}

/**
 * Problems that make deploying this config with these credentials unsafe: a different account
 * (PHI landing in the wrong account) or long-term IAM user credentials (safeguard A1: the blueprint
 * expects role sessions, e.g. through IAM Identity Center, never access keys of an IAM user).
 */
export function deployTargetProblems(
  config: BlueprintConfig,
  identity: CallerIdentity,
  region: string | undefined,
): string[] {
  const problems: string[] = [];
  if (identity.account !== config.account) {
    problems.push(
      `credentials account = ${identity.account ?? 'unknown'}: environment '${config.envName}' deploys to account ${config.account}`,
    );
  }
  if (region !== undefined && region !== config.region) {
    problems.push(`AWS region = ${region}: environment '${config.envName}' deploys to ${config.region}`);
  }
  if (identity.arn && /:user\//.test(identity.arn)) {
    problems.push(
      `credentials = IAM user: deploy with a role session (SSO or assumed role), never IAM user keys (safeguard A1)`,
    );
  }
  if (identity.arn && /:root$/.test(identity.arn)) {
    problems.push('credentials = root user: never deploy as root (safeguard A1)');
  }
  return problems;
}
