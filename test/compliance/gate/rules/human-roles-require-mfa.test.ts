import { CfnResource } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  ArnPrincipal,
  CfnRole,
  CompositePrincipal,
  FederatedPrincipal,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance } from 'cdk-nag';
import { BreakGlassRole } from '../../../../constructs/break-glass-role';
import { HumanRolesRequireMfa } from '../../../../lib/compliance/gate/rules/human-roles-require-mfa';
import { fixtureStack as stack } from '../../../support/rule-fixtures';
import { synthesizedResources } from '../../../support/synthesized';

describe('A2 project rule HumanRolesRequireMfa', () => {
  const roleOf = (assumedBy: ConstructorParameters<typeof Role>[2]['assumedBy']): CfnResource =>
    new Role(stack(), 'R', { assumedBy }).node.defaultChild as CfnResource;
  const ARN = 'arn:aws:iam::123456789012:role/Operator';

  test('A2 passes on the break-glass role (MFA present and a maximum MFA age)', () => {
    const bg = new BreakGlassRole(stack(), 'BreakGlass', {
      roleName: 'break-glass',
      principalArns: ['arn:aws:iam::444444444444:user/break-glass-1', 'arn:aws:iam::123456789012:user/Lead'],
    });
    expect(HumanRolesRequireMfa(bg.role.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('A2 fires on a role the account root or a role ARN may assume without MFA', () => {
    expect(HumanRolesRequireMfa(roleOf(new AccountRootPrincipal()))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
    expect(HumanRolesRequireMfa(roleOf(new ArnPrincipal(ARN)))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 passes with Bool aws:MultiFactorAuthPresent true, or with NumericLessThan aws:MultiFactorAuthAge', () => {
    const present = new ArnPrincipal(ARN).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    const age = new ArnPrincipal(ARN).withConditions({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } });
    expect(HumanRolesRequireMfa(roleOf(present))).toBe(NagRuleCompliance.COMPLIANT);
    expect(HumanRolesRequireMfa(roleOf(age))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('A2 fires on BoolIfExists and on MultiFactorAuthPresent false (neither requires MFA)', () => {
    const ifExists = new ArnPrincipal(ARN).withConditions({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } });
    const absent = new ArnPrincipal(ARN).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } });
    expect(HumanRolesRequireMfa(roleOf(ifExists))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
    expect(HumanRolesRequireMfa(roleOf(absent))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 exempts service and federated principals', () => {
    expect(HumanRolesRequireMfa(roleOf(new ServicePrincipal('lambda.amazonaws.com')))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
    expect(HumanRolesRequireMfa(roleOf(new FederatedPrincipal('cognito-identity.amazonaws.com', {})))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
  });

  test('A2 fires on the AWS principal of a composite trust and on Principal *', () => {
    const composite = new CompositePrincipal(new ServicePrincipal('ecs-tasks.amazonaws.com'), new ArnPrincipal(ARN));
    expect(HumanRolesRequireMfa(roleOf(composite))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
    const anyone = new CfnRole(stack(), 'Anyone', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }],
      },
    });
    expect(HumanRolesRequireMfa(anyone)).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 checks roles created as plain CfnResources (custom resource providers do that)', () => {
    const plain = new CfnResource(stack(), 'Plain', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: ARN }, Action: 'sts:AssumeRole' }],
        },
      },
    });
    expect(HumanRolesRequireMfa(plain)).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 every role of the dev blueprint passes, and the break-glass role is the only one people assume', () => {
    // The roles as the shared dev synth wrote them, each evaluated by the rule as a resource of a probe stack.
    const roles = synthesizedResources('dev', 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(5);
    const probe = stack();
    const evaluated = roles.map((r, i) => ({
      path: r.path,
      result: HumanRolesRequireMfa(new CfnResource(probe, `Role${i}`, { type: r.type, properties: r.properties })),
    }));
    expect(evaluated.filter((e) => e.result !== NagRuleCompliance.COMPLIANT).map((e) => e.path)).toEqual([]);
    const human = roles.filter((r) => JSON.stringify(r.properties).includes('"AWS":'));
    expect(human.map((r) => r.path)).toEqual(['Dev/Audit/BreakGlass/Role/Resource']);
  });
});
