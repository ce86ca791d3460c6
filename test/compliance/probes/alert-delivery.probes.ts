import { Json, one, Probe, Templates } from './probe';

/** The alert formatter (the function whose environment names the alert topic) and its role. */
const formatter = (t: Templates): Json =>
  one(t, 'alerting', 'AWS::Lambda::Function', (r) =>
    JSON.stringify(r.Properties.Environment ?? {}).includes('ALERT_TOPIC_ARN'),
  )[1];
const formatterRole = (t: Templates): Json => t.alerting!.Resources[formatter(t).Properties.Role['Fn::GetAtt'][0]];
const topicPolicy = (t: Templates): Json => one(t, 'alerting', 'AWS::SNS::TopicPolicy')[1].Properties.PolicyDocument;

/**
 * D1 D3: an alert reaches its subscribers past every policy on its way (the attacker review of 2026-12-02): the topic's
 * policies, its key's policy, the formatter role's boundary and attached policies, the formatter's environment.
 */
export const PROBES: readonly Probe[] = [
  {
    name: "D1 D3 a topic policy deny of every AWS service (a condition, not a principal: CloudWatch's alarms refused)",
    safeguards: ['D1', 'D3'],
    mutate: (t) =>
      topicPolicy(t).Statement.push({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: '*',
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
      }),
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 a topic policy deny of this account's principals (the formatter's publishing refused)",
    safeguards: ['D1', 'D3'],
    mutate: (t) =>
      topicPolicy(t).Statement.push({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
      }),
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 a deny in the alert topic key's policy (SNS cannot encrypt an alert)",
    safeguards: ['D1', 'D3'],
    mutate: (t) => {
      // Every key of the keys stack (the alert topic's among them).
      for (const r of Object.values(t.keys!.Resources as Record<string, Json>)) {
        if (r.Type !== 'AWS::KMS::Key') continue;
        r.Properties.KeyPolicy.Statement.push({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': '*' } },
        });
      }
    },
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 a permissions boundary on the formatter's role without sns:Publish (ReadOnlyAccess)",
    safeguards: ['D1', 'D3'],
    mutate: (t) => (formatterRole(t).Properties.PermissionsBoundary = 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 a deny-all policy of the template attached to the formatter's role by its ARN written out",
    safeguards: ['D1', 'D3'],
    mutate: (t) => {
      t.alerting!.Resources.ProbeQuiet = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: 'probe-quiet',
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sns:*', Resource: '*' }] },
        },
      };
      formatterRole(t).Properties.ManagedPolicyArns = [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':policy/probe-quiet'],
          ],
        },
      ];
    },
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 the formatter's alert topic variable pointed at another account's topic (the real one kept aside)",
    safeguards: ['D1', 'D3'],
    mutate: (t) => {
      const vars = formatter(t).Properties.Environment.Variables;
      vars.ALERT_TOPIC_ARN_PREVIOUS = vars.ALERT_TOPIC_ARN;
      vars.ALERT_TOPIC_ARN = 'arn:aws:sns:us-east-1:999999999999:collector';
    },
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: 'D1 D3 a data protection policy denying every alert, written as a JSON string',
    safeguards: ['D1', 'D3'],
    mutate: (t) =>
      (one(t, 'alerting', 'AWS::SNS::Topic')[1].Properties.DataProtectionPolicy = JSON.stringify({
        Name: 'alerts',
        Version: '2021-06-01',
        Statement: [{ DataDirection: 'Outbound', Principal: ['*'], DataIdentifier: ['x'], Operation: { Deny: {} } }],
      })),
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "A3 U4 GuardDuty's and Macie's findings also sent to a second function of the data stack that logs them as they are (object keys in a log)",
    safeguards: ['A3', 'U4'],
    mutate: (t) => {
      const [fnId] = one(t, 'data', 'AWS::Lambda::Function');
      t.data!.Resources.ProbeRawFindings = {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: ['aws.guardduty', 'aws.macie'] },
          State: 'ENABLED',
          Targets: [{ Id: 'log', Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } }],
        },
      };
    },
    caughtBy: /PhiObjectEventsStayInside\[ProbeRawFindings::routes-object-keys-unformatted\]/,
  },
];
