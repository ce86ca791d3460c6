import { ENVIRONMENTS } from './environments';
import { BlueprintConfig } from './schema';
import { loadConfig as loadFrom } from './validate';

export * from './schema';
export * from './names';
export * from './principals';
export * from './defaults';
export * from '../../constructs/core/retention';
export { CONFIG_RULES, globCovers, partitionOf, requiredEndpoints } from './rules';
export {
  ACCOUNT_LEVEL_SERVICES,
  ConfigValidationError,
  configProblems,
  environmentProblems,
  validateConfig,
} from './validate';
export { ENVIRONMENTS } from './environments';

/**
 * The validated config of one environment (of the shipped ENVIRONMENTS unless others are given). Unknown
 * names, invalid configs and clashes with another environment throw ConfigValidationError before any
 * construct exists, so no template is written.
 */
export function loadConfig(
  envName: string,
  environments: Readonly<Record<string, unknown>> = ENVIRONMENTS,
): BlueprintConfig {
  return loadFrom(envName, environments);
}
