import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import { AllowListsAsConfigured } from '../../../../lib/compliance/gate/assembly/allow-lists-as-configured';
import { ConfiguredAllowLists, configuredAllowLists } from '../../../../lib/config/principals';
import { testConfig } from '../../../support/blueprint';
import { asAssembly, Mutable } from './assembly-fixture';

const ACCOUNT = '123456789012';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const BUCKET = `app-prod-phi-data-${ACCOUNT}-us-east-1`;
const TASK = role('app-prod-api-task');
const DEPLOY = role('cdk-exec');
const ADMIN = role('Admin');

const LISTS: ConfiguredAllowLists = {
  buckets: {
    [BUCKET]: { objectPrincipalArns: [TASK], vpcOnlyPrincipalArns: [TASK], policyAdministratorArns: [DEPLOY] },
  },
  keys: { 'us-east-1': { phi: [DEPLOY, TASK, `arn:aws:iam::${ACCOUNT}:root`] } },
};

function templates(): Record<string, Mutable> {
  return {
    data: {
      Resources: {
        PhiBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } },
        PhiBucketPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'PhiBucket' },
            PolicyDocument: {
              Statement: [
                {
                  Sid: 'DenyObjectAccessOutsideTheAllowList',
                  Effect: 'Deny',
                  Principal: { AWS: '*' },
                  Action: ['s3:GetObject*', 's3:PutObject*', 's3:ListBucket'],
                  Resource: '*',
                  Condition: { ArnNotEquals: { 'aws:PrincipalArn': [TASK] } },
                },
                {
                  Sid: 'DenyBucketPolicyChangesExceptDeployment',
                  Effect: 'Deny',
                  Principal: { AWS: '*' },
                  Action: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
                  Resource: '*',
                  Condition: { ArnNotEquals: { 'aws:PrincipalArn': [DEPLOY] } },
                },
              ],
            },
          },
        },
      },
    },
    keys: {
      Resources: {
        PhiKey: {
          Type: 'AWS::KMS::Key',
          Metadata: { 'HipaaBlueprint::KeyDomain': 'phi' },
          Properties: {
            KeyPolicy: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                  Action: 'kms:*',
                  Resource: '*',
                  Condition: { ArnEquals: { 'aws:PrincipalArn': [DEPLOY] } },
                },
                {
                  Effect: 'Allow',
                  Principal: {
                    AWS: {
                      'Fn::Join': [
                        '',
                        ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
                      ],
                    },
                  },
                  Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
                  Resource: '*',
                  Condition: { ArnEquals: { 'aws:PrincipalArn': [TASK] } },
                },
                {
                  Effect: 'Allow',
                  Principal: { Service: 'logs.us-east-1.amazonaws.com' },
                  Action: 'kms:Encrypt*',
                  Resource: '*',
                },
              ],
            },
          },
        },
      },
    },
  };
}

function findings(
  mutate: (t: Record<string, Mutable>) => void = () => undefined,
  lists: ConfiguredAllowLists | null = LISTS,
) {
  const t = templates();
  mutate(t);
  return AllowListsAsConfigured.check(asAssembly(t), lists ? { allowLists: lists } : {})
    .findings.map((f) => `${f.ruleId.slice('Blueprint-AllowListsAsConfigured'.length)} ${f.logicalId}`)
    .sort();
}
const statements = (t: Record<string, Mutable>) => t.data.Resources.PhiBucketPolicy.Properties.PolicyDocument.Statement;
const keyStatements = (t: Record<string, Mutable>) => t.keys.Resources.PhiKey.Properties.KeyPolicy.Statement;

