import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { Construct } from 'constructs';
import { BlueprintChecks } from './blueprint-checks';
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
