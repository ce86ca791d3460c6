import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag/lib/nag-pack';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { IConstruct } from 'constructs';
import { HipaaEligibleService } from './eligibility/eligibility-rule';
import { KmsKeySafeguards } from './rules/kms-key-safeguards';
import { LogGroupSixYearRetention } from './rules/log-retention';
import { AlbTlsPolicyAllowList } from './rules/alb-tls-policy-allow-list';
import { NoHttpForwardListener } from './rules/no-http-forward-listener';
import { NoHttpTargetGroup } from './rules/no-http-target-group';
import { AuditBucketObjectLock } from './rules/audit-bucket-object-lock';
import { LogBucketRetention } from './rules/log-bucket-retention';
import { PostgresAuditLogging } from './rules/postgres-audit-logging';
import { StatefulResourcesRetained } from './rules/stateful-resources-retained';
import { PhiBucketKeepsVersions } from './rules/phi-bucket-keeps-versions';
import { RdsForceSsl } from './rules/rds-force-ssl';
import { NoIamUsersOrAccessKeys } from './rules/no-iam-users-or-access-keys';
import { HumanRolesRequireMfa } from './rules/human-roles-require-mfa';
import { CloudTrailMultiRegionWithPhiDataEvents } from './rules/cloudtrail-multi-region-with-phi-data-events';
import { LambdaLogsToManagedLogGroup } from './rules/lambda-logging-config';
import { ContainerLogsToManagedLogGroup } from './rules/container-logging-config';
import { ContainerImagesFromAssembly } from './rules/container-images-from-assembly';
import { SecurityGroupEgressExplicit } from './rules/security-group-egress-explicit';
import { KeyUseByNamedPrincipals } from './rules/key-use-by-named-principals';
import { PhiBucketPrincipalAllowList } from './rules/phi-bucket-principal-allow-list';
import { PhiBucketWritesUnderItsKey } from './rules/phi-bucket-writes-under-its-key';
import { OnePolicyPerBucket } from './rules/one-policy-per-bucket';
import { BucketNamedInTemplate } from './rules/bucket-named-in-template';
import { EventTargetsInAccount } from './rules/event-targets-in-account';
import { LogsAndEventsStayInAccount } from './rules/logs-and-events-stay-in-account';
import { FirehoseDeliversToTemplateBucket } from './rules/firehose-delivers-to-template-bucket';
import { EventRuleMayInvokeItsFunctions } from './rules/event-rule-may-invoke-its-functions';
import { PhiBucketListingsStayInside } from './rules/phi-bucket-listings-stay-inside';
import { AuditArchiveTamperDenies } from './rules/audit-archive-tamper-denies';
import { LogBucketVersionDeleteDeny } from './rules/log-bucket-version-delete-deny';
import { ObjectEncryptionUpdatesDenied } from './rules/object-encryption-updates-denied';
import { VpcEndpointPolicyThisAccount } from './rules/vpc-endpoint-policy-this-account';
import { TrailRecordsArchiveDeletes } from './rules/trail-records-archive-deletes';
import { StoreCustomerManagedKey } from './rules/store-customer-managed-key';
import { PhiLogGroupDataProtection } from './rules/phi-log-group-data-protection';
import { SessionLifetimeLimit } from './rules/session-lifetime-limit';
import { SessionManagerLogging } from './rules/session-manager-logging';
import { EcsExecLogged } from './rules/ecs-exec-logged';
import { ForwardRequiresSignIn } from './rules/forward-requires-sign-in';
import { BucketTlsOnlyPolicy } from './rules/bucket-tls-only-policy';
import { BackupVaultLocked } from './rules/backup-vault-locked';
import { PhiDatabaseRecoverable } from './rules/phi-database-recoverable';
import { UnconditionalResources } from './rules/unconditional-resources';
import { TemplateDeploysAsWritten } from './rules/template-deploys-as-written';
import { ServiceEventRulesOnDefaultBus } from './rules/service-event-rules-on-default-bus';
import { resetTemplateViews, TemplateSource } from './rules/template-view';
import { withRunMemo } from './core/template-json';

/** A project rule: what it checks, why, and which safeguard and HIPAA section it serves. */
export interface ProjectRule {
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly info: string;
  readonly explanation: string;
  readonly safeguards: readonly string[];
  readonly hipaaSections: readonly string[];
}

