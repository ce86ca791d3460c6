import { Aws } from 'aws-cdk-lib';
import { BlueprintConfig } from './blueprint-config';

/**
 * Physical names derived from config. Names that cross stacks (PHI buckets that the audit stack
 * must watch before the data stack exists) come from here, so no stack needs another's reference.
 */
export function resourceName(config: BlueprintConfig, suffix: string): string {
  return `${config.appName}-${config.envName}-${suffix}`;
}

/** The PHI data bucket's globally unique name. */
export function phiDataBucketName(config: BlueprintConfig): string {
  return `${config.appName}-${config.envName}-phi-data-${config.account}-${config.region}`;
}

/**
 * The PHI data bucket's name as a consuming stack references it: phiDataBucketName with the account
 * and region as pseudo-parameters (the same values at deploy time: every blueprint stack deploys to
 * config.account and config.region). Policies naming the bucket's objects use it, so their cdk-nag
 * finding ids, and the register's acknowledgements of them, do not depend on the account.
 */
export function phiDataBucketNameRef(config: BlueprintConfig): string {
  return `${config.appName}-${config.envName}-phi-data-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/**
 * The PHI data bucket's name as a stack in the replica region references it: the account as a
 * pseudo-parameter (as phiDataBucketNameRef), the primary region literal (AWS::Region is the replica's there).
 */
export function phiDataBucketNameCrossRegionRef(config: BlueprintConfig): string {
  return `${config.appName}-${config.envName}-phi-data-${Aws.ACCOUNT_ID}-${config.region}`;
}

/**
 * Every PHI bucket the app creates. The audit stack records S3 data events (read and write) and
 * runs Macie on each; the data stack creates them with exactly these names. Add new PHI buckets here.
 */
export function phiBucketNames(config: BlueprintConfig): string[] {
  return [phiDataBucketName(config), phiReplicaBucketName(config)];
}

/** The PHI replica bucket's globally unique name (PhiReplicaStack, in config.phiBucket.replicaRegion). */
export function phiReplicaBucketName(config: BlueprintConfig): string {
  return `${config.appName}-${config.envName}-phi-replica-${config.account}-${config.phiBucket.replicaRegion}`;
}

/**
 * The PHI replica bucket's name as a policy references it: phiReplicaBucketName with the account as a
 * pseudo-parameter (same value at deploy time), so cdk-nag finding ids do not depend on the account.
 */
export function phiReplicaBucketNameRef(config: BlueprintConfig): string {
  return `${config.appName}-${config.envName}-phi-replica-${Aws.ACCOUNT_ID}-${config.phiBucket.replicaRegion}`;
}

/** Alias of the PHI key (KeysStack, config.region), without `alias/` (as ManagedKey takes it). */
export function phiKeyAlias(config: BlueprintConfig): string {
  return `${config.appName}-${config.envName}/phi`;
}

/** Alias of the PHI replica key (PhiReplicaStack, config.phiBucket.replicaRegion), without `alias/`. */
export function phiReplicaKeyAlias(config: BlueprintConfig): string {
  return `${config.appName}-${config.envName}/phi-replica`;
}

/**
 * ARN of a key alias in another region of this account, built from names: replication names the
 * other region's key without a cross-region CloudFormation reference.
 */
export function keyAliasArn(region: string, alias: string): string {
  return `arn:${Aws.PARTITION}:kms:${region}:${Aws.ACCOUNT_ID}:alias/${alias}`;
}
