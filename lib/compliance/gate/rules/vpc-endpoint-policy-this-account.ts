import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import {
  ECR_IMAGE_PULL_ACTIONS,
  isGuardDutyAgentRepositoryArn,
} from '../../../../constructs/guard-duty-agent-repository';
import { flatten, inStackEnvironment, partitionOfRegion, REGION_NAME_PATTERN } from '../core/template-json';
import { conditionValues, entries, exactValues, PolicyStatementJson, readPolicyDocument } from './policy-statements';
import { templateProperties } from './template-properties';
import { stackEnvironmentOf } from './template-view';

/** Where the endpoint's stack deploys (each undefined when the stack does not name it). */
type Environment = ReturnType<typeof stackEnvironmentOf>;

/**
 * Actions an interface endpoint may allow on Resource "*" without aws:ResourceAccount: actions that name no resource
 * of any account (the Service Authorization Reference lists no resource type for them), so that they cannot reach
 * another account's resource and a resource-account condition cannot describe them. Each is one the blueprint's
 * workloads call through an interface endpoint (constructs/interface-endpoint-policies.ts
 * RESOURCE_LESS_ENDPOINT_ACTIONS must stay a part of this list; a test holds them together). Lower case: IAM compares
 * actions case-insensitively.
 * - ecr:GetAuthorizationToken: the image pull's login token (no repository is named).
 * - logs:DescribeLogGroups: lists the caller's own log groups (ECS Exec checks its log group).
 * - cloudwatch:PutMetricData: writes metrics to the caller's own account only.
 * - sts:GetCallerIdentity: names no resource and needs no permission.
 * - ssmmessages:Create/Open Control/Data Channel: Session Manager and ECS Exec channels (no resource type).
 * - ec2messages:*: the SSM agent's message actions (no resource type).
 * - backup:DescribeRestoreJob, ListRestoreJobs, PutRestoreValidationResult: a restore job is not an IAM resource;
 *   each acts on the caller's own account's restore jobs.
 * Any other action (sns:Publish, firehose:PutRecord, sqs:SendMessage, sts:AssumeRole, s3:PutObject, ...) names a
 * resource that may be another account's: it needs aws:ResourceAccount. Wildcards never match this list.
 */
export const RESOURCE_LESS_ACTIONS: ReadonlySet<string> = new Set(
  [
    'ecr:GetAuthorizationToken',
    'logs:DescribeLogGroups',
    'cloudwatch:PutMetricData',
    'sts:GetCallerIdentity',
    'ssmmessages:CreateControlChannel',
    'ssmmessages:CreateDataChannel',
    'ssmmessages:OpenControlChannel',
    'ssmmessages:OpenDataChannel',
    'ec2messages:AcknowledgeMessage',
    'ec2messages:DeleteMessage',
    'ec2messages:FailMessage',
    'ec2messages:GetEndpoint',
    'ec2messages:GetMessages',
    'ec2messages:SendReply',
    'backup:DescribeRestoreJob',
    'backup:ListRestoreJobs',
    'backup:PutRestoreValidationResult',
  ].map((a) => a.toLowerCase()),
);

/** One AWS-owned S3 resource a gateway endpoint may allow without aws:ResourceAccount, and the actions allowed on it. */
interface AwsOwnedObjects {
  /** Why the blueprint needs it. */
  readonly purpose: string;
  /** The object ARN (`/*`) of the stack's region and partition. */
  readonly arn: (partition: string, region: string) => string;
  /**
   * The object ARN's shape where the stack's region is not known (a template checked alone): any partition and
   * region of REGION_NAME_PATTERN's shape (the same leniency isDeploymentRoleArn takes), literal or, where the name
   * keeps the region's dashes, as the pseudo parameters.
   */
  readonly anyRegion: RegExp;
  /** Lower case; exactly these (no wildcard). */
  readonly actions: readonly string[];
}

const PARTITION_FORM = '(?:aws[a-z-]*|<AWS::Partition>)';