/** The project's own rules: what cdk-nag does not check. Every rule has a test that makes it fire. */
export const PROJECT_RULES: readonly ProjectRule[] = [
  {
    rule: TemplateDeploysAsWritten,
    info: "The template is not what deploys: a Transform or Fn::Transform rewrites it, a nested stack, StackSet, provisioned product, serverless application, module, registered type, hook or custom resource of another function deploys or runs what it does not hold, a parameter, an SSM dynamic reference, a secret outside a credential property or another account's stack output takes its value at deploy, or JSON held in a string (a policy, a pattern, a document) repeats a key (the service may read the other value).",
    explanation:
      'Every safeguard is judged on the template as written; a macro, another template or a value chosen at deploy can remove a safeguard after the gate passed it (164.308(a)(1)(ii)(D), 164.312(b), 164.308(b)(1)).',
    safeguards: ['V2', 'V1'],
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)', '164.308(b)(1)'],
  },
  {
    rule: UnconditionalResources,
    info: 'The resource carries a Condition: deploy may leave it out, so the gate cannot judge it present.',
    explanation:
      'The blueprint decides what it deploys at synth, from config; a safeguard resource that a condition may remove (a trail, an alarm, an alerting rule) would pass the gate and never exist (164.308(a)(1)(ii)(D), 164.312(b)).',
    safeguards: ['V2'],
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)'],
  },
  {
    rule: ServiceEventRulesOnDefaultBus,
    info: "The EventBridge rule matches AWS service events but is not on its own account's and region's default event bus, where AWS delivers them: it never fires.",
    explanation:
      'Detection and alerting depend on rules that receive findings, backup job and API events (164.308(a)(1)(ii)(D), 164.308(a)(6)(ii)); a rule on another bus receives none of them.',
    safeguards: ['D2', 'D3'],
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'],
  },
  {
    rule: LogGroupSixYearRetention,
    info: 'The log group keeps events less than 2192 days, has no retention, is not of the Standard class (a Delivery-class group keeps events one day; an Infrequent Access one runs no metric filter), or is not retained on deletion.',
    explanation: 'HIPAA documentation must be kept six years (164.316(b)(2)(i)); audit logs are evidence (164.312(b)).',
    safeguards: ['U3', 'I2'],
    hipaaSections: ['164.312(b)', '164.316(b)(2)(i)'],
  },
  {
    rule: KmsKeySafeguards,
    info: 'The KMS key lacks rotation, the 30-day deletion window, Retain policies, or separates administration from use poorly; or its policy is absent (KMS then gives the whole account kms:*) or not readable whole (written with intrinsic functions, a whole Principal, Resource or Condition only deploy resolves, an element the policy grammar lacks, no Statement; a JSON string is read as KMS parses it).',
    explanation: 'Encryption keys protect PHI at rest (164.312(a)(2)(iv)); losing a key loses the data it protects.',
    safeguards: ['E1', 'I2'],
    hipaaSections: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  },
  {
    rule: HipaaEligibleService,
    info: 'The resource belongs to an AWS service that is not on the HIPAA eligible services list (or its type is unmapped).',
    explanation:
      'PHI may only be processed by services covered by the AWS BAA (164.308(b)); see lib/compliance/eligibility/reference.',
    safeguards: ['V1'],
    hipaaSections: ['164.308(b)(1)', '164.314(a)'],
  },
  {
    rule: AuditBucketObjectLock,
    info: 'The audit archive bucket lacks Object Lock, versioning, a default retention of at least 2192 days, or COMPLIANCE mode (GOVERNANCE only where its marker allows).',
    explanation:
      'Audit records must be protected from alteration and deletion (164.312(b), 164.312(c)(1)) and kept six years (164.316(b)(2)(i)).',
    safeguards: ['U2'],
    hipaaSections: ['164.312(b)', '164.312(c)(1)', '164.316(b)(2)(i)'],
  },
  {
    rule: LogBucketRetention,
    info: 'The log bucket has no lifecycle, expires objects (current or noncurrent) sooner than 2192 days or on a fixed date, or is not retained.',
    explanation: 'Logs are audit evidence (164.312(b)) and must be kept six years (164.316(b)(2)(i)).',
    safeguards: ['U3', 'I2'],
    hipaaSections: ['164.312(b)', '164.316(b)(2)(i)'],
  },
  {
    rule: StatefulResourcesRetained,
    info: 'A resource that holds data (bucket, database, table, file system, volume, queue, stream, vault, user pool) is not kept on stack deletion or replacement: its DeletionPolicy or UpdateReplacePolicy is not Retain (or Snapshot, for a database or volume).',
    explanation:
      'Stored data, backups and audit records survive a stack deleted or a resource replaced by mistake (164.310(d)(2)(iv) data backup and storage, 164.312(c)(1) integrity, 164.308(a)(7) contingency plan).',
    safeguards: ['I2'],
    hipaaSections: ['164.312(c)(1)', '164.308(a)(7)', '164.310(d)(2)(iv)'],
  },
  {
    rule: PhiBucketKeepsVersions,
    info: 'The PHI bucket is not versioned, or a lifecycle rule expires its current objects, or its noncurrent versions sooner than 2192 days.',
    explanation:
      'PHI is not altered or destroyed improperly (164.312(c)(1)): every earlier version stays recoverable for six years, and PHI is removed only by the application, whose deletion CloudTrail records with its principal (164.312(b)); a lifecycle expiration is S3 deleting on its own.',
    safeguards: ['I2'],
    hipaaSections: ['164.312(c)(1)', '164.312(c)(2)', '164.312(b)'],
  },
  {
    rule: AlbTlsPolicyAllowList,
    info: 'The HTTPS listener has no security policy, or one outside the TLS 1.3/1.2 allow-list (lib/compliance/rules/tls-policies.ts).',
    explanation:
      'PHI in transit is encrypted with current TLS only (164.312(e)(1), 164.312(e)(2)(ii)); older ELB policies still negotiate TLS 1.0/1.1.',
    safeguards: ['E3'],
    hipaaSections: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
  },
  {
    rule: NoHttpForwardListener,
    info: 'The plain-HTTP listener (default action or a listener rule) forwards, authenticates or answers instead of only redirecting to HTTPS.',
    explanation:
      'Port 80 may only redirect to HTTPS, so no request or response carrying PHI crosses the network in clear text (164.312(e)(1)).',
    safeguards: ['E3'],
    hipaaSections: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
  },
  {
    rule: NoHttpTargetGroup,
    info: 'The target group (or its health check) uses plain HTTP: load balancer to task traffic is not encrypted.',
    explanation:
      'TLS is end to end: the load balancer re-encrypts to the task, so PHI is not in clear text inside the VPC either (164.312(e)(1)).',
    safeguards: ['E3'],
    hipaaSections: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
  },
  {
    rule: RdsForceSsl,
    info: 'The PostgreSQL parameter group (its Family PostgreSQL in any string form, or named by a PostgreSQL database) does not set rds.force_ssl to 1, or sets ssl_min_protocol_version below TLSv1.2 (or ssl_max_protocol_version below TLSv1.2, or either to a value only deploy resolves), or the PostgreSQL database references no parameter group of its own stack that does (an unresolvable reference is a finding); or an RDS Proxy does not require TLS.',
    explanation:
      'The PostgreSQL default accepts clear-text connections; rds.force_ssl = 1 makes the database refuse them, and a TLS floor of 1.2 refuses TLS 1.0 and 1.1, so PHI never crosses the network unencrypted or under deprecated TLS (164.312(e)(1)).',
    safeguards: ['E3'],
    hipaaSections: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
  },
  {
    rule: PostgresAuditLogging,
    info: 'The PostgreSQL parameter group (its Family PostgreSQL in any string form, or named by a PostgreSQL database) does not audit connections and DDL and role changes with pgaudit, or lets statement text into the logs: pgaudit read, write or function classes or parameters, log_statement other than none or ddl, a failing, slow or sampled statement logged, auto_explain, parse or plan trees, DETAIL lines; or its audit lines dropped or statement text logged by the server level (log_min_messages other than WARNING, ERROR or LOG; pgaudit.log_level other than LOG). A required parameter unset is a finding.',
    explanation:
      "The database records who connected and every change to its schema and roles (164.312(b)); statement text holds the values written and searched for, which are PHI, so it stays out of the logs (164.312(b), 164.502(b) minimum necessary): PostgreSQL's defaults log a failing INSERT's literals.",
    safeguards: ['U1', 'U4'],
    hipaaSections: ['164.312(b)', '164.312(a)(1)'],
  },
  {
    rule: NoIamUsersOrAccessKeys,
    info: 'The template creates an IAM user, an access key, a user-to-group addition, or a group that a user joins.',
    explanation:
      'Every person has a unique identity at the identity provider and assumes roles (164.312(a)(2)(i)); long-term access keys are shared, unexpiring credentials (164.308(a)(5)(ii)(D)).',
    safeguards: ['A1'],
    hipaaSections: ['164.312(a)(2)(i)', '164.308(a)(5)(ii)(D)'],
  },
  {
    rule: HumanRolesRequireMfa,
    info: 'The role trust policy admits an AWS principal (account, role, user or *) in an Allow statement without requiring MFA (Bool aws:MultiFactorAuthPresent true, or a NumericLessThan(Equals) aws:MultiFactorAuthAge), or admits a federated principal; or the resource is an identity provider (OIDC, SAML, Cognito identity pool) or an IAM Identity Center permission set, assignment or application (MFA is an instance setting the template does not state) the blueprint does not ship.',
    explanation:
      'People who can reach PHI authenticate with a second factor (164.312(d)); roles that only services assume are out of scope. Federated sessions carry no MFA key a trust policy can require, and the blueprint ships no federated trust: a fork that adds one acknowledges it, naming the identity provider MFA.',
    safeguards: ['A2'],
    hipaaSections: ['164.312(d)', '164.312(a)(1)'],
  },
  {
    rule: CloudTrailMultiRegionWithPhiDataEvents,
    info: 'The trail is not multi-region, does not include global service events, or does not record S3 object data events for both reads and writes.',
    explanation:
      'Audit controls record activity in every region and on IAM/STS (164.312(b)); PHI object reads and writes appear only in S3 data events (164.308(a)(1)(ii)(D)).',
    safeguards: ['U1'],
    hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)'],
  },
  {
    rule: LambdaLogsToManagedLogGroup,
    info: 'The Lambda function sets no LoggingConfig.LogGroup naming a log group of its own stack: Lambda would create /aws/lambda/<name> unencrypted and never expiring.',
    explanation:
      'Lambda logs are audit evidence kept six years (164.312(b), 164.316(b)(2)(i)) and may carry identifiers, so they are encrypted with a customer-managed key (164.312(a)(2)(iv)).',
    safeguards: ['U3', 'E2'],
    hipaaSections: ['164.312(b)', '164.316(b)(2)(i)', '164.312(a)(2)(iv)'],
  },
  {
    rule: ContainerLogsToManagedLogGroup,
    info: "A container of the ECS task definition does not log with the awslogs driver to a log group of its own stack named by Ref, in the stack's region: no log configuration, another driver (splunk, syslog, awsfirelens...), a literal or another stack's group name, awslogs-create-group true, an option the rule does not know, or a value only deploy resolves. Or an ECS service's Service Connect proxy logs the same way wrongly, or includes query parameters (which may carry PHI) in its access log.",
    explanation:
      'Container logs are audit evidence kept six years (164.312(b), 164.316(b)(2)(i)), encrypted with a customer-managed key (164.312(a)(2)(iv)) and masked for PHI (164.502(b)): only a log group of the template is judged for all three; another driver sends them outside AWS, a group the driver creates has none of them.',
    safeguards: ['U3', 'U4', 'E2'],
    hipaaSections: ['164.312(b)', '164.316(b)(2)(i)', '164.312(a)(2)(iv)'],
  },
  {
    rule: ContainerImagesFromAssembly,
    info: "A container of the ECS task definition runs an image outside the assembly's registry: not a tag of an ECR repository of its own template (by reference) nor a CDK image asset of the bootstrap container assets repository of the stack's account and region, e.g. an image of Docker Hub or another account, or an image only deploy resolves.",
    explanation:
      'Amazon Inspector scans the images of the account registry for vulnerabilities (164.308(a)(1)(ii)(A), 164.308(a)(5)(ii)(B)); an image pulled from elsewhere escapes the scan and is code no one reviewed running next to PHI (164.308(a)(1)(ii)(D)).',
    safeguards: ['D2'],
    hipaaSections: ['164.308(a)(1)(ii)(A)', '164.308(a)(5)(ii)(B)', '164.308(a)(1)(ii)(D)'],
  },
  {
    rule: SecurityGroupEgressExplicit,
    info: 'The security group has no inline SecurityGroupEgress (or an empty one): EC2 then adds a rule allowing all outbound traffic, which separate SecurityGroupEgress resources do not remove.',
    explanation:
      'Workloads reach only what they need (164.312(a)(1)); an implicit allow-all egress lets a compromised task send PHI anywhere the network routes (164.312(e)(1)).',
    safeguards: ['N3'],
    hipaaSections: ['164.312(a)(1)', '164.312(e)(1)'],
  },
  {
    rule: KeyUseByNamedPrincipals,
    info: 'A key limited to named users (PHI, audit, backup, PHI replica) has a statement giving use or administration to every principal of an account: the account root (or *) without a positive aws:PrincipalArn condition of exact ARNs; or the policy is absent (the default gives the whole account kms:*) or not readable whole.',
    explanation:
      'The account root principal delegates to every identity IAM allows (AdministratorAccess, PowerUser, the CDK roles), so key users and administrators must be named (164.312(a)(1), 164.312(a)(2)(iv)); only the root user itself stays as the lockout path.',
    safeguards: ['E1', 'A3'],
    hipaaSections: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(4)'],
  },
  {
    rule: PhiBucketPrincipalAllowList,
    info: 'The PHI bucket policy lacks a deny of object access to every aws:PrincipalArn outside an exact allow-list, a deny of bucket policy changes, or of configuration changes (versioning, replication, lifecycle, public access, ownership, ACLs, inventory, S3 Metadata tables), except by the deployment role, or (where its marker asks) a deny of VPC-only principals outside their VPC.',
    explanation:
      'Without an allow-list in the bucket policy every identity whose IAM policy allows s3:GetObject (any account administrator) reads PHI (164.312(a)(1), 164.308(a)(4)); task credentials used outside the VPC must read nothing.',
    safeguards: ['E1', 'A3'],
    hipaaSections: ['164.312(a)(1)', '164.308(a)(4)', '164.312(c)(1)'],
  },
  {
    rule: AuditArchiveTamperDenies,
    info: 'The audit archive bucket policy does not deny to everyone object and version deletes, Object Lock weakening (retention, legal hold, GOVERNANCE bypass), writes by anything but the trail, or lock configuration, versioning, lifecycle and policy changes by anyone but named principals.',
    explanation:
      "Object Lock fixes only the bucket default, which an administrator can change; the archive's own policy keeps the audit record from being altered or cut (164.312(b), 164.312(c)(1), 164.316(b)(2)(i)).",
    safeguards: ['U2', 'U6'],
    hipaaSections: ['164.312(b)', '164.312(c)(1)', '164.316(b)(2)(i)'],
  },
  {
    rule: LogBucketVersionDeleteDeny,
    info: 'The log bucket policy does not deny s3:DeleteObjectVersion to everyone without condition, or allows a principal outside this account (another account, everyone without an aws:PrincipalAccount/aws:SourceAccount condition to this account, a service other than the log delivery services or one without aws:SourceAccount = this account; the regional ELB account may only write).',
    explanation:
      'Versioning keeps deleted or overwritten log objects only while no one can delete the versions; logs are audit evidence kept six years (164.312(b), 164.316(b)(2)(i)).',
    safeguards: ['U3', 'U6'],
    hipaaSections: ['164.312(b)', '164.316(b)(2)(i)'],
  },
  {
    rule: ObjectEncryptionUpdatesDenied,
    info: 'A bucket holding PHI (a PHI store) or audit evidence (a log bucket, the audit, findings or access-audit archive) does not deny s3:UpdateObjectEncryption on every object to everyone without condition.',
    explanation:
      'UpdateObjectEncryption moves a stored object under another KMS key of the account in place: PHI would leave the PHI key and its named users (164.312(a)(2)(iv)); an audit object moved to a key that is then disabled or deleted is lost although no delete was allowed (164.312(b), 164.312(c)(1), 164.316(b)(2)(i)).',
    safeguards: ['E2', 'U2', 'U6'],
    hipaaSections: ['164.312(a)(2)(iv)', '164.312(b)', '164.312(c)(1)', '164.316(b)(2)(i)'],
  },
  {
    rule: VpcEndpointPolicyThisAccount,
    info: 'The VPC endpoint has no policy, or an Allow statement that admits principals or resources outside this account (interface: aws:PrincipalAccount and aws:ResourceAccount for this account, or only resource-less actions, or image pulls from the GuardDuty agent repository; gateway: aws:ResourceAccount for this account, or only the AWS-owned ECR layer and CloudFormation response buckets the blueprint needs); a policy written as a JSON string is read as the service parses it, one written with intrinsic functions is a finding.',
    explanation:
      "The default endpoint policy lets anything in the VPC send data to another account's logs, topics, secrets, images or buckets through the endpoint (164.312(e)(1), 164.308(a)(4)).",
    safeguards: ['N3', 'U6'],
    hipaaSections: ['164.312(e)(1)', '164.308(a)(4)'],
  },
  {
    rule: TrailRecordsArchiveDeletes,
    info: 'The trail does not record, as write data events, DeleteObject in the bucket it delivers to (advanced event selector on that bucket filtered by eventName), or its selector also selects PutObject (the trail would record its own deliveries).',
    explanation:
      'Deletes and protection changes in the audit archive must leave a record themselves (164.312(b)); selecting the deliveries would loop.',
    safeguards: ['U2', 'U6'],
    hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)'],
  },
  {
    rule: StoreCustomerManagedKey,
    info: 'The store of PHI or logs names no customer-managed KMS key (none, or an AWS-managed alias/aws/... key): RDS storage, Performance Insights or master secret, S3 (SSE-S3 on a PHI store or the audit archive), backup vault, log group, SNS topic, SQS queue, secret, ECR repository, or Fargate ephemeral storage.',
    explanation:
      'PHI and audit data at rest are encrypted with keys the organisation controls (164.312(a)(2)(iv)): a customer-managed key has a reviewed policy, rotation and CloudTrail-recorded use; an AWS-managed key can be used by anyone the service serves in the account.',
    safeguards: ['E2'],
    hipaaSections: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  },
  {
    rule: PhiLogGroupDataProtection,
    info: 'The log group can receive PHI (marked HipaaBlueprint::PhiLogGroup, an RDS export or WAF log group, or written by a container, ECS Exec or Session Manager) but its data protection policy is missing, does not audit, or does not mask every PHI identifier of PHI_LOG_DATA_IDENTIFIERS.',
    explanation:
      'No PHI in logs (164.312(b), 164.502(b) minimum necessary): CloudWatch Logs masks health and identity identifiers before anyone reads the log; the values stay readable only with logs:Unmask, which no one is granted.',
    safeguards: ['U4'],
    hipaaSections: ['164.312(b)', '164.312(a)(1)'],
  },
  {
    rule: SessionLifetimeLimit,
    info: 'A session lasts longer than 15 minutes: the load balancer sign-in (SessionTimeout; unset is 7 days), the Cognito client access or ID token (unset is 1 hour), its refresh token not exactly 60 minutes (unset, or below 60 minutes, is 30 days), the Session Manager idle timeout, or a role people assume keeps sessions over 1 hour.',
    explanation:
      'Automatic logoff (164.312(a)(2)(iii)): an unattended session ends after the blueprint limit (SESSION_LIMIT_MINUTES) everywhere a person holds one.',
    safeguards: ['A4'],
    hipaaSections: ['164.312(a)(2)(iii)'],
  },
  {
    rule: SessionManagerLogging,
    info: 'A Session Manager preferences document (Session, Standard_Stream) does not stream session transcripts (cloudWatchStreamingEnabled), to an encrypted log group (cloudWatchEncryptionEnabled) of its own template (by Ref), or sets no KMS key for session data (kmsKeyId), or runs sessions as an OS account it chooses (runAsEnabled); or its content cannot be read whole (not JSON, a key twice, an intrinsic).',
    explanation:
      "Audit controls (164.312(b)) and encryption (164.312(a)(2)(iv)): every operator session on a managed node leaves a transcript in a six-year log group encrypted with the blueprint's key, and the session's data is encrypted with it too; the preferences are the account's and region's, so logging off silences every session opened later.",
    safeguards: ['U3', 'E2'],
    hipaaSections: ['164.312(b)', '164.312(a)(2)(iv)'],
  },
  {
    rule: EcsExecLogged,
    info: "An ECS cluster's ECS Exec configuration does not log every session (Logging OVERRIDE) to an encrypted log group of its template (by Ref, CloudWatchEncryptionEnabled) with a KMS key for session data; or a service with ECS Exec on runs in a cluster that is not of its template (or in the account's default cluster).",
    explanation:
      "Audit controls (164.312(b)) and encryption (164.312(a)(2)(iv)): an ECS Exec session is a shell in a container that handles PHI; with logging NONE or DEFAULT (the task's own log configuration) the commands and output of that session are recorded nowhere the blueprint keeps for six years.",
    safeguards: ['U3', 'E2'],
    hipaaSections: ['164.312(b)', '164.312(a)(2)(iv)'],
  },
  {
    rule: ForwardRequiresSignIn,
    info: "An HTTPS listener (default action) or listener rule forwards without a prior authenticate-cognito action of the template's own user pool (by Fn::GetAtt Arn) with MFA on and self sign-up off (AllowAdminCreateUserOnly) and a client of it without federated identity providers that hands sign-ins to the load balancer only (authorization code grant only, a client secret, SRP and refresh as its only API flows, identity scopes only, one callback URL: https://<host>/oauth2/idpresponse) and signs in on a Cognito prefix domain of the pool (UserPoolDomain by Ref, no custom domain), of a pool without Lambda triggers and with threat protection enforced, or its sign-in lets unauthenticated requests through (OnUnauthenticatedRequest allow), or it signs in with OIDC (an outside identity provider: config has no such option).",
    explanation:
      'Every person reaching PHI through the application signs in with MFA first (164.312(d), 164.312(a)(1)); a route that forwards before the sign-in exposes the service to anyone on the internet.',
    safeguards: ['A2'],
    hipaaSections: ['164.312(d)', '164.312(a)(1)'],
  },
  {
    rule: BucketTlsOnlyPolicy,
    info: 'The bucket policy does not deny every S3 action to everyone, on the bucket and every object, over plain HTTP (aws:SecureTransport false) and below TLS 1.2 (NumericLessThan s3:TlsVersion 1.2), each on that key alone, or the bucket has no policy.',
    explanation:
      'PHI and audit data in transit are encrypted with TLS 1.2 or later only (164.312(e)(1), 164.312(e)(2)(ii)); S3 still accepts TLS 1.0/1.1 and plain HTTP unless the bucket policy refuses them.',
    safeguards: ['E3'],
    hipaaSections: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
  },
  {
    rule: PhiBucketWritesUnderItsKey,
    info: "The PHI bucket's policy does not deny, to everyone, object writes that ask for another encryption than its key: SSE-S3, aws:kms or DSSE-KMS without a key id (the AWS managed aws/s3 key), any KMS key other than the one its default encryption names, or SSE-C; or its default encryption names no KMS key.",
    explanation:
      'PHI at rest stays under the customer-managed key whose policy, rotation and recorded use the organisation controls (164.312(a)(2)(iv)): the default encryption covers writes that send no encryption header, and the bucket policy refuses every writer that asks for another.',
    safeguards: ['E2'],
    hipaaSections: ['164.312(a)(2)(iv)'],
  },
  {
    rule: OnePolicyPerBucket,
    info: 'The bucket policy does not name its bucket with Ref to an AWS::S3::Bucket of its own template (a name, an ARN, a cross-stack reference or a condition), or another bucket policy names the same bucket.',
    explanation:
      'S3 keeps one policy per bucket and each policy deployed replaces it: the rules judge the policy of each bucket of the template (its TLS, allow-list, write encryption and tamper denies), so a second policy, here or in another stack, would deploy in place of the judged one (164.312(a)(1), 164.312(e)(1), 164.312(c)(1)).',
    safeguards: ['E3', 'E1', 'E2', 'U2', 'U3'],
    hipaaSections: ['164.312(a)(1)', '164.312(e)(1)', '164.312(c)(1)'],
  },
  {
    rule: PhiBucketListingsStayInside,
    info: 'The PHI bucket configures an inventory, an event notification to a queue, topic or function, or S3 Metadata tables, or its EventBridge notifications are not on (a literal true).',
    explanation:
      "Each of these sends the PHI bucket's object keys somewhere else (another account's bucket or queue included) (164.312(a)(1), 164.308(a)(4)); AWS Backup's continuous backup and GuardDuty Malware Protection see new objects only through EventBridge notifications (164.308(a)(7)(ii)(A), 164.308(a)(5)(ii)(B)).",
    safeguards: ['E1', 'A3', 'I1', 'D2'],
    hipaaSections: ['164.312(a)(1)', '164.308(a)(4)', '164.308(a)(7)(ii)(A)', '164.308(a)(5)(ii)(B)'],
  },
  {
    rule: EventRuleMayInvokeItsFunctions,
    info: 'An EventBridge rule targets a Lambda function of its template that no unconditional AWS::Lambda::Permission lets events.amazonaws.com invoke from that rule.',
    explanation:
      'Without the permission every invocation fails: the alert, the tamper evidence or the check the rule runs never happens (164.308(a)(1)(ii)(D), 164.312(b), 164.308(a)(6)(ii)).',
    safeguards: ['D1', 'D3', 'U6'],
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)', '164.308(a)(6)(ii)'],
  },
  {
    rule: EventTargetsInAccount,
    info: "An EventBridge rule's target is in another account (its ARN names another account: an event bus, a queue, a topic, a function), in an account only deploy resolves (another stack's output, an import, a parameter's value), is an API destination, or is no sink (a state machine, an API, a task: it may call any API of any account); the same for a target's dead-letter queue.",
    explanation:
      "A rule hands its targets the whole event: a CloudTrail call's request parameters, a PHI bucket's object key, a finding; a target outside the account sends them where no safeguard applies (164.312(a)(1), 164.308(a)(4), 164.312(e)(1)).",
    safeguards: ['U6', 'E1', 'A3'],
    hipaaSections: ['164.312(a)(1)', '164.308(a)(4)', '164.312(e)(1)'],
  },
  {
    rule: LogsAndEventsStayInAccount,
    info: "A log subscription filter, or the account's subscription filter policy, sends log events to a destination of another account (or the policy cannot be read); an account transformer policy rewrites log events; a Lambda destination or a zero-ETL integration sends records or tables outside the account; another account is accepted as GuardDuty administrator or authorized to aggregate Config data; a dead-letter target (a function's, a subscription's) or a Config delivery channel's topic is outside the account; or an event bus, topic or queue policy or a resource share grants a principal outside the account, or a service without a source condition.",
    explanation:
      "A subscription filter streams every event of its log group (CloudTrail calls, pgaudit statements, application logs) to its destination, and an account policy every log group's; another account allowed to manage rules on the default bus routes this account's CloudTrail calls and findings to itself, and one allowed to put events writes look-alike findings: each sends or alters audit data where no safeguard applies (164.312(a)(1), 164.308(a)(4), 164.312(b), 164.312(e)(1)).",
    safeguards: ['U6', 'E1', 'A3'],
    hipaaSections: ['164.312(a)(1)', '164.308(a)(4)', '164.312(b)', '164.312(e)(1)'],
  },
  {
    rule: FirehoseDeliversToTemplateBucket,
    info: 'A Firehose stream delivers somewhere other than one S3 bucket of its own template (an HTTP endpoint, Splunk, Redshift, OpenSearch, a bucket named by a literal ARN, an S3 backup elsewhere), or runs a Lambda record processor.',
    explanation:
      "A stream receives every record put into it (access-audit events, findings, a log subscription's events); a destination outside the template, or a processor function, sends them where no safeguard applies (164.312(a)(1), 164.308(a)(4), 164.312(e)(1)).",
    safeguards: ['U6', 'E1', 'A3'],
    hipaaSections: ['164.312(a)(1)', '164.308(a)(4)', '164.312(e)(1)'],
  },
  {
    rule: BucketNamedInTemplate,
    info: "The bucket's BucketName is not stated by its template: an import, another resource's attribute or another value only deploy knows (a literal, or a join or substitution of literals and pseudo parameters, is stated).",
    explanation:
      'The PHI rules recognise a PHI bucket by its marker or by its name; a bucket named at deploy could be a PHI bucket that, its marker deleted, no rule judges (its allow-list, write encryption and tamper denies) (164.312(a)(1), 164.312(a)(2)(iv)).',
    safeguards: ['E1', 'E2', 'A3'],
    hipaaSections: ['164.312(a)(1)', '164.312(a)(2)(iv)'],
  },
  {
    rule: BackupVaultLocked,
    info: 'The backup vault has no vault lock, its minimum retention is below the 35-day floor, or the lock is in governance mode (no ChangeableForDays, removable by backup:DeleteBackupVaultLockConfiguration) although the environment the template declares is production in the shipped config (or unknown to it). Or its access policy allows anyone anything (only denies may be written): after the lock minimum retention, the principals it names delete or shorten the recovery points kept six years.',
    explanation:
      'Backups of PHI must survive a compromised administrator (164.308(a)(7)(ii)(A), 164.312(c)(1)): a vault lock keeps every recovery point for its minimum retention, whoever asks to delete it.',
    safeguards: ['I1'],
    hipaaSections: ['164.308(a)(7)(ii)(A)', '164.312(c)(1)'],
  },
  {
    rule: PhiDatabaseRecoverable,
    info: 'The PHI database (DB instance or cluster) keeps automated backups (point-in-time recovery) fewer than the 35-day floor (MIN_PITR_DAYS; absent is 1 day), or the DB instance deletes them with itself (DeleteAutomatedBackups not false; absent is true); a value only deploy resolves is a finding.',
    explanation:
      'PHI can be restored to any point of the last 35 days (164.308(a)(7)(ii)(A) data backup plan, 164.308(a)(7)(ii)(B) disaster recovery, 164.312(c)(1) integrity), also after the database was deleted by mistake or by an attacker (164.310(d)(2)(iv)).',
    safeguards: ['I1', 'I2'],
    hipaaSections: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.312(c)(1)', '164.310(d)(2)(iv)'],
  },
];

