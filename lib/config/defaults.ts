/**
 * Defaults a fork's environments start from. Interface endpoint names are those of
 * constructs/interface-endpoint-services.ts.
 */

/** The endpoints the blueprint's own workloads need (containers, secrets, keys, logs, alerts, operators). */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'monitoring',
  'secretsmanager',
  'kms',
  'sts',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'sns',
  'kinesis-firehose',
];

/**
 * The low-cost profile's endpoints: only those the deployed stacks call when the tiers have no internet route and
 * ECS Exec is off (kinesis-firehose: the services' access-audit events, U5; lib/config/rules.ts requiredEndpoints, the same list the gate's InterfaceEndpointsPresent derives
 * from the templates). Each endpoint costs an hourly fee per AZ, so this drops monitoring, kms, sts, ssmmessages and
 * ec2messages, which nothing in the VPC calls then: Lambda and Fargate metrics are published by those services, KMS
 * decryption of secrets, topics and logs is done by the service that holds the key grant, task and function
 * credentials come from the ECS and Lambda credential endpoints (no STS call), and the SSM channels serve only ECS
 * Exec. Turn ecsExec on and the config rule asks for ssmmessages and kms again.
 */
export const LOW_COST_INTERFACE_ENDPOINTS: readonly string[] = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'secretsmanager',
  'ssm',
  'sns',
  'kinesis-firehose',
];
