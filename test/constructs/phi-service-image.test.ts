/**
 * PhiService's two image sources (a tag of a repository, or a CDK image asset built from a directory) and its
 * Parameter Store configuration injected as container secrets.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { PhiCluster } from '../../constructs/phi-cluster';
import { CONTAINER_IMAGE_METADATA, PhiService, PhiServiceProps, PhiWorkload } from '../../constructs/phi-service';
import { appTierFixture, retention } from '../support/app-tier-fixture';
import { scratchDir } from '../support/scratch';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, asserted field by field
type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** A directory with a synthetic Dockerfile (the image is never built here). */
function buildDirectory(withDockerfile = true): string {
  const dir = scratchDir('phi-service-image-');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'main.js'), 'console.log("rec-0001");\n');
  if (withDockerfile) writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY src /app\nUSER 1000:1000\n');
  return dir;
}

const WORKLOAD: PhiWorkload = { name: 'api', containerPort: 8443, cpu: 512, memoryMiB: 1024, desiredCount: 1 };

function fixture(): { stack: Stack; cluster: PhiCluster; base: Omit<PhiServiceProps, 'service'> } {
  const { stack, vpc, key } = appTierFixture();
  const cluster = new PhiCluster(stack, 'Cluster', {
    vpc,
    key,
    ephemeralStorageKey: key,
    retention,
    clusterName: 'hipaa-dev-phi',
  });
  return { stack, cluster, base: { cluster, logKey: key, retention } };
}

function resourcesOf(stack: Stack): Record<string, Resource> {
  return Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
}
const ofType = (resources: Record<string, Resource>, type: string): Resource[] =>
  Object.values(resources).filter((r) => r.Type === type);
