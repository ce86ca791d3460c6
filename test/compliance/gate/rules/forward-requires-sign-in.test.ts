import { findingsOf, template } from './rule-fixtures';

const AUTH = {
  Type: 'authenticate-cognito',
  Order: 1,
  AuthenticateCognitoConfig: {
    UserPoolArn: { 'Fn::GetAtt': ['Users', 'Arn'] },
    UserPoolClientId: { Ref: 'UsersClient' },
    UserPoolDomain: { Ref: 'UsersDomain' },
    SessionTimeout: 900,
    OnUnauthenticatedRequest: 'authenticate',
  },
};
const OIDC = {
  Issuer: 'https://idp.example.com',
  AuthorizationEndpoint: 'https://idp.example.com/authorize',
  TokenEndpoint: 'https://idp.example.com/token',
  UserInfoEndpoint: 'https://idp.example.com/userinfo',
  ClientId: 'client',
  ClientSecret: 'secret',
  OnUnauthenticatedRequest: 'authenticate',
};
const FORWARD = { Type: 'forward', Order: 2, TargetGroupArn: { Ref: 'Targets' } };

/** The blueprint's user pool (MFA on) and its load balancer client (Cognito users only), as the app stack writes them. */
const USERS = {
  Type: 'AWS::Cognito::UserPool',
  Properties: {
    MfaConfiguration: 'ON',
    EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
  },
};
const USERS_CLIENT = {
  Type: 'AWS::Cognito::UserPoolClient',
  Properties: {
    UserPoolId: { Ref: 'Users' },
    GenerateSecret: true,
    SupportedIdentityProviders: ['COGNITO'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid'],
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    CallbackURLs: ['https://app.example.org/oauth2/idpresponse'],
    LogoutURLs: ['https://app.example.org/'],
  },
};

const app = (
  listenerActions: unknown,
  ruleActions: unknown,
  protocol = 'HTTPS',
  users: Record<string, unknown> = {},
) => ({
  // A condition only deploy resolves, for the actions that use one.
  Conditions: { Open: { 'Fn::Equals': ['open', 'closed'] } },
  ...template({
    Users: { ...USERS, Properties: { ...USERS.Properties, ...users } },
    UsersClient: USERS_CLIENT,
    UsersDomain: {
      Type: 'AWS::Cognito::UserPoolDomain',
      Properties: { Domain: 'signin', UserPoolId: { Ref: 'Users' } },
    },
    Lb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Type: 'application', Subnets: ['subnet-1', 'subnet-2'] },
    },
    Targets: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: { Port: 8443, Protocol: 'HTTPS', TargetType: 'ip', VpcId: 'vpc-1' },
    },
    Listener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: { Ref: 'Lb' },
        Port: protocol === 'HTTPS' ? 443 : 80,
        Protocol: protocol,
        ...(protocol === 'HTTPS'
          ? {
              SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
              Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }],
            }
          : {}),
        DefaultActions: listenerActions,
      },
    },
    Route: {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn: { Ref: 'Listener' },
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: ruleActions,
      },
    },
  }),
});

const NOT_FOUND = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } };

