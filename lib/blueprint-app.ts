import { App } from 'aws-cdk-lib';
import { applyCompliance } from './compliance/apply-compliance';
import { BlueprintConfig, stageId } from './config';
import { buildRegister } from './compliance/register';
import { HipaaStage } from './hipaa-stage';
import { PhiReplicaBootstrapStage } from './phi-replica-bootstrap-stage';

/** Options for building the blueprint into an app. */
export interface BuildBlueprintOptions {
  /**
   * Register the rule packs and the acknowledgement register of this config (buildRegister).
   * @default true
   */
  readonly compliance?: boolean;
  /**
   * Step 1 of an environment's first deploy (bin: `-c phiReplicaBootstrap=true`): the app holds only
   * the PHI replica stack, its bucket without replication (the PHI bucket does not exist yet), and
   * the register adds its bootstrap entry (PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS). Step 2 is the normal deploy.
   * @default false
   */
  readonly phiReplicaBootstrap?: boolean;
}

export { stageId };

/**
 * Builds one environment into the app: the stage, then the compliance gate over everything.
 * `config` must already be validated (loadConfig), so nothing is created from a bad config.
 */
export function buildBlueprint(
  app: App,
  config: BlueprintConfig,
  options: BuildBlueprintOptions & { readonly phiReplicaBootstrap: true },
): PhiReplicaBootstrapStage;
export function buildBlueprint(
  app: App,
  config: BlueprintConfig,
  options?: BuildBlueprintOptions & { readonly phiReplicaBootstrap?: false },
): HipaaStage;
export function buildBlueprint(
  app: App,
  config: BlueprintConfig,
  options?: BuildBlueprintOptions,
): HipaaStage | PhiReplicaBootstrapStage;
export function buildBlueprint(
  app: App,
  config: BlueprintConfig,
  options: BuildBlueprintOptions = {},
): HipaaStage | PhiReplicaBootstrapStage {
  const phiReplicaBootstrap = options.phiReplicaBootstrap ?? false;
  const stage = phiReplicaBootstrap
    ? new PhiReplicaBootstrapStage(app, stageId(config.envName), { config })
    : new HipaaStage(app, stageId(config.envName), { config });
  if (options.compliance ?? true) {
    applyCompliance(app, { register: buildRegister(config, { phiReplicaBootstrap }), config });
  }
  return stage;
}
