import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { LogsAndEventsStayInAccount } from '../../../../lib/compliance/gate/rules/logs-and-events-stay-in-account';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';

const ACCOUNT = '123456789012';
const OTHER = '999999999999';
const RULE = 'Blueprint-LogsAndEventsStayInAccount';

/** The rule's findings on a template of `resources` (and a log group), checked as a stack of ACCOUNT (or of none). */
function findings(resources: Record<string, unknown>, account: string | null = ACCOUNT): string[] {
  const template = {
    Resources: {
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 2192 } },
      Stream: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } },
      ...resources,
    },
  };
  return checkTemplate(template, 'exits', {
    packs: ['Blueprint'],
    environment: account === null ? undefined : { account, region: 'us-east-1' },
  })
    .findings.filter((f) => f.ruleId.startsWith(RULE))
    .map((f) => `${f.logicalId}${f.ruleId.slice(RULE.length)}`)
    .sort();
}

const filter = (destination: unknown): Record<string, unknown> => ({
  Filter: {
    Type: 'AWS::Logs::SubscriptionFilter',
    Properties: { LogGroupName: { Ref: 'Logs' }, FilterPattern: '', DestinationArn: destination },
  },
});

const accountPolicy = (document: unknown, type: unknown = 'SUBSCRIPTION_FILTER_POLICY'): Record<string, unknown> => ({
  Policy: {
    Type: 'AWS::Logs::AccountPolicy',
    Properties: { PolicyName: 'all', PolicyType: type, PolicyDocument: document },
  },
});

const busPolicy = (properties: Record<string, unknown>): Record<string, unknown> => ({
  BusPolicy: { Type: 'AWS::Events::EventBusPolicy', Properties: { StatementId: 's', ...properties } },
});

