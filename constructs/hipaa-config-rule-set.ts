/**
 * AWS Config managed rules taken from AWS's "Operational Best Practices for HIPAA Security"
 * conformance pack, kept to the services this blueprint deploys. Pure data: a construct turns each
 * entry into a `config.ManagedRule`.
 *
 * Source of the rule list: awslabs/aws-config-rules,
 * aws-config-conformance-packs/Operational-Best-Practices-for-HIPAA-Security.yaml, the revision at
 * commit 1c527eab397842f0e88920714ce814471309c64b (the template carries no version or date of its
 * own). It has 131 AWS::Config::ConfigRule resources (130 managed rules and one process check).
 * 55 of them are kept here; 76 are left out:
 *   - 55 evaluate services the blueprint does not deploy: EC2 instances, EBS, Auto Scaling and SSM
 *     managed instances (16), OpenSearch and Elasticsearch (9), Redshift (5), DynamoDB (4), Classic
 *     Load Balancer-only checks (4), API Gateway (3), SageMaker (3), CodeBuild (2), EFS (2), EMR (2),
 *     DMS, Elastic Beanstalk, ElastiCache, Kinesis and Site-to-Site VPN (1 each).
 *   - 8 are covered by a stricter rule that is kept: CLOUD_TRAIL_ENABLED
 *     (MULTI_REGION_CLOUD_TRAIL_ENABLED), S3_BUCKET_PUBLIC_READ/WRITE_PROHIBITED (bucket- and
 *     account-level public access blocks), S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED
 *     (S3_DEFAULT_ENCRYPTION_KMS), INCOMING_SSH_DISABLED and RESTRICTED_INCOMING_TRAFFIC
 *     (VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS), ROOT_ACCOUNT_HARDWARE_MFA_ENABLED
 *     (ROOT_ACCOUNT_MFA_ENABLED), and RDS_SNAPSHOT_ENCRYPTED (snapshots of an encrypted instance are
 *     always encrypted, RDS_STORAGE_ENCRYPTED).
 *   The shipped engine is an RDS PostgreSQL instance (config refuses Aurora), so every instance-level
 *   RDS rule of the pack is kept (DB_INSTANCE_BACKUP_ENABLED, RDS_IN_BACKUP_PLAN, RDS_MULTI_AZ_SUPPORT
 *   among them); the pack's cluster rules are kept too and report NOT_APPLICABLE until a fork runs Aurora.
 *   - 5 only evaluate IAM users, and the blueprint creates none (people sign in through federation):
 *     IAM_PASSWORD_POLICY, IAM_USER_MFA_ENABLED, IAM_USER_NO_POLICIES_CHECK,
 *     IAM_USER_UNUSED_CREDENTIALS_CHECK, MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS. ACCESS_KEYS_ROTATED stays
 *     as a tripwire for long-lived keys; the console-sign-in-without-MFA metric filter covers the rest.
 *   - 8 conflict with the design or cannot be evaluated usefully: ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK
 *     (Fargate is awsvpc only), IAM_NO_INLINE_POLICY_CHECK (CDK grants are inline policies by
 *     design), INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY (needs VPC IDs known only after deploy),
 *     S3_BUCKET_DEFAULT_LOCK_ENABLED (Object Lock is for the audit archive only),
 *     S3_BUCKET_REPLICATION_ENABLED (recovery is through AWS Backup, not replication),
 *     S3_EVENT_NOTIFICATIONS_ENABLED and S3_VERSION_LIFECYCLE_POLICY_CHECK (operational, not
 *     safeguards here), and the annual-risk-assessment process check (AWS_CONFIG_PROCESS_CHECK).
 * Three rules are added that this revision of the template does not have but that the AWS HIPAA mapping
 * lists: CLOUDWATCH_LOG_GROUP_ENCRYPTED (164.312(a)(2)(iv); it was in earlier revisions of the template),
 * CW_LOGGROUP_RETENTION_PERIOD_CHECK (164.312(b)) and RDS_INSTANCE_DELETION_PROTECTION_ENABLED
 * (164.308(a)(7)). That makes 58 rules.
 *
 * HIPAA sections: the control IDs AWS's mapping table gives for each rule (AWS Config Developer Guide,
 * https://docs.aws.amazon.com/config/latest/developerguide/operational-best-practices-for-hipaa_security.html,
 * as cdk-nag's RULES.md reproduces them). Where that table had no entry for a rule, the sections are
 * taken by analogy with the nearest mapped rule. Those entries say "sections by analogy".
 *
 * Cost: AWS Config bills per rule evaluation ($0.001 each for the first 100,000 per account and region
 * each month), so evaluations = rules x in-scope resources x triggers. Keep this list short.
 */

