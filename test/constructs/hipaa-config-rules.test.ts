import { App, CfnResource, Stack } from 'aws-cdk-lib';
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
        ...(rule.trigger ? { MaximumExecutionFrequency: 'TwentyFour_Hours' } : {}),
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
    const custom: ManagedConfigRule = { ...HIPAA_CONFIG_RULES[0]!, name: 'custom-rule', trigger: undefined };
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, asserted field by field
type RuleResource = { Type: string; Properties: Record<string, any> };

function synthByIdentifier(rules?: readonly ManagedConfigRule[]): Record<string, RuleResource> {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const recorder = new CfnResource(stack, 'Recorder', { type: 'AWS::Config::ConfigurationRecorder' });
  new HipaaConfigRules(stack, 'Rules', { rules, dependsOn: [recorder] });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, RuleResource>;
  return Object.fromEntries(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::Config::ConfigRule')
      .map((r) => [r.Properties.Source.SourceIdentifier as string, r]),
  );
}

/**
 * Managed rules of the set whose trigger type the AWS Config Developer Guide gives as "Periodic" although
 * the rule's page lists a resource type (so a scope looks natural, and AWS Config now rejects it).
 */
const PERIODIC_WITH_RESOURCE_TYPE = ['KMS_CMK_NOT_SCHEDULED_FOR_DELETION', 'AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN'];

describe('HipaaConfigRules: periodic-only rules', () => {
  const rules = synthByIdentifier();

  test.each(PERIODIC_WITH_RESOURCE_TYPE)(
    'D2 %s (periodic only) runs every 24 hours with no resource scope, which AWS Config rejects',
    (identifier) => {
      const rule = rules[identifier];
      expect(rule).toBeDefined();
      expect(rule.Properties.MaximumExecutionFrequency).toBe('TwentyFour_Hours');
      expect(rule.Properties.Scope).toBeUndefined();
    },
  );

  test('D2 no periodic-only rule of the set carries a scope; change-triggered ones carry no frequency', () => {
    const scopedPeriodic = HIPAA_CONFIG_RULES.filter((r) => r.trigger === 'periodic' && r.resourceTypes);
    expect(scopedPeriodic.map((r) => r.identifier)).toEqual([]);
    for (const r of HIPAA_CONFIG_RULES) {
      const props = rules[r.identifier].Properties;
      expect({ rule: r.identifier, scope: props.Scope !== undefined }).toEqual({
        rule: r.identifier,
        scope: r.trigger !== 'periodic' && r.resourceTypes !== undefined,
      });
      expect({ rule: r.identifier, frequency: props.MaximumExecutionFrequency }).toEqual({
        rule: r.identifier,
        frequency: r.trigger === undefined ? undefined : 'TwentyFour_Hours',
      });
    }
  });

  test('D2 the hybrid ACM expiry check keeps its certificate scope and runs daily', () => {
    const acm = rules.ACM_CERTIFICATE_EXPIRATION_CHECK.Properties;
    expect(acm.Scope).toEqual({ ComplianceResourceTypes: ['AWS::ACM::Certificate'] });
    expect(acm.MaximumExecutionFrequency).toBe('TwentyFour_Hours');
  });

  test('refuses a periodic-only rule with a scope, naming the rule, the value and why', () => {
    const bad: ManagedConfigRule = {
      name: 'hipaa-kms-cmk-not-scheduled-for-deletion',
      identifier: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION',
      hipaaSections: ['164.312(a)(2)(iv)'],
      resourceTypes: ['AWS::KMS::Key'],
      trigger: 'periodic',
    };
    expect(() => synthByIdentifier([bad])).toThrow(
      /rules\[0\] \(KMS_CMK_NOT_SCHEDULED_FOR_DELETION\)\.resourceTypes = \["AWS::KMS::Key"\]: a periodic-only rule takes no scope/,
    );
    expect(() => synthByIdentifier([{ ...bad, trigger: 'hybrid' }])).not.toThrow();
  });
});
