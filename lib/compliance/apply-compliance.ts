import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { Construct } from 'constructs';
import { applyAcknowledgements } from './acknowledgements';
import { BlueprintChecks } from './blueprint-checks';

/** The rule packs every synth runs: three cdk-nag packs and the project's own rules. */
export function compliancePacks(scope?: Construct): NagPack[] {
  return [
    new HIPAASecurityChecks(scope),
    new NIST80053R5Checks(scope),
    new AwsSolutionsChecks(scope),
    new BlueprintChecks(scope),
  ];
}

/**
 * The synth-time compliance gate: registers the packs on the app (any finding fails synth) and
 * applies the reviewed acknowledgement register. Call once, after every construct exists.
 */
export function applyCompliance(app: Construct): void {
  Validations.of(app).addPlugins(...compliancePacks(app));
  applyAcknowledgements(app);
}