/**
 * The AWS-owned buckets the blueprint's gateway endpoint policy names (constructs/segmented-vpc.ts
 * restrictGatewayEndpoints), as fixed patterns: their owner is AWS, not this account, so aws:ResourceAccount would
 * refuse them. Every other named bucket or object (a partner's drop bucket, a bucket another account created with a
 * look-alike name in another region) must carry aws:ResourceAccount for this account.
 * - `prod-<region>-starport-layer-bucket`: ECR serves image layers from it ("Minimum Amazon S3 bucket permissions for
 *   Amazon ECR", Amazon ECR User Guide); s3:GetObject only.
 * - `cloudformation-custom-resource-response-<region without dashes>`: CloudFormation reads custom resource responses
 *   from pre-signed URLs of it ("Access CloudFormation using an interface endpoint", AWS CloudFormation User Guide);
 *   s3:PutObject only.
 */
export const AWS_OWNED_GATEWAY_OBJECTS: readonly AwsOwnedObjects[] = [
  {
    purpose: 'ECR image layers',
    arn: (partition, region) => `arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`,
    anyRegion: new RegExp(
      `^arn:${PARTITION_FORM}:s3:::prod-(?:${REGION_NAME_PATTERN}|<AWS::Region>)-starport-layer-bucket/\\*$`,
    ),
    actions: ['s3:getobject'],
  },
  {
    purpose: 'CloudFormation custom resource responses',
    arn: (partition, region) =>
      `arn:${partition}:s3:::cloudformation-custom-resource-response-${region.replace(/-/g, '')}/*`,
    anyRegion: new RegExp(`^arn:${PARTITION_FORM}:s3:::cloudformation-custom-resource-response-[a-z]{3,}\\d+/\\*$`),
    actions: ['s3:putobject'],
  },
];

/** A template value as text with the stack's account, region and partition written in (undefined: not literal). */
function textOf(value: unknown, env: Environment): string | undefined {
  const text = flatten(value);
  return text === undefined ? undefined : inStackEnvironment(text, env);
}

/**
 * Whether a condition requires `key` to equal this account: exact values only, each the stack's account (or, where
 * the stack's account is not known, the account pseudo parameter or any account id). A condition naming another
 * account keeps nothing in this one.
 */
function requiresThisAccount(statement: PolicyStatementJson, key: string, env: Environment): boolean {
  const values = conditionValues(statement.Condition, key, 'positive');
  if (values === undefined || !exactValues(values)) return false;
  return values.every((v) => {
    const text = textOf(v, env);
    if (text === undefined) return false;
    return env.account !== undefined ? text === env.account : text === '<AWS::AccountId>' || /^\d{12}$/.test(text);
  });
}

/** The statement's actions in lower case, or undefined when one is not a literal string. */
function actionsOf(statement: PolicyStatementJson): string[] | undefined {
  const actions = entries(statement.Action);
  return actions.length > 0 && actions.every((a): a is string => typeof a === 'string')
    ? actions.map((a) => a.toLowerCase())
    : undefined;
}

/** Whether every action of the statement is a resource-less one (RESOURCE_LESS_ACTIONS). */
function onlyResourceLessActions(statement: PolicyStatementJson): boolean {
  return actionsOf(statement)?.every((a) => RESOURCE_LESS_ACTIONS.has(a)) ?? false;
}

/**
 * Whether the statement allows only image pulls (ECR_IMAGE_PULL_ACTIONS) from GuardDuty's Fargate agent repository
 * (an AWS-owned repository of another account, named exactly: constructs/guard-duty-agent-repository.ts).
 */
function onlyGuardDutyAgentPulls(statement: PolicyStatementJson, env: Environment): boolean {
  const pulls = new Set(ECR_IMAGE_PULL_ACTIONS.map((a) => a.toLowerCase()));
  const resources = entries(statement.Resource);
  return (
    (actionsOf(statement)?.every((a) => pulls.has(a)) ?? false) &&
    resources.length > 0 &&
    resources.every((r) => {
      const text = textOf(r, env);
      return text !== undefined && isGuardDutyAgentRepositoryArn(text);
    })
  );
}

