import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HIPAA_CONFIG_RULES, ManagedConfigRule } from '../../constructs/hipaa-config-rule-set';
import { HipaaConfigRules } from '../../constructs/hipaa-config-rules';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, asserted field by field
type Resource = { Type: string; Properties: Record<string, any> };

function synth(rules?: readonly ManagedConfigRule[]): Record<string, Resource> {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const recorder = new CfnResource(stack, 'Recorder', { type: 'AWS::Config::ConfigurationRecorder' });
  new HipaaConfigRules(stack, 'Rules', { rules, dependsOn: [recorder] });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
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

describe('HipaaConfigRules', () => {
  const rules = synth();

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
    expect(() => synth([bad])).toThrow(
      /rules\[0\] \(KMS_CMK_NOT_SCHEDULED_FOR_DELETION\)\.resourceTypes = \["AWS::KMS::Key"\]: a periodic-only rule takes no scope/,
    );
    expect(() => synth([{ ...bad, trigger: 'hybrid' }])).not.toThrow();
  });
});
