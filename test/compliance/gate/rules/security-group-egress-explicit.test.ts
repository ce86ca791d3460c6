import { App, Stack } from 'aws-cdk-lib';
import { CfnSecurityGroup, Peer, Port, SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance } from 'cdk-nag';
import { BlueprintChecks, PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { RuleLedger } from '../../../../lib/compliance/evidence/rule-ledger';
import { SecurityGroupEgressExplicit } from '../../../../lib/compliance/gate/rules/security-group-egress-explicit';
import { includedStack } from '../../../support/synthesized';

const RULE = 'Blueprint-SecurityGroupEgressExplicit';

function probe(): { stack: Stack; vpc: Vpc } {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Probe');
  return { stack, vpc: new Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 }) };
}

const cfn = (sg: SecurityGroup): CfnSecurityGroup => sg.node.defaultChild as CfnSecurityGroup;

/**
 * Construct paths of the blueprint's security groups, each with the rule's outcome, for one environment: its
 * network, alerting, data and app stacks as the shared synth wrote them, evaluated by the pack through a ledger.
 */
function evaluations(env: 'dev' | 'prod'): string[] {
  const ledger = new RuleLedger();
  const pack = ledger.instrument(new BlueprintChecks());
  const evaluated: string[] = [];
  for (const id of ['Network', 'Alerting', 'Data', 'App']) {
    const included = includedStack(env, id);
    const report = pack.validateScope(included.stack);
    expect(report.violations.filter((v) => v.ruleName.startsWith(RULE))).toEqual([]);
    evaluated.push(
      ...ledger
        .evaluations()
        .filter((e) => e.ruleId === RULE)
        .map((e) => `${e.outcome} ${included.originalPath(e.constructPath)}`),
    );
  }
  return evaluated;
}

describe('SecurityGroupEgressExplicit', () => {
  test('N3 is in PROJECT_RULES with its safeguard', () => {
    const rule = PROJECT_RULES.find((r) => r.rule === SecurityGroupEgressExplicit);
    expect(rule?.safeguards).toEqual(['N3']);
  });

  test('N3 fires on a security group with no SecurityGroupEgress (EC2 adds allow-all egress)', () => {
    const { stack, vpc } = probe();
    const bare = new CfnSecurityGroup(stack, 'Bare', { groupDescription: 'x', vpcId: vpc.vpcId });
    expect(SecurityGroupEgressExplicit(bare)).toEqual(['SecurityGroupEgress::unset']);
    const empty = new CfnSecurityGroup(stack, 'Empty', {
      groupDescription: 'x',
      vpcId: vpc.vpcId,
      securityGroupEgress: [],
    });
    expect(SecurityGroupEgressExplicit(empty)).toEqual(['SecurityGroupEgress::empty']);
  });

  test('N3 fires on a SecurityGroupEgress that is not a list (an intrinsic that may resolve to nothing)', () => {
    const { stack, vpc } = probe();
    const intrinsic = new CfnSecurityGroup(stack, 'Intrinsic', { groupDescription: 'x', vpcId: vpc.vpcId });
    intrinsic.addPropertyOverride('SecurityGroupEgress', { 'Fn::If': ['Never', [], { Ref: 'AWS::NoValue' }] });
    expect(SecurityGroupEgressExplicit(intrinsic)).toEqual(['SecurityGroupEgress::not-a-list']);
  });

  test('N3 fires when the only egress rule is a separate resource (SG-to-SG: CDK drops its placeholder)', () => {
    const { stack, vpc } = probe();
    const app = new SecurityGroup(stack, 'App', { vpc, allowAllOutbound: false });
    const db = new SecurityGroup(stack, 'Db', { vpc, allowAllOutbound: false });
    app.addEgressRule(db, Port.tcp(5432));
    expect(SecurityGroupEgressExplicit(cfn(app))).toEqual(['SecurityGroupEgress::unset']);
    // An inline (CIDR) rule replaces EC2's default.
    app.addEgressRule(Peer.ipv4('10.0.0.0/16'), Port.tcp(443));
    expect(SecurityGroupEgressExplicit(cfn(app))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('N3 fires on an override that removes the inline egress', () => {
    const { stack, vpc } = probe();
    const sg = new SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    expect(SecurityGroupEgressExplicit(cfn(sg))).toBe(NagRuleCompliance.COMPLIANT);
    cfn(sg).addPropertyDeletionOverride('SecurityGroupEgress');
    expect(SecurityGroupEgressExplicit(cfn(sg))).toEqual(['SecurityGroupEgress::unset']);
  });

  test("N3 passes on the 'disallow all' placeholder and on explicit allow-all; not applicable elsewhere", () => {
    const { stack, vpc } = probe();
    const closed = new SecurityGroup(stack, 'Closed', { vpc, allowAllOutbound: false });
    const open = new SecurityGroup(stack, 'Open', { vpc, allowAllOutbound: true });
    expect(SecurityGroupEgressExplicit(cfn(closed))).toBe(NagRuleCompliance.COMPLIANT);
    expect(SecurityGroupEgressExplicit(cfn(open))).toBe(NagRuleCompliance.COMPLIANT);
    expect(SecurityGroupEgressExplicit(vpc.node.defaultChild as never)).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test.each(['dev', 'prod'] as const)('N3 every security group of the %s blueprint states its egress inline', (env) => {
    expect(evaluations(env).sort()).toEqual(
      [
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/Network/PhiVpc/EndpointSecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/Alerting/AlertPipeline/FormatterSecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/Data/AppSecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/Data/DatabaseSecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/Data/DatabaseUsers/SecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/Data/RestoreTestSecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/Data/RestoreValidation/SecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/App/LoadBalancer/SecurityGroup/Resource`,
        `pass ${env === 'dev' ? 'Dev' : 'Prod'}/App/ApiService/SecurityGroup/Resource`,
      ].sort(),
    );
  });
});
