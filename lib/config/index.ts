import { BlueprintConfig } from './blueprint-config';
import { ENVIRONMENTS } from './environments';
import { ConfigValidationError, validateConfig } from './validate-config';

export * from './blueprint-config';
export * from '../../constructs/core/retention';
export * from './defaults';
export * from './data-config';
export * from './session-config';
export * from './service-config';
export { ConfigValidationError, configProblems, validateConfig } from './validate-config';
export { ENVIRONMENTS } from './environments';

/**
 * The validated config of one environment. Unknown names and invalid configs throw
 * ConfigValidationError before any construct exists, so no template is written.
 */
export function loadConfig(
  envName: string,
  environments: Readonly<Record<string, BlueprintConfig>> = ENVIRONMENTS,
): BlueprintConfig {
  const config = Object.prototype.hasOwnProperty.call(environments, envName) ? environments[envName] : undefined;
  if (!config) {
    throw new ConfigValidationError(envName, [
      `env = '${envName}': unknown environment; known: ${Object.keys(environments).join(', ')} (select with -c env=NAME)`,
    ]);
  }
  if (config.envName !== envName) {
    throw new ConfigValidationError(envName, [
      `envName = '${config.envName}': must equal its key '${envName}' in ENVIRONMENTS`,
    ]);
  }
  return validateConfig(config);
}
export * from './names';
