import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { findingsOf, template } from './rule-fixtures';

const RULE = 'ContainerImagesFromAssembly';
type Json = Record<string, unknown>;

/** findingsOf for a stack deployed to account 123456789012 in us-east-1 (as check-template of an assembly says). */
const ENVIRONMENT = { account: '123456789012', region: 'us-east-1' };
const findingsInEnvironment = (t: unknown): string[] =>
  checkTemplate(t, RULE, { packs: ['Blueprint'], environment: ENVIRONMENT })
    .findings.filter((f) => f.ruleId.startsWith(`Blueprint-${RULE}[`))
    .map((f) => `${f.ruleId.slice(`Blueprint-${RULE}`.length)} ${f.logicalId}`)
    .sort();

/** `{"Fn::Select": [i, {"Fn::Split": [":", <the repository's ARN>]}]}`: a field of the repository's ARN. */
const arnField = (i: number, repository = 'ApiRepository'): Json => ({
  'Fn::Select': [i, { 'Fn::Split': [':', { 'Fn::GetAtt': [repository, 'Arn'] }] }],
});
/** The image URI of a tag of a repository of the template, as CDK writes ContainerImage.fromEcrRepository (prod). */
const repositoryImage = (tag = 'v1', repository = 'ApiRepository'): Json => ({
  'Fn::Join': [
    '',
    [
      arnField(4, repository),
      '.dkr.ecr.',
      arnField(3, repository),
      '.',
      { Ref: 'AWS::URLSuffix' },
      '/',
      { Ref: repository },
      `:${tag}`,
    ],
  ],
});
const HASH = 'e1adda4a9c5981ac582428ce5a49a865514a0211c1f70512369719acbf5a1f67';
/** A CDK image asset, as CDK writes ContainerImage.fromDockerImageAsset (dev: built from a directory). */
const assetImage = (account = '${AWS::AccountId}', region = '${AWS::Region}', tag = HASH): Json => ({
  'Fn::Sub': `${account}.dkr.ecr.${region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${account}-${region}:${tag}`,
});

/** A template with the service's repository, another resource, and a task definition running `images`. */
const withTask = (...images: unknown[]): Json => ({
  ...template({
    ApiRepository: { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: 'IMMUTABLE' } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        Cpu: '256',
        Memory: '512',
        ContainerDefinitions: images.map((image, i) => ({ Name: `c${i}`, Image: image, Essential: true })),
      },
    },
  }),
  Conditions: { C: { 'Fn::Equals': ['a', 'b'] } },
});

describe('ContainerImagesFromAssembly', () => {
  test('D2 a tag of a repository of the template, or a CDK image asset of the bootstrap repository, passes', () => {
    expect(findingsOf(RULE, withTask(repositoryImage()))).toEqual([]);
    expect(findingsOf(RULE, withTask(assetImage()))).toEqual([]);
    const concrete = withTask(assetImage('123456789012', 'us-east-1'), repositoryImage('1.2.3'));
    expect(findingsOf(RULE, concrete)).toEqual([]);
    expect(findingsInEnvironment(concrete)).toEqual([]);
    expect(findingsInEnvironment(withTask(assetImage(), repositoryImage()))).toEqual([]);
    // The repository's RepositoryUri attribute names the same repository.
    const uri = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ApiRepository', 'RepositoryUri'] }, ':v1']] };
    expect(findingsOf(RULE, withTask(uri))).toEqual([]);
  });

  test.each<[string, unknown[], string[]]>([
    // The attacker review: an image Inspector never scans, whose content no one reviewed.
    ['an image of Docker Hub', ['docker.io/partnerorg/api:latest'], ['[Image::outside-assembly] Task']],
    ['a bare image name (Docker Hub)', ['nginx'], ['[Image::outside-assembly] Task']],
    [
      'a sidecar from Docker Hub beside the service image',
      [repositoryImage(), 'public.ecr.aws/partner/agent:1'],
      ['[Image::outside-assembly] Task'],
    ],
    [
      "another account's private repository",
      ['999999999999.dkr.ecr.us-east-1.amazonaws.com/api:v1'],
      ['[Image::outside-assembly] Task'],
    ],
    [
      // A pull-through cache or hand-made repository of this account: no repository of the assembly.
      "a literal repository of this account's registry",
      ['123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/partnerorg/api:latest'],
      ['[Image::outside-assembly] Task'],
    ],
    [
      "another account's CDK bootstrap assets repository",
      [assetImage('999999999999', 'us-east-1')],
      ['[Image::outside-assembly] Task'],
    ],
    [
      'the bootstrap assets repository of another region',
      [assetImage('123456789012', 'eu-west-1')],
      ['[Image::outside-assembly] Task'],
    ],
    [
      'a bootstrap assets repository image with a tag that is no asset hash',
      [assetImage(undefined, undefined, 'latest')],
      ['[Image::outside-assembly] Task'],
    ],
    [
      'the repository reference built around another registry',
      [{ 'Fn::Join': ['', ['999999999999.dkr.ecr.us-east-1.amazonaws.com/', { Ref: 'ApiRepository' }, ':v1']] }],
      ['[Image::outside-assembly] Task'],
    ],
    [
      'a reference to a resource that is no repository',
      [repositoryImage('v1', 'Topic')],
      ['[Image::outside-assembly] Task'],
    ],
    [
      'an image chosen by a condition (one from Docker Hub)',
      [{ 'Fn::If': ['C', repositoryImage(), 'docker.io/partnerorg/api:latest'] }],
      ['[Image::outside-assembly] Task'],
    ],
    ['an image another stack exports', [{ 'Fn::ImportValue': 'partner-image' }], ['[Image::outside-assembly] Task']],
    ['a container without an image', [undefined], ['[Image::outside-assembly] Task']],
  ])('D2 %s is a finding', (_name, images, expected) => {
    expect(findingsInEnvironment(withTask(...images))).toEqual(expected);
  });

  test("D2 a stack of no named environment: any account's and region's bootstrap repository, the same throughout", () => {
    expect(findingsOf(RULE, withTask(assetImage('999999999999', 'eu-west-1')))).toEqual([]);
    const mixed = {
      'Fn::Sub': `999999999999.dkr.ecr.us-east-1.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-123456789012-us-east-1:${HASH}`,
    };
    expect(findingsOf(RULE, withTask(mixed))).toEqual(['[Image::outside-assembly] Task']);
  });

  test('D2 a container list or container only deploy resolves is a finding', () => {
    const t = withTask(repositoryImage()) as { Resources: Record<string, { Properties: Json }> };
    t.Resources.Task!.Properties.ContainerDefinitions = { 'Fn::If': ['C', [], []] };
    expect(findingsOf(RULE, t)).toEqual(['[ContainerDefinitions::unresolved] Task']);
    t.Resources.Task!.Properties.ContainerDefinitions = [{ 'Fn::ImportValue': 'container' }];
    expect(findingsOf(RULE, t)).toEqual(['[ContainerDefinitions::unresolved] Task']);
  });
});
