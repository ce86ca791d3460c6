import { ConfigServiceClient, DescribeComplianceByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyReplicaConfigRules } from '../../../lib/deploy/verify/config-rules';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const configService = mockClient(ConfigServiceClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => configService.restore());
beforeEach(() => configService.reset());

const config = testConfig('prod');
const replica = deployedState(
  deployedStack('hipaa-prod-detection', 'us-east-1', [['Main', 'AWS::Config::ConfigRule', 'main-rule']]),
  deployedStack('hipaa-prod-replica-detection', 'us-west-2', [
    ['RuleA', 'AWS::Config::ConfigRule', 'replica-rule-a'],
    ['RuleB', 'AWS::Config::ConfigRule', 'replica-rule-b'],
  ]),
);

function compliance(byName: Record<string, string>): void {
  configService.on(DescribeComplianceByConfigRuleCommand).callsFake(async (input) => ({
    ComplianceByConfigRules: (input.ConfigRuleNames as string[]).map((n) => ({
      ConfigRuleName: n,
      Compliance: { ComplianceType: byName[n] ?? 'COMPLIANT' },
    })),
  }));
}

describe('verify D2: Config rule compliance in the PHI replica region', () => {
  it('D2 PASS with the replica detection stack rules, asked by name in the replica region', async () => {
    compliance({});
    expect(await verifyReplicaConfigRules(verifyContext(config, replica))).toEqual([
      { safeguard: 'D2', check: 'Config rule compliance in us-west-2', status: 'PASS', detail: '2 rules: 2 COMPLIANT' },
    ]);
    const asked = configService.commandCalls(DescribeComplianceByConfigRuleCommand).map((c) => c.args[0].input);
    expect(asked.map((i) => i.ConfigRuleNames)).toEqual([['replica-rule-a', 'replica-rule-b']]);
  });

  it('D2 FAIL naming a NON_COMPLIANT replica rule', async () => {
    compliance({ 'replica-rule-b': 'NON_COMPLIANT' });
    expect((await verifyReplicaConfigRules(verifyContext(config, replica)))[0]).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('1 NON_COMPLIANT: replica-rule-b'),
    });
  });

  it('D2 FAIL when the replica detection stack is not deployed (the primary region rules do not count)', async () => {
    compliance({});
    const primaryOnly = deployedState(
      deployedStack('hipaa-prod-detection', 'us-east-1', [['Main', 'AWS::Config::ConfigRule', 'main-rule']]),
    );
    expect((await verifyReplicaConfigRules(verifyContext(config, primaryOnly)))[0]).toMatchObject({
      status: 'FAIL',
      detail: 'no Config rules: stack hipaa-prod-replica-detection is not deployed',
    });
  });
});
