/**
 * Maps CloudFormation resource types to the AWS service that runs them, named exactly as in the
 * AWS "HIPAA Eligible Services Reference" list (./reference), or by the service's real name when it
 * is not on that list so the eligibility gate fails and names it.
 *
 * Lookup order: exact type override, then `Custom::*`, then the namespace (`AWS::EC2::VPC` -> `EC2`).
 * A type matching none of these is unmapped and `lookupResourceType` returns `undefined`; the rule
 * reports it as non-compliant rather than letting it pass silently.
 *
 * This file only names services. Whether a service is eligible is decided against the list
 * (see eligibility-rule.ts), so a refreshed list that drops a service fails the gate.
 */

/** The service behind a resource type and the IAM action prefix used to manage it. */
export interface ServiceMapping {
  /** Display name exactly as on the eligible list (or the real name of an ineligible service). */
  readonly service: string;
  /** IAM action prefix, e.g. 'ec2' for `ec2:CreateVpc`. */
  readonly iamPrefix: string;
}

/** A control-plane service AWS does not list because it stores no customer content, and why. */
export interface ControlPlaneAllowance extends ServiceMapping {
  readonly reason: string;
}

const m = (service: string, iamPrefix: string): ServiceMapping => ({ service, iamPrefix });

/**
 * Services that are NOT on the eligible list but are needed to run the blueprint. They hold no
 * PHI, so AWS does not list them. Keep this minimal: each entry needs a reason, and tests fail if
 * an entry is (or becomes) on the list, in which case delete it here.
 */
export const CONTROL_PLANE_ALLOWANCES: readonly ControlPlaneAllowance[] = [
  {
    ...m('AWS Identity and Access Management (IAM)', 'iam'),
    reason: 'Authorization control plane (roles, policies, users); stores no customer content.',
  },
  {
    ...m('AWS Security Token Service (STS)', 'sts'),
    reason: 'Issues temporary credentials for every API call; stores no customer content.',
  },
  {
    ...m('AWS IAM Access Analyzer', 'access-analyzer'),
    reason: 'IAM feature that analyses resource policies; findings hold ARNs and policy metadata only.',
  },
  {
    ...m('Application Auto Scaling', 'application-autoscaling'),
    reason: 'Scales ECS/DynamoDB/Lambda capacity from CloudWatch metrics; holds only scaling policies.',
  },
  {
    ...m('AWS Budgets', 'budgets'),
    reason: 'Cost-management control plane; holds spend thresholds and alert targets, no customer content.',
  },
  {
    ...m('AWS Health', 'health'),
    reason: 'Read-only feed of AWS service events for the account; kept so the SCP does not hide outage notices.',
  },
];

// Shared mappings (names verbatim from the 2025-04-16 list unless marked "not eligible").
const EC2 = m('Amazon Elastic Compute Cloud (Amazon EC2)', 'ec2');
const VPC = m('Amazon Virtual Private Cloud (VPC)', 'ec2');
const EBS = m('Amazon Elastic Block Store (Amazon EBS)', 'ec2');
const VERIFIED_ACCESS = m('AWS Verified Access', 'ec2');
const SITE_TO_SITE_VPN = m('AWS Site-to-Site VPN', 'ec2'); // not eligible: not on the list
const CLIENT_VPN = m('AWS Client VPN', 'ec2'); // not eligible: not on the list
const LAMBDA = m('AWS Lambda', 'lambda');
const CLOUDFORMATION = m('AWS CloudFormation', 'cloudformation');
const INSPECTOR = 'Amazon Inspector';
const ELB = 'Elastic Load Balancing';
const WAF = 'AWS Web Application Firewall (WAF)';
const COGNITO = 'Amazon Cognito';
const ROUTE53 = 'Amazon Route 53';
const API_GATEWAY = 'Amazon API Gateway';
const OPENSEARCH = 'Amazon OpenSearch Service';
const allowance = (name: string): ServiceMapping => {
  const found = CONTROL_PLANE_ALLOWANCES.find((a) => a.service === name);
  if (!found) throw new Error(`No control-plane allowance named ${name}`);
  return m(found.service, found.iamPrefix);
};

