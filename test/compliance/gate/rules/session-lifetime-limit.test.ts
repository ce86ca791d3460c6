import { findingsOf, template } from './rule-fixtures';

const listenerRule = (sessionTimeout?: number | string) =>
  template({
    Route: {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2',
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        Actions: [
          {
            Type: 'authenticate-cognito',
            Order: 1,
            AuthenticateCognitoConfig: {
              UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc',
              UserPoolClientId: 'client',
              UserPoolDomain: 'signin',
              ...(sessionTimeout !== undefined ? { SessionTimeout: sessionTimeout } : {}),
            },
          },
          {
            Type: 'forward',
            Order: 2,
            TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1',
          },
        ],
      },
    },
  });

const client = (props: Record<string, unknown>) =>
  template({ Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: 'us-east-1_abc', ...props } } });

const sessionDocument = (idle?: string) =>
  template({
    Preferences: {
      Type: 'AWS::SSM::Document',
      Properties: {
        DocumentType: 'Session',
        Name: 'SSM-SessionManagerRunShell',
        Content: {
          schemaVersion: '1.0',
          sessionType: 'Standard_Stream',
          inputs: idle === undefined ? {} : { idleSessionTimeout: idle },
        },
      },
    },
  });

const humanRole = (max?: number | string) =>
  template({
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        ...(max !== undefined ? { MaxSessionDuration: max } : {}),
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:user/oncall' },
              Action: 'sts:AssumeRole',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            },
          ],
        },
      },
    },
  });

/** A role of 12-hour sessions trusting `statement` (in a template with a condition). */
const longRole = (statement: unknown, document?: unknown) => ({
  Conditions: { Open: { 'Fn::Equals': ['open', 'closed'] } },
  ...template({
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        MaxSessionDuration: 43200,
        AssumeRolePolicyDocument: document ?? { Version: '2012-10-17', Statement: [statement] },
      },
    },
  }),
});
const ASSUME = { Effect: 'Allow', Action: 'sts:AssumeRole' };

