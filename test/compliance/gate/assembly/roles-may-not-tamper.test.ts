import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import { breakGlassStatements } from '../../../../constructs/break-glass-role';
import {
  PEOPLE_ROLE_ACTIONS,
  RolesMayNotTamper,
  TAMPER_ACTIONS,
} from '../../../../lib/compliance/gate/assembly/roles-may-not-tamper';
import { configuredAllowLists } from '../../../../lib/config/principals';
import { loadAssembly } from '../../../../lib/compliance/gate/assembly-loader';
import { environmentRegister } from '../../../../lib/compliance/gate/environment-register';
import { cdkSynthDir } from '../../../support/synthesized';
import { asAssembly, findingsOf, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

/** A role of the data stack (a custom resource's function's, say) with one policy statement. */
const roleAllowed =
  (statement: Mutable, stack = 'data') =>
  (t: Record<string, Mutable>): void => {
    t[stack].Resources.HelperRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [statement] } }],
      },
    };
  };
const FINDING = ['[HelperRole::may-tamper] HelperRole'];

/** GuardDuty Malware Protection's role, as PhiMalwareProtection writes its policy, named by the fixture's plan. */
const malwareRole =
  (extra: Mutable[] = []) =>
  (t: Record<string, Mutable>): void => {
    t.detection.Resources.MalwareRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'app-prod-phi-malware-scan',
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    };
    t.detection.Resources.MalwarePolicy = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Roles: [{ Ref: 'MalwareRole' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
              Resource: 'arn:aws:events:us-east-1:123456789012:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
            },
            {
              Effect: 'Allow',
              Action: ['s3:PutBucketNotification', 's3:GetBucketNotification'],
              Resource: `arn:aws:s3:::${PHI_BUCKET}`,
            },
            ...extra,
          ],
        },
      },
    };
  };

