import { TrailCoversPhiBuckets } from '../../../../lib/compliance/gate/assembly/trail-covers-phi-buckets';
import { findingsOf, Mutable, PHI_BUCKET } from './assembly-fixture';

const trail = (t: Record<string, Mutable>) => t.audit.Resources.Trail.Properties;

/** The trail with advanced selectors only: every management event, and S3 object data events with `fields` added. */
function withDataSelector(t: Record<string, Mutable>, fields: Mutable[]): void {
  delete trail(t).EventSelectors;
  trail(t).AdvancedEventSelectors = [
    { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    {
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        ...fields,
      ],
    },
  ];
}

describe('TrailCoversPhiBuckets', () => {
  test('U1 a trail with read and write data events on the PHI bucket passes; so do advanced selectors', () => {
    expect(findingsOf(TrailCoversPhiBuckets)).toEqual([]);
    expect(
      findingsOf(TrailCoversPhiBuckets, (t) =>
        withDataSelector(t, [{ Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${PHI_BUCKET}/`] }]),
      ),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    ['the trail removed', (t) => delete t.audit.Resources.Trail, ['[Trail::absent] (template)']],
    ['no data events', (t) => delete trail(t).EventSelectors, [`[DataEvents::${PHI_BUCKET}-none] Trail`]],
    [
      'write events only',
      (t) => (trail(t).EventSelectors[0].ReadWriteType = 'WriteOnly'),
      // A basic selector's ReadWriteType applies to its management events too.
      [`[DataEvents::${PHI_BUCKET}-write-only] Trail`, '[ManagementEvents::not-recorded] Trail'],
    ],
    [
      'the trail not logging',
      (t) => (trail(t).IsLogging = false),
      [
        `[DataEvents::${PHI_BUCKET}-none] Trail`,
        '[ManagementEvents::not-recorded] Trail',
        '[Trail::not-logging] Trail',
      ],
    ],
    [
      'the trail logging "false" (a string)',
      (t) => (trail(t).IsLogging = 'false'),
      [
        `[DataEvents::${PHI_BUCKET}-none] Trail`,
        '[ManagementEvents::not-recorded] Trail',
        '[Trail::not-logging] Trail',
      ],
    ],
    [
      'IsLogging removed',
      (t) => delete trail(t).IsLogging,
      [
        `[DataEvents::${PHI_BUCKET}-none] Trail`,
        '[ManagementEvents::not-recorded] Trail',
        '[Trail::not-logging] Trail',
      ],
    ],
    [
      'management events excluded from the basic selector',
      (t) => (trail(t).EventSelectors[0].IncludeManagementEvents = false),
      ['[ManagementEvents::not-recorded] Trail'],
    ],
    [
      'data events on another bucket only',
      (t) => (trail(t).EventSelectors[0].DataResources[0].Values = ['arn:aws:s3:::other-bucket/']),
      [`[DataEvents::${PHI_BUCKET}-none] Trail`],
    ],
    [
      "data events on the PHI bucket's name in another partition (CloudTrail of this Region never sees it)",
      (t) => (trail(t).EventSelectors[0].DataResources[0].Values = [`arn:aws-us-gov:s3:::${PHI_BUCKET}/`]),
      [`[DataEvents::${PHI_BUCKET}-none] Trail`],
    ],
    [
      'an advanced selector naming the PHI bucket in another partition',
      (t) => withDataSelector(t, [{ Field: 'resources.ARN', StartsWith: [`arn:aws-cn:s3:::${PHI_BUCKET}/`] }]),
      [`[DataEvents::${PHI_BUCKET}-none] Trail`],
    ],
    [
      'an advanced selector with two readOnly fields (ANDed: it matches no event)',
      (t) =>
        withDataSelector(t, [
          { Field: 'readOnly', Equals: ['true'] },
          { Field: 'readOnly', Equals: ['false'] },
        ]),
      [`[DataEvents::${PHI_BUCKET}-none] Trail`],
    ],
    [
      'a second PHI bucket (found by its marker) not in the selectors',
      (t) =>
        (t.data.Resources.Replica = {
          Type: 'AWS::S3::Bucket',
          Metadata: { 'HipaaBlueprint::PhiStore': true },
          Properties: { BucketName: 'records-archive' },
        }),
      ['[DataEvents::records-archive-none] Trail'],
    ],
  ])('U1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(TrailCoversPhiBuckets, mutate)).toEqual(expected);
  });

  test('U1 advanced selectors narrowed by a field or operator the rule does not read cover nothing', () => {
    const management = { Field: 'eventCategory', Equals: ['Management'] };
    const data = (...extra: Mutable[]) => [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${PHI_BUCKET}/`] },
      ...extra,
    ];
    const withSelectors = (managementFields: Mutable[], dataFields: Mutable[]) =>
      findingsOf(TrailCoversPhiBuckets, (t) => {
        delete trail(t).EventSelectors;
        trail(t).AdvancedEventSelectors = [{ FieldSelectors: managementFields }, { FieldSelectors: dataFields }];
      });
    expect(withSelectors([management], data())).toEqual([]);
    for (const extra of [
      { Field: 'eventName', Equals: ['RestoreObject'] },
      { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/task/'] },
      { Field: 'resources.ARN', NotStartsWith: [`arn:aws:s3:::${PHI_BUCKET}/a`] },
      { Field: 'readOnly', NotEquals: ['true'] },
    ]) {
      expect([extra, withSelectors([management], data(extra))]).toEqual([
        extra,
        [`[DataEvents::${PHI_BUCKET}-none] Trail`],
      ]);
    }
    // A folder of the bucket, or single objects by Equals: the rest of its keys unrecorded.
    for (const arn of [
      { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${PHI_BUCKET}/nothing-here/`] },
      { Field: 'resources.ARN', Equals: [`arn:aws:s3:::${PHI_BUCKET}/one-key`] },
    ]) {
      const dataFields = [...data().slice(0, 2), arn];
      expect([arn, withSelectors([management], dataFields)]).toEqual([arn, [`[DataEvents::${PHI_BUCKET}-none] Trail`]]);
    }
    // Management events narrowed to reads: the tamper rules and the alarms see no write.
    expect(withSelectors([management, { Field: 'readOnly', Equals: ['true'] }], data())).toEqual([
      '[ManagementEvents::not-recorded] Trail',
    ]);
  });
});

describe('TrailCoversPhiBuckets: CloudWatch Logs delivery (attacker review m7, 2026-12-02)', () => {
  const role = (t: Record<string, Mutable>) => t.audit.Resources.TrailLogsRole.Properties;
  const policy = (t: Record<string, Mutable>) => t.audit.Resources.TrailLogsPolicy.Properties.PolicyDocument;
  const dated = {
    Effect: 'Deny',
    Action: 'logs:PutLogEvents',
    Resource: '*',
    Condition: { DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
  };

  test('U1 D1 the shipped delivery passes; so does a deny on another resource and a trust on the trail ARN', () => {
    expect(findingsOf(TrailCoversPhiBuckets)).toEqual([]);
    expect(
      findingsOf(TrailCoversPhiBuckets, (t) => {
        policy(t).Statement.push({ Effect: 'Deny', Action: 'logs:*', Resource: { 'Fn::GetAtt': ['Trail', 'Arn'] } });
        role(t).AssumeRolePolicyDocument.Statement[0].Condition = {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:123456789012:trail/app-prod-*' },
        };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string]>([
    ['a dated deny of PutLogEvents in its policy (m7)', (t) => policy(t).Statement.push(dated), 'role-denied'],
    [
      'a dated deny in an inline policy of the role',
      (t) => (role(t).Policies = [{ PolicyName: 'later', PolicyDocument: { Statement: [dated] } }]),
      'role-denied',
    ],
    [
      'a dated deny in an AWS::IAM::Policy of another stack naming the role',
      (t) => {
        t.audit.Outputs = { ...t.audit.Outputs, TrailLogsRoleName: { Value: { Ref: 'TrailLogsRole' } } };
        t.data.Resources.Later = {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'later',
            Roles: [{ 'Fn::GetStackOutput': { StackName: 'app-prod-audit', OutputName: 'TrailLogsRoleName' } }],
            PolicyDocument: { Statement: [{ ...dated, Action: 'logs:*' }] },
          },
        };
      },
      'role-denied',
    ],
    [
      'a deny of logs:CreateLogStream on a log group ARN pattern',
      (t) =>
        policy(t).Statement.push({
          Effect: 'Deny',
          Action: 'logs:CreateLogStream',
          Resource: 'arn:aws:logs:*:*:log-group:*',
          Condition: { StringNotEquals: { 'aws:RequestTag/x': 'y' } },
        }),
      'role-denied',
    ],
    [
      'a NotAction deny',
      (t) => policy(t).Statement.push({ Effect: 'Deny', NotAction: 's3:*', Resource: '*' }),
      'role-denied',
    ],
    [
      'the allow narrowed to CreateLogStream',
      (t) => (policy(t).Statement[0].Action = ['logs:CreateLogStream']),
      'role-not-allowed',
    ],
    [
      'the allow on another log group',
      (t) => (policy(t).Statement[0].Resource = { 'Fn::GetAtt': ['BreakGlass', 'Arn'] }),
      'role-not-allowed',
    ],
    ['no role', (t) => delete trail(t).CloudWatchLogsRoleArn, 'no-role'],
    [
      'a role of another account',
      (t) => (trail(t).CloudWatchLogsRoleArn = 'arn:aws:iam::000000000000:role/elsewhere'),
      'role-outside-assembly',
    ],
    ['no log group', (t) => delete trail(t).CloudWatchLogsLogGroupArn, 'no-log-group'],
    [
      'a log group the assembly does not hold',
      (t) => (trail(t).CloudWatchLogsLogGroupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:x:*'),
      'log-group-outside-assembly',
    ],
    [
      'a trust for another service',
      (t) => (role(t).AssumeRolePolicyDocument.Statement[0].Principal.Service = 'lambda.amazonaws.com'),
      'role-not-assumable-by-cloudtrail',
    ],
    [
      'a dated trust (it stops holding after deploy)',
      (t) =>
        (role(t).AssumeRolePolicyDocument.Statement[0].Condition = {
          DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' },
        }),
      'role-not-assumable-by-cloudtrail',
    ],
    [
      'a trust for another account',
      (t) =>
        (role(t).AssumeRolePolicyDocument.Statement[0].Condition = {
          StringEquals: { 'aws:SourceAccount': '000000000000' },
        }),
      'role-not-assumable-by-cloudtrail',
    ],
    [
      'a dated trust deny',
      (t) =>
        role(t).AssumeRolePolicyDocument.Statement.push({
          Effect: 'Deny',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
        }),
      'role-not-assumable-by-cloudtrail',
    ],
    [
      'a managed policy the assembly does not hold (it may deny)',
      (t) => role(t).ManagedPolicyArns.push('arn:aws:iam::123456789012:policy/elsewhere'),
      'role-policy-outside-assembly',
    ],
    [
      'a permissions boundary the assembly does not hold',
      (t) => (role(t).PermissionsBoundary = 'arn:aws:iam::123456789012:policy/elsewhere'),
      'boundary-outside-assembly',
    ],
    [
      'a permissions boundary with a dated deny',
      (t) => {
        t.audit.Resources.Boundary = {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }, dated] },
          },
        };
        role(t).PermissionsBoundary = { Ref: 'Boundary' };
      },
      'boundary-denied',
    ],
    [
      'a permissions boundary not allowing the delivery',
      (t) => {
        t.audit.Resources.Boundary = {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } },
        };
        role(t).PermissionsBoundary = { Ref: 'Boundary' };
      },
      'boundary-not-allowed',
    ],
  ])('U1 D1 %s is a finding', (_name, mutate, why) => {
    expect(findingsOf(TrailCoversPhiBuckets, mutate)).toEqual([`[CloudWatchLogs::${why}] Trail`]);
  });

  test('U1 D1 a permissions boundary of the assembly allowing the delivery passes', () => {
    expect(
      findingsOf(TrailCoversPhiBuckets, (t) => {
        t.audit.Resources.Boundary = {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] } },
        };
        role(t).PermissionsBoundary = { Ref: 'Boundary' };
      }),
    ).toEqual([]);
  });

  test('U1 D1 a trail the gate does not rely on (no management or PHI data events) is not judged', () => {
    expect(
      findingsOf(TrailCoversPhiBuckets, (t) => {
        t.audit.Resources.Other = {
          Type: 'AWS::CloudTrail::Trail',
          Properties: {
            IsLogging: true,
            AdvancedEventSelectors: [
              {
                FieldSelectors: [
                  { Field: 'eventCategory', Equals: ['Data'] },
                  { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] },
                ],
              },
            ],
          },
        };
      }),
    ).toEqual([]);
  });
});
