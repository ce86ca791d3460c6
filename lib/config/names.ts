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
 * Every PHI bucket the app creates. The audit stack records S3 data events (read and write) and
 * runs Macie on each; the data stack creates them with exactly these names. Add new PHI buckets here.
 */
export function phiBucketNames(config: BlueprintConfig): string[] {
  return [phiDataBucketName(config)];
}