describe('ForwardRequiresSignIn', () => {
  test('A2 routes that sign in with Cognito before forwarding pass (and a listener that answers 404)', () => {
    expect(findingsOf('ForwardRequiresSignIn', app([NOT_FOUND], [AUTH, FORWARD]))).toEqual([]);
    expect(findingsOf('ForwardRequiresSignIn', app([AUTH, FORWARD], [AUTH, FORWARD]))).toEqual([]);
  });

  test('A2 a Cognito sign-in whose OnUnauthenticatedRequest is absent (authenticate) or deny passes', () => {
    const mode = (m: unknown) => ({
      ...AUTH,
      AuthenticateCognitoConfig: { ...AUTH.AuthenticateCognitoConfig, OnUnauthenticatedRequest: m },
    });
    expect(findingsOf('ForwardRequiresSignIn', app([NOT_FOUND], [mode('deny'), FORWARD]))).toEqual([]);
    expect(findingsOf('ForwardRequiresSignIn', app([NOT_FOUND], [mode(undefined), FORWARD]))).toEqual([]);
    expect(findingsOf('ForwardRequiresSignIn', app([NOT_FOUND], [mode({ Ref: 'AWS::NoValue' }), FORWARD]))).toEqual([]);
  });

  test('A2 an action of {"Ref": "AWS::NoValue"} is no action (CloudFormation drops it): the sign-in still comes first', () => {
    const unordered = [{ Ref: 'AWS::NoValue' }, { ...AUTH, Order: undefined }, { ...FORWARD, Order: undefined }];
    expect(findingsOf('ForwardRequiresSignIn', app([NOT_FOUND], unordered))).toEqual([]);
  });

  test.each<[string, unknown, unknown, string[]]>([
    ['a route without its sign-in step', [NOT_FOUND], [FORWARD], ['[Actions::forward-without-sign-in] Route']],
    [
      'a listener default action that forwards without sign-in',
      [FORWARD],
      [AUTH, FORWARD],
      ['[DefaultActions::forward-without-sign-in] Listener'],
    ],
    [
      'sign-in ordered after the forward',
      [NOT_FOUND],
      [
        { ...FORWARD, Order: 1 },
        { ...AUTH, Order: 2 },
      ],
      ['[Actions::forward-without-sign-in] Route'],
    ],
    [
      // CloudFormation reads "1" as 1: the listed order (sign-in first) is not the order that applies.
      'sign-in ordered after the forward, with Order in its string form',
      [NOT_FOUND],
      [
        { ...AUTH, Order: '2' },
        { ...FORWARD, Order: '1' },
      ],
      ['[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a sign-in that lets anonymous requests through',
      [NOT_FOUND],
      [
        {
          ...AUTH,
          AuthenticateCognitoConfig: { ...AUTH.AuthenticateCognitoConfig, OnUnauthenticatedRequest: 'allow' },
        },
        FORWARD,
      ],
      ['[Actions::forward-without-sign-in] Route', '[Actions::sign-in-allows-anonymous] Route'],
    ],
    [
      'a sign-in whose anonymous handling only deploy resolves (a condition)',
      [NOT_FOUND],
      [
        {
          ...AUTH,
          AuthenticateCognitoConfig: {
            ...AUTH.AuthenticateCognitoConfig,
            OnUnauthenticatedRequest: { 'Fn::If': ['Open', 'allow', 'authenticate'] },
          },
        },
        FORWARD,
      ],
      ['[Actions::forward-without-sign-in] Route', '[Actions::sign-in-allows-anonymous] Route'],
    ],
    [
      'a forward whose Order only deploy resolves (it may come before the sign-in)',
      [NOT_FOUND],
      [AUTH, { ...FORWARD, Order: { 'Fn::If': ['Open', 1, 2] } }],
      ['[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a sign-in whose Order only deploy resolves (it may come after the forward)',
      [NOT_FOUND],
      [{ ...AUTH, Order: { 'Fn::If': ['Open', 3, 1] } }, FORWARD],
      ['[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a listener default forward whose Order only deploy resolves',
      [AUTH, { ...FORWARD, Order: { 'Fn::If': ['Open', 1, 2] } }],
      [AUTH, FORWARD],
      ['[DefaultActions::forward-without-sign-in] Listener'],
    ],
    [
      'an action only deploy resolves (a condition choosing a forward or a 404)',
      [NOT_FOUND],
      [AUTH, { 'Fn::If': ['Open', { ...FORWARD, Order: 1 }, { ...NOT_FOUND, Order: 2 }] }],
      ['[Actions::action-only-deploy-resolves] Route'],
    ],
    [
      'an action type only deploy resolves',
      [NOT_FOUND],
      [
        { ...AUTH, Order: 2 },
        { ...FORWARD, Order: 1, Type: { 'Fn::If': ['Open', 'forward', 'fixed-response'] } },
      ],
      ['[Actions::action-only-deploy-resolves] Route'],
    ],
    [
      'a list of actions only deploy resolves (a condition choosing one without sign-in)',
      [NOT_FOUND],
      { 'Fn::If': ['Open', [FORWARD], [AUTH, FORWARD]] },
      ['[Actions::action-only-deploy-resolves] Route'],
    ],
    [
      'a sign-in config chosen by a condition (one allows anonymous requests)',
      [NOT_FOUND],
      [
        {
          ...AUTH,
          AuthenticateCognitoConfig: {
            'Fn::If': [
              'Open',
              { ...AUTH.AuthenticateCognitoConfig, OnUnauthenticatedRequest: 'allow' },
              AUTH.AuthenticateCognitoConfig,
            ],
          },
        },
        FORWARD,
      ],
      ['[Actions::forward-without-sign-in] Route', '[Actions::sign-in-allows-anonymous] Route'],
    ],
    [
      'an OIDC sign-in that allows anonymous requests beside a decoy Cognito config',
      [NOT_FOUND],
      [
        {
          ...AUTH,
          Type: 'authenticate-oidc',
          AuthenticateOidcConfig: { ...OIDC, OnUnauthenticatedRequest: 'allow' },
        },
        FORWARD,
      ],
      ['[Actions::forward-without-sign-in] Route', '[Actions::sign-in-allows-anonymous] Route'],
    ],
    [
      'a Cognito sign-in without its own config (an OIDC config instead)',
      [NOT_FOUND],
      [{ Type: 'authenticate-cognito', Order: 1, AuthenticateOidcConfig: OIDC }, FORWARD],
      ['[Actions::forward-without-sign-in] Route', '[Actions::sign-in-allows-anonymous] Route'],
    ],
    [
      'a sign-in whose anonymous handling is in another case ("Allow")',
      [NOT_FOUND],
      [
        {
          ...AUTH,
          AuthenticateCognitoConfig: { ...AUTH.AuthenticateCognitoConfig, OnUnauthenticatedRequest: 'Allow' },
        },
        FORWARD,
      ],
      ['[Actions::forward-without-sign-in] Route', '[Actions::sign-in-allows-anonymous] Route'],
    ],
  ])('A2 %s is a finding', (_name, listener, rule, expected) => {
    expect(findingsOf('ForwardRequiresSignIn', app(listener, rule))).toEqual(expected);
  });

  const cognito = (config: Record<string, unknown>) => ({
    ...AUTH,
    AuthenticateCognitoConfig: { ...AUTH.AuthenticateCognitoConfig, ...config },
  });
  const OTHER_POOL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc';
  test.each<[string, unknown, Record<string, unknown>, Record<string, unknown>, string[]]>([
    [
      // The attacker review: whoever runs that identity provider decides who reaches PHI, with or without MFA.
      'an OIDC sign-in of an outside identity provider (config has no OIDC option)',
      { Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: OIDC },
      {},
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::sign-in-not-cognito] Route'],
    ],
    [
      'a Cognito sign-in of a user pool named by a literal ARN (no pool of the template)',
      cognito({ UserPoolArn: OTHER_POOL }),
      {},
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-not-of-this-template] Route'],
    ],
    [
      'a Cognito sign-in of a user pool another stack exports',
      cognito({ UserPoolArn: { 'Fn::ImportValue': 'partner-pool-arn' } }),
      {},
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-not-of-this-template] Route'],
    ],
    [
      'a Cognito sign-in naming a resource of the template that is no user pool',
      cognito({ UserPoolArn: { 'Fn::GetAtt': ['UsersClient', 'Arn'] } }),
      {},
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-not-of-this-template] Route'],
    ],
    [
      'the user pool with MFA optional',
      AUTH,
      { MfaConfiguration: 'OPTIONAL' },
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-mfa-not-on] Route'],
    ],
    [
      'the user pool with MFA chosen by a condition',
      AUTH,
      { MfaConfiguration: { 'Fn::If': ['Open', 'OFF', 'ON'] } },
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-mfa-not-on] Route'],
    ],
    [
      // The attacker review of 2026-12-03: anyone signs up, enrols their own MFA and passes the load balancer.
      'the user pool open to self sign-up',
      AUTH,
      { AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } },
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-self-sign-up] Route'],
    ],
    [
      "the user pool without AdminCreateUserConfig (CloudFormation's default is self sign-up)",
      AUTH,
      { AdminCreateUserConfig: undefined },
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-self-sign-up] Route'],
    ],
    [
      'the user pool open to self sign-up by a string "false" chosen by a condition',
      AUTH,
      { AdminCreateUserConfig: { AllowAdminCreateUserOnly: { 'Fn::If': ['Open', 'false', 'true'] } } },
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-self-sign-up] Route'],
    ],
    [
      // Users of a federated identity provider sign in through Cognito without the pool's MFA.
      'a client that also signs in through a federated identity provider',
      AUTH,
      {},
      { SupportedIdentityProviders: ['COGNITO', 'PartnerOidc'] },
      ['[Actions::client-not-cognito-only] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a client of another user pool',
      AUTH,
      {},
      { UserPoolId: 'us-east-1_abc' },
      ['[Actions::client-not-cognito-only] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      // The attacker review of 2026-12-03: a URL added to the list receives the code of a user sent there.
      'a client with a second callback URL',
      AUTH,
      {},
      { CallbackURLs: ['https://app.example.org/oauth2/idpresponse', 'https://collector.example.net/cb'] },
      ['[Actions::client-callback-not-load-balancer] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a client whose one callback is not the load balancer s',
      AUTH,
      {},
      { CallbackURLs: ['https://collector.example.net/oauth2/idpresponse/../cb'] },
      ['[Actions::client-callback-not-load-balancer] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a client whose callback only deploy resolves',
      AUTH,
      {},
      {
        CallbackURLs: {
          'Fn::If': ['Open', ['https://collector.example.net/cb'], ['https://app.example.org/oauth2/idpresponse']],
        },
      },
      ['[Actions::client-callback-not-load-balancer] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a client that also allows the implicit flow (tokens in the redirect)',
      AUTH,
      {},
      { AllowedOAuthFlows: ['code', 'implicit'] },
      ['[Actions::client-flows-not-code-only] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a client allowing plain-password sign-in through the API',
      AUTH,
      {},
      { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
      ['[Actions::client-auth-flows-beyond-srp] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      "a client without ExplicitAuthFlows (Cognito's default allows password and custom sign-in)",
      AUTH,
      {},
      { ExplicitAuthFlows: undefined },
      ['[Actions::client-auth-flows-beyond-srp] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a client whose tokens may change their own user (aws.cognito.signin.user.admin)',
      AUTH,
      {},
      { AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'] },
      ['[Actions::client-scopes-beyond-identity] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      'a client without a secret',
      AUTH,
      {},
      { GenerateSecret: false },
      ['[Actions::client-without-secret] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      // The attacker review of the next sitting: the load balancer sends users, and exchanges codes, at that host.
      'the sign-in domain replaced by a host outside the pool',
      cognito({ UserPoolDomain: 'login.attacker.example' }),
      {},
      {},
      ['[Actions::domain-not-of-the-pool] Route', '[Actions::forward-without-sign-in] Route'],
    ],
    [
      // The second attacker review: a migration trigger creates a confirmed user for any password it accepts.
      'a UserMigration trigger on the pool',
      AUTH,
      { LambdaConfig: { UserMigration: 'arn:aws:lambda:us-east-1:222222222222:function:migrate' } },
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-triggers] Route'],
    ],
    [
      'threat protection only auditing',
      AUTH,
      { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } },
      {},
      ['[Actions::forward-without-sign-in] Route', '[Actions::user-pool-threat-protection-not-enforced] Route'],
    ],
    [
      'a client named by a literal id',
      cognito({ UserPoolClientId: 'client' }),
      {},
      {},
      ['[Actions::client-not-cognito-only] Route', '[Actions::forward-without-sign-in] Route'],
    ],
  ])('A2 %s is a finding', (_name, signIn, users, client, expected) => {
    const t = app([NOT_FOUND], [signIn, FORWARD], 'HTTPS', users);
    const c = t.Resources.UsersClient as { Properties: Record<string, unknown> };
    t.Resources.UsersClient = { ...c, Properties: { ...c.Properties, ...client } };
    expect(findingsOf('ForwardRequiresSignIn', t)).toEqual(expected);
  });

  test('A2 a plain HTTP listener is not this rule s (NoHttpForwardListener refuses its forwards)', () => {
    expect(findingsOf('ForwardRequiresSignIn', app([FORWARD], [FORWARD], 'HTTP'))).toEqual([]);
    expect(findingsOf('NoHttpForwardListener', app([FORWARD], [FORWARD], 'HTTP')).length).toBeGreaterThan(0);
  });
});
