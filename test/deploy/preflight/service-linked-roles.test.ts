import { CreateServiceLinkedRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { checkServiceLinkedRoles } from '../../../lib/deploy/preflight/service-linked-roles';
import { testConfig } from '../../support/blueprint';
import {
  assembly,
  assemblyStack,
  deployedStack,
  deployedState,
  preflightContext,
  sdkError,
} from '../../support/deploy';

const iam = mockClient(IAMClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => iam.restore());
beforeEach(() => iam.reset());

const app = assemblyStack('hipaa-prod-app', 'us-east-1', {
  Cluster: { Type: 'AWS::ECS::Cluster' },
  Scaling: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget' },
  Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
});
const data = assemblyStack('hipaa-prod-data', 'us-east-1', { Db: { Type: 'AWS::RDS::DBInstance' } });
const full = assembly(app, data);
const DEPLOY_ROLES = [
  'AWSServiceRoleForECS',
  'AWSServiceRoleForApplicationAutoScaling_ECSService',
  'AWSServiceRoleForElasticLoadBalancing',
  'AWSServiceRoleForRDS',
];

/** IAM GetRole answers for these role names; others are missing. */
function existing(...names: string[]): void {
  iam.on(GetRoleCommand).callsFake(async (input) => {
    if (names.includes(input.RoleName)) return { Role: { RoleName: input.RoleName } };
    throw sdkError('NoSuchEntityException', `The role with name ${input.RoleName} cannot be found.`, 404);
  });
}

const configOff = testConfig('prod', { detection: { config: false } });
const configCreate = testConfig('prod', { detection: { config: true, configServiceLinkedRole: 'create' } });
const configExisting = testConfig('prod', { detection: { config: true, configServiceLinkedRole: 'existing' } });

describe('preflight: service-linked roles', () => {
  it('passes when the ECS, Application Auto Scaling, ELB and RDS roles exist', async () => {
    existing(...DEPLOY_ROLES);
    expect(await checkServiceLinkedRoles(preflightContext(configOff, { assembly: full }))).toEqual([]);
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input.RoleName)).toEqual(DEPLOY_ROLES);
  });

  it('only checks roles the templates need', async () => {
    existing();
    const findings = await checkServiceLinkedRoles(preflightContext(configOff, { assembly: assembly(data) }));
    expect(findings.map((f) => f.message)).toEqual([
      'missing service-linked roles: AWSServiceRoleForRDS (rds.amazonaws.com). The first deploy races AWS creating them and fails; re-run with --create-service-linked-roles to create them, or create them yourself: `aws iam create-service-linked-role --aws-service-name rds.amazonaws.com`',
    ]);
  });

  it('refuses missing roles without consent, naming the flag and every role; creates nothing', async () => {
    existing('AWSServiceRoleForRDS');
    const [f] = await checkServiceLinkedRoles(preflightContext(configOff, { assembly: full }));
    expect(f.level).toBe('error');
    expect(f.message).toContain('--create-service-linked-roles');
    expect(f.message).toContain(
      'AWSServiceRoleForECS (ecs.amazonaws.com), AWSServiceRoleForApplicationAutoScaling_ECSService (ecs.application-autoscaling.amazonaws.com), AWSServiceRoleForElasticLoadBalancing (elasticloadbalancing.amazonaws.com)',
    );
    expect(iam.commandCalls(CreateServiceLinkedRoleCommand)).toHaveLength(0);
  });

  it('with --create-service-linked-roles creates exactly the missing ones', async () => {
    existing('AWSServiceRoleForRDS', 'AWSServiceRoleForElasticLoadBalancing');
    iam.on(CreateServiceLinkedRoleCommand).resolves({});
    const ctx = preflightContext(configOff, { assembly: full, createServiceLinkedRoles: true });
    expect(await checkServiceLinkedRoles(ctx)).toEqual([]);
    expect(iam.commandCalls(CreateServiceLinkedRoleCommand).map((c) => c.args[0].input.AWSServiceName)).toEqual([
      'ecs.amazonaws.com',
      'ecs.application-autoscaling.amazonaws.com',
    ]);
    expect(ctx.notes).toEqual([
      'created service-linked role AWSServiceRoleForECS (ecs.amazonaws.com)',
      'created service-linked role AWSServiceRoleForApplicationAutoScaling_ECSService (ecs.application-autoscaling.amazonaws.com)',
    ]);
  });

  it('a failed creation is an error naming the role and the SDK error', async () => {
    existing('AWSServiceRoleForRDS', 'AWSServiceRoleForElasticLoadBalancing', 'AWSServiceRoleForECS');
    iam
      .on(CreateServiceLinkedRoleCommand)
      .rejects(sdkError('AccessDenied', 'not authorized to perform iam:CreateServiceLinkedRole', 403));
    const findings = await checkServiceLinkedRoles(
      preflightContext(configOff, { assembly: full, createServiceLinkedRoles: true }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'could not create service-linked role AWSServiceRoleForApplicationAutoScaling_ECSService (ecs.application-autoscaling.amazonaws.com): AccessDenied: not authorized to perform iam:CreateServiceLinkedRole',
    ]);
  });

  it("configServiceLinkedRole 'existing': AWSServiceRoleForConfig must exist (created only with consent)", async () => {
    existing(...DEPLOY_ROLES);
    expect(
      (await checkServiceLinkedRoles(preflightContext(configExisting, { assembly: full }))).map((f) => f.message),
    ).toEqual([
      expect.stringMatching(/^missing service-linked roles: AWSServiceRoleForConfig \(config\.amazonaws\.com\)\./),
    ]);
    existing(...DEPLOY_ROLES, 'AWSServiceRoleForConfig');
    expect(await checkServiceLinkedRoles(preflightContext(configExisting, { assembly: full }))).toEqual([]);
  });

  it("configServiceLinkedRole 'create' while the role exists outside our stack: error naming the switch to flip", async () => {
    existing(...DEPLOY_ROLES, 'AWSServiceRoleForConfig');
    expect(await checkServiceLinkedRoles(preflightContext(configCreate, { assembly: full }))).toEqual([
      {
        level: 'error',
        check: 'service-linked roles',
        message:
          "AWSServiceRoleForConfig already exists in account 123456789012 (AWS Config was enabled here before) and detection.configServiceLinkedRole = 'create' would create it again, which fails the deploy: set detection.configServiceLinkedRole: 'existing' for environment 'prod' in lib/config/environments.ts",
      },
    ]);
  });

  it("configServiceLinkedRole 'create': the role our detection stack created is ours, and a fresh account passes", async () => {
    existing(...DEPLOY_ROLES, 'AWSServiceRoleForConfig');
    const ours = deployedState(
      deployedStack('hipaa-prod-detection', 'us-east-1', [
        ['ConfigRecorderServiceLinkedRole', 'AWS::IAM::ServiceLinkedRole', 'AWSServiceRoleForConfig'],
      ]),
    );
    expect(await checkServiceLinkedRoles(preflightContext(configCreate, { assembly: full, deployed: ours }))).toEqual(
      [],
    );
    existing(...DEPLOY_ROLES);
    expect(await checkServiceLinkedRoles(preflightContext(configCreate, { assembly: full }))).toEqual([]);
  });
});
