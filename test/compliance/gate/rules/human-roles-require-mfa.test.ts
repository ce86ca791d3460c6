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

  test('A2 exempts service principals', () => {
    expect(HumanRolesRequireMfa(roleOf(new ServicePrincipal('lambda.amazonaws.com')))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
  });

  test('A2 fires on a federated principal (Cognito identity pool, OIDC or SAML provider), whatever its condition', () => {
    expect(HumanRolesRequireMfa(roleOf(new FederatedPrincipal('cognito-identity.amazonaws.com', {})))).toEqual([
      'AssumeRolePolicy::Statement0-federated',
    ]);
    // The attacker review's GitHub OIDC trust, added to a role whose first statement requires MFA.
    const github = new CfnResource(stack(), 'Ci', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: ARN },
              Action: 'sts:AssumeRole',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            },
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRoleWithWebIdentity',
              Principal: { Federated: { Ref: 'GhOidc' } },
              Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example-org/*' } },
            },
          ],
        },
      },
    });
    expect(HumanRolesRequireMfa(github)).toEqual(['AssumeRolePolicy::Statement1-federated']);
    const saml = new CfnRole(stack(), 'Saml', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRoleWithSAML',
            Principal: { 'Fn::If': ['Sso', { Federated: 'arn:aws:iam::123456789012:saml-provider/Idp' }, '*'] },
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      },
    });
    expect(HumanRolesRequireMfa(saml)).toEqual(['AssumeRolePolicy::Statement0-federated']);
  });

  test.each([
    [
      'AWS::IAM::OIDCProvider',
      { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    ],
    ['Custom::AWSCDKOpenIdConnectProvider', { Url: 'https://token.actions.githubusercontent.com' }],
    ['AWS::IAM::SAMLProvider', { SamlMetadataDocument: '<md/>' }],
    ['AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false }],
  ])('A2 fires on an identity provider the blueprint does not ship (%s)', (type, properties) => {
    expect(HumanRolesRequireMfa(new CfnResource(stack(), 'Idp', { type, properties }))).toEqual([
      'IdentityProvider::not-shipped',
    ]);
  });

  test.each([
    [
      'AWS::SSO::PermissionSet',
      {
        InstanceArn: 'arn:aws:sso:::instance/ssoins-1',
        Name: 'Admin',
        SessionDuration: 'PT12H',
        ManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
    ],
    [
      'AWS::SSO::Assignment',
      {
        InstanceArn: 'arn:aws:sso:::instance/ssoins-1',
        PermissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
        PrincipalId: 'g-1',
        PrincipalType: 'GROUP',
        TargetId: '123456789012',
        TargetType: 'AWS_ACCOUNT',
      },
    ],
  ])('A2 fires on IAM Identity Center access the blueprint does not ship (%s)', (type, properties) => {
    // The attacker review of 2026-12-04, third round: an AdministratorAccess permission set and its assignment passed.
    expect(HumanRolesRequireMfa(new CfnResource(stack(), 'Sso', { type, properties }))).toEqual([
      'IdentityCenter::not-shipped',
    ]);
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

  /** A role created from raw template JSON: its trust `statement`, or a whole `document`. */
  const rawRole = (statement: unknown, document?: unknown): CfnResource =>
    new CfnResource(stack(), 'Raw', {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: document ?? { Version: '2012-10-17', Statement: [statement] } },
    });
  const ASSUME = { Action: 'sts:AssumeRole' };
  const OPEN = { ...ASSUME, Effect: 'Allow', Principal: { AWS: ARN } };
  const MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  const SERVICE = { ...ASSUME, Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } };
  const NO_MFA = ['AssumeRolePolicy::Statement0-no-MFA'];

  test.each<[string, unknown, unknown, string[]]>([
    [
      'a trust statement whose Effect only deploy resolves (Allow or Deny)',
      { ...OPEN, Effect: { 'Fn::If': ['Open', 'Allow', 'Deny'] } },
      undefined,
      NO_MFA,
    ],
    [
      'a principal a condition chooses (an AWS principal or a service)',
      { ...OPEN, Principal: { 'Fn::If': ['Open', { AWS: ARN }, { Service: 'lambda.amazonaws.com' }] } },
      undefined,
      NO_MFA,
    ],
    [
      'a principal only deploy resolves (a parameter, which may be "*")',
      { ...OPEN, Principal: { Ref: 'Trusted' } },
      undefined,
      NO_MFA,
    ],
    [
      'a trust statement a condition may put in place',
      { 'Fn::If': ['Open', { ...ASSUME, Effect: 'Allow', Principal: '*' }, { Ref: 'AWS::NoValue' }] },
      undefined,
      NO_MFA,
    ],
    [
      'a list of trust statements a condition chooses',
      undefined,
      { Version: '2012-10-17', Statement: { 'Fn::If': ['Open', [OPEN], [SERVICE]] } },
      NO_MFA,
    ],
    [
      'a trust statement only deploy resolves (an import)',
      { 'Fn::ImportValue': 'shared-trust-statement' },
      undefined,
      ['AssumeRolePolicy::Statement0-only-deploy-resolves'],
    ],
    [
      'a trust document only deploy resolves (a condition choosing one without MFA)',
      undefined,
      {
        'Fn::If': [
          'Open',
          { Version: '2012-10-17', Statement: [OPEN] },
          { Version: '2012-10-17', Statement: [SERVICE] },
        ],
      },
      NO_MFA,
    ],
    [
      'an MFA condition only deploy resolves (MultiFactorAuthPresent "true" or "false")',
      { ...OPEN, Condition: { Bool: { 'aws:MultiFactorAuthPresent': { 'Fn::If': ['Open', 'false', 'true'] } } } },
      undefined,
      NO_MFA,
    ],
    [
      'an MFA condition a condition may remove',
      { ...OPEN, Condition: { 'Fn::If': ['Open', { Ref: 'AWS::NoValue' }, MFA] } },
      undefined,
      NO_MFA,
    ],
    [
      'a maximum MFA age a condition may remove (no key tested)',
      {
        ...OPEN,
        Condition: {
          NumericLessThan: { 'aws:MultiFactorAuthAge': { 'Fn::If': ['Open', { Ref: 'AWS::NoValue' }, '3600'] } },
        },
      },
      undefined,
      NO_MFA,
    ],
    [
      'a trust statement for everyone but one principal (NotPrincipal)',
      { ...ASSUME, Effect: 'Allow', NotPrincipal: { AWS: ARN } },
      undefined,
      NO_MFA,
    ],
  ])('A2 fires on %s without MFA', (_name, statement, document, expected) => {
    expect(HumanRolesRequireMfa(rawRole(statement, document))).toEqual(expected);
  });

  test('A2 passes on conditional trust that requires MFA in every branch, and on Deny or service-only statements', () => {
    const withMfa = { ...OPEN, Condition: MFA };
    expect(HumanRolesRequireMfa(rawRole({ 'Fn::If': ['Open', withMfa, SERVICE] }))).toBe(NagRuleCompliance.COMPLIANT);
    expect(
      HumanRolesRequireMfa(rawRole({ ...OPEN, Principal: { 'Fn::If': ['Open', { AWS: ARN }, '*'] }, Condition: MFA })),
    ).toBe(NagRuleCompliance.COMPLIANT);
    expect(
      HumanRolesRequireMfa(
        rawRole({
          ...withMfa,
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': { 'Fn::If': ['Open', 'true', true] } } },
        }),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
    expect(HumanRolesRequireMfa(rawRole({ ...ASSUME, Effect: 'Deny', Principal: '*' }))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
    expect(HumanRolesRequireMfa(rawRole({ Ref: 'AWS::NoValue' }))).toBe(NagRuleCompliance.COMPLIANT);
    // NotPrincipal of AWS::NoValue is absent: a service-only statement.
    expect(HumanRolesRequireMfa(rawRole({ ...SERVICE, NotPrincipal: { Ref: 'AWS::NoValue' } }))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
    expect(
      HumanRolesRequireMfa(
        rawRole(undefined, { Version: '2012-10-17', Statement: { 'Fn::If': ['Open', [SERVICE], [withMfa]] } }),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
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
    // No role trusts a federated identity, and no identity provider ships.
    expect(roles.filter((r) => /Federated|AssumeRoleWith/.test(JSON.stringify(r.properties)))).toEqual([]);
    for (const type of ['AWS::IAM::OIDCProvider', 'AWS::IAM::SAMLProvider', 'AWS::Cognito::IdentityPool']) {
      expect(synthesizedResources('dev', type)).toEqual([]);
    }
  });
});
