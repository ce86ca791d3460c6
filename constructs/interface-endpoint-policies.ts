import { Token } from 'aws-cdk-lib';
import { PolicyStatement, StarPrincipal } from 'aws-cdk-lib/aws-iam';
import { ECR_IMAGE_PULL_ACTIONS } from './guard-duty-agent-repository';

/** The interface endpoints an image pull goes through (ECR API and registry). */
const ECR_ENDPOINTS: readonly string[] = ['ecr.api', 'ecr.dkr'];

/**
 * Actions the workloads call through each interface endpoint (constructs/interface-endpoint-services.ts) that
 * name no resource of an account (IAM documents Resource "*" for them), so that a resource-account condition
 * cannot describe them: each is allowed one by one, for this account's principals only.
 * - ecr.api, ecr.dkr: ecr:GetAuthorizationToken (image pulls by the task execution role; "Amazon ECR interface
 *   VPC endpoints (AWS PrivateLink)", Amazon ECR User Guide: the token call has no repository).
 * - logs: logs:DescribeLogGroups (ECS Exec checks its log group; the task role's ExecPolicy).
 * - monitoring: cloudwatch:PutMetricData (no resource-level permissions).
 * - sts: sts:GetCallerIdentity (no permission is needed and no resource named).
 * - ssmmessages: the four channel actions of Session Manager and ECS Exec (no resource-level permissions;
 *   the task role's ExecPolicy grants them on "*").
 * - ec2messages: the SSM agent's message actions (no resource-level permissions).
 * - backup: the restore validation's backup:DescribeRestoreJob, backup:ListRestoreJobs and
 *   backup:PutRestoreValidationResult (a restore job is not an IAM resource: IAM documents Resource "*").
 * Every other action must act on a resource of this account.
 */
export const RESOURCE_LESS_ENDPOINT_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'ecr.api': ['ecr:GetAuthorizationToken'],
  'ecr.dkr': ['ecr:GetAuthorizationToken'],
  logs: ['logs:DescribeLogGroups'],
  monitoring: ['cloudwatch:PutMetricData'],
  sts: ['sts:GetCallerIdentity'],
  ssmmessages: [
    'ssmmessages:CreateControlChannel',
    'ssmmessages:CreateDataChannel',
    'ssmmessages:OpenControlChannel',
    'ssmmessages:OpenDataChannel',
  ],
  backup: ['backup:DescribeRestoreJob', 'backup:ListRestoreJobs', 'backup:PutRestoreValidationResult'],
  ec2messages: [
    'ec2messages:AcknowledgeMessage',
    'ec2messages:DeleteMessage',
    'ec2messages:FailMessage',
    'ec2messages:GetEndpoint',
    'ec2messages:GetMessages',
    'ec2messages:SendReply',
  ],
};

/**
 * The policy of one interface endpoint (N3, U6): the default endpoint policy allows everything, so a task could
 * write PHI to another account's log group, topic, queue, secret, parameter or image through it. This one admits
 * only principals of this account (aws:PrincipalAccount) acting on resources of this account
 * (aws:ResourceAccount), following the identity and resource perimeter of the AWS data perimeter examples
 * (aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies), plus the resource-less actions of
 * RESOURCE_LESS_ENDPOINT_ACTIONS for this account's principals. Endpoint policies grant nothing: IAM and
 * resource policies still decide.
 *
 * `foreignPullRepositoryArns` (D2): ECR repositories of other accounts that this account's principals may pull
 * from through the ecr.api and ecr.dkr endpoints (the image pull actions on exactly those repositories): GuardDuty's
 * Fargate agent repository, whose sidecar ECS pulls with the task execution role when runtime monitoring is on.
 * @throws Error naming the endpoint when `account` is not a 12-digit account id, or a foreign repository is not an
 *   exact ECR repository ARN.
 */
export function interfaceEndpointStatements(
  endpoint: string,
  account: string,
  foreignPullRepositoryArns: readonly string[] = [],
): PolicyStatement[] {
  if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
    throw new Error(
      `interface endpoint ${endpoint}: account = '${account}': must be a 12-digit account id (the endpoint policy names it)`,
    );
  }
  const statements = [
    new PolicyStatement({
      sid: 'ThisAccountPrincipalsOnThisAccountResources',
      principals: [new StarPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalAccount': account, 'aws:ResourceAccount': account } },
    }),
  ];
  foreignPullRepositoryArns.forEach((arn, i) => {
    if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/[a-z0-9._/-]+$/.test(arn)) {
      throw new Error(
        `interface endpoint ${endpoint}: foreignPullRepositoryArns[${i}] = '${arn}': must be an ECR repository ARN without wildcards`,
      );
    }
  });
  if (ECR_ENDPOINTS.includes(endpoint) && foreignPullRepositoryArns.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'ThisAccountPrincipalsPullNamedForeignRepositories',
        principals: [new StarPrincipal()],
        actions: [...ECR_IMAGE_PULL_ACTIONS],
        resources: [...foreignPullRepositoryArns],
        conditions: { StringEquals: { 'aws:PrincipalAccount': account } },
      }),
    );
  }
  const resourceLess = RESOURCE_LESS_ENDPOINT_ACTIONS[endpoint] ?? [];
  if (resourceLess.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'ThisAccountPrincipalsResourceLessActions',
        principals: [new StarPrincipal()],
        actions: [...resourceLess],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:PrincipalAccount': account } },
      }),
    );
  }
  return statements;
}
