import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { stringForms } from '../core/string-forms';
import {
  cfnNumber,
  isIntrinsic,
  isObject,
  localAttribute,
  localTarget,
  REGION_NAME_PATTERN,
  TemplateJson,
} from '../core/template-json';
import { stackEnvironmentOf, viewOf } from './template-view';

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
const REPOSITORY = 'AWS::ECR::Repository';

/**
 * Stands for a repository of the template in the string forms of an image (its name, which only deploy knows): a
 * character no repository name has, so that no literal spells it.
 */
const MARK = '\u0001';

/** Whether `value` is `{"Fn::GetAtt": [<a repository of the template>, "Arn"]}` (or its `X.Arn` form). */
function repositoryArn(value: unknown, template: TemplateJson): boolean {
  const id = localTarget(value);
  return id !== undefined && template.Resources[id]?.Type === REPOSITORY && localAttribute(value) === 'Arn';
}

/**
 * `value` with the parts that name a repository of the template written as text the string reader can follow, the way
 * CDK writes a repository's image URI (ContainerImage.fromEcrRepository): `{"Ref": R}` (the repository's name) as
 * MARK R MARK; field 3 and 4 of its ARN split on ':' (Fn::Select of Fn::Split) as the stack's region and account
 * (a repository of the template is in both); its RepositoryUri attribute as the URI those make. Anything else as is.
 */
function withRepositoryParts(value: unknown, template: TemplateJson): unknown {
  if (Array.isArray(value)) return value.map((v) => withRepositoryParts(v, template));
  if (!isObject(value)) return value;
  const id = localTarget(value);
  if (id !== undefined && template.Resources[id]?.Type === REPOSITORY) {
    const attribute = localAttribute(value);
    if (attribute === 'Ref') return `${MARK}${id}${MARK}`;
    if (attribute === 'RepositoryUri') {
      const registry = [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }];
      return { 'Fn::Join': ['', [...registry, `/${MARK}${id}${MARK}`]] };
    }
    return value;
  }
  const select = value['Fn::Select'];
  if (isIntrinsic(value) && Array.isArray(select) && select.length === 2) {
    const split = isObject(select[1]) ? select[1]['Fn::Split'] : undefined;
    const index = cfnNumber(select[0]);
    if (Array.isArray(split) && split[0] === ':' && repositoryArn(split[1], template)) {
      if (index === 3) return { Ref: 'AWS::Region' };
      if (index === 4) return { Ref: 'AWS::AccountId' };
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRepositoryParts(v, template)]));
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The image URIs a container may run, for a stack in `account` and `region` (each undefined when the stack does not
 * name it: then any account or region, as the rules judging a value against the stack's own environment do): a tag of
 * a repository of the template, and a CDK image asset (its content hash as the tag) in the CDK bootstrap container
 * assets repository of the stack's own account and region (the same account and region in the registry and in the
 * repository's name). Both are repositories of the account's private registry there, whose enhanced scanning
 * (RegistryScanning: every repository) has Amazon Inspector scan the image (D2), and both hold only what the
 * blueprint's deploy pushed.
 */
function allowedImages(account: string | undefined, region: string | undefined): RegExp[] {
  const acct = `(?:<AWS::AccountId>|${account === undefined ? '\\d{12}' : escape(account)})`;
  const reg = `(?:<AWS::Region>|${region === undefined ? REGION_NAME_PATTERN : escape(region)})`;
  const suffix = '(?:<AWS::URLSuffix>|amazonaws\\.com|amazonaws\\.com\\.cn)';
  return [
    new RegExp(`^${acct}\\.dkr\\.ecr\\.${reg}\\.${suffix}/${MARK}[A-Za-z0-9]+${MARK}:[A-Za-z0-9_.-]{1,128}$`),
    new RegExp(
      `^(?<account>${acct})\\.dkr\\.ecr\\.(?<region>${reg})\\.${suffix}/cdk-[a-z0-9]{1,10}-container-assets-\\k<account>-\\k<region>:[0-9a-f]{64}$`,
    ),
  ];
}

/** Whether a container definition's Image is, whatever deploy chooses, one of `allowed`. */
function imageAllowed(image: unknown, template: TemplateJson, allowed: readonly RegExp[]): boolean {
  // A literal carrying the mark would pass for a repository's name.
  if (JSON.stringify(image ?? null).includes(MARK)) return false;
  const forms = stringForms(withRepositoryParts(image, template), template);
  return forms.complete && forms.forms.every((f) => allowed.some((a) => a.test(f)));
}

/**
 * D2: every container of every ECS task definition runs an image of the assembly's own registry: a tag of an ECR
 * repository of its template (by reference, as CDK writes ContainerImage.fromEcrRepository) or a CDK image asset of
 * the bootstrap container assets repository of the stack's account and region (as CDK writes
 * ContainerImage.fromDockerImageAsset). Amazon Inspector scans those (ECR enhanced scanning of the registry); an image
 * of Docker Hub, another registry or another account's repository escapes the scan, and is code no one reviewed
 * running next to PHI. (GuardDuty's runtime agent is no container of the template: ECS adds it to the task at run
 * time.) A container list, a container or an image only deploy resolves is a finding.
 */
export function ContainerImagesFromAssembly(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== TASK_DEFINITION) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const containers = view.resource.Properties?.ContainerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) return ['ContainerDefinitions::unresolved'];
  const { account, region } = stackEnvironmentOf(node);
  const allowed = allowedImages(account, region);
  const findings = new Set<string>();
  for (const container of containers) {
    if (!isObject(container) || isIntrinsic(container)) findings.add('ContainerDefinitions::unresolved');
    else if (!imageAllowed(container.Image, view.stack.template, allowed)) findings.add('Image::outside-assembly');
  }
  return findings.size > 0 ? [...findings].sort() : NagRuleCompliance.COMPLIANT;
}
