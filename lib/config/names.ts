import { Aws } from 'aws-cdk-lib';
import { STACK_CREATE_ID_LENGTH, stackCreateId } from '../../constructs/core/stack-create-id';
import { ALARM_STATE_CHANGES_RULE } from '../../constructs/finding-forwarder';
import { REPLICA_FORWARDED_WATCHES } from '../../constructs/tamper-watches';
import { BlueprintConfig, DEFAULT_ACCESS_VOLUME_THRESHOLD } from './schema';

/**
 * Every physical name and alias of an environment, derived from config in this one module. A name
 * derived in two places disagrees at deploy time sooner or later (replication, for example, names the
 * other region's key by alias and bucket by name: both sides read them from here). Names that cross
 * stacks (PHI buckets the audit stack watches before the data stack exists) come from here too, so no
 * stack needs another's reference.
 */
export type NamingInput = Pick<BlueprintConfig, 'appName' | 'envName' | 'account' | 'region'> & {
  readonly phiBucket: Pick<BlueprintConfig['phiBucket'], 'replicaRegion'>;
};

/** The stacks of an environment and their name suffixes (`<app>-<env>-<suffix>`). */
export const STACK_SUFFIXES = {
  keys: 'keys',
  network: 'network',
  alerting: 'alerting',
  audit: 'audit',
  detection: 'detection',
  data: 'data',
  phiReplica: 'phi-replica',
  replicaDetection: 'replica-detection',
  app: 'app',
} as const;

/** A stack of the environment. */
export type StackKey = keyof typeof STACK_SUFFIXES;

/** Construct id of each stack in its stage: `<Stage>/<id>` is the path the CDK CLI selects a stack by. */
export const STACK_IDS: Readonly<Record<StackKey, string>> = {
  keys: 'Keys',
  network: 'Network',
  alerting: 'Alerting',
  audit: 'Audit',
  detection: 'Detection',
  data: 'Data',
  phiReplica: 'PhiReplica',
  replicaDetection: 'ReplicaDetection',
  app: 'App',
};

/** Stage ids are the env name in PascalCase: `dev` -> `Dev`. */
export function stageId(envName: string): string {
  return envName.charAt(0).toUpperCase() + envName.slice(1);
}

/** The construct path of a stack (`Dev/Keys`), as `cdk deploy` selects it. */
export function stackPath(envName: string, stack: StackKey): string {
  return `${stageId(envName)}/${STACK_IDS[stack]}`;
}

/**
 * Whether the environment has a detection stack: it holds a resource only when one of Config, GuardDuty,
 * Security Hub, Macie or Malware Protection for S3 is on, or Inspector with the ECR registry scanning configuration (which an environment
 * sharing its account with another leaves to that one); CloudFormation rejects an empty template.
 */
export function hasDetectionStack(
  detection: {
    readonly config: boolean;
    readonly guardDuty: boolean;
    readonly securityHub: boolean;
    readonly macie: boolean;
    readonly inspector: boolean;
    readonly malwareProtection?: boolean;
  },
  sharesAccountWith?: string,
): boolean {
  const registryScanning = detection.inspector && sharesAccountWith === undefined;
  const malwareScanning = detection.malwareProtection !== false;
  return (
    detection.config ||
    detection.guardDuty ||
    detection.securityHub ||
    detection.macie ||
    registryScanning ||
    malwareScanning
  );
}

/**
 * Whether the environment has a replica-region detection stack (config.phiBucket.replicaRegion): PHI is stored
 * there too, so GuardDuty, Security Hub and the AWS Config recorder run there when switched on (Macie is
 * regional and out of its scope; Inspector has no resource).
 */
export function hasReplicaDetectionStack(detection: {
  readonly config: boolean;
  readonly guardDuty: boolean;
  readonly securityHub: boolean;
}): boolean {
  return detection.config || detection.guardDuty || detection.securityHub;
}

/** The key domains whose aliases the blueprint creates (one customer-managed key each, plus the replica's). */
export type KeyAliasDomain =
  'phi' | 'audit' | 'backup' | 'operations' | 'phi-replica' | 'audit-replica' | 'backup-replica';

