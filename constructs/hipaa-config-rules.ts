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

/**
 * AWS Config managed rules from the HIPAA Security conformance pack (D2), one CfnConfigRule each. A rule
 * triggered by configuration changes gets its `resourceTypes` as scope; a periodic one (or a hybrid one) gets a
 * 24-hour maximum frequency. A periodic-only rule with a scope is refused here: AWS Config rejects it at
 * deploy time (PutConfigRule InvalidParameterValueException) and the detection stack would fail.
 */
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
    for (const [i, rule] of ruleSet.entries()) {
      if (rule.trigger === 'periodic' && rule.resourceTypes !== undefined) {
        throw new Error(
          `HipaaConfigRules ${this.node.path}: rules[${i}] (${rule.identifier}).resourceTypes = ${JSON.stringify(rule.resourceTypes)}: ` +
            "a periodic-only rule takes no scope (AWS Config rejects it); remove resourceTypes, or set trigger 'hybrid' if AWS documents configuration-change triggers for it",
        );
      }
    }
    const rules: Record<string, CfnConfigRule> = {};
    for (const rule of ruleSet) {
      const cfn = new CfnConfigRule(this, rule.identifier, {
        configRuleName: rule.name,
        description: `HIPAA ${rule.hipaaSections.join(', ')}: AWS managed rule ${rule.identifier}`,
        source: { owner: 'AWS', sourceIdentifier: rule.identifier },
        scope: rule.resourceTypes ? { complianceResourceTypes: [...rule.resourceTypes] } : undefined,
        inputParameters: rule.inputParameters ? { ...rule.inputParameters } : undefined,
        maximumExecutionFrequency: rule.trigger !== undefined ? 'TwentyFour_Hours' : undefined,
      });
      for (const dependency of props.dependsOn) cfn.node.addDependency(dependency);
      rules[rule.name] = cfn;
    }
    this.rules = rules;
  }
}
