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
  'athena',
  'backup',
  // The critical findings age check (V2, D2) reads Security Hub findings.
  'securityhub',
  // The restore validation (I1) inspects each restored test database (DescribeDBInstances / DescribeDBClusters).
  'rds',
];

/**
 * The low-cost profile's endpoints: only those the deployed stacks call when the tiers have no internet route and
 * ECS Exec is off (lib/config/rules.ts requiredEndpoints, the same list the gate's InterfaceEndpointsPresent derives
 * from the templates): images, logs, secrets, configuration parameters, alerts, the services' access-audit events
 * (kinesis-firehose, U5), the per-user access volume check (athena, monitoring), the critical findings age check
 * (securityhub, monitoring) and the restore validation (backup, monitoring, rds). Each endpoint costs an hourly fee
 * per AZ, so this drops kms, sts, ssmmessages and ec2messages, which nothing in the VPC calls then: KMS decryption of
 * secrets, topics and logs is done by the service that holds the key grant, task and function credentials come from
 * the ECS and Lambda credential endpoints (no STS call), and the SSM channels serve only ECS Exec. Turn ecsExec on and
 * the config rule asks for ssmmessages and kms again.
 */
export const LOW_COST_INTERFACE_ENDPOINTS: readonly string[] = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'secretsmanager',
  'ssm',
  'sns',
  'kinesis-firehose',
  // The per-user access volume check (U5): its Athena queries and the metrics it publishes (so does the restore
  // validation, I1).
  'athena',
  'monitoring',
  // The restore validation (I1): reads each restore job and records the validation result.
  'backup',
  // The critical findings age check (V2, D2): Security Hub findings in, a count out (monitoring).
  'securityhub',
  // The restore validation (I1): inspects each restored test database's configuration.
  'rds',
];
