import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { error, Finding, warning } from '../core/finding';
import { describeError, isAccessDenied, isError } from '../core/sdk-error';
import { PreflightCheck } from './context';

const CHECK = 'bootstrap';
const DEFAULT_QUALIFIER = 'hnb659fds';

/** What one region needs: the bootstrap version parameter and the highest version any stack there requires. */
interface RegionRequirement {
  readonly region: string;
  readonly parameter: string;
  readonly version: number;
  readonly stacks: string[];
}

function bootstrapCommand(account: string, region: string, parameter: string): string {
  const qualifier = /^\/cdk-bootstrap\/([^/]+)\/version$/.exec(parameter)?.[1];
  const suffix = qualifier && qualifier !== DEFAULT_QUALIFIER ? ` --qualifier ${qualifier}` : '';
  return `npx cdk bootstrap aws://${account}/${region}${suffix}`;
}

/**
 * CDK bootstrap in EVERY region the environment deploys to (config.region and the replica region),
 * at least the version the synthesized stacks require (manifest `requiresBootstrapStackVersion`,
 * read with SSM GetParameter on the manifest's `bootstrapStackVersionSsmParameter`).
 */
export const checkBootstrap: PreflightCheck = async (ctx) => {
  const { config, assembly, clients } = ctx;
  const findings: Finding[] = [];
  const byKey = new Map<string, RegionRequirement>();
  for (const stack of assembly.stacks) {
    if (stack.requiresBootstrapStackVersion === undefined || stack.bootstrapStackVersionSsmParameter === undefined) {
      findings.push(
        warning(
          CHECK,
          `stack ${stack.stackName} declares no bootstrap version requirement: bootstrap of ${stack.region} not checked for it`,
        ),
      );
      continue;
    }
    const key = `${stack.region} ${stack.bootstrapStackVersionSsmParameter}`;
    const req = byKey.get(key) ?? {
      region: stack.region,
      parameter: stack.bootstrapStackVersionSsmParameter,
      version: 0,
      stacks: [],
    };
    byKey.set(key, {
      ...req,
      version: Math.max(req.version, stack.requiresBootstrapStackVersion),
      stacks: [...req.stacks, stack.stackName],
    });
  }
  for (const region of new Set([config.region, config.phiBucket.replicaRegion])) {
    if (![...byKey.values()].some((r) => r.region === region)) {
      findings.push(warning(CHECK, `no synthesized stack deploys to ${region}: its bootstrap is not checked`));
    }
  }
  for (const req of byKey.values()) {
    const command = bootstrapCommand(config.account, req.region, req.parameter);
    const target = `aws://${config.account}/${req.region}`;
    let value: string | undefined;
    try {
      const out = await clients.ssm(req.region).send(new GetParameterCommand({ Name: req.parameter }));
      value = out.Parameter?.Value;
    } catch (e) {
      if (isError(e, 'ParameterNotFound')) {
        findings.push(
          error(
            CHECK,
            `CDK bootstrap missing in ${target} (no SSM parameter ${req.parameter}; needed by ${req.stacks.join(', ')}): run \`${command}\``,
          ),
        );
        continue;
      }
      if (isAccessDenied(e)) {
        findings.push(
          error(
            CHECK,
            `cannot read the CDK bootstrap version in ${target} (${describeError(e)}): allow ssm:GetParameter on ${req.parameter} ` +
              `to the deploy role, or check by hand that \`${command}\` has run`,
          ),
        );
        continue;
      }
      throw e;
    }
    const version = Number(value);
    if (!Number.isInteger(version)) {
      findings.push(
        error(
          CHECK,
          `SSM parameter ${req.parameter} in ${req.region} = '${value}': not a bootstrap version; re-run \`${command}\``,
        ),
      );
    } else if (version < req.version) {
      findings.push(
        error(
          CHECK,
          `CDK bootstrap in ${target} is version ${version}; the stacks need >= ${req.version}: upgrade it with \`${command}\``,
        ),
      );
    }
  }
  return findings;
};