describe('SessionLifetimeLimit', () => {
  test('A4 15-minute sign-in sessions, tokens and idle timeout, and 1-hour operator roles pass', () => {
    expect(findingsOf('SessionLifetimeLimit', listenerRule(900))).toEqual([]);
    const units = { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' };
    expect(
      findingsOf(
        'SessionLifetimeLimit',
        client({ AccessTokenValidity: 15, IdTokenValidity: 5, RefreshTokenValidity: 60, TokenValidityUnits: units }),
      ),
    ).toEqual([]);
    expect(findingsOf('SessionLifetimeLimit', sessionDocument('15'))).toEqual([]);
    expect(findingsOf('SessionLifetimeLimit', humanRole())).toEqual([]);
    expect(findingsOf('SessionLifetimeLimit', humanRole(3600))).toEqual([]);
    // CloudFormation reads "3600" as 3600 (a hand-edited template, a property override).
    expect(findingsOf('SessionLifetimeLimit', humanRole('3600'))).toEqual([]);
  });

  test('A4 a role only services assume is not this rule s (its sessions are not a person s)', () => {
    expect(
      findingsOf('SessionLifetimeLimit', longRole({ ...ASSUME, Principal: { Service: 'ecs-tasks.amazonaws.com' } })),
    ).toEqual([]);
    expect(findingsOf('SessionLifetimeLimit', longRole({ ...ASSUME, Effect: 'Deny', Principal: '*' }))).toEqual([]);
  });

  test('A4 an OIDC sign-in is judged on its own configuration: a 15-minute Cognito configuration beside it changes nothing', () => {
    const t = listenerRule(900) as { Resources: { Route: { Properties: { Actions: Record<string, unknown>[] } } } };
    const signIn = t.Resources.Route.Properties.Actions[0]!;
    signIn.Type = 'authenticate-oidc';
    signIn.AuthenticateOidcConfig = {
      Issuer: 'https://idp.example.com',
      AuthorizationEndpoint: 'https://idp.example.com/authorize',
      TokenEndpoint: 'https://idp.example.com/token',
      UserInfoEndpoint: 'https://idp.example.com/userinfo',
      ClientId: 'client',
      ClientSecret: 'synthetic',
    };
    expect(findingsOf('SessionLifetimeLimit', t)).toEqual(['[Actions.SessionTimeout::default-604800s] Route']);
    // A configuration a condition chooses has no timeout the rule can read.
    (t as { Conditions?: unknown }).Conditions = { Short: { 'Fn::Equals': ['a', 'b'] } };
    signIn.AuthenticateOidcConfig = { 'Fn::If': ['Short', { SessionTimeout: 900 }, { SessionTimeout: 604800 }] };
    expect(findingsOf('SessionLifetimeLimit', t)).toEqual(['[Actions.SessionTimeout::default-604800s] Route']);
  });

  test('A4 a sign-in a condition chooses, or a list of actions only deploy resolves, is judged in every branch', () => {
    const t = listenerRule(900) as {
      Conditions?: unknown;
      Parameters?: unknown;
      Resources: { Route: { Properties: { Actions: unknown } } };
    };
    t.Conditions = { Long: { 'Fn::Equals': ['a', 'b'] } };
    const [signIn, forward] = t.Resources.Route.Properties.Actions as Record<string, unknown>[];
    const weekLong = {
      ...signIn,
      AuthenticateCognitoConfig: { ...(signIn!.AuthenticateCognitoConfig as object), SessionTimeout: 604800 },
    };
    t.Resources.Route.Properties.Actions = [{ 'Fn::If': ['Long', weekLong, signIn] }, forward];
    expect(findingsOf('SessionLifetimeLimit', t)).toEqual(['[Actions.SessionTimeout::604800s] Route']);
    t.Parameters = { RouteActions: { Type: 'CommaDelimitedList' } };
    t.Resources.Route.Properties.Actions = { Ref: 'RouteActions' };
    expect(findingsOf('SessionLifetimeLimit', t)).toEqual(['[Actions.SessionTimeout::unresolved] Route']);
  });

  const ROLE_12H = ['[MaxSessionDuration::43200] Role'];
  test.each<[string, unknown, string[]]>([
    ['the load balancer session raised to 8 hours', listenerRule(28800), ['[Actions.SessionTimeout::28800s] Route']],
    [
      'the load balancer session left at its 7-day default',
      listenerRule(),
      ['[Actions.SessionTimeout::default-604800s] Route'],
    ],
    [
      'app tokens of 24 hours',
      client({
        AccessTokenValidity: 24,
        IdTokenValidity: 1,
        RefreshTokenValidity: 1,
        TokenValidityUnits: { AccessToken: 'hours', IdToken: 'days', RefreshToken: 'hours' },
      }),
      ['[AccessTokenValidity::1440min] Client', '[IdTokenValidity::1440min] Client'],
    ],
    [
      'app tokens left at their defaults (1 hour; refresh tokens 30 days)',
      client({}),
      [
        '[AccessTokenValidity::default-60min] Client',
        '[IdTokenValidity::default-60min] Client',
        '[RefreshTokenValidity::default-43200min] Client',
      ],
    ],
    [
      // The attacker review of 2026-12-03: a stolen refresh token minted new tokens for ten years.
      'refresh tokens of 3650 days (days: their default unit)',
      client({
        AccessTokenValidity: 15,
        IdTokenValidity: 15,
        RefreshTokenValidity: 3650,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      }),
      ['[RefreshTokenValidity::5256000min] Client'],
    ],
    [
      // The second review of 2026-12-03: Cognito replaces a refresh token validity below its 60 minutes by 30 days.
      'refresh tokens of 0 (Cognito then applies 30 days)',
      client({
        AccessTokenValidity: 15,
        IdTokenValidity: 15,
        RefreshTokenValidity: 0,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      }),
      ['[RefreshTokenValidity::0min-becomes-default-43200min] Client'],
    ],
    [
      'refresh tokens of "2" hours (a string)',
      client({
        AccessTokenValidity: 15,
        IdTokenValidity: 15,
        RefreshTokenValidity: '2',
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'hours' },
      }),
      ['[RefreshTokenValidity::120min] Client'],
    ],
    ['a 60-minute Session Manager idle timeout', sessionDocument('60'), ['[idleSessionTimeout::60] Preferences']],
    [
      'a 60-minute Session Manager idle timeout in a document whose type only deploy resolves',
      JSON.parse(
        JSON.stringify(sessionDocument('60')).replace(
          '"DocumentType":"Session"',
          '"DocumentType":{"Fn::Select":[0,["Session"]]}',
        ),
      ),
      ['[idleSessionTimeout::60] Preferences'],
    ],
    [
      'no Session Manager idle timeout (20 minutes)',
      sessionDocument(),
      ['[idleSessionTimeout::default-20min] Preferences'],
    ],
    ['a 12-hour operator role', humanRole(43200), ['[MaxSessionDuration::43200] Role']],
    // Values that are no number: '' and null would read as 0 seconds with Number().
    ['an empty load balancer session timeout', listenerRule(''), ['[Actions.SessionTimeout::unresolved] Route']],
    ['an empty Session Manager idle timeout', sessionDocument(''), ['[idleSessionTimeout::] Preferences']],
    ['a 12-hour operator role, its duration in string form', humanRole('43200'), ['[MaxSessionDuration::43200] Role']],
    ['a 12-hour role anyone may assume (Principal "*")', longRole({ ...ASSUME, Principal: '*' }), ROLE_12H],
    [
      'a 12-hour role any AWS principal may assume (AWS "*")',
      longRole({ ...ASSUME, Principal: { AWS: '*' } }),
      ROLE_12H,
    ],
    [
      'a 12-hour role everyone but one principal may assume (NotPrincipal)',
      longRole({ ...ASSUME, NotPrincipal: { AWS: 'arn:aws:iam::123456789012:user/x' } }),
      ROLE_12H,
    ],
    [
      'a 12-hour role people sign in to through a federated identity (SAML)',
      longRole({
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithSAML',
        Principal: { Federated: 'arn:aws:iam::123456789012:saml-provider/corp' },
      }),
      ROLE_12H,
    ],
    [
      'a 12-hour role whose principal only deploy resolves',
      longRole({ ...ASSUME, Principal: { 'Fn::If': ['Open', { AWS: '*' }, { Service: 'lambda.amazonaws.com' }] } }),
      ROLE_12H,
    ],
    [
      'a 12-hour role whose trust statement s Effect only deploy resolves',
      longRole({ ...ASSUME, Effect: { 'Fn::If': ['Open', 'Allow', 'Deny'] }, Principal: { AWS: '*' } }),
      ROLE_12H,
    ],
    [
      'a 12-hour role whose trust statement only deploy resolves',
      longRole({ 'Fn::If': ['Open', { ...ASSUME, Principal: '*' }, { Ref: 'AWS::NoValue' }] }),
      ROLE_12H,
    ],
    [
      'a role whose session duration only deploy resolves',
      {
        Conditions: { Open: { 'Fn::Equals': ['open', 'closed'] } },
        ...template({
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              MaxSessionDuration: { 'Fn::If': ['Open', 43200, 3600] },
              AssumeRolePolicyDocument: { Statement: [{ ...ASSUME, Principal: { AWS: '*' } }] },
            },
          },
        }),
      },
      ['[MaxSessionDuration::{"Fn::If":["Open",43200,3600]}] Role'],
    ],
  ])('A4 %s is a finding', (_name, t, expected) => {
    expect(findingsOf('SessionLifetimeLimit', t)).toEqual(expected);
  });
});