/** The project NagPack, registered like the cdk-nag packs: `Validations.of(app).addPlugins(new BlueprintChecks(app))`. */
export class BlueprintChecks extends NagPack {
  public readonly name = 'Blueprint';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Blueprint';
  }

  /** The templates of the current validation run: those synth wrote (validate), or the caller's (validateTemplates). */
  private templates: readonly TemplateSource[] = [];

  /**
   * At synth: the rules that read templates read the files synth wrote (what deploys) rather than rendering each stack
   * again.
   */
  public override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.withTemplates(context.stackTemplates, () => super.validate(context));
  }

  /**
   * validateScope over stacks whose templates the caller holds (the template checker: the template it included): the
   * rules that read templates or resource properties read those templates rather than rendering the stacks.
   */
  public validateTemplates(scope: IConstruct, templates: readonly TemplateSource[]): PolicyValidationPluginReport {
    return this.withTemplates(templates, () => this.validateScope(scope));
  }

  /**
   * Reads each stack's template afresh for this run (rules that read siblings see the tree as it is now): the run's
   * template (the written file at synth, the checker's), else the stack rendered.
   */
  public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    resetTemplateViews(this.templates);
    // The templates do not change during a run: what a rule computes per template (memo) is computed once.
    return withRunMemo(() => super.validateScope(scope));
  }

  private withTemplates(
    templates: readonly TemplateSource[],
    run: () => PolicyValidationPluginReport,
  ): PolicyValidationPluginReport {
    this.templates = templates;
    try {
      return run();
    } finally {
      // A rule called later outside a run (tests call rules directly) must not read this run's templates.
      this.templates = [];
      resetTemplateViews();
    }
  }

  protected checkResource(node: CfnResource): void {
    for (const r of PROJECT_RULES) {
      this.applyRule({
        info: `Safeguard ${r.safeguards.join(', ')}: ${r.info}`,
        explanation: r.explanation,
        level: NagMessageLevel.ERROR,
        rule: r.rule,
        node,
      });
    }
  }
}