function executionStatements(resources: Record<string, Resource>): Statement[] {
  const [policy] = Object.entries(resources).filter(
    ([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && id.startsWith('ApiExecutionPolicy'),
  );
  return policy[1].Properties.PolicyDocument.Statement as Statement[];
}
const actionsOf = (s: Statement): string[] => ([] as string[]).concat(s.Action);

describe('PhiService image built from a directory (CDK image asset)', () => {
  const directory = buildDirectory();
  const { stack, base } = fixture();
  const api = new PhiService(stack, 'Api', { ...base, service: WORKLOAD, imageDirectory: directory });
  const resources = resourcesOf(stack);
  const app = stack.node.root as App;
  const assembly = app.synth();

  it('E2 runs the asset image from the CDK bootstrap container assets repository; no ECR repository is created', () => {
    expect(ofType(resources, 'AWS::ECR::Repository')).toEqual([]);
    const [taskDefinition] = ofType(resources, 'AWS::ECS::TaskDefinition');
    const image = JSON.stringify(taskDefinition.Properties.ContainerDefinitions[0].Image);
    expect(image).toContain('/cdk-hnb659fds-container-assets-123456789012-us-east-1:');
    expect(image).toContain(api.imageAsset!.assetHash);
  });

  it('builds for linux/amd64 (what Fargate runs) from the staged directory, at deploy: the asset manifest says so', () => {
    const artifact = assembly.getStackByName(stack.stackName);
    const manifestFile = join(assembly.directory, `${artifact.id}.assets.json`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; platform?: string }; destinations: object }>;
    };
    const images = Object.entries(manifest.dockerImages);
    expect(images.map(([hash]) => hash)).toEqual([api.imageAsset!.assetHash]);
    const [[, image]] = images;
    expect(image.source.platform).toBe('linux/amd64');
    expect(JSON.stringify(image.destinations)).toContain('cdk-hnb659fds-container-assets-123456789012-us-east-1');
    // Synth copied the directory (Dockerfile included) into the assembly and built nothing.
    expect(existsSync(join(assembly.directory, image.source.directory, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(assembly.directory, image.source.directory, 'src', 'main.js'))).toBe(true);
  });

  it('A3 the execution role pulls from the bootstrap assets repository only (plus the unscoped ECR login token)', () => {
    const statements = executionStatements(resources);
    const pull = statements.find((s) => actionsOf(s).includes('ecr:BatchGetImage'))!;
    expect(actionsOf(pull).sort()).toEqual(
      ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'].sort(),
    );
    expect(pull.Resource).toBe(
      'arn:aws:ecr:us-east-1:123456789012:repository/cdk-hnb659fds-container-assets-123456789012-us-east-1',
    );
    const star = statements.filter((s) => ([] as unknown[]).concat(s.Resource).includes('*'));
    expect(star.map(actionsOf)).toEqual([['ecr:GetAuthorizationToken']]);
  });

  it('V2 the task definition tells reviewers where the image lives and how that store is encrypted', () => {
    const [taskDefinition] = ofType(resources, 'AWS::ECS::TaskDefinition');
    expect(taskDefinition.Metadata?.[CONTAINER_IMAGE_METADATA]).toMatchObject({
      repository: 'the CDK bootstrap container assets repository of this account and region',
      encryption: expect.stringContaining('AES-256'),
    });
  });
});

describe('PhiService image sources: exactly one, each with what it needs', () => {
  const directory = buildDirectory();

  test.each<[string, (f: ReturnType<typeof fixture>) => PhiServiceProps, RegExp]>([
    ['neither', (f) => ({ ...f.base, service: WORKLOAD }), /repository and imageDirectory = neither given/],
    [
      'both',
      (f) => ({
        ...f.base,
        service: { ...WORKLOAD, imageTag: 'v1' },
        repository: Repository.fromRepositoryName(f.stack, 'R', 'x'),
        imageDirectory: directory,
      }),
      /repository and imageDirectory = both given/,
    ],
    [
      'a repository without a tag',
      (f) => ({ ...f.base, service: WORKLOAD, repository: Repository.fromRepositoryName(f.stack, 'R', 'x') }),
      /service.imageTag = undefined: required with repository/,
    ],
    [
      'a tag with a directory',
      (f) => ({ ...f.base, service: { ...WORKLOAD, imageTag: 'v1' }, imageDirectory: directory }),
      /service.imageTag = 'v1': must be absent with imageDirectory/,
    ],
    [
      'awaitingFirstImage with a directory',
      (f) => ({ ...f.base, service: { ...WORKLOAD, awaitingFirstImage: true }, imageDirectory: directory }),
      /service.awaitingFirstImage = true: must be absent with imageDirectory/,
    ],
    [
      'a relative directory',
      (f) => ({ ...f.base, service: WORKLOAD, imageDirectory: 'services/sample-api' }),
      /imageDirectory = 'services\/sample-api': must be the absolute path of an existing directory/,
    ],
    [
      'a directory without a Dockerfile',
      (f) => ({ ...f.base, service: WORKLOAD, imageDirectory: buildDirectory(false) }),
      /imageDirectory = '.*': has no Dockerfile/,
    ],
  ])('refuses %s, naming the field and the rule', (_what, props, message) => {
    const f = fixture();
    expect(() => new PhiService(f.stack, 'Api', props(f))).toThrow(message);
  });

  it('a tag of a repository still runs from that repository, recorded in the metadata by construct path', () => {
    const f = fixture();
    const repository = new Repository(f.stack, 'Images');
    new PhiService(f.stack, 'Api', { ...f.base, service: { ...WORKLOAD, imageTag: 'v7' }, repository });
    const [taskDefinition] = ofType(resourcesOf(f.stack), 'AWS::ECS::TaskDefinition');
    expect(JSON.stringify(taskDefinition.Properties.ContainerDefinitions[0].Image)).toContain(':v7');
    expect(taskDefinition.Metadata?.[CONTAINER_IMAGE_METADATA]).toEqual({
      source: 'an image tag of an ECR repository',
      repository: 'S/Images',
      tag: 'v7',
    });
  });
});

describe('PhiService configuration from Parameter Store (container secrets)', () => {
  const directory = buildDirectory();
  const { stack, base } = fixture();
  const host = new StringParameter(stack, 'Host', { parameterName: '/hipaa-dev/api/DB_HOST', stringValue: 'db.local' });
  const port = new StringParameter(stack, 'Port', { parameterName: '/hipaa-dev/api/DB_PORT', stringValue: '5433' });
  const apiKey = Secret.fromSecretCompleteArn(
    stack,
    'ApiKey',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-AbCdEf',
  );
  new PhiService(stack, 'Api', {
    ...base,
    service: WORKLOAD,
    imageDirectory: directory,
    secrets: { DB_HOST: { parameter: host }, DB_PORT: { parameter: port }, API_KEY: { secret: apiKey } },
  });
  const resources = resourcesOf(stack);
  const container = ofType(resources, 'AWS::ECS::TaskDefinition')[0].Properties.ContainerDefinitions[0];

  it('A3 each parameter arrives as a container secret by its ARN; no plain environment variable (AwsSolutions-ECS2)', () => {
    expect(container.Environment).toBeUndefined();
    const byName = Object.fromEntries(
      (container.Secrets as Array<{ Name: string; ValueFrom: unknown }>).map((s) => [
        s.Name,
        JSON.stringify(s.ValueFrom),
      ]),
    );
    expect(Object.keys(byName).sort()).toEqual(['API_KEY', 'DB_HOST', 'DB_PORT']);
    expect(byName.DB_HOST).toMatch(/:ssm:us-east-1:123456789012:parameter".*"Ref":"Host/);
    expect(byName.DB_PORT).toMatch(/"Ref":"Port/);
    expect(byName.API_KEY).toContain('secret:api-key-AbCdEf');
  });

  it('A3 the execution role may read exactly these parameters (ssm:GetParameters), and nothing else of Parameter Store', () => {
    const statements = executionStatements(resources);
    const ssm = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(actionsOf(ssm[0])).toEqual(['ssm:GetParameters']);
    const targets = ([] as unknown[]).concat(ssm[0].Resource).map((r) => JSON.stringify(r));
    expect(targets).toHaveLength(2);
    expect(targets.some((t) => t.includes('"Ref":"Host'))).toBe(true);
    expect(targets.some((t) => t.includes('"Ref":"Port'))).toBe(true);
    // The secret is read as before: GetSecretValue on it alone.
    const secret = statements.find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))!;
    expect(JSON.stringify(secret.Resource)).toContain('secret:api-key-AbCdEf');
  });

  it('A3 the task role gets no Parameter Store permission (the application never reads its configuration itself)', () => {
    const policies = Object.entries(resources).filter(
      ([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && !id.startsWith('ApiExecutionPolicy'),
    );
    for (const [, policy] of policies) expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toContain('ssm:');
  });
});
