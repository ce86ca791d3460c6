import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { HipaaEligibleService } from './eligibility/eligibility-rule';
import { KmsKeySafeguards } from './rules/kms-key-safeguards';
import { LogGroupSixYearRetention } from './rules/log-retention';

/** A project rule: what it checks, why, and which safeguard and HIPAA section it serves. */
export interface ProjectRule {
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly info: string;
  readonly explanation: string;
  readonly safeguards: readonly string[];
  readonly hipaaSections: readonly string[];
}

/** The project's own rules: what cdk-nag does not check. Every rule has a test that makes it fire. */
export const PROJECT_RULES: readonly ProjectRule[] = [
  {
    rule: LogGroupSixYearRetention,
    info: 'The log group keeps events less than 2192 days, has no retention, or is not retained on deletion.',
    explanation: 'HIPAA documentation must be kept six years (164.316(b)(2)(i)); audit logs are evidence (164.312(b)).',
    safeguards: ['U3', 'I2'],
    hipaaSections: ['164.312(b)', '164.316(b)(2)(i)'],
  },
  {
    rule: KmsKeySafeguards,
    info: 'The KMS key lacks rotation, the 30-day deletion window, Retain policies, or separates administration from use poorly.',
    explanation: 'Encryption keys protect PHI at rest (164.312(a)(2)(iv)); losing a key loses the data it protects.',
    safeguards: ['E1', 'I2'],
    hipaaSections: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  },
  {
    rule: HipaaEligibleService,
    info: 'The resource belongs to an AWS service that is not on the HIPAA eligible services list (or its type is unmapped).',
    explanation:
      'PHI may only be processed by services covered by the AWS BAA (164.308(b)); see lib/compliance/eligibility/reference.',
    safeguards: ['V1'],
    hipaaSections: ['164.308(b)(1)', '164.314(a)'],
  },
];

/** The project NagPack, registered like the cdk-nag packs: `Validations.of(app).addPlugins(new BlueprintChecks(app))`. */
export class BlueprintChecks extends NagPack {
  public readonly name = 'Blueprint';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Blueprint';
  }

  protected checkResource(node: CfnResource): void {
    for (const r of PROJECT_RULES) {
      this.applyRule({ info: r.info, explanation: r.explanation, level: NagMessageLevel.ERROR, rule: r.rule, node });
    }
  }
}
