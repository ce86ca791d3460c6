/**
 * The break-glass trust policy, evaluated by an IAM policy simulator (@cloud-copilot/iam-simulate) as the
 * resource policy of sts:AssumeRole: the named users with recent MFA get in; nobody else of their account does.
 * The simulator does not fill in aws:PrincipalArn itself, so each request sets it to the caller's ARN, as
 * AWS does for an IAM user.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NagRuleCompliance } from 'cdk-nag';
import { BreakGlassRole, breakGlassTrust } from '../../constructs/break-glass-role';
import { HumanRolesRequireMfa } from '../../lib/compliance/gate/rules/human-roles-require-mfa';

const ROLE_ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/hipaa-dev-break-glass`;
const USER = 'arn:aws:iam::333333333333:user/break-glass-1';
const USER_WITH_PATH = 'arn:aws:iam::333333333333:user/emergency/break-glass-2';
const OTHER_ACCOUNT_USER = 'arn:aws:iam::444444444444:user/break-glass-3';

function build(principalArns: readonly string[]): { role: BreakGlassRole; trust: unknown } {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: ROLE_ACCOUNT, region: 'us-east-1' },
  });
  const role = new BreakGlassRole(stack, 'BreakGlass', { roleName: 'hipaa-dev-break-glass', principalArns });
  const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
  return { role, trust: resource.Properties.AssumeRolePolicyDocument };
}

const { role, trust } = build([USER, USER_WITH_PATH, OTHER_ACCOUNT_USER]);

/** The decision on sts:AssumeRole of the role by `principal` (whose own account allows it the call). */
async function assume(principal: string, mfa: { present: boolean; ageSeconds?: number }): Promise<string> {
  const context: Record<string, string> = {
    'aws:PrincipalArn': principal,
    'aws:MultiFactorAuthPresent': String(mfa.present),
  };
  if (mfa.ageSeconds !== undefined) context['aws:MultiFactorAuthAge'] = String(mfa.ageSeconds);
  const response = await runSimulation(
    {
      identityPolicies: [
        {
          name: 'may-assume-break-glass',
          policy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust as never,
      request: {
        action: 'sts:AssumeRole',
        principal,
        resource: { accountId: ROLE_ACCOUNT, resource: ROLE_ARN },
        contextVariables: context,
      },
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

describe('break-glass trust policy, simulated', () => {
  test.each([USER, USER_WITH_PATH, OTHER_ACCOUNT_USER])(
    'A5 the named user %s may assume the role with MFA used within the hour',
    async (user) => {
      expect(await assume(user, { present: true, ageSeconds: 120 })).toBe('Allowed');
    },
  );

  test('A2 without MFA, or with MFA older than an hour, the named user may not', async () => {
    expect(await assume(USER, { present: false })).not.toBe('Allowed');
    expect(await assume(USER, { present: true, ageSeconds: 7200 })).not.toBe('Allowed');
  });

  test.each([
    ['another user of the same account', 'arn:aws:iam::333333333333:user/developer'],
    ['the same user name under another path', 'arn:aws:iam::333333333333:user/other/break-glass-1'],
    ['a role of the same account', 'arn:aws:iam::333333333333:role/break-glass-1'],
    ['the root user of the account', 'arn:aws:iam::333333333333:root'],
    ['the same user name in another account', 'arn:aws:iam::555555555555:user/break-glass-1'],
    ['a user of the other trusted account that is not named', 'arn:aws:iam::444444444444:user/break-glass-1'],
  ])('A5 %s may not, even with MFA', async (_what, principal) => {
    expect(await assume(principal, { present: true, ageSeconds: 60 })).not.toBe('Allowed');
  });

  test('A5 principals are accounts, so the role deploys before its users exist', () => {
    const statements = (trust as { Statement: Array<{ Principal: { AWS: string } }> }).Statement;
    expect(statements.map((s) => s.Principal.AWS)).toEqual([
      'arn:aws:iam::333333333333:root',
      'arn:aws:iam::444444444444:root',
    ]);
    expect(breakGlassTrust([USER, OTHER_ACCOUNT_USER, USER_WITH_PATH])).toEqual([
      {
        accountRoot: 'arn:aws:iam::333333333333:root',
        conditions: { ArnEquals: { 'aws:PrincipalArn': [USER, USER_WITH_PATH] } },
      },
      {
        accountRoot: 'arn:aws:iam::444444444444:root',
        conditions: { ArnEquals: { 'aws:PrincipalArn': [OTHER_ACCOUNT_USER] } },
      },
    ]);
  });

  test('A2 project rule HumanRolesRequireMfa passes on the account-principal trust', () => {
    expect(HumanRolesRequireMfa(role.role.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.COMPLIANT);
  });
});
