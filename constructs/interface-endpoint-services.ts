import { InterfaceVpcEndpointAwsService } from 'aws-cdk-lib/aws-ec2';

/**
 * Interface endpoints a SegmentedVpc can create (safeguard N3), by short name. Keep to what the workload
 * uses: each costs an hourly fee per AZ.
 */
export const INTERFACE_ENDPOINT_SERVICES: Readonly<Record<string, InterfaceVpcEndpointAwsService>> = {
  'ecr.api': InterfaceVpcEndpointAwsService.ECR,
  'ecr.dkr': InterfaceVpcEndpointAwsService.ECR_DOCKER,
  logs: InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  monitoring: InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  secretsmanager: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  kms: InterfaceVpcEndpointAwsService.KMS,
  sts: InterfaceVpcEndpointAwsService.STS,
  ssm: InterfaceVpcEndpointAwsService.SSM,
  ssmmessages: InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  ec2messages: InterfaceVpcEndpointAwsService.EC2_MESSAGES,
  sns: InterfaceVpcEndpointAwsService.SNS,
  sqs: InterfaceVpcEndpointAwsService.SQS,
  events: InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  'kinesis-firehose': InterfaceVpcEndpointAwsService.KINESIS_FIREHOSE,
  athena: InterfaceVpcEndpointAwsService.ATHENA,
  backup: InterfaceVpcEndpointAwsService.BACKUP,
  securityhub: InterfaceVpcEndpointAwsService.SECURITYHUB,
  rds: InterfaceVpcEndpointAwsService.RDS,
};