/**
 * MinRetentionTime of CW_LOGGROUP_RETENTION_PERIOD_CHECK: the strictest value the rule accepts that is
 * not above the blueprint's 2192-day log retention floor (see the rule's entry).
 */
export const CW_LOGGROUP_MIN_RETENTION_DAYS = 1827;

/** One AWS Config managed rule the blueprint deploys. */
export interface ManagedConfigRule {
  /** Config rule name: 'hipaa-' + kebab-case identifier; unique, at most 128 characters. */
  readonly name: string;
  /** AWS Config managed rule identifier e.g. 'CLOUD_TRAIL_ENABLED' */
  readonly identifier: string;
  /** HIPAA Security Rule sections the rule supports, e.g. '164.312(b)'. */
  readonly hipaaSections: readonly string[];
  /**
   * CloudFormation resource types to scope the rule to (from the pack where it sets them). Only for a rule
   * that configuration changes trigger (`trigger` undefined or 'hybrid'): AWS Config rejects a scope on a
   * periodic-only rule (PutConfigRule InvalidParameterValueException, enforced since early 2025), and
   * HipaaConfigRules refuses one.
   * @default - no scope: every recorded resource the rule evaluates
   */
  readonly resourceTypes?: readonly string[];
  /** Rule parameters, all strings as AWS Config expects them. */
  readonly inputParameters?: Readonly<Record<string, string>>;
  /**
   * The rule's trigger type, as its page in the AWS Config Developer Guide gives it:
   * - 'periodic': evaluated on a schedule only. The consumer sets `maximumExecutionFrequency` and no scope.
   * - 'hybrid': configuration changes and periodic (ACM expiry: what it checks changes with time). Scope
   *   and `maximumExecutionFrequency`.
   * @default - configuration changes only: a scope, and no frequency (AWS Config refuses one)
   */
  readonly trigger?: 'periodic' | 'hybrid';
}

/** The Config rule name for a managed rule identifier: 'hipaa-' + kebab case. */
export function hipaaRuleName(identifier: string): string {
  return `hipaa-${identifier.toLowerCase().replace(/_/g, '-')}`;
}

function rule(
  identifier: string,
  hipaaSections: readonly string[],
  extra: Omit<ManagedConfigRule, 'name' | 'identifier' | 'hipaaSections'> = {},
): ManagedConfigRule {
  return { name: hipaaRuleName(identifier), identifier, hipaaSections, ...extra };
}

// Section sets AWS's mapping table repeats across many rules.
const AUDIT = ['164.312(b)'];
const AUDIT_AND_SUPERVISION = ['164.308(a)(3)(ii)(A)', '164.312(b)'];
const ENCRYPTION_AT_REST = ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'];
const ENCRYPTION_IN_TRANSIT = ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'];
const NOT_PUBLIC = [
  '164.308(a)(3)(i)',
  '164.308(a)(4)(ii)(A)',
  '164.308(a)(4)(ii)(C)',
  '164.312(a)(1)',
  '164.312(e)(1)',
];
const LEAST_PRIVILEGE = [
  '164.308(a)(3)(i)',
  '164.308(a)(3)(ii)(A)',
  '164.308(a)(3)(ii)(B)',
  '164.308(a)(4)(i)',
  '164.308(a)(4)(ii)(A)',
  '164.308(a)(4)(ii)(B)',
  '164.308(a)(4)(ii)(C)',
  '164.312(a)(1)',
];
const BACKUP = ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'];
const AVAILABILITY = ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(C)'];
const TRANSMISSION = ['164.312(e)(1)'];

const S3_BUCKET = ['AWS::S3::Bucket'];
const RDS_INSTANCE = ['AWS::RDS::DBInstance'];
const RDS_CLUSTER = ['AWS::RDS::DBCluster'];
const SECURITY_GROUP = ['AWS::EC2::SecurityGroup'];
const ALB = ['AWS::ElasticLoadBalancingV2::LoadBalancer'];
const IAM_POLICY = ['AWS::IAM::Policy'];

/** The pack's own value: actions no identity policy may allow on every KMS key ("Resource": "*"). */
const BLOCKED_KMS_ACTIONS = 'kms:*, kms:Decrypt, kms:ReEncrypt*';

