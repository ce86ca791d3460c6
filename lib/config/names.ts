import { Aws } from 'aws-cdk-lib';
import { BlueprintConfig } from './blueprint-config';

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
  app: 'app',
} as const;

/** A stack of the environment. */
export type StackKey = keyof typeof STACK_SUFFIXES;

/** The key domains whose aliases the blueprint creates (one customer-managed key each, plus the replica's). */
export type KeyAliasDomain = 'phi' | 'audit' | 'backup' | 'operations' | 'phi-replica';

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

/** The PHI database instance (or cluster) identifier. */
export function databaseIdentifier(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-db');
}

/** The AWS Backup vault of the PHI stores. */
export function backupVaultName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-vault');
}

/** The Macie classification job of the PHI buckets of the main region. */
export function macieJobName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'phi-daily-discovery');
}

/** A service's private ECR repository: `<app>-<env>/<service>`. */
export function imageRepositoryName(config: Pick<NamingInput, 'appName' | 'envName'>, service: string): string {
  return `${namePrefix(config)}/${service}`;
}

/** The Cognito user pool of the application's users. */
export function userPoolName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'users');
}

/** The Cognito hosted sign-in domain prefix (globally unique per region, hence the account). */
export function signInDomainPrefix(config: Pick<NamingInput, 'appName' | 'envName' | 'account'>): string {
  return `${resourceName(config, 'signin')}-${config.account}`;
}

/** The application load balancer. */
export function loadBalancerName(config: Pick<NamingInput, 'appName' | 'envName'>): string {
  return resourceName(config, 'app');
}
