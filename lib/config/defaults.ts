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
];
