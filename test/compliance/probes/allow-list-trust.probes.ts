import { Json, one, Probe, Templates } from './probe';

/** The PHI backup role (on the PHI bucket's object allow-list and the PHI key's). */
const backupRole = (t: Templates): Json =>
  one(t, 'data', 'AWS::IAM::Role', (r) => String(r.Properties.RoleName ?? '').endsWith('-phi-backup'))[1];

/**
 * E1 A3: a role on a PHI allow-list is assumed by the service it is for only, and a task role on one is bound to the
 * PHI VPC (the attacker review of 2026-12-02).
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'E1 A3 the allow-listed backup role also trusts Lambda (whoever may pass it to a function reads PHI as it)',
    safeguards: ['E1', 'A3'],
    mutate: (t) =>
      backupRole(t).Properties.AssumeRolePolicyDocument.Statement.push({
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    caughtBy: /AllowListsAsConfigured\[\w+::allow-listed-role-trusts-unused-service\]/,
  },
  {
    name: "E1 A3 the allow-listed backup role trusts another account's user through a statement whose Effect is a condition's choice",
    safeguards: ['E1', 'A3'],
    mutate: (t) => {
      t.data!.Conditions = { ...(t.data!.Conditions ?? {}), ProbeAlways: { 'Fn::Equals': ['a', 'a'] } };
      backupRole(t).Properties.AssumeRolePolicyDocument.Statement.push({
        Effect: { 'Fn::If': ['ProbeAlways', 'Allow', 'Deny'] },
        Principal: { AWS: 'arn:aws:iam::333333333333:user/someone' },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      });
    },
    caughtBy: /AllowListsAsConfigured\[\w+::allow-listed-role-trusts-people\]/,
  },
  {
    name: "A3 N3 the allow-listed backup role run as the API's task role (granted by AWS managed policies, not VPC-bound)",
    safeguards: ['A3', 'N3'],
    mutate: (t) => {
      const role = backupRole(t);
      role.Properties.AssumeRolePolicyDocument.Statement.push({
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
      });
      const [, td] = one(t, 'app', 'AWS::ECS::TaskDefinition');
      td.Properties.TaskRoleArn = {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:role/${role.Properties.RoleName}`],
        ],
      };
    },
    caughtBy: /PhiTaskRolesVpcBound\[PhiBucket\w+::task-role-not-vpc-bound\]/,
  },
];
