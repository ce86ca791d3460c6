import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import {
  mayMatchObjectEvents,
  PhiObjectEventsStayInside,
} from '../../../../lib/compliance/gate/assembly/phi-object-events-stay-inside';
import { findingsOf, Mutable, PHI_BUCKET } from './assembly-fixture';

const QUEUE = { 'Fn::GetAtt': ['Collector', 'Arn'] };
const FINDING = ['[Leak::routes-phi-object-events] Leak'];

/** Adds to the data stack a same-account queue and a rule with `pattern` sending to it. */
const routing =
  (pattern: unknown, rule: Mutable = {}, stack = 'data') =>
  (t: Record<string, Mutable>): void => {
    t[stack].Resources.Collector = { Type: 'AWS::SQS::Queue', Properties: {} };
    t[stack].Resources.Leak = {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: pattern, Targets: [{ Id: 'q', Arn: QUEUE }], ...rule },
    };
  };

describe('Blueprint-PhiObjectEventsStayInside', () => {
  test('A3 U4 is an assembly rule', () => {
    expect(ASSEMBLY_RULES).toContain(PhiObjectEventsStayInside);
    expect(PhiObjectEventsStayInside.safeguards).toEqual(['A3', 'U4']);
  });

  test.each<[string, unknown]>([
    [
      "S3's Object Created events of the PHI bucket",
      { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [PHI_BUCKET] } } },
    ],
    ['every S3 event (no detail type)', { source: ['aws.s3'] }],
    [
      'the bucket named by a prefix',
      { source: ['aws.s3'], detail: { bucket: { name: [{ prefix: 'app-prod-phi-' }] } } },
    ],
    [
      'every bucket but another',
      { source: ['aws.s3'], detail: { bucket: { name: [{ 'anything-but': ['other-bucket'] }] } } },
    ],
    ['the bucket by its ARN in resources', { source: ['aws.s3'], resources: [`arn:aws:s3:::${PHI_BUCKET}`] }],
    [
      'a key prefix only (still some objects)',
      { source: ['aws.s3'], detail: { object: { key: [{ prefix: 'uploads/' }] } } },
    ],
    [
      "CloudTrail's GetObject data events of the bucket",
      {
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['s3.amazonaws.com'],
          eventName: ['GetObject'],
          requestParameters: { bucketName: [PHI_BUCKET] },
        },
      },
    ],
    [
      'data events by an event name prefix',
      { detail: { eventSource: ['s3.amazonaws.com'], eventName: [{ prefix: 'Put' }] } },
    ],
    ['the source spelled with a wildcard', { source: [{ wildcard: 'aws.s*' }], 'detail-type': ['Object Deleted'] }],
    ['the source in an $or', { $or: [{ source: ['aws.s3'] }, { source: ['aws.ec2'] }] }],
    ['every event of the account', { account: ['123456789012'] }],
    ['a pattern only deploy resolves', { 'Fn::If': ['Leak', { source: ['aws.s3'] }, { source: ['aws.ec2'] }] }],
  ])('A3 U4 a rule sending %s to a queue of the account is a finding', (_name, pattern) => {
    // (A pattern that matches every event matches the service events naming object keys too.)
    expect(findingsOf(PhiObjectEventsStayInside, routing(pattern))).toContain(FINDING[0]);
  });

  test('A3 U4 a rule in another stack of the same region is found too; one in another region is not', () => {
    const pattern = { source: ['aws.s3'], 'detail-type': ['Object Created'] };
    expect(findingsOf(PhiObjectEventsStayInside, routing(pattern, {}, 'detection'))).toEqual(FINDING);
    expect(findingsOf(PhiObjectEventsStayInside, routing(pattern, {}, 'phiReplica'))).toEqual([]);
  });

  test.each<[string, unknown, Mutable]>([
    [
      'bucket-level CloudTrail calls (the tamper rules)',
      {
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['s3.amazonaws.com'], eventName: ['PutBucketPolicy', 'PutObjectLockConfiguration'] },
      },
      {},
    ],
    ['another bucket only', { source: ['aws.s3'], detail: { bucket: { name: ['app-prod-uploads'] } } }, {}],
    ['another service', { source: ['aws.ec2'] }, {}],
    ['S3 bucket events that are not about objects', { source: ['aws.s3'], 'detail-type': ['Bucket Created'] }, {}],
    ['a schedule', undefined, { ScheduleExpression: 'rate(1 hour)' }],
    ['a disabled rule', { source: ['aws.s3'] }, { State: 'DISABLED' }],
    ['a rule without targets', { source: ['aws.s3'] }, { Targets: [] }],
    [
      'data events filtered on resources (CloudTrail lists none)',
      {
        detail: { eventSource: ['s3.amazonaws.com'] },
        resources: [`arn:aws:s3:::${PHI_BUCKET}`],
        'detail-type': ['AWS API Call via CloudTrail'],
      },
      {},
    ],
  ])('A3 U4 %s is not a finding', (_name, pattern, rule) => {
    expect(findingsOf(PhiObjectEventsStayInside, routing(pattern, rule))).toEqual([]);
  });

  test('A3 U4 the shipped fixture routes no PHI object event', () => {
    expect(findingsOf(PhiObjectEventsStayInside)).toEqual([]);
    const named = { source: ['aws.s3'], detail: { bucket: { name: ['other'] } } };
    expect(mayMatchObjectEvents(named, ['other'])).toBe(true);
    expect(mayMatchObjectEvents(named, [PHI_BUCKET])).toBe(false);
    expect(mayMatchObjectEvents({ source: ['aws.s3'] }, [PHI_BUCKET])).toBe(true);
  });

  test.each<[string, unknown]>([
    [
      "GuardDuty Malware Protection's scan results",
      { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Malware Protection Object Scan Result'] },
    ],
    ["Macie's findings", { source: ['aws.macie'], 'detail-type': ['Macie Finding'] }],
    ['every GuardDuty event', { source: ['aws.guardduty'] }],
    ["GuardDuty's findings", { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] }],
    [
      "Security Hub's imported findings",
      { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'] },
    ],
    [
      "Security Hub's findings sent to a custom action",
      { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Custom Action'] },
    ],
    ['every Security Hub event', { source: ['aws.securityhub'] }],
  ])(
    'A3 U4 %s sent as they are to a queue or a function other than the alert formatter (which leaves the key out) is a finding',
    (_name, pattern) => {
      expect(findingsOf(PhiObjectEventsStayInside, routing(pattern))).toEqual([
        '[Leak::routes-object-keys-unformatted] Leak',
      ]);
      // To the alert formatter (the function the heartbeat proves alive), they pass; to another function (one that
      // logs the event), they do not.
      expect(
        findingsOf(PhiObjectEventsStayInside, (t) => {
          routing(pattern, {}, 'alerting')(t);
          t.alerting.Resources.Leak.Properties.Targets = [{ Id: 'f', Arn: { 'Fn::GetAtt': ['Formatter', 'Arn'] } }];
        }),
      ).toEqual([]);
      expect(
        findingsOf(PhiObjectEventsStayInside, (t) => {
          routing(pattern)(t);
          t.data.Resources.Fn = { Type: 'AWS::Lambda::Function', Properties: {} };
          t.data.Resources.Leak.Properties.Targets = [{ Id: 'f', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }];
        }),
      ).toEqual(['[Leak::routes-object-keys-unformatted] Leak']);
    },
  );

  describe("the findings archive's export and the replica region's forwarding keep the keys inside", () => {
    const audit = (t: Record<string, Mutable>) => t.audit.Resources;
    const stream = (t: Record<string, Mutable>) => audit(t).FindingsStream.Properties;
    const UNFORMATTED = ['[SecurityHubFindings::routes-object-keys-unformatted] SecurityHubFindings'];

    test('A3 U4 the Security Hub export into the locked findings archive passes (it is judged: the fixture has it)', () => {
      const fixture: Mutable[] = [];
      findingsOf(PhiObjectEventsStayInside, (t) => fixture.push(audit(t).SecurityHubFindings));
      expect(fixture[0].Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['FindingsStream', 'Arn'] });
      expect(findingsOf(PhiObjectEventsStayInside)).toEqual([]);
    });

    test.each<[string, (t: Record<string, Mutable>) => void]>([
      [
        'the archive bucket without Object Lock',
        (t) => delete audit(t).FindingsArchive.Properties.ObjectLockConfiguration,
      ],
      [
        'the stream delivering to an HTTP endpoint instead',
        (t) => {
          const p = stream(t);
          delete p.ExtendedS3DestinationConfiguration;
          p.HttpEndpointDestinationConfiguration = { EndpointConfiguration: { Url: 'https://collector.example.com' } };
        },
      ],
      [
        'a Lambda processor on the stream (it sees every record)',
        (t) =>
          (stream(t).ExtendedS3DestinationConfiguration.ProcessingConfiguration = {
            Enabled: true,
            Processors: [
              {
                Type: 'Lambda',
                Parameters: [
                  { ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
                ],
              },
            ],
          }),
      ],
      [
        'a backup copy of the records into another bucket',
        (t) => {
          audit(t).Other = { Type: 'AWS::S3::Bucket', Properties: {} };
          Object.assign(stream(t).ExtendedS3DestinationConfiguration, {
            S3BackupMode: 'Enabled',
            S3BackupConfiguration: {
              BucketARN: { 'Fn::GetAtt': ['Other', 'Arn'] },
              RoleARN: 'arn:aws:iam::123456789012:role/r',
            },
          });
        },
      ],
      [
        'the rule re-targeted at a topic',
        (t) => {
          audit(t).Topic = { Type: 'AWS::SNS::Topic', Properties: {} };
          audit(t).SecurityHubFindings.Properties.Targets[0].Arn = { Ref: 'Topic' };
        },
      ],
    ])('A3 U4 %s is a finding', (_name, mutate) => {
      expect(findingsOf(PhiObjectEventsStayInside, mutate)).toEqual(UNFORMATTED);
    });

    /** A replica region's rule forwarding GuardDuty's findings to the bus `bus`, through a role. */
    const forwarding = (bus: unknown) => (t: Record<string, Mutable>) => {
      t.replicaDetection = {
        Resources: {
          Forward: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] },
              Targets: [{ Id: 'bus', Arn: bus, RoleArn: 'arn:aws:iam::123456789012:role/forwarder' }],
            },
          },
        },
      };
    };
    const primaryBus = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:', { Ref: 'AWS::AccountId' }, ':event-bus/default'],
      ],
    };

    test("A3 U4 forwarding to a primary region's default bus passes; to its own region's, another bus, or without a role, is a finding", () => {
      const FORWARD = ['[Forward::routes-object-keys-unformatted] Forward'];
      expect(findingsOf(PhiObjectEventsStayInside, forwarding(primaryBus))).toEqual([]);
      expect(
        findingsOf(PhiObjectEventsStayInside, forwarding('arn:aws:events:us-west-2:123456789012:event-bus/default')),
      ).toEqual(FORWARD);
      expect(
        findingsOf(PhiObjectEventsStayInside, forwarding('arn:aws:events:us-east-1:123456789012:event-bus/collector')),
      ).toEqual(FORWARD);
      expect(
        findingsOf(PhiObjectEventsStayInside, (t) => {
          forwarding(primaryBus)(t);
          delete t.replicaDetection.Resources.Forward.Properties.Targets[0].RoleArn;
        }),
      ).toEqual(FORWARD);
    });
  });
});