/** `<app>-<env>`: the prefix of every name of the environment. */
export function namePrefix(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return `${config.appName}-${config.envName}`;
}

/** `<app>-<env>-<suffix>`. */
export function resourceName(config: Pick<NamingInput, 'appName' | 'envName'>, suffix: string): string {
  return `${namePrefix(config)}-${suffix}`;
}

/** CloudFormation stack name of one of the environment's stacks. */
export function stackName(config: Pick<NamingInput, 'appName' | 'envName'>, stack: StackKey): string {
  return resourceName(config, STACK_SUFFIXES[stack]);
}

/** Alias of a key, without `alias/` (as ManagedKey takes it): `<app>-<env>/<domain>`. */
export function keyAlias(config: Pick<NamingInput, 'appName' | 'envName'>, domain: KeyAliasDomain): string {
  return `${namePrefix(config)}/${domain}`;
}

/** Alias of the PHI key (KeysStack, config.region), without `alias/`. */
export function phiKeyAlias(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return keyAlias(config, 'phi');
}

/** Alias of the PHI replica key (PhiReplicaStack, config.phiBucket.replicaRegion), without `alias/`. */
export function phiReplicaKeyAlias(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return keyAlias(config, 'phi-replica');
}

/** Alias of the audit replica key (PhiReplicaStack, config.phiBucket.replicaRegion), without `alias/`. */
export function auditReplicaKeyAlias(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return keyAlias(config, 'audit-replica');
}

/** Alias of the backup replica key (PhiReplicaStack, config.phiBucket.replicaRegion), without `alias/`. */
export function backupReplicaKeyAlias(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return keyAlias(config, 'backup-replica');
}

/** Description of a resource of the environment: `<app>-<env>: <what>`. */
export function describedAs(config: Pick<NamingInput, 'appName' | 'envName'>, what: string): string {
  return `${namePrefix(config)}: ${what}`;
}

/**
 * ARN of a key alias in another region of this account, built from names: replication names the
 * other region's key without a cross-region CloudFormation reference.
 */
export function keyAliasArn(region: string, alias: string): string {
  return `arn:${Aws.PARTITION}:kms:${region}:${Aws.ACCOUNT_ID}:alias/${alias}`;
}

/** The PHI data bucket's globally unique name. */
export function phiDataBucketName(config: NamingInput): string {
  return `${namePrefix(config)}-phi-data-${config.account}-${config.region}`;
}

/**
 * The PHI data bucket's name as a consuming stack references it: phiDataBucketName with the account
 * and region as pseudo-parameters (the same values at deploy time: every blueprint stack deploys to
 * config.account and config.region). Policies naming the bucket's objects use it, so their cdk-nag
 * finding ids, and the register's acknowledgements of them, do not depend on the account.
 */