export const HIPAA_CONFIG_RULES: readonly ManagedConfigRule[] = [
  // --- Audit logging: CloudTrail and CloudWatch ---------------------------------------------------
  rule('MULTI_REGION_CLOUD_TRAIL_ENABLED', AUDIT_AND_SUPERVISION, { trigger: 'periodic' }),
  rule('CLOUD_TRAIL_ENCRYPTION_ENABLED', ENCRYPTION_AT_REST, { trigger: 'periodic' }),
  rule('CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED', ['164.312(c)(1)', '164.312(c)(2)'], { trigger: 'periodic' }),
  rule('CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED', AUDIT_AND_SUPERVISION, { trigger: 'periodic' }),
  rule('CLOUDTRAIL_S3_DATAEVENTS_ENABLED', AUDIT_AND_SUPERVISION, { trigger: 'periodic' }),
  rule('CLOUDWATCH_ALARM_ACTION_CHECK', AUDIT, {
    resourceTypes: ['AWS::CloudWatch::Alarm'],
    // The pack asks for an INSUFFICIENT_DATA action too. The blueprint's alarms treat missing data as
    // not breaching (no events = nothing to report) and have no INSUFFICIENT_DATA action by design, so
    // the pack's value would mark every one of them NON_COMPLIANT. An ALARM action stays required (as
    // Security Hub's CloudWatch.15 asks).
    inputParameters: {
      alarmActionRequired: 'true',
      insufficientDataActionRequired: 'false',
      okActionRequired: 'false',
    },
  }),
  // Not in the pack revision above; in AWS's HIPAA mapping for 164.312(a)(2)(iv) and earlier revisions.
  rule('CLOUDWATCH_LOG_GROUP_ENCRYPTED', ENCRYPTION_AT_REST, { trigger: 'periodic' }),
  // Not in the pack revision above; in AWS's HIPAA mapping for 164.312(b). The rule's valid
  // MinRetentionTime values are 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827 and
  // 3653 days (AWS Config Developer Guide, cw-loggroup-retention-period-check; default 365). 2192 (the
  // blueprint's six-year floor, U3) is not one of them and 3653 would fail every compliant log group,
  // so 1827 is the strictest accepted value <= 2192. EncryptedLogGroup and config validation stay the
  // control that enforces 2192; this rule detects drift below five years ("Never expire" passes).
  rule('CW_LOGGROUP_RETENTION_PERIOD_CHECK', AUDIT, {
    trigger: 'periodic',
    inputParameters: { MinRetentionTime: String(CW_LOGGROUP_MIN_RETENTION_DAYS) },
  }),

  // --- Network: VPC, security groups, routes --------------------------------------------------------
  rule('VPC_FLOW_LOGS_ENABLED', AUDIT_AND_SUPERVISION, { trigger: 'periodic' }),
  rule('VPC_DEFAULT_SECURITY_GROUP_CLOSED', TRANSMISSION, { resourceTypes: SECURITY_GROUP }),
  rule('VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS', TRANSMISSION, {
    resourceTypes: SECURITY_GROUP,
    // The pack sets none, and without it every group open to 0.0.0.0/0 fails, including the load
    // balancer's. The load balancer listens on 443 and on 80, where it only redirects to HTTPS (E3).
    inputParameters: { authorizedTcpPorts: '80,443' },
  }),
  // The public tier's route tables have 0.0.0.0/0 -> IGW by design. The consumer passes their IDs in
  // the routeTableIds parameter (known only after deploy), or accepts those findings as exceptions.
  rule('NO_UNRESTRICTED_ROUTE_TO_IGW', TRANSMISSION, { resourceTypes: ['AWS::EC2::RouteTable'] }),
  rule('SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED', NOT_PUBLIC, { resourceTypes: ['AWS::EC2::Subnet'] }),

  // --- KMS --------------------------------------------------------------------------------------------
  // Sections by analogy (no row in the AWS mapping we could read). Periodic only (AWS Config Developer
  // Guide, kms-cmk-not-scheduled-for-deletion): it evaluates every AWS::KMS::Key, with no scope.
  rule('KMS_CMK_NOT_SCHEDULED_FOR_DELETION', ['164.308(a)(1)(ii)(B)', '164.312(a)(2)(iv)'], { trigger: 'periodic' }),
  // Sections by analogy. Flags only statements that allow these actions on all keys ("Resource": "*").
  rule('IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS', ['164.312(a)(1)', '164.312(a)(2)(iv)'], {
    resourceTypes: IAM_POLICY,
    inputParameters: { blockedActionsPatterns: BLOCKED_KMS_ACTIONS },
  }),
  rule('IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS', ['164.312(a)(1)', '164.312(a)(2)(iv)'], {
    resourceTypes: ['AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::IAM::User'],
    inputParameters: { blockedActionsPatterns: BLOCKED_KMS_ACTIONS },
  }),

  // --- S3 ---------------------------------------------------------------------------------------------
  rule(
    'S3_BUCKET_SSL_REQUESTS_ONLY',
    ['164.312(a)(2)(iv)', '164.312(c)(2)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
    { resourceTypes: S3_BUCKET },
  ),
  rule('S3_DEFAULT_ENCRYPTION_KMS', ENCRYPTION_AT_REST, { resourceTypes: S3_BUCKET }),
  rule('S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', NOT_PUBLIC, { resourceTypes: S3_BUCKET }),
  rule('S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC', NOT_PUBLIC, {
    trigger: 'periodic',
    inputParameters: {
      BlockPublicAcls: 'true',
      BlockPublicPolicy: 'true',
      IgnorePublicAcls: 'true',
      RestrictPublicBuckets: 'true',
    },
  }),
  rule('S3_BUCKET_LOGGING_ENABLED', AUDIT_AND_SUPERVISION, { resourceTypes: S3_BUCKET }),
  rule(
    'S3_BUCKET_VERSIONING_ENABLED',
    ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.312(c)(1)', '164.312(c)(2)'],
    { resourceTypes: S3_BUCKET },
  ),
  // Sections by analogy with S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED.
  rule(
    'S3_BUCKET_ACL_PROHIBITED',
    ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
    {
      resourceTypes: S3_BUCKET,
    },
  ),

  // --- RDS PostgreSQL instance (the shipped engine) --------------------------------------------------
  rule('RDS_STORAGE_ENCRYPTED', ENCRYPTION_AT_REST, { resourceTypes: RDS_INSTANCE }),
  rule('DB_INSTANCE_BACKUP_ENABLED', BACKUP, { resourceTypes: RDS_INSTANCE }),
  // Periodic only, no scope in the pack: evaluates every DB instance against AWS Backup plans.
  rule('RDS_IN_BACKUP_PLAN', BACKUP, { trigger: 'periodic' }),
  rule('RDS_MULTI_AZ_SUPPORT', AVAILABILITY, { resourceTypes: RDS_INSTANCE }),
  // Not in the pack revision above; in AWS's HIPAA mapping (164.308(a)(7)(i), 164.308(a)(7)(ii)(C)).
  rule('RDS_INSTANCE_DELETION_PROTECTION_ENABLED', AVAILABILITY, { resourceTypes: RDS_INSTANCE }),
  rule('RDS_INSTANCE_PUBLIC_ACCESS_CHECK', NOT_PUBLIC, { resourceTypes: RDS_INSTANCE }),
  rule('RDS_SNAPSHOTS_PUBLIC_PROHIBITED', NOT_PUBLIC, {
    resourceTypes: ['AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'],
  }),
  rule('RDS_LOGGING_ENABLED', ['164.308(a)(3)(ii)(A)', '164.308(a)(5)(ii)(C)'], { resourceTypes: RDS_INSTANCE }),
  rule('RDS_ENHANCED_MONITORING_ENABLED', AUDIT, { resourceTypes: RDS_INSTANCE }),
  rule('RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED', ['164.308(a)(5)(ii)(A)'], { resourceTypes: RDS_INSTANCE }),
  // Aurora (cluster) rules of the pack: NOT_APPLICABLE with the shipped instance, kept for a fork on Aurora.
  // Sections by analogy with rds-instance-deletion-protection-enabled / rds-multi-az-support.
  rule('RDS_CLUSTER_DELETION_PROTECTION_ENABLED', AVAILABILITY, { resourceTypes: RDS_CLUSTER }),
  rule('RDS_CLUSTER_MULTI_AZ_ENABLED', AVAILABILITY, { resourceTypes: RDS_CLUSTER }),
  // Sections by analogy with rds-in-backup-plan. Periodic only (AWS Config Developer Guide,
  // aurora-resources-protected-by-backup-plan): it evaluates every AWS::RDS::DBCluster, with no scope.
  rule('AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN', BACKUP, { trigger: 'periodic' }),

  // --- Secrets Manager ----------------------------------------------------------------------------------
  rule('SECRETSMANAGER_ROTATION_ENABLED_CHECK', ['164.308(a)(4)(ii)(B)'], {
    resourceTypes: ['AWS::SecretsManager::Secret'],
  }),
  rule('SECRETSMANAGER_USING_CMK', ENCRYPTION_AT_REST, { resourceTypes: ['AWS::SecretsManager::Secret'] }),

  // --- ECS Fargate --------------------------------------------------------------------------------------
  // Sections by analogy with ecs-task-definition-user-for-host-mode-check.
  rule(
    'ECS_CONTAINERS_READONLY_ACCESS',
    ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
    { resourceTypes: ['AWS::ECS::TaskDefinition'] },
  ),

  // --- Edge: ALB, WAFv2, ACM ----------------------------------------------------------------------------
  rule('ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK', ENCRYPTION_IN_TRANSIT, { trigger: 'periodic' }),
  // Sections by analogy (risk management, transmission security).
  rule('ALB_WAF_ENABLED', ['164.308(a)(1)(ii)(B)', '164.312(e)(1)'], { resourceTypes: ALB }),
  rule('ELB_LOGGING_ENABLED', AUDIT, {
    resourceTypes: ['AWS::ElasticLoadBalancing::LoadBalancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer'],
  }),
  rule('ELB_DELETION_PROTECTION_ENABLED', AVAILABILITY, { resourceTypes: ALB }),
  rule('ELBV2_ACM_CERTIFICATE_REQUIRED', ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'], { trigger: 'periodic' }),
  // Sections by analogy (transmission security). Trigger type "Configuration changes and Periodic" (hybrid):
  // a scope is accepted, and expiry comes with time.
  rule('ACM_CERTIFICATE_EXPIRATION_CHECK', ['164.312(e)(1)'], {
    resourceTypes: ['AWS::ACM::Certificate'],
    trigger: 'hybrid',
  }),
  rule('WAFV2_LOGGING_ENABLED', AUDIT, { trigger: 'periodic' }),

  // --- Lambda, SNS --------------------------------------------------------------------------------------
  rule('LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED', NOT_PUBLIC, { resourceTypes: ['AWS::Lambda::Function'] }),
  rule('SNS_ENCRYPTED_KMS', ['164.308(a)(1)(ii)(B)', '164.312(a)(2)(iv)', '164.312(e)(2)(ii)', '164.314(b)(2)(i)'], {
    resourceTypes: ['AWS::SNS::Topic'],
  }),

  // --- Threat detection ---------------------------------------------------------------------------------
  rule('GUARDDUTY_ENABLED_CENTRALIZED', ['164.308(a)(5)(ii)(C)', '164.308(a)(6)(ii)', '164.312(b)'], {
    trigger: 'periodic',
  }),
  rule('SECURITYHUB_ENABLED', AUDIT, { trigger: 'periodic' }),

  // --- AWS Backup ---------------------------------------------------------------------------------------
  // Sections by analogy with the *-in-backup-plan rules. The rule's defaults (daily, 35 days) apply;
  // the consumer passes requiredFrequencyValue / requiredRetentionDays / requiredFrequencyUnit from
  // its backup plan if they differ.
  rule('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', BACKUP, { resourceTypes: ['AWS::Backup::BackupPlan'] }),
  rule('BACKUP_RECOVERY_POINT_ENCRYPTED', ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', ...ENCRYPTION_AT_REST], {
    resourceTypes: ['AWS::Backup::RecoveryPoint'],
  }),
  rule(
    'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
    ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.312(c)(1)'],
    {
      resourceTypes: ['AWS::Backup::BackupVault'],
    },
  ),

  // --- IAM and the root user ----------------------------------------------------------------------------
  rule(
    'IAM_ROOT_ACCESS_KEY_CHECK',
    [
      '164.308(a)(3)(i)',
      '164.308(a)(4)(ii)(A)',
      '164.308(a)(4)(ii)(B)',
      '164.308(a)(4)(ii)(C)',
      '164.312(a)(1)',
      '164.312(a)(2)(i)',
    ],
    { trigger: 'periodic' },
  ),
  rule('ROOT_ACCOUNT_MFA_ENABLED', ['164.312(d)'], { trigger: 'periodic' }),
  rule('IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', LEAST_PRIVILEGE, { resourceTypes: IAM_POLICY }),
  rule('IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS', LEAST_PRIVILEGE, { resourceTypes: IAM_POLICY }),
  // No IAM users are created; this catches any long-lived access key created out of band.
  rule('ACCESS_KEYS_ROTATED', ['164.308(a)(4)(ii)(B)'], {
    trigger: 'periodic',
    inputParameters: { maxAccessKeyAge: '90' },
  }),
];
