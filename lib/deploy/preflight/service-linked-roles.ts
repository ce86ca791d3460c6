import { CreateServiceLinkedRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { hasResourceType } from '../core/assembly';
import { liveResources } from '../core/deployed-state';
import { error, Finding } from '../core/finding';
import { describeError, errorMessage, isError } from '../core/sdk-error';
import { CONFIG_FILE, stackName } from '../core/stacks';
import { PreflightCheck, PreflightContext } from './context';

const CHECK = 'service-linked roles';

/** A service-linked role the first deploy needs, and the resource types that need it. */
export interface ServiceLinkedRole {
  readonly roleName: string;
  readonly service: string;
  /** The role is needed when any synthesized stack holds one of these types. */
  readonly neededBy: readonly string[];
}

/**
 * Roles AWS creates on first use of the service, which a first deploy races (ECS services and their
 * scaling targets reference them by ARN; the load balancer and the database need them at create).
 */
export const DEPLOY_SERVICE_LINKED_ROLES: readonly ServiceLinkedRole[] = [
  {
    roleName: 'AWSServiceRoleForECS',
    service: 'ecs.amazonaws.com',
    neededBy: ['AWS::ECS::Cluster', 'AWS::ECS::Service'],
  },
  {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    service: 'ecs.application-autoscaling.amazonaws.com',
    neededBy: ['AWS::ApplicationAutoScaling::ScalableTarget'],
  },
  {
    roleName: 'AWSServiceRoleForElasticLoadBalancing',
    service: 'elasticloadbalancing.amazonaws.com',
    neededBy: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
  },
  {
    roleName: 'AWSServiceRoleForRDS',
    service: 'rds.amazonaws.com',
    neededBy: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  },
];

/** AWS Config's service-linked role (one per account; see DetectionConfig.configServiceLinkedRole). */
export const CONFIG_SERVICE_LINKED_ROLE: ServiceLinkedRole = {
  roleName: 'AWSServiceRoleForConfig',
  service: 'config.amazonaws.com',
  neededBy: ['AWS::Config::ConfigurationRecorder'],
};

async function roleExists(ctx: PreflightContext, roleName: string): Promise<boolean> {
  try {
    await ctx.clients.iam(ctx.config.region).send(new GetRoleCommand({ RoleName: roleName }));
    return true;
  } catch (e) {
    if (isError(e, 'NoSuchEntityException', 'NoSuchEntity')) return false;
    throw e;
  }
}

/** Whether the detection stack already holds the Config service-linked role (then it exists because of us). */
function configRoleIsOurs(ctx: PreflightContext): boolean {
  const detection = ctx.deployed.get(stackName(ctx.config, 'detection'));
  return liveResources(detection, 'AWS::IAM::ServiceLinkedRole').some((r) =>
    r.physicalId?.includes(CONFIG_SERVICE_LINKED_ROLE.roleName),
  );
}

/**
 * Service-linked roles: those of ECS, Application Auto Scaling (ECS), Elastic Load Balancing and RDS
 * when the templates use those services, and AWS Config's when detection.config is on with
 * configServiceLinkedRole 'existing'. Missing ones are created (IAM CreateServiceLinkedRole) only with
 * `--create-service-linked-roles`. With 'create', an existing role that is not the detection stack's
 * is an error naming the config switch.
 */
export const checkServiceLinkedRoles: PreflightCheck = async (ctx) => {
  const { config } = ctx;
  const findings: Finding[] = [];
  const required = DEPLOY_SERVICE_LINKED_ROLES.filter((role) =>
    role.neededBy.some((type) => hasResourceType(ctx.assembly, type)),
  );
  if (config.detection.config) {
    const exists = await roleExists(ctx, CONFIG_SERVICE_LINKED_ROLE.roleName);
    if (config.detection.configServiceLinkedRole === 'existing') {
      if (!exists) required.push(CONFIG_SERVICE_LINKED_ROLE);
    } else if (exists && !configRoleIsOurs(ctx)) {
      findings.push(
        error(
          CHECK,
          `${CONFIG_SERVICE_LINKED_ROLE.roleName} already exists in account ${config.account} (AWS Config was enabled here ` +
            `before) and detection.configServiceLinkedRole = 'create' would create it again, which fails the deploy: set ` +
            `detection.configServiceLinkedRole: 'existing' for environment '${config.envName}' in ${CONFIG_FILE}`,
        ),
      );
    }
  }

  const missing: typeof required = [];
  for (const role of required) {
    if (role !== CONFIG_SERVICE_LINKED_ROLE && (await roleExists(ctx, role.roleName))) continue;
    missing.push(role);
  }
  if (missing.length === 0) return findings;
  if (!ctx.createServiceLinkedRoles) {
    const list = missing.map((r) => `${r.roleName} (${r.service})`).join(', ');
    const commands = missing
      .map((r) => `\`aws iam create-service-linked-role --aws-service-name ${r.service}\``)
      .join(', ');
    findings.push(
      error(
        CHECK,
        `missing service-linked roles: ${list}. The first deploy races AWS creating them and fails; re-run with ` +
          `--create-service-linked-roles to create them, or create them yourself: ${commands}`,
      ),
    );
    return findings;
  }
  for (const role of missing) {
    try {
      await ctx.clients.iam(config.region).send(new CreateServiceLinkedRoleCommand({ AWSServiceName: role.service }));
      ctx.note(`created service-linked role ${role.roleName} (${role.service})`);
    } catch (e) {
      // Created meanwhile (by the service itself or a parallel run): the role is there, which is what we want.
      if (isError(e, 'InvalidInput', 'InvalidInputException') && /has been taken/i.test(errorMessage(e))) {
        ctx.note(`service-linked role ${role.roleName} already exists`);
        continue;
      }
      findings.push(
        error(CHECK, `could not create service-linked role ${role.roleName} (${role.service}): ${describeError(e)}`),
      );
    }
  }
  return findings;
};