describe('Blueprint-AllowListsAsConfigured', () => {
  test('E1 A3 is an assembly rule', () => {
    expect(ASSEMBLY_RULES).toContain(AllowListsAsConfigured);
    expect(AllowListsAsConfigured.safeguards).toEqual(['E1', 'A3', 'A2']);
  });

  test('E1 A3 the lists config names pass (the root user delegating to IAM aside); without config nothing is compared', () => {
    expect(findings()).toEqual([]);
    expect(AllowListsAsConfigured.check(asAssembly(templates()), { allowLists: LISTS }).evaluated).toBe(2);
    expect(findings((t) => statements(t)[0].Condition.ArnNotEquals['aws:PrincipalArn'].push(ADMIN), null)).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      "an administrator's role added to the bucket's object allow-list",
      (t) => statements(t)[0].Condition.ArnNotEquals['aws:PrincipalArn'].push(ADMIN),
      ['[PhiBucket::principal-not-in-config] PhiBucket'],
    ],
    [
      'the task role excepted from the policy-change deny (only the deployment role may change it)',
      (t) => statements(t)[1].Condition.ArnNotEquals['aws:PrincipalArn'].push(TASK),
      ['[PhiBucket::principal-not-in-config] PhiBucket'],
    ],
    [
      'an exception written with a pseudo parameter for the account',
      (t) =>
        statements(t)[0].Condition.ArnNotEquals['aws:PrincipalArn'].push({
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/Admin']],
        }),
      ['[PhiBucket::principal-not-in-config] PhiBucket'],
    ],
    [
      "an administrator's role added to the PHI key's users",
      (t) => keyStatements(t)[1].Condition.ArnEquals['aws:PrincipalArn'].push(ADMIN),
      ['[PhiKey::principal-not-in-config] PhiKey'],
    ],
    [
      'a role named directly as a key policy principal',
      (t) =>
        keyStatements(t).push({ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:Decrypt', Resource: '*' }),
      ['[PhiKey::principal-not-in-config] PhiKey'],
    ],
    [
      "another account's root as a key policy principal",
      (t) =>
        keyStatements(t).push({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999999999999:root' },
          Action: 'kms:Decrypt',
          Resource: '*',
        }),
      ['[PhiKey::principal-not-in-config] PhiKey'],
    ],
  ])('E1 A3 %s is a finding', (_name, mutate, expected) => {
    expect(findings(mutate)).toEqual(expected);
  });

  describe('a role an allow-list names is assumed by its AWS service only', () => {
    /** The task role as a role of the assembly, named by the bucket's deny exception and the key's users. */
    const withTaskRole = (t: Record<string, Mutable>, trust: Mutable[]): void => {
      t.data.Resources.TaskRole = {
        Type: 'AWS::IAM::Role',
        Properties: { RoleName: 'app-prod-api-task', AssumeRolePolicyDocument: { Statement: trust } },
      };
      t.data.Resources.Task = {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] } },
      };
      statements(t)[0].Condition.ArnNotEquals['aws:PrincipalArn'] = [{ 'Fn::GetAtt': ['TaskRole', 'Arn'] }];
    };
    const service = { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' };
    const phi = { phiBucketNames: [BUCKET] };
    const trustFindings = (trust: Mutable[], context: object = phi) => {
      const t = templates();
      withTaskRole(t, trust);
      return AllowListsAsConfigured.check(asAssembly(t), context).findings.map((f) => f.ruleId);
    };
    const TRUSTS_PEOPLE = 'Blueprint-AllowListsAsConfigured[TaskRole::allow-listed-role-trusts-people]';

    test('E1 A3 a task role its service assumes passes, with config or without', () => {
      expect(trustFindings([service])).toEqual([]);
      expect(trustFindings([service], { ...phi, allowLists: LISTS })).toEqual([]);
    });

    test.each<[string, Mutable]>([
      [
        "an administrator's role (with MFA)",
        {
          Effect: 'Allow',
          Principal: { AWS: ADMIN },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
      [
        'the account root',
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      ],
      [
        'a federated identity',
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Idp` },
          Action: 'sts:AssumeRoleWithSAML',
        },
      ],
      [
        'everyone but a service (NotPrincipal)',
        { Effect: 'Allow', NotPrincipal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
      ['anyone (Principal "*")', { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }],
    ])('E1 A3 the allow-listed task role trusting %s is a finding, with config or without', (_name, statement) => {
      expect(trustFindings([service, statement])).toEqual([TRUSTS_PEOPLE]);
      expect(trustFindings([service, statement], { ...phi, allowLists: LISTS })).toContain(TRUSTS_PEOPLE);
    });

    test.each<[string, Mutable[]]>([
      [
        'Lambda (anyone who may pass it to a function runs code as it)',
        [service, { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      ],
      [
        'a second service in the same statement',
        [{ ...service, Principal: { Service: ['ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'] } }],
      ],
      [
        'a service only deploy resolves',
        [
          {
            ...service,
            Principal: { Service: { 'Fn::If': ['X', 'ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] } },
          },
        ],
      ],
    ])('E1 A3 the allow-listed task role also trusting %s is a finding', (_name, trust) => {
      expect(trustFindings(trust)).toEqual([
        'Blueprint-AllowListsAsConfigured[TaskRole::allow-listed-role-trusts-unused-service]',
      ]);
    });

    test('E1 A3 a trust statement whose Effect only deploy resolves, and a role whose name may be either of two, are read', () => {
      const admin = {
        Effect: { 'Fn::If': ['Always', 'Allow', 'Deny'] },
        Principal: { AWS: ADMIN },
        Action: 'sts:AssumeRole',
      };
      expect(trustFindings([service, admin])).toEqual([TRUSTS_PEOPLE]);
      // Named on the allow-list by its ARN, its name a condition's choice of that name or another.
      const t = templates();
      withTaskRole(t, [service, { ...admin, Effect: 'Allow' }]);
      t.data.Resources.TaskRole.Properties.RoleName = { 'Fn::If': ['Always', 'app-prod-api-task', 'other'] };
      statements(t)[0].Condition.ArnNotEquals['aws:PrincipalArn'] = [TASK];
      expect(AllowListsAsConfigured.check(asAssembly(t), phi).findings.map((f) => f.ruleId)).toEqual([TRUSTS_PEOPLE]);
    });

    test('E1 A3 a role named on the key alone is judged too; one on no allow-list, or a Deny for people, is not', () => {
      const admin = {
        Effect: 'Allow',
        Principal: { AWS: ADMIN },
        Action: 'sts:AssumeRole',
      };
      const t = templates();
      withTaskRole(t, [service, admin]);
      // The role's literal ARN on an allow-list names it as its reference does; another role's names it not.
      expect(AllowListsAsConfigured.check(asAssembly(t), phi).findings.map((f) => f.ruleId)).toEqual([TRUSTS_PEOPLE]);
      statements(t)[0].Condition.ArnNotEquals['aws:PrincipalArn'] = [role('other-task')];
      keyStatements(t)[1].Condition.ArnEquals['aws:PrincipalArn'] = [role('other-task')];
      expect(AllowListsAsConfigured.check(asAssembly(t), phi).findings.map((f) => f.ruleId)).toEqual([]);
      keyStatements(t)[1].Condition.ArnEquals['aws:PrincipalArn'] = [TASK];
      expect(AllowListsAsConfigured.check(asAssembly(t), phi).findings.map((f) => f.ruleId)).toEqual([TRUSTS_PEOPLE]);
      expect(trustFindings([service, { ...admin, Effect: 'Deny' }])).toEqual([]);
    });
  });

  describe('sign-in redirects (A2)', () => {
    const HOST = 'app.example.org';
    const REDIRECTS = {
      callbackUrls: [`https://${HOST}/oauth2/idpresponse`],
      logoutUrls: [`https://${HOST}/`],
    };
    const withClient =
      (props: Record<string, unknown> = {}) =>
      (t: Record<string, Mutable>): void => {
        t.data.Resources.UsersClient = {
          Type: 'AWS::Cognito::UserPoolClient',
          Properties: {
            UserPoolId: 'us-east-1_abc',
            CallbackURLs: [`https://${HOST}/oauth2/idpresponse`],
            LogoutURLs: [`https://${HOST}/`],
            ...props,
          },
        };
      };
    const lists = { ...LISTS, signInRedirects: REDIRECTS };
    const EXTRA = ['[UsersClient::redirect-not-in-config] UsersClient'];

    test("A2 the load balancer's callback and the application's root pass; without config nothing is compared", () => {
      expect(findings(withClient(), lists)).toEqual([]);
      expect(findings(withClient({ CallbackURLs: ['https://collector.example.net/cb'] }), LISTS)).toEqual([]);
      expect(findings(withClient({ DefaultRedirectURI: `https://${HOST}/oauth2/idpresponse` }), lists)).toEqual([]);
    });

    test.each<[string, Record<string, unknown>]>([
      // The attacker review of 2026-12-03: Cognito hands the code to any URL on the list.
      [
        'a second callback URL',
        { CallbackURLs: [`https://${HOST}/oauth2/idpresponse`, 'https://collector.example.net/cb'] },
      ],
      [
        "the load balancer's callback path on another host",
        { CallbackURLs: ['https://evil.example.net/oauth2/idpresponse'] },
      ],
      ['a callback chosen by a condition', { CallbackURLs: { 'Fn::If': ['C', ['https://evil.example.net/'], []] } }],
      ['a callback from a parameter', { CallbackURLs: [{ Ref: 'Callback' }] }],
      // The attacker review of the next sitting: a form with a part only deploy knows was dropped, the rest judged.
      [
        'a callback selecting a URL with a part only deploy knows',
        {
          CallbackURLs: [
            {
              'Fn::Select': [
                0,
                [{ 'Fn::Sub': 'https://evil.example/cb?s=${AWS::StackName}' }, `https://${HOST}/oauth2/idpresponse`],
              ],
            },
          ],
        },
      ],
      [
        'the configured callback built with Fn::Join',
        { CallbackURLs: [{ 'Fn::Join': ['', ['https://', HOST, '/oauth2/idpresponse']] }] },
      ],
      ['a logout URL elsewhere', { LogoutURLs: ['https://evil.example.net/'] }],
      ['a default redirect elsewhere', { DefaultRedirectURI: 'https://evil.example.net/cb' }],
    ])('A2 %s is a finding', (_name, props) => {
      expect(findings(withClient(props), lists)).toEqual(EXTRA);
    });

    test("A2 config's redirects are the configured domain's, or the placeholder host without one", () => {
      const prod = testConfig('prod');
      const host = prod.domain?.name ?? 'config-domain-required-for-deploy.invalid';
      expect(configuredAllowLists(prod).signInRedirects).toEqual({
        callbackUrls: [`https://${host}/oauth2/idpresponse`],
        logoutUrls: [`https://${host}/`],
      });
      expect(
        configuredAllowLists({
          ...prod,
          domain: { name: 'phi.example.org', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' },
        }).signInRedirects?.callbackUrls,
      ).toEqual(['https://phi.example.org/oauth2/idpresponse']);
    });
  });

  test("E1 A3 config's own lists pass the shipped shape: the test config's lists name its roles", () => {
    const lists = configuredAllowLists(testConfig('prod'));
    expect(Object.keys(lists.buckets)).toHaveLength(2);
    expect(Object.keys(lists.keys)).toHaveLength(2);
    const phi = Object.values(lists.keys)[0]!.phi!;
    expect(phi.some((arn) => arn.endsWith(':root'))).toBe(true);
  });
});
