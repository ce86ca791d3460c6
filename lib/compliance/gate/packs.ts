import { CfnResource } from 'aws-cdk-lib';
import type { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { IApplyRule, NagPack, NagPackProps } from 'cdk-nag/lib/nag-pack';
import { IConstruct } from 'constructs';
import { BlueprintChecks } from './blueprint-checks';

/** A cdk-nag pack class (all three take an optional scope and props, and are constructed here without either). */
type PackClass = new () => NagPack;

/** What a DeferredNagPack uses of the cdk-nag pack it stands for: its rules for one resource, and where they report. */
interface RuleSource {
  checkResource(node: CfnResource): void;
  applyRule(params: IApplyRule): void;
}

/**
 * One of cdk-nag's packs, loaded when it first checks a resource rather than when the app starts.
 *
 * cdk-nag's index (`import ... from 'cdk-nag'`) loads every pack and every rule of the package, about 100 ms of the
 * app's start, all of it before the first template is written; aws-cdk-lib's CloudFormation validation starts on the
 * first template and ends the synth, so the app waited for it. The packs run only after every template is written
 * (Validations plugins), so loading them there moves that time off the synth's critical path (docs/speed-history.md).
 *
 * The pack is cdk-nag's own class, run as it is: every rule of the pack, for every resource, in its order, reporting
 * through this pack's applyRule (so the rule ledger's instrumentation and cdk-nag's acknowledgement handling are the
 * same as for the pack itself). Its name must be the pack's own (rule ids are `<name>-<rule>`): a test compares them.
 */
export class DeferredNagPack extends NagPack {
  public readonly name: string;
  private source?: RuleSource;

  constructor(
    name: string,
    private readonly load: () => PackClass,
    scope?: IConstruct,
    props?: NagPackProps,
  ) {
    super(scope, props);
    this.name = name;
    this.packName = name;
  }

  protected checkResource(node: CfnResource): void {
    if (this.source === undefined) {
      const source = new (this.load())() as unknown as RuleSource;
      // The pack's rules report through this pack (whose applyRule the rule ledger may have instrumented).
      source.applyRule = (params: IApplyRule): void => this.applyRule(params);
      this.source = source;
    }
    this.source.checkResource(node);
  }
}

/* eslint-disable @typescript-eslint/no-require-imports -- each pack's module is loaded when the pack first runs */
/** The cdk-nag packs every synth runs: name (the pack's own) and the class, loaded on first use. */
export const CDK_NAG_PACKS: readonly { readonly name: string; readonly load: () => PackClass }[] = [
  {
    name: 'HIPAA.Security',
    load: () =>
      (require('cdk-nag/lib/packs/hipaa-security') as { HIPAASecurityChecks: typeof HIPAASecurityChecks })
        .HIPAASecurityChecks,
  },
  {
    name: 'NIST.800.53.R5',
    load: () =>
      (require('cdk-nag/lib/packs/nist-800-53-r5') as { NIST80053R5Checks: typeof NIST80053R5Checks })
        .NIST80053R5Checks,
  },
  {
    name: 'AwsSolutions',
    load: () =>
      (require('cdk-nag/lib/packs/aws-solutions') as { AwsSolutionsChecks: typeof AwsSolutionsChecks })
        .AwsSolutionsChecks,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The rule packs every synth runs: three cdk-nag packs and the project's own rules. With a scope,
 * synthesized templates carry each resource's acknowledgements as `Metadata.cdk_nag.rules_to_suppress`
 * (read back by the template checker, bin/check-template.ts).
 */
export function compliancePacks(scope?: IConstruct): NagPack[] {
  const props = { writeSuppressionsToCloudFormation: scope !== undefined };
  return [
    ...CDK_NAG_PACKS.map((p) => new DeferredNagPack(p.name, p.load, scope, props)),
    new BlueprintChecks(scope, props),
  ];
}