/** The AWS-owned objects (AWS_OWNED_GATEWAY_OBJECTS) `resource` names exactly, for the stack's region if known. */
function awsOwnedObjects(resource: unknown, env: Environment): AwsOwnedObjects | undefined {
  const text = textOf(resource, env);
  if (text === undefined) return undefined;
  return AWS_OWNED_GATEWAY_OBJECTS.find((o) =>
    env.region !== undefined ? text === o.arn(partitionOfRegion(env.region), env.region) : o.anyRegion.test(text),
  );
}

/** Whether every resource is AWS-owned objects the blueprint needs, each with only its actions. */
function onlyAwsOwnedObjects(statement: PolicyStatementJson, env: Environment): boolean {
  const actions = actionsOf(statement);
  const resources = entries(statement.Resource);
  return (
    actions !== undefined &&
    resources.length > 0 &&
    resources.every((r) => {
      const owned = awsOwnedObjects(r, env);
      return owned !== undefined && actions.every((a) => owned.actions.includes(a));
    })
  );
}

/**
 * N3 U6: every VPC endpoint has a policy (the default one allows any principal anything through it), and each
 * Allow statement keeps traffic to this account:
 * - on an interface endpoint, principals of this account (aws:PrincipalAccount) acting on resources of this account
 *   (aws:ResourceAccount), or on resource-less actions (RESOURCE_LESS_ACTIONS, listed one by one: an action that
 *   names a resource, sns:Publish or sts:AssumeRole on "*", reaches any account's), or pulling images from GuardDuty's
 *   Fargate agent repository;
 * - on a gateway endpoint, resources of this account (aws:ResourceAccount), or the AWS-owned buckets the blueprint
 *   needs (AWS_OWNED_GATEWAY_OBJECTS: the region's ECR layer bucket, CloudFormation's response bucket), each with its
 *   own actions only. Any other bucket named exactly is any account's.
 * A condition must name this account (the stack's, where it states one). NotAction and NotResource are findings.
 */
export function VpcEndpointPolicyThisAccount(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::EC2::VPCEndpoint') return NagRuleCompliance.NOT_APPLICABLE;
  const props = templateProperties(node) as { VpcEndpointType?: unknown; PolicyDocument?: unknown };
  if (props.PolicyDocument === undefined) return ['PolicyDocument::none'];
  const env = stackEnvironmentOf(node);
  const gateway = props.VpcEndpointType === undefined || props.VpcEndpointType === 'Gateway';
  const findings: string[] = [];
  // Written as a string (CloudFormation takes the JSON as text too) it is read the same; one only deploy resolves may
  // allow anything.
  const policy = readPolicyDocument(props.PolicyDocument);
  if (policy.unreadable !== undefined) findings.push(`PolicyDocument::${policy.unreadable}`);
  for (const [i, s] of policy.statements.entries()) {
    if (s.Effect !== 'Allow') continue;
    if (s.NotAction !== undefined || (s as { NotResource?: unknown }).NotResource !== undefined) {
      findings.push(`Statement${i}-not-action-or-resource`);
      continue;
    }
    const thisAccountResources = requiresThisAccount(s, 'aws:ResourceAccount', env);
    if (gateway) {
      if (!thisAccountResources && !onlyAwsOwnedObjects(s, env)) findings.push(`Statement${i}-any-resource`);
      continue;
    }
    if (!requiresThisAccount(s, 'aws:PrincipalAccount', env)) findings.push(`Statement${i}-any-principal-account`);
    if (!thisAccountResources && !onlyResourceLessActions(s) && !onlyGuardDutyAgentPulls(s, env)) {
      findings.push(`Statement${i}-any-resource-account`);
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