/**
 * Services deliberately mapped by their real name because they are NOT on the eligible list.
 * Documentation for reviewers and tests only; the rule never reads this set.
 */
export const KNOWN_INELIGIBLE_SERVICES: ReadonlySet<string> = new Set([
  'Amazon Lightsail',
  'Amazon GameLift',
  'AWS IoT Analytics',
  'AWS App Runner',
  'AWS Chatbot',
  'Amazon EventBridge Scheduler',
  'Amazon EventBridge Pipes',
  'Amazon CloudWatch Synthetics',
  SITE_TO_SITE_VPN.service,
  CLIENT_VPN.service,
]);

/** Namespace (`AWS::<Namespace>::<Type>`) -> service. */
export const NAMESPACE_MAP: Readonly<Record<string, ServiceMapping>> = {
  // Compute, containers, network
  EC2,
  AutoScaling: m('Amazon EC2 Auto Scaling', 'autoscaling'),
  ApplicationAutoScaling: allowance('Application Auto Scaling'),
  Lambda: LAMBDA,
  ECS: m('Amazon Elastic Container Service (ECS)', 'ecs'),
  ECR: m('Amazon Elastic Container Registry (ECR)', 'ecr'),
  EKS: m('Amazon Elastic Kubernetes Service (EKS)', 'eks'),
  ServiceDiscovery: m('AWS Cloud Map', 'servicediscovery'),
  ElasticLoadBalancing: m(ELB, 'elasticloadbalancing'),
  ElasticLoadBalancingV2: m(ELB, 'elasticloadbalancing'),
  ApiGateway: m(API_GATEWAY, 'apigateway'),
  ApiGatewayV2: m(API_GATEWAY, 'apigateway'),
  CloudFront: m('Amazon CloudFront', 'cloudfront'),
  Route53: m(ROUTE53, 'route53'),
  Route53Resolver: m(ROUTE53, 'route53resolver'),
  StepFunctions: m('AWS Step Functions', 'states'),
  // Storage and data
  S3: m('Amazon Simple Storage Service (S3)', 's3'),
  S3Express: m('Amazon Simple Storage Service (S3)', 's3express'),
  EFS: m('Amazon Elastic File System (EFS)', 'elasticfilesystem'),
  RDS: m('Amazon Relational Database Service (Amazon RDS)', 'rds'),
  DocDB: m('Amazon DocumentDB', 'rds'), // provisioned through rds:* actions
  Neptune: m('Amazon Neptune', 'rds'), // provisioned through rds:* actions
  DynamoDB: m('Amazon DynamoDB', 'dynamodb'),
  ElastiCache: m('Amazon ElastiCache', 'elasticache'),
  Redshift: m('Amazon Redshift', 'redshift'),
  OpenSearchService: m(OPENSEARCH, 'es'),
  Elasticsearch: m(OPENSEARCH, 'es'),
  Athena: m('Amazon Athena', 'athena'),
  Glue: m('AWS Glue', 'glue'),
  Kinesis: m('Amazon Kinesis Data Streams', 'kinesis'),
  KinesisFirehose: m('Amazon Kinesis Data Firehose', 'firehose'),
  MSK: m('Amazon Managed Streaming for Apache Kafka', 'kafka'),
  DMS: m('AWS Database Migration Service (DMS)', 'dms'),
  DataSync: m('AWS DataSync', 'datasync'),
  Transfer: m('AWS Transfer Family', 'transfer'),
  HealthLake: m('AWS HealthLake', 'healthlake'),
  Omics: m('AWS HealthOmics', 'omics'),
  SageMaker: m('Amazon SageMaker AI', 'sagemaker'),
  Bedrock: m('Amazon Bedrock', 'bedrock'),
  Backup: m('AWS Backup', 'backup'),
  // Messaging and integration
  SNS: m('Amazon Simple Notification Service (SNS)', 'sns'),
  SQS: m('Amazon Simple Queue Service (SQS)', 'sqs'),
  SES: m('Amazon Simple Email Service (Amazon SES)', 'ses'),
  Events: m('Amazon EventBridge', 'events'),
  AppSync: m('AWS AppSync', 'appsync'),
  // Security, identity, keys
  IAM: allowance('AWS Identity and Access Management (IAM)'),
  AccessAnalyzer: allowance('AWS IAM Access Analyzer'),
  SSO: m('AWS IAM Identity Center', 'sso'),
  KMS: m('AWS Key Management Service (KMS)', 'kms'),
  SecretsManager: m('AWS Secrets Manager', 'secretsmanager'),
  CertificateManager: m('AWS Certificate Manager', 'acm'),
  ACMPCA: m('AWS Private Certificate Authority', 'acm-pca'),
  Cognito: m(COGNITO, 'cognito-idp'),
  WAFv2: m(WAF, 'wafv2'),
  WAF: m(WAF, 'waf'),
  WAFRegional: m(WAF, 'waf-regional'),
  Shield: m('AWS Shield', 'shield'),
  FMS: m('AWS Firewall Manager', 'fms'),
  NetworkFirewall: m('AWS Network Firewall', 'network-firewall'),
  GuardDuty: m('Amazon GuardDuty', 'guardduty'),
  SecurityHub: m('AWS Security Hub', 'securityhub'),
  Macie: m('Amazon Macie', 'macie2'),
  Inspector: m(INSPECTOR, 'inspector'),
  InspectorV2: m(INSPECTOR, 'inspector2'),
  Detective: m('Amazon Detective', 'detective'),
  // Audit, operations, management
  CloudTrail: m('AWS CloudTrail', 'cloudtrail'),
  CloudWatch: m('Amazon CloudWatch', 'cloudwatch'),
  Logs: m('Amazon CloudWatch Logs', 'logs'),
  Config: m('AWS Config', 'config'),
  SSM: m('AWS Systems Manager', 'ssm'),
  XRay: m('AWS X-Ray', 'xray'),
  CloudFormation: CLOUDFORMATION,
  Organizations: m('AWS Organizations', 'organizations'),
  RAM: m('AWS Resource Access Manager (RAM)', 'ram'),
  ServiceCatalog: m('AWS Service Catalog', 'servicecatalog'),
  Budgets: allowance('AWS Budgets'),
  CodeBuild: m('AWS CodeBuild', 'codebuild'),
  CodePipeline: m('AWS CodePipeline', 'codepipeline'),
  CodeCommit: m('AWS CodeCommit', 'codecommit'),
  CodeDeploy: m('AWS CodeDeploy', 'codedeploy'),
  // Not eligible (not on the list): mapped by real name so the gate fails and says which service.
  Lightsail: m('Amazon Lightsail', 'lightsail'),
  GameLift: m('Amazon GameLift', 'gamelift'),
  IoTAnalytics: m('AWS IoT Analytics', 'iotanalytics'),
  AppRunner: m('AWS App Runner', 'apprunner'),
  Chatbot: m('AWS Chatbot', 'chatbot'),
  Scheduler: m('Amazon EventBridge Scheduler', 'scheduler'),
  Pipes: m('Amazon EventBridge Pipes', 'pipes'),
  Synthetics: m('Amazon CloudWatch Synthetics', 'synthetics'),
};

