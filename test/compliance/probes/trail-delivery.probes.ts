import { Json, one, Probe, Templates } from './probe';

/** The trail's CloudWatch Logs delivery role, as the trail names it. */
const deliveryRole = (t: Templates): [string, Json] => {
  const trail = one(t, 'audit', 'AWS::CloudTrail::Trail')[1];
  const id = String(trail.Properties.CloudWatchLogsRoleArn['Fn::GetAtt'][0]);
  return [id, t.audit!.Resources[id]!];
};

/** The managed policy the delivery role lists (by Ref). */
const deliveryPolicy = (t: Templates): Json => {
  const [, role] = deliveryRole(t);
  return t.audit!.Resources[String(role.Properties.ManagedPolicyArns[0].Ref)]!;
};

/** A deny that holds only from a date on: CloudTrail checks the role at deploy, when it does not yet apply. */
const DATED = { DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } };

/** The attacker review of the trail's CloudWatch Logs delivery (m7): the alarms' log group silenced after deploy. */
export const PROBES: readonly Probe[] = [
  {
    name: "U1 D1 a dated deny of logs:PutLogEvents in the trail's delivery role policy (m7)",
    safeguards: ['U1', 'D1'],
    mutate: (t) =>
      deliveryPolicy(t).Properties.PolicyDocument.Statement.push({
        Effect: 'Deny',
        Action: 'logs:PutLogEvents',
        Resource: '*',
        Condition: DATED,
      }),
    caughtBy: /TrailCoversPhiBuckets\[CloudWatchLogs::role-denied\]/,
  },
  {
    name: "U1 D1 a dated deny of logs:CreateLogStream in an inline policy of the trail's delivery role",
    safeguards: ['U1', 'D1'],
    mutate: (t) =>
      (deliveryRole(t)[1].Properties.Policies = [
        {
          PolicyName: 'Later',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 'logs:CreateLogStream', Resource: '*', Condition: DATED }],
          },
        },
      ]),
    caughtBy: /TrailCoversPhiBuckets\[CloudWatchLogs::role-denied\]/,
  },
  {
    name: "U1 D1 the trail's delivery role trusted by CloudTrail only until a date",
    safeguards: ['U1', 'D1'],
    mutate: (t) => {
      const statement = deliveryRole(t)[1].Properties.AssumeRolePolicyDocument.Statement[0];
      statement.Condition = { ...statement.Condition, DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } };
    },
    caughtBy: /TrailCoversPhiBuckets\[CloudWatchLogs::role-not-assumable-by-cloudtrail\]/,
  },
  {
    name: "U1 D1 a permissions boundary with a dated deny on the trail's delivery role",
    safeguards: ['U1', 'D1'],
    mutate: (t) => {
      t.audit!.Resources.LaterBoundary = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: '*', Resource: '*' },
              { Effect: 'Deny', Action: 'logs:*', Resource: '*', Condition: DATED },
            ],
          },
        },
      };
      deliveryRole(t)[1].Properties.PermissionsBoundary = { Ref: 'LaterBoundary' };
    },
    caughtBy: /TrailCoversPhiBuckets\[CloudWatchLogs::boundary-denied\]/,
  },
];