export function phiDataBucketNameRef(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return `${namePrefix(config)}-phi-data-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/**
 * The PHI data bucket's name as a stack in the replica region references it: the account as a
 * pseudo-parameter (as phiDataBucketNameRef), the primary region literal (AWS::Region is the replica's there).
 */
export function phiDataBucketNameCrossRegionRef(config: NamingInput): string {
  return `${namePrefix(config)}-phi-data-${Aws.ACCOUNT_ID}-${config.region}`;
}

/** The PHI replica bucket's globally unique name (PhiReplicaStack, in config.phiBucket.replicaRegion). */
export function phiReplicaBucketName(config: NamingInput): string {
  return `${namePrefix(config)}-phi-replica-${config.account}-${config.phiBucket.replicaRegion}`;
}

/**
 * The PHI replica bucket's name as a policy references it: phiReplicaBucketName with the account as a
 * pseudo-parameter (same value at deploy time), so cdk-nag finding ids do not depend on the account.
 */
export function phiReplicaBucketNameRef(config: NamingInput): string {
  return `${namePrefix(config)}-phi-replica-${Aws.ACCOUNT_ID}-${config.phiBucket.replicaRegion}`;
}

/**
 * Every PHI bucket the app creates. The audit stack records S3 data events (read and write) and
 * runs Macie on each; the data stack creates them with exactly these names. Add new PHI buckets here.
 */
export function phiBucketNames(config: NamingInput): string[] {
  return [phiDataBucketName(config), phiReplicaBucketName(config)];
}

/**
 * The audit archive's replica bucket (PhiReplicaStack, in config.phiBucket.replicaRegion), globally unique: the
 * destination of the audit archive's cross-region replication.
 */
export function auditArchiveReplicaBucketName(config: NamingInput): string {
  return `${namePrefix(config)}-audit-replica-${config.account}-${config.phiBucket.replicaRegion}`;
}

/**
 * The audit replica bucket's name as the audit archive's replication references it: the account as a
 * pseudo-parameter (same value at deploy time), so cdk-nag finding ids do not depend on the account.
 */
export function auditArchiveReplicaBucketNameRef(config: NamingInput): string {
  return `${namePrefix(config)}-audit-replica-${Aws.ACCOUNT_ID}-${config.phiBucket.replicaRegion}`;
}

/** The account's multi-region CloudTrail trail of this environment. */
export function trailName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'trail');
}

/** The emergency role operators assume by name. */
export function breakGlassRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'break-glass');
}

/** The ECS cluster of the environment's PHI workloads (break-glass containment names it too). */
export function clusterName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi');
}

/**
 * A service's ECS task role: a fixed name, so that the keys stack and the PHI bucket policy (deployed
 * before the app stack) can allow-list it by ARN (E1, A3).
 */
export function serviceTaskRoleName(config: Pick<NamingInput, 'appName' | 'envName'>, service: string): string {
  return resourceName(config, `${service}-task`);
}

/** Which PHI bucket a replication role reads from: the PHI data bucket or its replica. */
export type PhiReplicationSource = 'data' | 'replica';

/** The S3 replication role of one PHI bucket (allow-listed on both PHI keys and both PHI buckets). */
export function phiReplicationRoleName(
  config: Pick<NamingInput, 'appName' | 'envName'>,
  source: PhiReplicationSource,
): string {
  return resourceName(config, `phi-${source}-replication`);
}

/**
 * The S3 replication role of the audit archive (allow-listed on the audit key, to read the archive's objects, and
 * on the audit replica key, to write the replicas).
 */
export function auditReplicationRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'audit-replication');
}

/**
 * The role Amazon Data Firehose assumes to deliver the access-audit events into their object-locked bucket (U5):
 * fixed, so that the audit key allow-lists it (lib/config/principals.ts) and the bucket admits writes by it only.
 */
export function accessAuditDeliveryRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'access-audit-delivery');
}

/**
 * The role of the access-audit volume check (U5, D1): fixed, so that the audit key allow-lists it (it reads the events
 * and writes the Athena results through S3).
 */
export function accessAuditVolumeRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'access-audit-volume');
}

/** The role AWS Backup assumes to back up and restore the PHI stores (allow-listed on the PHI and backup keys). */
export function backupRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-backup');
}

/**
 * The role GuardDuty Malware Protection for S3 assumes to scan the PHI data bucket's new objects (allow-listed on
 * the PHI key and the PHI bucket's object access).
 */
export function malwareProtectionRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-malware-scan');
}

/**
 * The role Amazon Data Firehose assumes to deliver Security Hub findings into the findings archive (D2): fixed, so
 * that the audit key allow-lists it (through S3) and the archive admits writes by it only.
 */
export function findingsArchiveDeliveryRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'findings-archive-delivery');
}

/**
 * The role EventBridge assumes to put Security Hub findings into the findings archive's stream (D2): fixed, so that
 * the audit key allow-lists it through Firehose (a PutRecord caller of a stream under a customer-managed key).
 */
export function findingsArchiveExportRoleName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'findings-archive-export');
}

/** The Firehose stream that carries Security Hub findings into the findings archive (D2). */
export function findingsArchiveStreamName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'findings-archive');
}

/** The Firehose stream that carries the replica region's forwarded GuardDuty findings into the findings archive (D2). */
export function findingsArchiveForwardedStreamName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'findings-archive-gd-forwarded');
}

/**
 * The EventBridge rules that put findings into the findings archive's streams (D2): fixed, so that the export role's
 * trust, the dead-letter queue's policy and the audit key pin their ARNs (aws:SourceArn) without a reference.
 */
export function findingsArchiveRuleName(
  config: Pick<NamingInput, 'appName' | 'envName'>,
  findings: 'securityhub' | 'guardduty-forwarded',
): string {
  return resourceName(config, `findings-archive-${findings}`);
}

/**
 * The keys of the replica region's forwarding rules (FindingForwarder `patterns` of ReplicaDetectionStack, and the
 * rule forwarding the forwarder's own alarms): GuardDuty and Security Hub findings when on, every replica-forwarded
 * tamper watch (U6). Empty without the replica detection stack.
 */
export function replicaForwardRuleKeys(detection: {
  readonly config: boolean;
  readonly guardDuty: boolean;
  readonly securityHub: boolean;
}): string[] {
  if (!hasReplicaDetectionStack(detection)) return [];
  return [
    ...(detection.guardDuty ? ['GuardDutyFindings'] : []),
    ...(detection.securityHub ? ['SecurityHubFindings'] : []),
    ...REPLICA_FORWARDED_WATCHES.map((w) => `Tamper${w.id}`),
    ALARM_STATE_CHANGES_RULE,
  ];
}

/**
 * The replica region's forwarding rule of `key` (replicaForwardRuleKeys): fixed, so that the forwarder role's trust,
 * its dead-letter queue and the audit replica key pin the rules' ARNs (aws:SourceArn) without a reference (D2, D3).
 */
export function replicaForwardRuleName(config: Pick<NamingInput, 'appName' | 'envName'>, key: string): string {
  return resourceName(config, `fwd-${key}`);
}

/**
 * The rule forwarding a replication stall alarm's state changes from the replica region (PhiReplicaStack): fixed, so
 * that its role's trust pins its ARN (aws:SourceArn) without a reference cycle (I2, D3).
 */
export function stallForwardRuleName(
  config: Pick<NamingInput, 'appName' | 'envName'>,
  destination: 'phi-replica' | 'audit-archive-replica',
): string {
  return resourceName(config, `fwd-stall-${destination}`);
}

/** Qualifier of the CDK bootstrap stack the blueprint deploys with (`cdk bootstrap` default). */
export const CDK_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/**
 * The CloudFormation execution role of the CDK bootstrap in `region` of the account: the deployment role
 * that creates and updates every resource (and so must administer the keys and change the protected policies).
 */
export function cdkExecutionRoleName(config: Pick<NamingInput, 'account'>, region: string): string {
  return `cdk-${CDK_BOOTSTRAP_QUALIFIER}-cfn-exec-role-${config.account}-${region}`;
}

/** The PHI database instance (or cluster) identifier. */
export function databaseIdentifier(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-db');
}

/**
 * The AWS Backup vault of the PHI stores: `<app>-<env>-phi-vault-<stack create id>`. The vault is retained
 * (with its vault lock it may not even be deletable), so a fixed name would make a retried first create of
 * the data stack fail ("already exists"); the suffix is unique to each creation of the stack
 * (stackCreateId) and stable across its updates. Nothing else names the vault: the backup plan and the
 * job-failure alarms reference it in the same stack. `createId` replaces the deploy-time suffix (validation
 * checks the length with a stand-in).
 */
export function backupVaultName(
  config: Pick<NamingInput, 'appName' | 'envName'>,
  createId: string = stackCreateId(),
): string {
  return `${resourceName(config, 'phi-vault')}-${createId}`;
}

/**
 * The AWS Backup vault in the replica region (PhiReplicaStack) that the PHI backup plan copies every recovery point
 * to (I1: backups in a second region). A fixed name, unlike the main vault: the data stack's copy actions name it by
 * ARN in another region (no cross-region reference). Like the replica buckets, it exists from the bootstrap step on;
 * a retried first create of the replica stack fails on it ("already exists") until the retained vault is removed.
 */
export function backupReplicaVaultName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-vault-replica');
}

/** ARN of the replica region's backup vault, built from names (the copy actions' destination). */
export function backupReplicaVaultArn(config: NamingInput): string {
  return `arn:${Aws.PARTITION}:backup:${config.phiBucket.replicaRegion}:${Aws.ACCOUNT_ID}:backup-vault:${backupReplicaVaultName(config)}`;
}

/** The AWS Backup restore testing plan of the PHI stores (letters, digits and underscores only). */
export function restoreTestingPlanName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return `${resourceName(config, 'phi-restore-test')}`.replace(/-/g, '_');
}

/** The Macie classification job of the PHI buckets of the main region. */
export function macieJobName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-daily-discovery');
}

/** Parameter Store path of a service's configuration (ServiceConfiguration): `/<app>-<env>/<service>`. */
export function serviceParameterPath(config: Pick<NamingInput, 'appName' | 'envName'>, service: string): string {
  return `/${namePrefix(config)}/${service}`;
}

/**
 * The Firehose stream a service writes its access-audit events to (U5): `<app>-<env>-<service>-access-audit`.
 * Issue 16 (the access-audit channel) creates it under this name; until then the service gets the name in
 * AUDIT_STREAM_NAME, the write fails, and the service refuses every PHI request (fail closed).
 */
export function accessAuditStreamName(config: Pick<NamingInput, 'appName' | 'envName'>, service: string): string {
  return `${namePrefix(config)}-${service}-access-audit`;
}

/** The Athena workgroup of the access-audit search (U5). */
export function accessAuditWorkGroupName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'access-audit');
}

/** The Glue database of the access-audit events (U5): `<app>_<env>_access_audit` (Glue: lower case and underscores). */
export function accessAuditDatabaseName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return `${namePrefix(config)}_access_audit`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The Cognito user pool of the application's users. */
export function userPoolName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'users');
}

/** Host name used in the sign-in callback when no domain is configured (deploy needs config.domain). */
export const PLACEHOLDER_HOST = 'config-domain-required-for-deploy.invalid';

/** The host name the application is served on: config.domain's name, or PLACEHOLDER_HOST without a domain. */
export function applicationHost(config: Partial<Pick<BlueprintConfig, 'domain'>>): string {
  return config.domain?.name ?? PLACEHOLDER_HOST;
}

/**
 * Where Cognito may send a user after sign-in and sign-out (the load balancer's sign-in client): the load balancer's
 * own `https://<host>/oauth2/idpresponse`, and the application's root.
 */
export function signInRedirects(config: Partial<Pick<BlueprintConfig, 'domain'>>): {
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
} {
  const host = applicationHost(config);
  return { callbackUrls: [`https://${host}/oauth2/idpresponse`], logoutUrls: [`https://${host}/`] };
}

/** The Cognito hosted sign-in domain prefix (globally unique per region, hence the account). */
export function signInDomainPrefix(config: Pick<NamingInput, 'appName' | 'envName' | 'account'>): string {
  return `${resourceName(config, 'signin')}-${config.account}`;
}

/** The application load balancer. */
export function loadBalancerName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'app');
}

