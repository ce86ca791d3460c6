/**
 * The app stack's services as the shipped environments configure them: dev builds the sample service from
 * services/sample-api as a CDK image asset; prod runs an image tag from a repository the stack creates.
 * Both get their configuration from Parameter Store, consistent with what the data stack deploys.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveBuildDirectory } from '../../lib/config/build-directory';
import { HipaaStage } from '../../lib/hipaa-stage';
import { buildTestBlueprint, testConfig } from '../support/blueprint';
import { templateJson } from '../support/synthesized';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, asserted field by field
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Template_ = { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };

function environment(env: 'dev' | 'prod'): { stage: HipaaStage; app: Template_; data: Template_ } {
  const { stage } = buildTestBlueprint(testConfig(env));
  return {
    stage,
    app: Template.fromStack(stage.app).toJSON() as Template_,
    data: Template.fromStack(stage.data).toJSON() as Template_,
  };
}
/** The app and data templates of testConfig(env) as the globalSetup synthesized them once for the run. */
function synthesized(env: 'dev' | 'prod'): { app: Template_; data: Template_ } {
  return {
    app: templateJson(env, 'App') as unknown as Template_,
    data: templateJson(env, 'Data') as unknown as Template_,
  };
}
const ofType = (t: Template_, type: string): Array<[string, Resource]> =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

/** The Parameter Store parameters of the app stack, by variable name (the last path segment). */
function parameters(t: Template_): Record<string, unknown> {
  return Object.fromEntries(
    ofType(t, 'AWS::SSM::Parameter').map(([, r]) => [String(r.Properties.Name).split('/').pop(), r.Properties.Value]),
  );
}

describe('app stack services (dev: the sample built from its directory)', () => {
  const dev = environment('dev');
  const [[, taskDefinition]] = ofType(dev.app, 'AWS::ECS::TaskDefinition');
  const container = taskDefinition.Properties.ContainerDefinitions[0];

  test('the sample service is a CDK image asset of services/sample-api: no ECR repository, no image to push', () => {
    expect(ofType(dev.app, 'AWS::ECR::Repository')).toEqual([]);
    expect(JSON.stringify(container.Image)).toContain('/cdk-hnb659fds-container-assets-123456789012-us-east-1:');
    const asset = dev.stage.app.services.api.service.imageAsset!;
    expect(JSON.stringify(container.Image)).toContain(asset.assetHash);
    expect(existsSync(join(resolveBuildDirectory('services/sample-api'), 'Dockerfile'))).toBe(true);
  });

  test('I3 it runs its desired count from the first deploy (nothing to wait for)', () => {
    const [[, service]] = ofType(dev.app, 'AWS::ECS::Service');
    expect(service.Properties.DesiredCount).toBe(testConfig('dev').services[0].desiredCount);
  });

  test('A3 E3 its configuration matches the data stack: the endpoint output, the port, the database and user DatabaseUsers creates', () => {
    const vars = parameters(dev.app);
    const [[, users]] = ofType(dev.data, 'Custom::DatabaseUsers');
    const [[instanceId, instance]] = ofType(dev.data, 'AWS::RDS::DBInstance');
    // DB_HOST: a reference to the data stack output that holds the instance's endpoint address.
    const ref = (vars.DB_HOST as { 'Fn::GetStackOutput': { StackName: string; OutputName: string } })[
      'Fn::GetStackOutput'
    ];
    expect(ref.StackName).toBe('hipaa-dev-data');
    expect(dev.data.Outputs?.[ref.OutputName]?.Value).toEqual({ 'Fn::GetAtt': [instanceId, 'Endpoint.Address'] });
    expect(vars.DB_PORT).toBe(String(instance.Properties.Port));
    expect(vars.DB_NAME).toBe(users.Properties.DatabaseName);
    expect(users.Properties.Users).toContain(vars.DB_USER);
    expect(vars).toMatchObject({ PORT: '8443', SERVICE_NAME: 'api', AUDIT_STREAM_NAME: 'hipaa-dev-api-access-audit' });
    // Routed '/*': the sample serves at the root, so BASE_PATH is left to its default.
    expect(vars.BASE_PATH).toBeUndefined();
  });

  test('A3 the container gets every parameter of its configuration as a secret, and no plain environment', () => {
    expect(container.Environment).toBeUndefined();
    const names = (container.Secrets as Array<{ Name: string }>).map((s) => s.Name).sort();
    expect(names).toEqual(Object.keys(parameters(dev.app)).sort());
  });
});

describe('app stack services (prod: an image tag of its own repository)', () => {
  const prod = synthesized('prod');

  test('I2 the repository is retained and has no fixed name (a retried first create cannot collide with a leftover)', () => {
    const repositories = ofType(prod.app, 'AWS::ECR::Repository');
    expect(repositories).toHaveLength(1);
    const [[repositoryId, repository]] = repositories;
    expect(repository.DeletionPolicy).toBe('Retain');
    expect(repository.Properties.RepositoryName).toBeUndefined();
    // Where to push is an output instead.
    // Where to push is an output instead (CDK builds the URI from the repository's ARN and name).
    const uri = JSON.stringify(prod.app.Outputs?.ApiRepositoryUri?.Value);
    expect(uri).toContain(`{"Ref":"${repositoryId}"}`);
    expect(uri).toContain('.dkr.ecr.');
  });

  test('awaitingFirstImage keeps it at zero tasks until the tag is pushed', () => {
    const [[, service]] = ofType(prod.app, 'AWS::ECS::Service');
    expect(service.Properties.DesiredCount).toBe(0);
    expect(parameters(prod.app).DB_USER).toBe('api');
  });
});