describe('Blueprint-RolesMayNotTamper', () => {
  test('U6 A3 a role attaching a managed policy neither of the assembly nor AWS managed is a finding', () => {
    // The attacker review of 2026-12-04, third round: another policy of the account attached to a role passed.
    const attaching = (arns: unknown[]) => (t: Record<string, Mutable>) => {
      roleAllowed({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })(t);
      t.data.Resources.OwnPolicy = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: 'own-policy',
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
        },
      };
      t.data.Resources.HelperRole.Properties.ManagedPolicyArns = arns;
    };
    for (const arn of [
      'arn:aws:iam::123456789012:policy/platform-ops-legacy',
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/platform-ops-legacy' },
      { 'Fn::ImportValue': 'Platform:PolicyArn' },
      { 'Fn::If': ['C', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::999999999999:policy/p'] },
    ]) {
      expect({ arn, found: findingsOf(RolesMayNotTamper, attaching([arn])) }).toEqual({
        arn,
        found: ['[HelperRole::policy-outside-assembly] HelperRole'],
      });
    }
    // Its template's policy (by reference or by its ARN written out) and an AWS managed policy are read.
    expect(
      findingsOf(
        RolesMayNotTamper,
        attaching([
          { Ref: 'OwnPolicy' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/own-policy' },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] },
        ]),
      ),
    ).toEqual([]);
  });

  test('U6 A3 A5 is an assembly rule over the tamper watch list (A5: the break-glass role bounded to its shipped actions)', () => {
    expect(ASSEMBLY_RULES).toContain(RolesMayNotTamper);
    expect(RolesMayNotTamper.safeguards).toEqual(['U6', 'A3', 'A5']);
    expect(TAMPER_ACTIONS).toEqual(
      expect.arrayContaining([
        'rds:ModifyDBInstance',
        'cloudtrail:StopLogging',
        'cloudwatch:DeleteAlarms',
        'lambda:UpdateFunctionCode',
      ]),
    );
  });

  test("U6 A3 roles allowed other actions pass, and so does GuardDuty Malware Protection's role with what its plan needs", () => {
    expect(findingsOf(RolesMayNotTamper)).toEqual([]);
    expect(
      findingsOf(
        RolesMayNotTamper,
        roleAllowed({ Effect: 'Allow', Action: ['rds:DescribeDBInstances'], Resource: '*' }),
      ),
    ).toEqual([]);
    expect(findingsOf(RolesMayNotTamper, roleAllowed({ Effect: 'Deny', Action: 'rds:*', Resource: '*' }))).toEqual([]);
    expect(findingsOf(RolesMayNotTamper, malwareRole())).toEqual([]);
  });

  test.each<[string, Mutable]>([
    [
      'rds:ModifyDBInstance on the PHI database (backups or deletion protection off at deploy)',
      { Action: 'rds:ModifyDBInstance' },
    ],
    ['every RDS action', { Action: 'rds:*' }],
    ['everything', { Action: '*' }],
    ['everything but a read (NotAction)', { NotAction: 's3:GetObject' }],
    ["the trail's StopLogging", { Action: 'cloudtrail:StopLogging' }],
    [
      "CloudWatch's DeleteAlarms (IAM's cloudwatch prefix for the monitoring event source)",
      { Action: 'cloudwatch:DeleteAlarms' },
    ],
    ['a wildcard over key deletion', { Action: 'kms:Schedule*' }],
    ["a function's code replaced", { Action: 'lambda:UpdateFunctionCode' }],
  ])('U6 A3 a role of the templates allowed %s is a finding', (_name, statement) => {
    expect(findingsOf(RolesMayNotTamper, roleAllowed({ Effect: 'Allow', Resource: '*', ...statement }))).toEqual(
      FINDING,
    );
  });

  test("U6 A3 GuardDuty Malware Protection's role allowed more than its plan needs is a finding", () => {
    const MALWARE = ['[MalwareRole::may-tamper] MalwareRole'];
    expect(
      findingsOf(RolesMayNotTamper, malwareRole([{ Effect: 'Allow', Action: 's3:PutBucketPolicy', Resource: '*' }])),
    ).toEqual(MALWARE);
    expect(
      findingsOf(RolesMayNotTamper, malwareRole([{ Effect: 'Allow', Action: 'events:DeleteRule', Resource: '*' }])),
    ).toEqual(MALWARE);
    expect(
      findingsOf(
        RolesMayNotTamper,
        malwareRole([
          { Effect: 'Allow', Action: 's3:PutBucketNotification', Resource: `arn:aws:s3:::${PHI_BUCKET}/*` },
        ]),
      ),
    ).toEqual(MALWARE);
    // The same statements on a role no plan runs as: not exempt.
    expect(
      findingsOf(RolesMayNotTamper, (t) => {
        malwareRole()(t);
        t.detection.Resources.MalwarePlan.Properties.Role = 'arn:aws:iam::123456789012:role/other';
      }),
    ).toEqual(MALWARE);
  });

  describe('the grant in any form the template may attach it (attacker review, 2026-12-02)', () => {
    const MODIFY = { Effect: 'Allow', Action: 'rds:ModifyDBInstance', Resource: '*' };
    /** The helper role without policies, and a managed policy of `stack` attached by `roles`. */
    const attached =
      (roles: unknown[], stack = 'data', document: unknown = { Statement: [MODIFY] }) =>
      (t: Record<string, Mutable>): void => {
        roleAllowed({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' })(t);
        t.data.Resources.HelperRole.Properties.RoleName = { 'Fn::Join': ['', ['tune-', { Ref: 'AWS::Region' }]] };
        t[stack].Resources.Tune = {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { Roles: roles, PolicyDocument: document },
        };
      };

    test.each<[string, (t: Record<string, Mutable>) => void]>([
      ['Fn::Sub of the role', attached([{ 'Fn::Sub': '${HelperRole}' }])],
      ['Fn::Select of a list holding it', attached([{ 'Fn::Select': [0, [{ Ref: 'HelperRole' }]] }])],
      ['a condition choosing it', attached([{ 'Fn::If': ['Always', { Ref: 'HelperRole' }, { Ref: 'AWS::NoValue' }] }])],
      ['its joined name written again', attached([{ 'Fn::Sub': 'tune-${AWS::Region}' }])],
      ['another stack naming it', attached(['tune-us-east-1'], 'audit')],
      [
        'a document written as a JSON string',
        attached([{ Ref: 'HelperRole' }], 'data', JSON.stringify({ Statement: [MODIFY] })),
      ],
      [
        'listed by its ARN from another stack',
        (t) => {
          attached([], 'audit')(t);
          t.audit.Resources.Tune.Properties.ManagedPolicyName = 'tune';
          t.data.Resources.HelperRole.Properties.ManagedPolicyArns = ['arn:aws:iam::123456789012:policy/tune'];
        },
      ],
    ])('U6 A3 a managed policy granting rds:ModifyDBInstance attached by %s is a finding', (_name, mutate) => {
      expect(findingsOf(RolesMayNotTamper, mutate)).toEqual(FINDING);
    });

    test.each<[string, string]>([
      ['its own rights widened', 'iam:PutRolePolicy'],
      ['a policy version made default', 'iam:CreatePolicyVersion'],
      ['a role passed to new code', 'iam:PassRole'],
      ['a read replica of the PHI database (a copy of PHI)', 'rds:CreateDBInstanceReadReplica'],
      ['the flow logs deleted', 'ec2:DeleteFlowLogs'],
      ['the web ACL taken off the load balancer', 'wafv2:DisassociateWebACL'],
      ['an automation run as another role', 'ssm:StartAutomationExecution'],
    ])('U6 A3 a role allowed an action with the same effect one remove away (%s) is a finding', (_name, action) => {
      expect(findingsOf(RolesMayNotTamper, roleAllowed({ Effect: 'Allow', Action: action, Resource: '*' }))).toEqual(
        FINDING,
      );
    });

    test("U6 A3 a function running as a role outside the assembly is a finding; a person's role and CDK's default group cleanup are not judged", () => {
      expect(
        findingsOf(RolesMayNotTamper, (t) => {
          t.data.Resources.Tune = {
            Type: 'AWS::Lambda::Function',
            Properties: { Role: 'arn:aws:iam::123456789012:role/OpsAdmin' },
          };
        }),
      ).toEqual(['[Tune::role-outside-assembly] Tune']);
      expect(
        findingsOf(RolesMayNotTamper, (t) => {
          roleAllowed({ Effect: 'Allow', Action: 'rds:StopDBInstance', Resource: '*' })(t);
          t.data.Resources.HelperRole.Properties.AssumeRolePolicyDocument.Statement = [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::333333333333:root' },
              Action: 'sts:AssumeRole',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            },
          ];
        }),
      ).toEqual([]);
      const cleanup = {
        Effect: 'Allow',
        Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
        Resource: [
          {
            'Fn::Join': [
              '',
              ['arn:aws:ec2:us-east-1:123456789012:security-group/', { 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] }],
            ],
          },
        ],
      };
      expect(findingsOf(RolesMayNotTamper, roleAllowed(cleanup))).toEqual([]);
      expect(findingsOf(RolesMayNotTamper, roleAllowed({ ...cleanup, Resource: '*' }))).toEqual(FINDING);
    });
  });
  describe("people's roles (A3 A5): the break-glass role alone is exempt, bounded by the shipped policy", () => {
    /** HelperRole trusted by another account's users with MFA (the break-glass role's trust), allowed `statement`. */
    const peopleRole =
      (statement: Mutable, trust: Mutable[] = []) =>
      (t: Record<string, Mutable>): void => {
        roleAllowed(statement)(t);
        t.data.Resources.HelperRole.Properties.AssumeRolePolicyDocument.Statement = [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::333333333333:root' },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
          ...trust,
        ];
      };
    /** The attacker review's GitHub OIDC trust (m4, m4b). */
    const GITHUB = {
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { Ref: 'GhOidc' } },
      Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example-org/*' } },
    };
    const BEYOND = ['[HelperRole::people-role-beyond-shipped] HelperRole'];
    /** The rule's findings with config's people roles (ConfiguredAllowLists.peopleRoleArns). */
    const withConfig = (mutate: (t: Record<string, Mutable>) => void, peopleRoleArns: string[]): string[] => {
      const templates = fixtureTemplates();
      mutate(templates);
      return RolesMayNotTamper.check(asAssembly(templates), {
        phiBucketNames: [PHI_BUCKET],
        allowLists: { buckets: {}, keys: {}, peopleRoleArns },
      })
        .findings.map((f) => `${f.ruleId.slice('Blueprint-RolesMayNotTamper'.length)} ${f.logicalId ?? '(template)'}`)
        .sort();
    };

    test("A3 A5 a person's role keeps the shipped break-glass actions (patterns and the actions they cover)", () => {
      const shipped = {
        Effect: 'Allow',
        Action: ['rds:StopDBInstance', 'ec2:RevokeSecurityGroupEgress', 'ec2:Describe*', 'rds:DescribeDBInstances'],
        Resource: '*',
      };
      expect(findingsOf(RolesMayNotTamper, peopleRole(shipped))).toEqual([]);
    });

    test('A3 A5 the gate keeps its own bound, and the break-glass construct grants nothing beyond it (a construct granting more fails the gate)', () => {
      const granted = breakGlassStatements({ ecsClusterName: 'cluster', environmentTags: { Application: 'app' } })
        .map((st) => st.toStatementJson() as { Effect: string; Action: string | string[] })
        .filter((st) => st.Effect === 'Allow')
        .flatMap((st) => [st.Action].flat());
      expect(granted.filter((a) => !PEOPLE_ROLE_ACTIONS.includes(a))).toEqual([]);
      expect(PEOPLE_ROLE_ACTIONS).not.toContain('backup:UpdateRecoveryPointLifecycle');
    });

    test.each([
      [
        'the attacker review additions (m4)',
        ['backup:UpdateRecoveryPointLifecycle', 'secretsmanager:GetSecretValue', 'kms:Decrypt'],
      ],
      ['a wider pattern than shipped', ['ec2:*']],
      ['a pattern of its own', ['rds:Stop*']],
    ])("A3 A5 a person's role allowed beyond the shipped break-glass actions is a finding: %s", (_name, actions) => {
      expect(findingsOf(RolesMayNotTamper, peopleRole({ Effect: 'Allow', Action: actions, Resource: '*' }))).toEqual(
        BEYOND,
      );
    });

    test("A3 A5 NotAction in a person's role's Allow is beyond the shipped actions", () => {
      expect(findingsOf(RolesMayNotTamper, peopleRole({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))).toEqual(
        BEYOND,
      );
    });

    test('U6 A3 A2 a role a federated identity may assume is judged like the roles code runs as (m4, m4b)', () => {
      // m4: the OIDC trust added to a person's role allowed what break-glass may (containment included).
      expect(
        findingsOf(
          RolesMayNotTamper,
          peopleRole({ Effect: 'Allow', Action: 'rds:StopDBInstance', Resource: '*' }, [GITHUB]),
        ),
      ).toEqual(FINDING);
      // m4b: a new role only the OIDC provider's identities assume, its grant on every resource but one.
      expect(
        findingsOf(RolesMayNotTamper, (t) => {
          roleAllowed({
            Effect: 'Allow',
            Action: [
              'backup:UpdateRecoveryPointLifecycle',
              'ecs:ExecuteCommand',
              'cloudtrail:StopLogging',
              'iam:PassRole',
            ],
            NotResource: 'arn:aws:s3:::example-none',
          })(t);
          t.data.Resources.HelperRole.Properties.AssumeRolePolicyDocument.Statement = [GITHUB];
        }),
      ).toEqual(FINDING);
    });

    test('U6 A3 NotResource in an Allow covers every resource but those listed', () => {
      expect(
        findingsOf(
          RolesMayNotTamper,
          roleAllowed({ Effect: 'Allow', Action: 'cloudtrail:StopLogging', NotResource: 'arn:aws:s3:::example-none' }),
        ),
      ).toEqual(FINDING);
    });

    test("A3 A5 with config, a person's role that is not config's break-glass role is judged like any other", () => {
      const stop = peopleRole({ Effect: 'Allow', Action: 'rds:StopDBInstance', Resource: '*' });
      expect(withConfig(stop, ['arn:aws:iam::123456789012:role/app-prod-break-glass'])).toEqual(FINDING);
      const named = (t: Record<string, Mutable>): void => {
        stop(t);
        t.data.Resources.HelperRole.Properties.RoleName = 'ops-break-glass';
      };
      expect(withConfig(named, ['arn:aws:iam::123456789012:role/ops-break-glass'])).toEqual([]);
      expect(withConfig(named, [])).toEqual(FINDING);
    });

    test.each(['dev', 'prod'] as const)(
      "A3 A5 config's people role is the shipped %s break-glass role, which passes with config",
      (envName) => {
        const stacks = loadAssembly(cdkSynthDir(envName));
        const env = environmentRegister(stacks.map((s) => s.template))!;
        const allowLists = configuredAllowLists(env.config);
        expect(allowLists.peopleRoleArns).toEqual([
          `arn:aws:iam::${env.config.account}:role/${env.config.appName}-${env.config.envName}-break-glass`,
        ]);
        expect(RolesMayNotTamper.check(stacks, { allowLists }).findings).toEqual([]);
      },
    );
  });
});