/** One physical name the environment derives, and the AWS rule it must satisfy. */
export interface PhysicalNameRule {
  /** What the name is, for the message. */
  readonly what: string;
  /** The name this environment would use (one per service for per-service names). */
  readonly names: (config: NamingInput & { readonly services: readonly { readonly name: string }[] }) => string[];
  /** Why `name` is refused by AWS, or undefined when it is valid. */
  readonly problem: (name: string) => string | undefined;
}

const pattern =
  (re: RegExp, rule: string) =>
  (name: string): string | undefined =>
    re.test(name) ? undefined : rule;

/** S3 bucket names (general purpose buckets): the rules of the S3 User Guide. */
function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters; S3 bucket names are 3-63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return 'S3 bucket names are lower-case letters, digits, dots and dashes, starting and ending with a letter or digit';
  if (/\.\./.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name))
    return 'S3 bucket names have no adjacent dots and are not IP addresses';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) {
    return 'S3 reserves that prefix or suffix';
  }
  return undefined;
}

/**
 * Every physical name derived from appName and envName, with the AWS rule it must satisfy. Config validation
 * checks each (so a name AWS would refuse at deploy time is refused at synth, naming the config field).
 */
export const PHYSICAL_NAME_RULES: readonly PhysicalNameRule[] = [
  { what: 'PHI data bucket', names: (c) => [phiDataBucketName(c)], problem: bucketNameProblem },
  { what: 'PHI replica bucket', names: (c) => [phiReplicaBucketName(c)], problem: bucketNameProblem },
  {
    what: 'audit archive replica bucket',
    names: (c) => [auditArchiveReplicaBucketName(c)],
    problem: bucketNameProblem,
  },
  {
    what: 'stack name',
    names: (c) => Object.keys(STACK_SUFFIXES).map((k) => stackName(c, k as StackKey)),
    problem: pattern(
      /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
      'CloudFormation stack names are 1-128 letters, digits and dashes, starting with a letter',
    ),
  },
  {
    what: 'access-audit stream name',
    names: (c) => c.services.map((s) => accessAuditStreamName(c, s.name)),
    problem: pattern(/^[a-zA-Z0-9_.-]{1,64}$/, 'Firehose stream names are 1-64 of [a-zA-Z0-9_.-]'),
  },
  {
    what: 'findings archive stream name',
    names: (c) => [findingsArchiveStreamName(c), findingsArchiveForwardedStreamName(c)],
    problem: pattern(/^[a-zA-Z0-9_.-]{1,64}$/, 'Firehose stream names are 1-64 of [a-zA-Z0-9_.-]'),
  },
  {
    what: 'EventBridge rule name',
    names: (c) => [
      findingsArchiveRuleName(c, 'securityhub'),
      findingsArchiveRuleName(c, 'guardduty-forwarded'),
      ...replicaForwardRuleKeys({ config: true, guardDuty: true, securityHub: true }).map((k) =>
        replicaForwardRuleName(c, k),
      ),
      stallForwardRuleName(c, 'phi-replica'),
      stallForwardRuleName(c, 'audit-archive-replica'),
    ],
    problem: pattern(/^[a-zA-Z0-9_.-]{1,64}$/, 'EventBridge rule names are 1-64 of [a-zA-Z0-9_.-]'),
  },
  {
    what: 'Cognito sign-in domain prefix',
    names: (c) => [signInDomainPrefix(c)],
    problem: (name) =>
      !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name)
        ? 'Cognito domain prefixes are 1-63 lower-case letters, digits and dashes, not starting or ending with a dash'
        : /aws|amazon|cognito/.test(name)
          ? "Cognito domain prefixes may not contain 'aws', 'amazon' or 'cognito'"
          : undefined,
  },
  {
    what: 'load balancer name',
    names: (c) => [loadBalancerName(c)],
    problem: pattern(
      /^(?!internal-)(?=.{1,32}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      'load balancer names are 1-32 letters, digits and dashes, not starting or ending with a dash',
    ),
  },
  {
    what: 'database identifier',
    names: (c) => [databaseIdentifier(c)],
    problem: pattern(
      /^(?=.{1,63}$)[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/,
      'RDS identifiers are 1-63 letters, digits and single dashes, starting with a letter, not ending with a dash',
    ),
  },
  {
    what: 'backup vault name',
    names: (c) => [backupVaultName(c, 'f'.repeat(STACK_CREATE_ID_LENGTH))],
    problem: pattern(/^[a-zA-Z0-9_-]{2,50}$/, 'backup vault names are 2-50 letters, digits, dashes and underscores'),
  },
  {
    what: 'backup replica vault name',
    names: (c) => [backupReplicaVaultName(c)],
    problem: pattern(/^[a-zA-Z0-9_-]{2,50}$/, 'backup vault names are 2-50 letters, digits, dashes and underscores'),
  },
  {
    what: 'restore testing plan name',
    names: (c) => [restoreTestingPlanName(c)],
    problem: pattern(/^[a-zA-Z0-9_]{1,50}$/, 'restore testing plan names are 1-50 letters, digits and underscores'),
  },
  {
    what: 'CloudTrail trail name',
    names: (c) => [trailName(c)],
    problem: pattern(
      /^(?=.{3,128}$)[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*$/,
      'trail names are 3-128 letters, digits, . _ -, starting and ending with a letter or digit, without adjacent . _ -',
    ),
  },
  {
    what: 'break-glass role name',
    names: (c) => [breakGlassRoleName(c)],
    problem: pattern(/^[\w+=,.@-]{1,64}$/, 'IAM role names are 1-64 of [A-Za-z0-9+=,.@_-]'),
  },
  {
    what: 'IAM role name',
    names: (c) => [
      ...c.services.map((s) => serviceTaskRoleName(c, s.name)),
      phiReplicationRoleName(c, 'data'),
      phiReplicationRoleName(c, 'replica'),
      auditReplicationRoleName(c),
      backupRoleName(c),
      accessAuditDeliveryRoleName(c),
      malwareProtectionRoleName(c),
      accessAuditVolumeRoleName(c),
      findingsArchiveDeliveryRoleName(c),
      findingsArchiveExportRoleName(c),
    ],
    problem: pattern(/^[\w+=,.@-]{1,64}$/, 'IAM role names are 1-64 of [A-Za-z0-9+=,.@_-]'),
  },
  {
    what: 'ECS cluster name',
    names: (c) => [clusterName(c)],
    problem: pattern(/^[A-Za-z0-9_-]{1,255}$/, 'ECS cluster names are 1-255 letters, digits, dashes and underscores'),
  },
  {
    what: 'KMS key alias',
    names: (c) =>
      (['phi', 'audit', 'backup', 'operations', 'phi-replica', 'audit-replica', 'backup-replica'] as const).map(
        (d) => `alias/${keyAlias(c, d)}`,
      ),
    problem: pattern(
      /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/,
      'KMS aliases are alias/ and 1-250 of [a-zA-Z0-9/_-], not alias/aws/',
    ),
  },
];

/**
 * The endpoints the alert topic subscribes (alerting-stack.ts): every address of alertEmails, and alertHttpsEndpoint
 * when set. The gate requires each on the topics the alarms reach (AlarmsReachSubscribers).
 */
export function alertEndpoints(config: Pick<BlueprintConfig, 'alertEmails' | 'alertHttpsEndpoint'>): string[] {
  return [...config.alertEmails, ...(config.alertHttpsEndpoint !== undefined ? [config.alertHttpsEndpoint] : [])];
}

/**
 * The region whose Session Manager preferences the environment owns (session-manager-preferences.ts): its own region
 * when it does not share another environment's account (config.sharesAccountWith absent), else none. Session Manager
 * reads preferences per account and region, so the gate requires the document in a stack of that region
 * (SessionPreferencesPresent).
 */
export function sessionPreferencesRegion(
  config: Pick<BlueprintConfig, 'region' | 'sharesAccountWith'>,
): string | undefined {
  return config.sharesAccountWith === undefined ? config.region : undefined;
}

/**
 * Access-audit events of one user in one hour above which the volume alarm fires (config.app.accessVolumeThresholdPerHour,
 * or the default): the audit stack's volume check runs with it, and the gate holds the deployed function to it
 * (AccessAuditChannelPresent).
 */
export function accessVolumeThreshold(config: Pick<BlueprintConfig, 'app'>): number {
  return config.app.accessVolumeThresholdPerHour ?? DEFAULT_ACCESS_VOLUME_THRESHOLD;
}
