import { ConfigServiceClient, DescribeComplianceByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyConfigRules } from '../../../lib/deploy/verify/config-rules';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const configService = mockClient(ConfigServiceClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => configService.restore());
beforeEach(() => configService.reset());

const config = testConfig('prod');
const names = Array.from({ length: 30 }, (_, i) => `hipaa-rule-${String(i).padStart(2, '0')}`);
const detection = deployedState(
  deployedStack(
    'hipaa-prod-detection',
    'us-east-1',
    names.map((n): [string, string, string] => [`Rule${n}`, 'AWS::Config::ConfigRule', n]),
  ),
);

function compliance(byName: Record<string, string>): void {
  configService.on(DescribeComplianceByConfigRuleCommand).callsFake(async (input) => ({
    ComplianceByConfigRules: (input.ConfigRuleNames as string[]).map((n) => ({
      ConfigRuleName: n,
      Compliance: { ComplianceType: byName[n] ?? 'COMPLIANT' },
    })),
  }));
}

describe('verify D2: Config rule compliance', () => {
  it('PASS when no rule is NON_COMPLIANT; asks in batches of 25 names', async () => {
    compliance({ 'hipaa-rule-03': 'INSUFFICIENT_DATA' });
    expect(await verifyConfigRules(verifyContext(config, detection))).toEqual([
      {
        safeguard: 'D2',
        check: 'Config rule compliance',
        status: 'PASS',
        detail: '30 rules: 29 COMPLIANT, 1 INSUFFICIENT_DATA',
      },
    ]);
    expect(
      configService
        .commandCalls(DescribeComplianceByConfigRuleCommand)
        .map((c) => c.args[0].input.ConfigRuleNames?.length),
    ).toEqual([25, 5]);
  });

  it('FAIL listing the NON_COMPLIANT rules', async () => {
    compliance({ 'hipaa-rule-07': 'NON_COMPLIANT', 'hipaa-rule-02': 'NON_COMPLIANT' });
    expect((await verifyConfigRules(verifyContext(config, detection)))[0]).toMatchObject({
      status: 'FAIL',
      detail: '2 NON_COMPLIANT: hipaa-rule-02, hipaa-rule-07 (28 COMPLIANT, 2 NON_COMPLIANT)',
    });
  });

  it('WARN while nothing has been evaluated yet', async () => {
    compliance(Object.fromEntries(names.map((n) => [n, 'INSUFFICIENT_DATA'])));
    expect((await verifyConfigRules(verifyContext(config, detection)))[0].status).toBe('WARN');
  });

  it('FAIL without the detection stack; WARN (not checked) when switched off in config', async () => {
    expect((await verifyConfigRules(verifyContext(config, deployedState())))[0]).toMatchObject({
      status: 'FAIL',
      detail: 'no Config rules: stack hipaa-prod-detection is not deployed',
    });
    const off = testConfig('prod', { detection: { config: false } });
    expect((await verifyConfigRules(verifyContext(off, detection)))[0].status).toBe('WARN');
    expect(configService.calls()).toHaveLength(0);
  });
});
