import { App } from 'aws-cdk-lib';
import { applyCompliance } from './compliance/apply-compliance';
import { BlueprintConfig } from './config';
import { HipaaStage } from './hipaa-stage';

/** Options for building the blueprint into an app. */
export interface BuildBlueprintOptions {
  /**
   * Register the rule packs and the acknowledgement register.
   * @default true
   */
  readonly compliance?: boolean;
}

/** Stage ids are the env name in PascalCase: `dev` -> `Dev`. */
export function stageId(envName: string): string {
  return envName.charAt(0).toUpperCase() + envName.slice(1);
}

/**
 * Builds one environment into the app: the stage, then the compliance gate over everything.
 * `config` must already be validated (loadConfig), so nothing is created from a bad config.
 */
export function buildBlueprint(app: App, config: BlueprintConfig, options: BuildBlueprintOptions = {}): HipaaStage {
  const stage = new HipaaStage(app, stageId(config.envName), { config });
  if (options.compliance ?? true) applyCompliance(app);
  return stage;
}