describe('LogsAndEventsStayInAccount', () => {
  test('U6 E1 A3 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === LogsAndEventsStayInAccount)?.safeguards).toEqual(['U6', 'E1', 'A3']);
  });

  test('U6 E1 A3 passes a subscription filter to a stream of the template or a literal ARN of its own account', () => {
    expect(findings(filter({ 'Fn::GetAtt': ['Stream', 'Arn'] }))).toEqual([]);
    expect(findings(filter(`arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/siem`))).toEqual([]);
    expect(
      findings(filter({ 'Fn::Sub': 'arn:${AWS::Partition}:logs:us-east-1:${AWS::AccountId}:destination:d' })),
    ).toEqual([]);
  });

  test("U6 E1 A3 fires on a subscription filter to another account's destination, literal or joined", () => {
    expect(findings(filter(`arn:aws:logs:us-east-1:${OTHER}:destination:collector`))).toEqual([
      'Filter[DestinationArn::another-account]',
    ]);
    expect(findings(filter({ 'Fn::Join': [':', ['arn:aws:firehose:us-east-1', OTHER, 'deliverystream/x']] }))).toEqual([
      'Filter[DestinationArn::another-account]',
    ]);
  });

  test("U6 E1 A3 an account's subscription filter policy: its own account passes; another account, no destination or an unreadable document fires; other policy types are not judged", () => {
    const doc = (arn: string): string =>
      JSON.stringify({ DestinationArn: arn, FilterPattern: '', Distribution: 'Random' });
    expect(findings(accountPolicy(doc(`arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/siem`)))).toEqual([]);
    expect(findings(accountPolicy(doc(`arn:aws:logs:us-east-1:${OTHER}:destination:collector`)))).toEqual([
      'Policy[DestinationArn::another-account]',
    ]);
    expect(findings(accountPolicy(JSON.stringify({ FilterPattern: '' })))).toEqual([
      'Policy[DestinationArn::account-unknown]',
    ]);
    expect(findings(accountPolicy('{not json'))).toEqual(['Policy[PolicyDocument::unreadable]']);
    expect(
      findings(accountPolicy(doc(`arn:aws:logs:us-east-1:${OTHER}:destination:c`), 'DATA_PROTECTION_POLICY')),
    ).toEqual([]);
  });

  test('U6 E1 A3 an event bus policy granting this account passes; another account, anyone or an organization fires', () => {
    const statement = (principal: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      Statement: { Effect: 'Allow', Principal: principal, Action: 'events:PutRule', Resource: '*', ...extra },
    });
    expect(findings(busPolicy(statement({ AWS: `arn:aws:iam::${ACCOUNT}:root` })))).toEqual([]);
    expect(
      findings(busPolicy(statement({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }))),
    ).toEqual([]);
    expect(findings(busPolicy({ Principal: ACCOUNT, Action: 'events:PutEvents' }))).toEqual([]);
    for (const outside of [
      statement({ AWS: `arn:aws:iam::${OTHER}:root` }),
      statement('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-synthetic' } } }),
      { Principal: OTHER, Action: 'events:PutEvents' },
      { Principal: '*', Action: 'events:PutEvents' },
    ]) {
      expect({ outside, found: findings(busPolicy(outside)) }).toEqual({
        outside,
        found: ['BusPolicy[Principal::outside-account]'],
      });
    }
    // A deny names whom it refuses: never a grant.
    expect(findings(busPolicy(statement('*', { Effect: 'Deny' })))).toEqual([]);
  });

  test("U6 E1 A3 an event bus's own Policy is judged the same", () => {
    const bus = (policy: unknown): Record<string, unknown> => ({
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'b', Policy: policy } },
    });
    const grant = (principal: unknown): unknown => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: principal, Action: 'events:PutEvents', Resource: '*' }],
    });
    expect(findings(bus(grant({ AWS: ACCOUNT })))).toEqual([]);
    expect(findings(bus(grant({ AWS: OTHER })))).toEqual(['Bus[Principal::outside-account]']);
    expect(findings(bus(grant({ Service: 'events.amazonaws.com' })))).toEqual(['Bus[Principal::outside-account]']);
  });

  test('U6 E1 A3 a destination whose account only deploy knows fires: an attribute of another resource, an import, a bucket ARN', () => {
    // The attacker review of 2026-12-04 (second round): another account's id in an SSM parameter, and in an export.
    const laundered = {
      Account: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: OTHER } },
      ...filter({
        'Fn::Sub': ['arn:aws:logs:us-east-1:${A}:destination:collector', { A: { 'Fn::GetAtt': ['Account', 'Value'] } }],
      }),
    };
    expect(findings(laundered)).toEqual(['Filter[DestinationArn::account-unknown]']);
    expect(findings(filter({ 'Fn::ImportValue': 'collector-arn' }))).toEqual([
      'Filter[DestinationArn::account-unknown]',
    ]);
    expect(findings(filter('arn:aws:s3:::someone-elses-bucket'))).toEqual(['Filter[DestinationArn::account-unknown]']);
  });

  test("U6 E1 A3 a Logs destination's target, a log delivery's destination and a Kinesis resource policy are judged", () => {
    expect(
      findings({
        Dest: {
          Type: 'AWS::Logs::Destination',
          Properties: { DestinationName: 'd', TargetArn: `arn:aws:kinesis:us-east-1:${OTHER}:stream/s`, RoleArn: 'r' },
        },
      }),
    ).toEqual(['Dest[TargetArn::another-account]']);
    expect(
      findings({
        Dest: {
          Type: 'AWS::Logs::Destination',
          Properties: { DestinationName: 'd', TargetArn: { 'Fn::GetAtt': ['Stream', 'Arn'] }, RoleArn: 'r' },
        },
      }),
    ).toEqual([]);
    expect(
      findings({
        Delivery: {
          Type: 'AWS::Logs::Delivery',
          Properties: {
            DeliverySourceName: 'src',
            DeliveryDestinationArn: `arn:aws:logs:us-east-1:${OTHER}:delivery-destination:collector`,
          },
        },
        Sink: {
          Type: 'AWS::Logs::DeliveryDestination',
          Properties: { Name: 'sink', DestinationResourceArn: 'arn:aws:s3:::someone-elses-bucket' },
        },
      }),
    ).toEqual(['Delivery[DeliveryDestinationArn::another-account]', 'Sink[DestinationResourceArn::account-unknown]']);
    const kinesisPolicy = (principal: unknown): Record<string, unknown> => ({
      StreamPolicy: {
        Type: 'AWS::Kinesis::ResourcePolicy',
        Properties: {
          ResourceArn: { 'Fn::GetAtt': ['Stream', 'Arn'] },
          ResourcePolicy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: principal, Action: 'kinesis:GetRecords', Resource: '*' }],
          },
        },
      },
    });
    expect(findings(kinesisPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:role/reader` }))).toEqual([]);
    expect(findings(kinesisPolicy({ AWS: `arn:aws:iam::${OTHER}:root` }))).toEqual([
      'StreamPolicy[Principal::outside-account]',
    ]);
  });

  test('U6 E1 A3 an account transformer policy fires (it rewrites the events of the log groups it selects)', () => {
    // The attacker review of 2026-12-04, third round: userIdentity and eventName deleted from every CloudTrail event.
    const transformer = JSON.stringify({
      transformerConfig: [{ parseJSON: {} }, { deleteKeys: { withKeys: ['userIdentity'] } }],
    });
    expect(findings(accountPolicy(transformer, 'TRANSFORMER_POLICY'))).toEqual(['Policy[PolicyType::transformer]']);
    expect(findings(accountPolicy(JSON.stringify({ Fields: ['eventName'] }), 'FIELD_INDEX_POLICY'))).toEqual([]);
  });

  test("U6 E1 A3 a Lambda function's asynchronous or stream destination outside the account fires; its own queue passes", () => {
    const fn = {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Code: { S3Bucket: 'b', S3Key: 'k.zip' }, Role: `arn:aws:iam::${ACCOUNT}:role/r` },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    };
    const invokeConfig = (config: unknown) => ({
      ...fn,
      Config: {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: { FunctionName: { Ref: 'Fn' }, Qualifier: '$LATEST', DestinationConfig: config },
      },
    });
    const foreign = `arn:aws:sqs:us-east-1:${OTHER}:collector`;
    expect(
      findings(invokeConfig({ OnSuccess: { Destination: foreign }, OnFailure: { Destination: foreign } })),
    ).toEqual([
      'Config[DestinationConfig.OnFailure::another-account]',
      'Config[DestinationConfig.OnSuccess::another-account]',
    ]);
    expect(findings(invokeConfig({ OnFailure: { Destination: { 'Fn::ImportValue': 'Collector:Arn' } } }))).toEqual([
      'Config[DestinationConfig.OnFailure::account-unknown]',
    ]);
    expect(
      findings(
        invokeConfig({
          OnFailure: { Destination: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
          OnSuccess: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` },
        }),
      ),
    ).toEqual([]);
    expect(
      findings({
        ...fn,
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            FunctionName: { Ref: 'Fn' },
            EventSourceArn: { 'Fn::GetAtt': ['Stream', 'Arn'] },
            DestinationConfig: { OnFailure: { Destination: foreign } },
          },
        },
      }),
    ).toEqual(['Mapping[DestinationConfig.OnFailure::another-account]']);
  });

  test('U6 E1 A3 a zero-ETL integration to another account, another account as GuardDuty administrator and a resource share outside the account fire', () => {
    const integration = (target: unknown) => ({
      Integration: {
        Type: 'AWS::RDS::Integration',
        Properties: { SourceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:phi`, TargetArn: target },
      },
    });
    expect(findings(integration(`arn:aws:redshift-serverless:us-east-1:${OTHER}:namespace/abc`))).toEqual([
      'Integration[TargetArn::another-account]',
    ]);
    expect(findings(integration(`arn:aws:redshift-serverless:us-east-1:${ACCOUNT}:namespace/abc`))).toEqual([]);
    const master = (id: unknown) => ({
      Admin: { Type: 'AWS::GuardDuty::Master', Properties: { DetectorId: 'd', MasterId: id, InvitationId: 'i' } },
    });
    expect(findings(master(OTHER))).toEqual(['Admin[MasterId::outside-account]']);
    expect(findings(master({ 'Fn::ImportValue': 'Org:Admin' }))).toEqual(['Admin[MasterId::outside-account]']);
    expect(findings(master({ Ref: 'AWS::AccountId' }))).toEqual([]);
    const share = (principals: unknown) => ({
      Share: {
        Type: 'AWS::RAM::ResourceShare',
        Properties: {
          Name: 's',
          Principals: principals,
          ResourceArns: [`arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1`],
        },
      },
    });
    for (const principals of [
      [OTHER],
      ['arn:aws:organizations::111111111111:organization/o-abc'],
      [`arn:aws:iam::${OTHER}:role/r`],
      { 'Fn::Split': [',', { 'Fn::ImportValue': 'Org:Accounts' }] },
    ]) {
      expect({ principals, found: findings(share(principals)) }).toEqual({
        principals,
        found: ['Share[Principals::outside-account]'],
      });
    }
    expect(findings(share([ACCOUNT]))).toEqual([]);
  });

  test('U6 E1 A3 a topic policy allowing a principal outside the account fires; services and its own account pass', () => {
    const topicPolicy = (statements: unknown[], type = 'AWS::SNS::TopicPolicy') => ({
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Policy: {
        Type: type,
        Properties: {
          ...(type === 'AWS::SNS::TopicPolicy' ? { Topics: [{ Ref: 'Topic' }] } : { TopicArn: { Ref: 'Topic' } }),
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      },
    });
    const allow = (principal: unknown) => ({
      Effect: 'Allow',
      Principal: principal,
      Action: ['sns:Subscribe', 'sns:Receive'],
      Resource: { Ref: 'Topic' },
    });
    for (const type of ['AWS::SNS::TopicPolicy', 'AWS::SNS::TopicInlinePolicy']) {
      expect(findings(topicPolicy([allow({ AWS: `arn:aws:iam::${OTHER}:root` })], type))).toEqual([
        'Policy[Principal::outside-account]',
      ]);
      expect(findings(topicPolicy([allow('*')], type))).toEqual(['Policy[Principal::outside-account]']);
      expect(
        findings(
          topicPolicy(
            [
              {
                ...allow({ Service: 'cloudwatch.amazonaws.com' }),
                Action: 'sns:Publish',
                Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
              },
              allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` }),
              {
                Effect: 'Deny',
                Principal: '*',
                Action: 'sns:Publish',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
            type,
          ),
        ),
      ).toEqual([]);
    }
  });

  test("U6 E1 A3 dead-letter targets outside the account fire: a function's, a subscription's; a Config channel's topic and an aggregation authorization too", () => {
    // The attacker review of 2026-12-04, fourth round.
    const foreign = `arn:aws:sqs:us-east-1:${OTHER}:collector`;
    const fn = (dlq: unknown) => ({
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { S3Bucket: 'b', S3Key: 'k.zip' },
          Role: `arn:aws:iam::${ACCOUNT}:role/r`,
          DeadLetterConfig: { TargetArn: dlq },
        },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    });
    expect(findings(fn(foreign))).toEqual(['Fn[DeadLetterConfig.TargetArn::another-account]']);
    expect(findings(fn({ 'Fn::Select': [0, [foreign, { 'Fn::GetAtt': ['Queue', 'Arn'] }]] }))).toEqual([
      'Fn[DeadLetterConfig.TargetArn::another-account]',
    ]);
    expect(findings(fn({ 'Fn::GetAtt': ['Queue', 'Arn'] }))).toEqual([]);
    const subscription = (redrive: unknown) => ({
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Sub: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'Topic' },
          Protocol: 'email',
          Endpoint: 'a@example.org',
          RedrivePolicy: redrive,
        },
      },
    });
    expect(findings(subscription({ deadLetterTargetArn: foreign }))).toEqual([
      'Sub[RedrivePolicy.deadLetterTargetArn::another-account]',
    ]);
    expect(findings(subscription(JSON.stringify({ deadLetterTargetArn: foreign })))).toEqual([
      'Sub[RedrivePolicy.deadLetterTargetArn::another-account]',
    ]);
    expect(findings(subscription({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` }))).toEqual([]);
    const channel = (topic: unknown) => ({
      Channel: { Type: 'AWS::Config::DeliveryChannel', Properties: { S3BucketName: 'b', SnsTopicARN: topic } },
    });
    expect(findings(channel(`arn:aws:sns:us-east-1:${OTHER}:changes`))).toEqual([
      'Channel[SnsTopicARN::another-account]',
    ]);
    expect(findings(channel(`arn:aws:sns:us-east-1:${ACCOUNT}:changes`))).toEqual([]);
    const authorization = (id: unknown) => ({
      Auth: {
        Type: 'AWS::Config::AggregationAuthorization',
        Properties: { AuthorizedAccountId: id, AuthorizedAwsRegion: 'us-east-1' },
      },
    });
    expect(findings(authorization(OTHER))).toEqual(['Auth[AuthorizedAccountId::outside-account]']);
    expect(findings(authorization(ACCOUNT))).toEqual([]);
  });

  test('U6 E1 A3 a queue policy is judged as a topic policy; a service allowed without a source condition fires on either', () => {
    // The attacker review of 2026-12-04, fourth round: a dead-letter queue read by another account; any account's
    // EventBridge rule allowed to publish look-alike alerts.
    const policy = (type: string, statements: unknown[]) => ({
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Policy: {
        Type: type,
        Properties: {
          ...(type === 'AWS::SQS::QueuePolicy' ? { Queues: [{ Ref: 'Queue' }] } : { Topics: [{ Ref: 'Topic' }] }),
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      },
    });
    expect(
      findings(
        policy('AWS::SQS::QueuePolicy', [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
            Action: 'sqs:ReceiveMessage',
            Resource: '*',
          },
        ]),
      ),
    ).toEqual(['Policy[Principal::outside-account]']);
    for (const type of ['AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy']) {
      const service = { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: '*', Resource: '*' };
      expect(findings(policy(type, [service]))).toEqual(['Policy[Principal::service-without-source]']);
      expect(
        findings(policy(type, [{ ...service, Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:events:x' } } }])),
      ).toEqual([]);
    }
  });

  test('U6 E1 A3 a stack whose account the template does not state is not judged', () => {
    expect(findings(filter(`arn:aws:logs:us-east-1:${OTHER}:destination:collector`), null)).toEqual([]);
  });
});
