import { Token } from 'aws-cdk-lib';

/** Name of the ECR repository GuardDuty hosts its Fargate (Amazon ECS) security agent in, in every region. */
export const GUARDDUTY_FARGATE_AGENT_REPOSITORY_NAME = 'aws-guardduty-agent-fargate';

/**
 * The account owning GuardDuty's Fargate agent repository, per region (D2). Source: AWS GuardDuty User Guide,
 * "ECR Repository for GuardDuty agent on AWS Fargate (Amazon ECS only)"
 * (https://docs.aws.amazon.com/guardduty/latest/ug/ecs-runtime-agent-ecr-image-uri.html), read 2026-11-30. Only
 * the regions read there are listed; add a region from that page (the table is the whole trust: the task
 * execution roles and the ECR endpoints admit exactly this repository).
 */
export const GUARDDUTY_FARGATE_AGENT_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '593207742271',
  'us-east-2': '307168627858',
  'us-west-1': '684579721401',
  'us-west-2': '733349766148',
  'ca-central-1': '354763396469',
  'sa-east-1': '758426053663',
  'eu-west-1': '694911143906',
  'eu-west-2': '892757235363',
  'eu-west-3': '665651866788',
  'eu-north-1': '591436053604',
  'eu-central-1': '323658145986',
  'eu-central-2': '529164026651',
  'me-central-1': '000014521398',
  'ap-south-1': '251508486986',
  'ap-south-2': '950823858135',
  'ap-southeast-1': '174946120834',
  'ap-southeast-2': '005257825471',
};

/** ECR actions a task execution role needs to pull an image (GetAuthorizationToken names no repository). */
export const ECR_IMAGE_PULL_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
];

/**
 * The ARN of GuardDuty's Fargate agent repository in `region`, or undefined when the region is not in
 * GUARDDUTY_FARGATE_AGENT_ACCOUNTS (or not resolved at synth).
 */
export function guardDutyAgentRepositoryArn(region: string, partition = 'aws'): string | undefined {
  if (Token.isUnresolved(region)) return undefined;
  const account = GUARDDUTY_FARGATE_AGENT_ACCOUNTS[region];
  if (account === undefined) return undefined;
  return `arn:${partition}:ecr:${region}:${account}:repository/${GUARDDUTY_FARGATE_AGENT_REPOSITORY_NAME}`;
}

/** Whether `arn` is GuardDuty's Fargate agent repository of some region of GUARDDUTY_FARGATE_AGENT_ACCOUNTS. */
export function isGuardDutyAgentRepositoryArn(arn: string): boolean {
  const m = /^arn:aws[a-z-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn);
  return (
    m !== null && m[3] === GUARDDUTY_FARGATE_AGENT_REPOSITORY_NAME && GUARDDUTY_FARGATE_AGENT_ACCOUNTS[m[1]!] === m[2]
  );
}

/**
 * Like guardDutyAgentRepositoryArn, for a caller that turns runtime monitoring on.
 * @throws Error naming `field` and the region when the region's repository is not known.
 */
export function requireGuardDutyAgentRepositoryArn(region: string, field: string, partition = 'aws'): string {
  const arn = guardDutyAgentRepositoryArn(region, partition);
  if (arn === undefined) {
    throw new Error(
      `${field} = '${region}': GuardDuty runtime monitoring needs the region's GuardDuty Fargate agent repository, which is not known for this region: must be one of ${Object.keys(GUARDDUTY_FARGATE_AGENT_ACCOUNTS).join(', ')} (add the region from the GuardDuty User Guide table to constructs/guard-duty-agent-repository.ts), or switch detection.guardDuty off`,
    );
  }
  return arn;
}
