import { error, Finding } from '../core/finding';
import { CONFIG_FILE } from '../core/stacks';
import { PreflightCheck } from './context';

const CHECK = 'docker';

/**
 * Services built from a directory (services[].buildDirectory) are CDK image assets: `cdk deploy` builds them
 * with Docker and pushes them to the bootstrap repository before it deploys any stack. Synth needs no Docker,
 * so only this check finds out, before anything is deployed, that the engine is missing or stopped.
 */
export const checkDocker: PreflightCheck = async (ctx) => {
  const built = ctx.config.services.filter((s) => s.buildDirectory !== undefined);
  if (built.length === 0) return [];
  const status = await ctx.docker.probe();
  if (status.available) return [];
  const findings: Finding[] = [
    error(
      CHECK,
      `${built.map((s) => `services '${s.name}' (${s.buildDirectory})`).join(', ')} ${built.length === 1 ? 'is' : 'are'} built ` +
        `by \`cdk deploy\` with Docker, which is not usable here: ${status.reason}. Start a Docker engine (or set CDK_DOCKER ` +
        `to a compatible client such as finch or podman), or give the service an imageTag pushed to its repository in ${CONFIG_FILE}`,
    ),
  ];
  return findings;
};
