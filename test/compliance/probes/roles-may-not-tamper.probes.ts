import { Json, one, Probe } from './probe';

/** A role for a custom resource's function (inline code no rule reads) in the data stack, with `statement`. */
const helperRole = (statement: Json): Json => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    Policies: [{ PolicyName: 'tune', PolicyDocument: { Version: '2012-10-17', Statement: [statement] } }],
  },
});

/** U6 A3: no role the templates create may switch a safeguard off at deploy (the attacker review of 2026-12-02). */
export const PROBES: readonly Probe[] = [
  {
    name: "U6 A3 I1 a custom resource's role allowed rds:ModifyDBInstance on the PHI database (its code turns backups and deletion protection off at deploy)",
    safeguards: ['U6', 'A3', 'I1'],
    mutate: (t) => {
      const [dbId] = one(t, 'data', 'AWS::RDS::DBInstance');
      t.data!.Resources.ProbeTuneRole = helperRole({
        Effect: 'Allow',
        Action: 'rds:ModifyDBInstance',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':rds:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':db:',
              { Ref: dbId },
            ],
          ],
        },
      });
    },
    caughtBy: /RolesMayNotTamper\[ProbeTuneRole::may-tamper\]/,
  },
  {
    name: 'U6 A3 a role of the audit stack allowed to stop the trail',
    safeguards: ['U6', 'A3'],
    mutate: (t) => {
      t.audit!.Resources.ProbeQuietRole = helperRole({ Effect: 'Allow', Action: 'cloudtrail:Stop*', Resource: '*' });
    },
    caughtBy: /RolesMayNotTamper\[ProbeQuietRole::may-tamper\]/,
  },
  {
    name: "U6 A3 I1 the database-modifying grant in a managed policy attached to a custom resource's role through Fn::Sub",
    safeguards: ['U6', 'A3', 'I1'],
    mutate: (t) => {
      t.data!.Resources.ProbeTuneRole = helperRole({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' });
      t.data!.Resources.ProbeTunePolicy = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Roles: [{ 'Fn::Sub': '${ProbeTuneRole}' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'rds:ModifyDBInstance', Resource: '*' }],
          },
        },
      };
    },
    caughtBy: /RolesMayNotTamper\[ProbeTuneRole::may-tamper\]/,
  },
  {
    name: "U6 A3 a custom resource's role allowed to create a function and pass it a role (any rights, one step away)",
    safeguards: ['U6', 'A3'],
    mutate: (t) => {
      t.data!.Resources.ProbeTuneRole = helperRole({
        Effect: 'Allow',
        Action: ['lambda:CreateFunction', 'iam:PassRole'],
        Resource: 'arn:aws:iam::222222222222:role/hipaa-prod-phi-backup',
      });
    },
    caughtBy: /RolesMayNotTamper\[ProbeTuneRole::may-tamper\]/,
  },
  {
    name: "U6 A3 a function of the data stack running as an administrator's role (what it may do is not in the templates)",
    safeguards: ['U6', 'A3'],
    mutate: (t) => {
      const [, fn] = one(t, 'data', 'AWS::Lambda::Function');
      fn.Properties.Role = 'arn:aws:iam::222222222222:role/OpsAdmin';
    },
    caughtBy: /RolesMayNotTamper\[\w+::role-outside-assembly\]/,
  },
];
