/**
 * Resource types with no charge of their own, each with the reason. Anything not here and without
 * a pricing rule is reported as "not priced", never as a silent zero.
 */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  'AWS::EC2::VPC': 'VPC: no charge of its own',
  'AWS::EC2::Subnet': 'subnet: no charge',
  'AWS::EC2::RouteTable': 'route table: no charge',
  'AWS::EC2::Route': 'route: no charge',
  'AWS::EC2::SubnetRouteTableAssociation': 'association: no charge',
  'AWS::EC2::InternetGateway': 'internet gateway: no charge (data transfer out is usage)',
  'AWS::EC2::VPCGatewayAttachment': 'attachment: no charge',
  'AWS::EC2::SecurityGroup': 'security group: no charge',
  'AWS::EC2::SecurityGroupIngress': 'security group rule: no charge',
  'AWS::EC2::SecurityGroupEgress': 'security group rule: no charge',
  'AWS::EC2::NetworkAcl': 'network ACL: no charge',
  'AWS::EC2::NetworkAclEntry': 'network ACL entry: no charge',
  'AWS::EC2::SubnetNetworkAclAssociation': 'association: no charge',
  'AWS::IAM::Role': 'IAM: no charge',
  'AWS::IAM::Policy': 'IAM: no charge',
  'AWS::IAM::ManagedPolicy': 'IAM: no charge',
  'AWS::IAM::ServiceLinkedRole': 'IAM: no charge',
  'AWS::KMS::Alias': 'alias: no charge (the key is priced)',
  'AWS::Lambda::Permission': 'permission: no charge',
  'AWS::Lambda::EventInvokeConfig': 'invoke configuration: no charge',
  'AWS::Logs::ResourcePolicy': 'resource policy: no charge',
  'AWS::Logs::LogStream': 'log stream: no charge (ingestion and storage are priced on its log group)',
  'AWS::Events::Rule': 'EventBridge rule on AWS service events: no charge',
  'AWS::SNS::Subscription': 'subscription: deliveries are priced under the topic',
  'AWS::SNS::TopicPolicy': 'policy: no charge',
  'AWS::SQS::QueuePolicy': 'policy: no charge',
  'AWS::S3::BucketPolicy': 'policy: no charge',
  'AWS::Glue::Database':
    'Glue Data Catalog: the first million objects stored a month are free (a database and a table here)',
  'AWS::Glue::Table':
    'Glue Data Catalog: the first million objects stored a month are free (a database and a table here)',
  'AWS::SSM::Document': 'SSM document: no charge',
  'AWS::ApplicationAutoScaling::ScalableTarget': 'Application Auto Scaling: no charge',
  'AWS::ApplicationAutoScaling::ScalingPolicy': 'Application Auto Scaling: no charge',
  'AWS::ElasticLoadBalancingV2::Listener': 'listener: part of the load balancer price',
  'AWS::ElasticLoadBalancingV2::ListenerRule': 'listener rule: rule evaluations count in LCUs (usage)',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'target group: no charge',
  'AWS::ECS::TaskDefinition': 'task definition: priced through the service that runs it',
  'AWS::Cognito::UserPoolClient': 'app client: no charge',
  'AWS::Cognito::UserPoolDomain': 'hosted domain: no charge',
  'AWS::RDS::DBParameterGroup': 'parameter group: no charge',
  'AWS::RDS::DBSubnetGroup': 'subnet group: no charge',
  'AWS::Backup::BackupPlan': 'backup plan: storage is priced under the vault (usage)',
  'AWS::Backup::BackupSelection': 'backup selection: no charge',
  // Issue 15: no charge for these resources themselves; the usage they cause is NOT priced yet (no price rows in
  // lib/cost/prices): each restore test job and the restored copy while validated, GuardDuty Malware Protection for S3
  // per GB and object scanned, GuardDuty runtime monitoring per vCPU-hour of the Fargate tasks (under the detector),
  // Amazon Inspector per ECR image scanned and rescanned.
  'AWS::Backup::RestoreTestingPlan':
    'restore testing plan: no charge for the plan; its restore jobs are usage (not priced yet)',
  'AWS::Backup::RestoreTestingSelection': 'restore testing selection: no charge; restores are usage (not priced yet)',
  'AWS::GuardDuty::MalwareProtectionPlan':
    'malware protection plan: no charge for the plan; scanned GB and objects are usage (not priced yet)',
  'AWS::GuardDuty::PublishingDestination':
    'findings export: no charge for the destination; the exported objects are S3 storage and KMS requests (usage)',
  'AWS::ECR::RegistryScanningConfiguration':
    'registry scanning configuration: no charge; Amazon Inspector image scans are usage (not priced yet)',
  'AWS::Config::DeliveryChannel': 'delivery channel: delivery to S3 is S3 usage',
  'AWS::SecurityHub::Standard': 'standard: its checks are priced under the hub (usage)',
  'AWS::WAFv2::WebACLAssociation': 'association: no charge',
  'AWS::WAFv2::LoggingConfiguration': 'logging configuration: log volume is priced under the log group',
  'AWS::CDK::Metadata': 'CDK metadata: no AWS resource',
};

/** Reason for a deploy-time custom resource (its provider Lambda is priced as Lambda usage). */
export const CUSTOM_RESOURCE_REASON =
  'custom resource: its provider Lambda runs only during deploys (priced as Lambda usage)';
