import { CfnResource } from 'aws-cdk-lib';
import { CfnConfigRule } from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import { HIPAA_CONFIG_RULES, ManagedConfigRule } from './hipaa-config-rule-set';

/** Props of HipaaConfigRules. */
export interface HipaaConfigRulesProps {
  /**
   * The managed rules to deploy.
   * @default HIPAA_CONFIG_RULES (constructs/hipaa-config-rule-set.ts)
   */
  readonly rules?: readonly ManagedConfigRule[];
  /** The recorder (and delivery channel) the rules need before they can evaluate anything. */
  readonly dependsOn: readonly CfnResource[];
}

/** AWS Config managed rules from the HIPAA Security conformance pack (D2), one CfnConfigRule each. */
export class HipaaConfigRules extends Construct {
  /** The rules, by Config rule name. */
  public readonly rules: Readonly<Record<string, CfnConfigRule>>;

  constructor(scope: Construct, id: string, props: HipaaConfigRulesProps) {
    super(scope, id);
    const ruleSet = props.rules ?? HIPAA_CONFIG_RULES;
    const names = ruleSet.map((r) => r.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) {
      throw new Error(`HipaaConfigRules ${this.node.path}: rules = '${duplicate}' twice: rule names must be unique`);
    }
    const rules: Record<string, CfnConfigRule> = {};
    for (const rule of ruleSet) {
      const cfn = new CfnConfigRule(this, rule.identifier, {
        configRuleName: rule.name,
        description: `HIPAA ${rule.hipaaSections.join(', ')}: AWS managed rule ${rule.identifier}`,
        source: { owner: 'AWS', sourceIdentifier: rule.identifier },
        scope: rule.resourceTypes ? { complianceResourceTypes: [...rule.resourceTypes] } : undefined,
        inputParameters: rule.inputParameters ? { ...rule.inputParameters } : undefined,
        maximumExecutionFrequency: rule.periodic ? 'TwentyFour_Hours' : undefined,
      });
      for (const dependency of props.dependsOn) cfn.node.addDependency(dependency);
      rules[rule.name] = cfn;
    }
    this.rules = rules;
  }
}
