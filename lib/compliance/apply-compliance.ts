import { AspectPriority, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { Construct } from 'constructs';
import { BlueprintConfig } from '../config/blueprint-config';
import { ACKNOWLEDGEMENTS, applyAcknowledgements, PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS } from './acknowledgements';
import { BlueprintChecks } from './blueprint-checks';
import { SafeguardEvidencePlugin } from './evidence/evidence-plugin';
import { RuleLedger } from './evidence/rule-ledger';
import { SafeguardMetadataAspect } from './evidence/safeguard-metadata';

/**
 * The rule packs every synth runs: three cdk-nag packs and the project's own rules. With a scope,
 * synthesized templates carry each resource's acknowledgements as `Metadata.cdk_nag.rules_to_suppress`
 * (read back by the template checker, bin/check-template.ts).
 */
export function compliancePacks(scope?: Construct): NagPack[] {
  const props = { writeSuppressionsToCloudFormation: scope !== undefined };
  return [
    new HIPAASecurityChecks(scope, props),
    new NIST80053R5Checks(scope, props),
    new AwsSolutionsChecks(scope, props),
    new BlueprintChecks(scope, props),
  ];
}

/** Options of applyCompliance. */
export interface ApplyComplianceOptions {
  /**
   * The app is the first deploy of the PHI replica (`-c phiReplicaBootstrap=true`): the register's
   * PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS apply too. Never set otherwise.
   * @default false
   */
  readonly phiReplicaBootstrap?: boolean;
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
  const acknowledgements = applyAcknowledgements(
    app,
    options.phiReplicaBootstrap ? [...ACKNOWLEDGEMENTS, ...PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS] : ACKNOWLEDGEMENTS,
  );
  // Evidence (V2): safeguard metadata on resources, then the control matrix and register written
  // into the cloud assembly by a plugin that runs after the packs.
  Aspects.of(app).add(new SafeguardMetadataAspect(), { priority: AspectPriority.MUTATING });
  Validations.of(app).addPlugins(new SafeguardEvidencePlugin({ ledger, acknowledgements, config: options.config }));
}
