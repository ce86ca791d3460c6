import { Template } from 'aws-cdk-lib/assertions';
import { buildRegister } from '../../lib/compliance/register';
import { validateConfig } from '../../lib/config';
import { testConfig } from '../support/blueprint';
import { synthesizedDir, synthesizedTemplate } from '../support/synthesized';
import { configOf } from '../support/synthesize-environment';

const nonPhiResources = (template: Template, type: string): string[] =>
  Object.keys(template.findResources(type)).filter((id) => id.startsWith('NonPhiVpc'));

describe('the non-PHI VPC public tier (network.nonPhiPublicSubnets)', () => {
  test('N1 N2 by default the non-PHI VPC has no public subnet, internet gateway or default route; the PHI VPC keeps its public tier', () => {
    // testConfig('dev') as the globalSetup synthesized it once for the run.
    const template = synthesizedTemplate('dev', 'Network');
    expect(nonPhiResources(template, 'AWS::EC2::InternetGateway')).toEqual([]);
    expect(nonPhiResources(template, 'AWS::EC2::Route')).toEqual([]);
    expect(nonPhiResources(template, 'AWS::EC2::Subnet').every((id) => id.includes('Application'))).toBe(true);
    expect(
      Object.keys(template.findResources('AWS::EC2::InternetGateway')).filter((id) => id.startsWith('PhiVpc')),
    ).toHaveLength(1);
    // The register's internet gateway route entry then covers the PHI VPC only.
    const paths = buildRegister(validateConfig(testConfig())).filter((e) =>
      e.ruleIds.some((r) => r.endsWith('VPCNoUnrestrictedRouteToIGW')),
    );
    expect(paths.map((e) => e.path)).toEqual(['*/Network/PhiVpc/Vpc/PublicSubnet*/DefaultRoute']);
  });

  test('N1 with nonPhiPublicSubnets the non-PHI VPC gets its public tier, the register its entry, and the gate passes', () => {
    // testConfig('dev', { network: { nonPhiPublicSubnets: true } }), synthesized with the gate on once for the run
    // (test/support/synth-inputs.ts SYNTH_VARIANTS): synthesizedDir throws the gate's findings if it failed.
    const config = configOf('dev-nonphi-public');
    expect(config.network.nonPhiPublicSubnets).toBe(true);
    expect(synthesizedDir('dev-nonphi-public')).toBeTruthy();
    const template = synthesizedTemplate('dev-nonphi-public', 'Network');
    expect(nonPhiResources(template, 'AWS::EC2::InternetGateway')).toHaveLength(1);
    expect(nonPhiResources(template, 'AWS::EC2::Route').length).toBeGreaterThan(0);
    expect(buildRegister(validateConfig(config)).map((e) => e.path)).toContain(
      '*/Network/NonPhiVpc/Vpc/PublicSubnet*/DefaultRoute',
    );
  });
});
