import { AspectPriority, Aspects, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BlueprintConfig } from '../config/schema';
import { SafeguardEvidencePlugin } from './evidence-plugin';
import { RuleLedger } from './evidence/rule-ledger';
import { SafeguardMetadataAspect } from './evidence/safeguard-metadata';
import { compliancePacks } from './gate/packs';
import { BlueprintAssemblyChecks } from './gate/assembly-plugin';
import { accessVolumeThreshold, alertEndpoints, phiBucketNames, sessionPreferencesRegion } from '../config/names';
import { configuredAllowLists } from '../config/principals';
import { Acknowledgement, applyAcknowledgements } from './register';

export { compliancePacks };

/** Options of applyCompliance. */
export interface ApplyComplianceOptions {
  /**
   * The acknowledgement register of the environment being synthesized (buildRegister(config)).
   * @default - none: every finding fails synth
   */
  readonly register?: readonly Acknowledgement[];
  /**
   * The validated config, for the evidence stamp (environment and config hash).
   * @default - the inventory and network map say 'unknown' for both
   */
  readonly config?: BlueprintConfig;
}

/**
 * The synth-time compliance gate: registers the packs on the app (any finding fails synth) and
 * applies the reviewed acknowledgement register. Call once, after every construct exists.
 */
export function applyCompliance(app: Construct, options: ApplyComplianceOptions = {}): void {
  const ledger = new RuleLedger();
  Validations.of(app).addPlugins(...compliancePacks(app).map((pack) => ledger.instrument(pack)));
  // The rules that need the whole assembly (presence, relations between stacks), on the templates as written.
  const assembly = new BlueprintAssemblyChecks({
    context: options.config
      ? {
          phiBucketNames: phiBucketNames(options.config),
          account: options.config.account,
          phiReplicaRegion: options.config.phiBucket.replicaRegion,
          alertEndpoints: alertEndpoints(options.config),
          allowLists: configuredAllowLists(options.config),
          production: options.config.production,
          sessionPreferencesRegion: sessionPreferencesRegion(options.config),
          accessVolumeThreshold: accessVolumeThreshold(options.config),
          internetEgress: options.config.network.internetEgress,
          ...(options.config.backup.isolatedCopyVaultArn !== undefined
            ? { isolatedCopyVaultArn: options.config.backup.isolatedCopyVaultArn }
            : {}),
        }
      : {},
    register: options.register,
  });
  Validations.of(app).addPlugins(assembly);
  const acknowledgements = applyAcknowledgements(app, options.register ?? []);
  // Evidence (V2): safeguard metadata on resources, then the control matrix and register written
  // into the cloud assembly by a plugin that runs after the packs.
  Aspects.of(app).add(new SafeguardMetadataAspect(), { priority: AspectPriority.MUTATING });
  Validations.of(app).addPlugins(
    new SafeguardEvidencePlugin({ ledger, acknowledgements, config: options.config, assembly }),
  );
}
