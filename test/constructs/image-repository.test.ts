import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { ImageRepository } from '../../constructs/image-repository';
import { ManagedKey } from '../../constructs/managed-key';
import { KEY_DOMAINS } from '../../constructs/key-usage';
import { TEST_ACCOUNT, TEST_REGION } from '../support/blueprint';

function build(props: Partial<ConstructorParameters<typeof ImageRepository>[2]> = {}): {
  stack: Stack;
  repo: ImageRepository;
} {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Registry', { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
  const key = new ManagedKey(stack, 'OperationsKey', {
    alias: 'test/operations',
    description: 'test',
    usage: KEY_DOMAINS.operations.usage,
    administratorArns: [`arn:aws:iam::${TEST_ACCOUNT}:role/Deployment`],
  }).key;
  const repo = new ImageRepository(stack, 'ApiRepository', {
    encryptionKey: key,
    repositoryName: 'hipaa-dev/api',
    ...props,
  });
  return { stack, repo };
}

const { stack, repo } = build();
const template = Template.fromStack(stack);

describe('ImageRepository', () => {
  it('E2 images are encrypted with the customer-managed key', () => {
    template.hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: {
        EncryptionType: 'KMS',
        KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OperationsKey'), 'Arn'] },
      },
    });
  });

  it('D2 images are scanned on push', () => {
    template.hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true } });
  });

  it('integrity: tags are immutable (a deployed tag always means the same image)', () => {
    template.hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'IMMUTABLE' });
  });

  it('A3 private: no repository policy, so pulls need an IAM grant', () => {
    const props = template.findResources('AWS::ECR::Repository');
    for (const r of Object.values(props)) expect(r.Properties.RepositoryPolicyText).toBeUndefined();
  });

  it('lifecycle expires untagged images after 14 days and keeps the last 30 images', () => {
    const repos = template.findResources('AWS::ECR::Repository');
    const [resource] = Object.values(repos);
    const rules = JSON.parse(resource.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([
      {
        rulePriority: 1,
        description: 'Expire untagged images after 14 days',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: 'Keep the last 30 images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
        action: { type: 'expire' },
      },
    ]);
  });

  it('I2 retained with its images on deletion and replacement; no auto-delete custom resource', () => {
    template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ EmptyOnDelete: false }),
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::ECRAutoDeleteImages', 0);
  });

  it('I2 pins the logical ID of the repository', () => {
    expect(stack.getLogicalId(repo.repository.node.defaultChild as CfnRepository)).toBe('ApiRepositoryF340B4FB');
  });

  it('validates props, naming field, value and rule', () => {
    expect(() => build({ maxImageCount: 0 })).toThrow(
      /ImageRepository Registry\/ApiRepository: maxImageCount = 0: must be an integer from 1 to 1000/,
    );
    expect(() => build({ untaggedImageDays: 0 })).toThrow(/untaggedImageDays = 0: must be an integer of at least 1/);
    expect(() => build({ repositoryName: 'Bad Name' })).toThrow(
      /repositoryName = 'Bad Name': is not a valid ECR repository name/,
    );
  });
});
