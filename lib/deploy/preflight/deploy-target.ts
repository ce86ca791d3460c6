import { BlueprintConfig } from '../../config';
import { CONFIG_FILE } from '../core/stacks';
import { error, Finding } from '../core/finding';
import { CallerIdentity, PreflightCheck } from './context';

const CHECK = 'deploy target';

/** The AWS partition of a region name (cn-* in aws-cn, us-gov-* in aws-us-gov, ...). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/**
 * Whether these credentials may deploy this config: the configured account (PHI never lands in
 * another), the configured region in the shell and the region's partition, and a role session (never
 * root, never an IAM user's long-term keys: safeguard A1). Pure.
 */
export function deployTargetFindings(
  config: BlueprintConfig,
  identity: CallerIdentity,
  shellRegion: string | undefined,
): Finding[] {
  const findings: Finding[] = [];
  const where = `environment '${config.envName}' (${CONFIG_FILE})`;
  if (identity.account !== config.account) {
    findings.push(
      error(
        CHECK,
        `credentials account = ${identity.account}: ${where} deploys to account ${config.account}; ` +
          `use credentials of account ${config.account}, or fix the account in config`,
      ),
    );
  }
  const callerPartition = identity.arn.split(':')[1];
  const configPartition = partitionOf(config.region);
  if (callerPartition !== configPartition) {
    findings.push(
      error(
        CHECK,
        `credentials partition = ${callerPartition} (${identity.arn}): region ${config.region} of ${where} is in partition ${configPartition}`,
      ),
    );
  }
  if (shellRegion !== undefined && shellRegion !== config.region) {
    findings.push(
      error(
        CHECK,
        `AWS_REGION/AWS_DEFAULT_REGION = ${shellRegion}: ${where} deploys to ${config.region}; ` +
          `export AWS_REGION=${config.region} (or unset it) so every tool talks to the same region`,
      ),
    );
  }
  if (/:root$/.test(identity.arn)) {
    findings.push(
      error(
        CHECK,
        `credentials = root user (${identity.arn}): never deploy as root; use a role session (safeguard A1)`,
      ),
    );
  } else if (/:user\//.test(identity.arn)) {
    findings.push(
      error(
        CHECK,
        `credentials = IAM user ${identity.arn}: deploy with a role session (IAM Identity Center or an assumed role), ` +
          'never IAM user long-term keys (safeguard A1)',
      ),
    );
  }
  return findings;
}

/** The deploy target check as a preflight check. */
export const checkDeployTarget: PreflightCheck = async (ctx) =>
  deployTargetFindings(ctx.config, ctx.identity, ctx.shellRegion);
