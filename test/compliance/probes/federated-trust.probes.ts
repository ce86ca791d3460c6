import { Json, one, Probe, Templates } from './probe';

/** The break-glass role of the audit stack: the one role another account's principals assume. */
const breakGlassRole = (t: Templates): [string, Json] =>
  one(t, 'audit', 'AWS::IAM::Role', (r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('"AWS"'));
/** The break-glass role's managed policy. */
const breakGlassPolicy = (t: Templates): Json =>
  one(t, 'audit', 'AWS::IAM::ManagedPolicy', (r) => String(r.Properties.Description).startsWith('Break-glass'))[1];

/** The attacker review's GitHub OIDC provider, added to the audit stack as `GhOidc`. */
const addGithubProvider = (t: Templates): void => {
  t.audit!.Resources.GhOidc = {
    Type: 'AWS::IAM::OIDCProvider',
    Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
  };
};
/** A trust statement admitting every workflow of an organisation's repositories through that provider. */
const GITHUB_TRUST = {
  Effect: 'Allow',
  Action: 'sts:AssumeRoleWithWebIdentity',
  Principal: { Federated: { Ref: 'GhOidc' } },
  Condition: {
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
    StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example-org/*' },
  },
};
/** What the attacker review added to the break-glass policy (m4). */
const M4_ACTIONS = [
  'backup:UpdateRecoveryPointLifecycle',
  'secretsmanager:GetSecretValue',
  'kms:Decrypt',
  'iam:PassRole',
  'iam:AttachRolePolicy',
  'lambda:UpdateFunctionCode',
  'cloudtrail:StopLogging',
];

/** The attacker review of federated trust and people's roles (m4, m4b): mutations that passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: 'A2 A5 a GitHub OIDC trust added to the break-glass role (no MFA, no AssumeRole alarm)',
    safeguards: ['A2', 'A5'],
    mutate: (t) => {
      addGithubProvider(t);
      breakGlassRole(t)[1].Properties.AssumeRolePolicyDocument.Statement.push(GITHUB_TRUST);
    },
    caughtBy: /HumanRolesRequireMfa\[AssumeRolePolicy::Statement\d+-federated\]/,
  },
  {
    name: 'A2 an OIDC identity provider the blueprint does not ship',
    safeguards: ['A2'],
    mutate: addGithubProvider,
    caughtBy: /HumanRolesRequireMfa\[IdentityProvider::not-shipped\]/,
  },
  {
    name: 'A3 A5 the break-glass role federated and allowed IAM writes, secrets and stopping the trail (m4)',
    safeguards: ['A3', 'A5'],
    mutate: (t) => {
      addGithubProvider(t);
      breakGlassRole(t)[1].Properties.AssumeRolePolicyDocument.Statement.push(GITHUB_TRUST);
      breakGlassPolicy(t).Properties.PolicyDocument.Statement[0].Action.push(...M4_ACTIONS);
    },
    caughtBy: /RolesMayNotTamper\[BreakGlass\w+::may-tamper\]/,
  },
  {
    name: 'A3 A5 the break-glass policy allowed shortening backups, reading secrets and decrypting',
    safeguards: ['A3', 'A5'],
    mutate: (t) =>
      breakGlassPolicy(t).Properties.PolicyDocument.Statement[0].Action.push(
        'backup:UpdateRecoveryPointLifecycle',
        'secretsmanager:GetSecretValue',
        'kms:Decrypt',
      ),
    caughtBy: /RolesMayNotTamper\[BreakGlass\w+::people-role-beyond-shipped\]/,
  },
  {
    name: 'U6 A3 a new role the OIDC provider trusts, allowed tamper actions on every resource but one (NotResource, m4b)',
    safeguards: ['U6', 'A3'],
    mutate: (t) => {
      addGithubProvider(t);
      t.audit!.Resources.CiRole = {
        Type: 'AWS::IAM::Role',
        Properties: {
          MaxSessionDuration: 3600,
          ManagedPolicyArns: [{ Ref: 'CiPolicy' }],
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [GITHUB_TRUST] },
        },
      };
      t.audit!.Resources.CiPolicy = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Description: 'ci checks',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'backup:UpdateRecoveryPointLifecycle',
                  'ecs:ExecuteCommand',
                  'cloudtrail:StopLogging',
                  'iam:PassRole',
                ],
                NotResource: 'arn:aws:s3:::example-none',
              },
            ],
          },
        },
      };
    },
    caughtBy: /RolesMayNotTamper\[CiRole::may-tamper\]/,
  },
  {
    name: "A3 A5 a second role with the break-glass role's trust, allowed its containment actions (no use alarm)",
    safeguards: ['A3', 'A5'],
    mutate: (t) => {
      const trust = breakGlassRole(t)[1].Properties.AssumeRolePolicyDocument;
      t.audit!.Resources.OpsRole = {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'ops-helper',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: JSON.parse(JSON.stringify(trust)),
          ManagedPolicyArns: [{ Ref: 'OpsPolicy' }],
        },
      };
      t.audit!.Resources.OpsPolicy = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['rds:StopDBInstance', 'rds:StopDBCluster'], Resource: '*' }],
          },
        },
      };
    },
    caughtBy: /RolesMayNotTamper\[OpsRole::may-tamper\]/,
  },
];