const types = (names: string[], mapping: ServiceMapping): [string, ServiceMapping][] =>
  names.map((name) => [`AWS::EC2::${name}`, mapping]);

/** Exact resource type -> service, taking precedence over the namespace. */
export const TYPE_OVERRIDES: Readonly<Record<string, ServiceMapping>> = {
  ...Object.fromEntries([
    ...types(
      [
        'VPC',
        'VPCCidrBlock',
        'Subnet',
        'SubnetCidrBlock',
        'SecurityGroup',
        'SecurityGroupIngress',
        'SecurityGroupEgress',
        'NetworkAcl',
        'NetworkAclEntry',
        'SubnetNetworkAclAssociation',
        'FlowLog',
        'VPCEndpoint',
        'VPCEndpointService',
        'NatGateway',
        'EIP',
        'EIPAssociation',
        'InternetGateway',
        'EgressOnlyInternetGateway',
        'VPCGatewayAttachment',
        'RouteTable',
        'Route',
        'SubnetRouteTableAssociation',
        'GatewayRouteTableAssociation',
        'PrefixList',
        'DHCPOptions',
        'VPCDHCPOptionsAssociation',
        'VPCPeeringConnection',
        'TransitGateway',
        'TransitGatewayAttachment',
        'TransitGatewayRouteTable',
        'TransitGatewayRoute',
      ],
      VPC,
    ),
    ...types(['Volume', 'VolumeAttachment'], EBS),
    ...types(
      ['VerifiedAccessInstance', 'VerifiedAccessGroup', 'VerifiedAccessEndpoint', 'VerifiedAccessTrustProvider'],
      VERIFIED_ACCESS,
    ),
    ...types(
      ['VPNGateway', 'VPNConnection', 'VPNConnectionRoute', 'CustomerGateway', 'VPNGatewayRoutePropagation'],
      SITE_TO_SITE_VPN,
    ),
    ...types(
      ['ClientVpnEndpoint', 'ClientVpnRoute', 'ClientVpnTargetNetworkAssociation', 'ClientVpnAuthorizationRule'],
      CLIENT_VPN,
    ),
  ]),
  'AWS::Cognito::IdentityPool': m(COGNITO, 'cognito-identity'),
  'AWS::Cognito::IdentityPoolRoleAttachment': m(COGNITO, 'cognito-identity'),
  'AWS::Cognito::IdentityPoolPrincipalTag': m(COGNITO, 'cognito-identity'),
  // CDK's version-reporting resource: handled by CloudFormation itself, creates nothing.
  'AWS::CDK::Metadata': CLOUDFORMATION,
  // A CloudFormation custom resource; in this project always backed by a CDK Lambda provider.
  'AWS::CloudFormation::CustomResource': LAMBDA,
};

