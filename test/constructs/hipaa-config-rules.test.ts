import { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HIPAA_CONFIG_RULES, ManagedConfigRule } from '../../constructs/hipaa-config-rule-set';
import { HipaaConfigRules } from '../../constructs/hipaa-config-rules';
import { fixtureStack } from '../support/construct-fixtures';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

/** HipaaConfigRules after two stand-ins for the recorder and the delivery channel. */
function rules(ruleSet?: readonly ManagedConfigRule[]): { built: HipaaConfigRules; template: Template } {
  const s = fixtureStack('Detection');
  const recorder = new CfnResource(s, 'Recorder', { type: 'AWS::Config::ConfigurationRecorder', properties: {} });
  const channel = new CfnResource(s, 'Channel', { type: 'AWS::Config::DeliveryChannel', properties: {} });
  const built = new HipaaConfigRules(s, 'HipaaConfigRules', { rules: ruleSet, dependsOn: [recorder, channel] });
  return { built, template: Template.fromStack(s) };
}

const { built, template } = rules();
const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);

describe('HipaaConfigRules', () => {
  it('D2 Config rules: one per HIPAA_CONFIG_RULES entry, each after the recorder and channel', () => {
    const configRules = ofType('AWS::Config::ConfigRule');
    expect(configRules).toHaveLength(HIPAA_CONFIG_RULES.length);
    const [[recorderId]] = ofType('AWS::Config::ConfigurationRecorder');
    const [[channelId]] = ofType('AWS::Config::DeliveryChannel');
    for (const [, rule] of configRules) {
      expect(rule.DependsOn).toEqual(expect.arrayContaining([recorderId, channelId]));
      expect((rule.Properties.Source as { Owner: string }).Owner).toBe('AWS');
    }
    for (const rule of HIPAA_CONFIG_RULES) {
      template.hasResourceProperties('AWS::Config::ConfigRule', {
        ConfigRuleName: rule.name,
        Source: { Owner: 'AWS', SourceIdentifier: rule.identifier },
        ...(rule.periodic ? { MaximumExecutionFrequency: 'TwentyFour_Hours' } : {}),
        ...(rule.resourceTypes ? { Scope: { ComplianceResourceTypes: [...rule.resourceTypes] } } : {}),
        ...(rule.inputParameters ? { InputParameters: rule.inputParameters } : {}),
      });
    }
  });

  it('D2 each rule says which HIPAA sections it serves, and is exposed by its name', () => {
    const first = HIPAA_CONFIG_RULES[0]!;
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: first.name,
      Description: `HIPAA ${first.hipaaSections.join(', ')}: AWS managed rule ${first.identifier}`,
    });
    expect(Object.keys(built.rules).sort()).toEqual(HIPAA_CONFIG_RULES.map((r) => r.name).sort());
  });

  it('D2 a custom rule set replaces the default; change-triggered rules carry no execution frequency', () => {
    const custom: ManagedConfigRule = { ...HIPAA_CONFIG_RULES[0]!, name: 'custom-rule', periodic: false };
    const { template: t } = rules([custom]);
    t.resourceCountIs('AWS::Config::ConfigRule', 1);
    const [rule] = Object.values(t.findResources('AWS::Config::ConfigRule'));
    expect(rule.Properties.ConfigRuleName).toBe('custom-rule');
    expect(rule.Properties.MaximumExecutionFrequency).toBeUndefined();
  });

  it('refuses a rule name twice, naming the field and the value', () => {
    const twice = [HIPAA_CONFIG_RULES[0]!, { ...HIPAA_CONFIG_RULES[1]!, name: HIPAA_CONFIG_RULES[0]!.name }];
    expect(() => rules(twice)).toThrow(
      `HipaaConfigRules Detection/HipaaConfigRules: rules = '${HIPAA_CONFIG_RULES[0]!.name}' twice: rule names must be unique`,
    );
  });
});