/**
 * `Custom::*` types are CloudFormation custom resources. CDK backs them with a Lambda function
 * (provider framework / singleton handlers), so they run on AWS Lambda. A custom resource backed
 * by an SNS topic would be mis-attributed; this project does not use those.
 */
export const CUSTOM_RESOURCE_MAPPING: ServiceMapping = LAMBDA;

/** The namespace of `AWS::<Namespace>::<Type>`, or undefined for any other shape. */
export function namespaceOf(resourceType: string): string | undefined {
  const parts = resourceType.split('::');
  return parts.length === 3 && parts[0] === 'AWS' && parts[1] && parts[2] ? parts[1] : undefined;
}

/**
 * The service behind a CloudFormation resource type, or `undefined` when the type is unmapped
 * (callers must treat unmapped as non-compliant).
 */
export function lookupResourceType(resourceType: string): ServiceMapping | undefined {
  if (Object.hasOwn(TYPE_OVERRIDES, resourceType)) return TYPE_OVERRIDES[resourceType];
  if (/^Custom::[A-Za-z0-9_@-]+$/.test(resourceType)) return CUSTOM_RESOURCE_MAPPING;
  const namespace = namespaceOf(resourceType);
  return namespace !== undefined && Object.hasOwn(NAMESPACE_MAP, namespace) ? NAMESPACE_MAP[namespace] : undefined;
}

/** Every distinct mapping above (namespaces, overrides, custom resources), for tests and reports. */
export function allMappings(): ServiceMapping[] {
  return [...Object.values(NAMESPACE_MAP), ...Object.values(TYPE_OVERRIDES), CUSTOM_RESOURCE_MAPPING];
}
