import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { EventTargetsInAccount } from '../../../../lib/compliance/gate/rules/event-targets-in-account';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';

const ACCOUNT = '123456789012';
const PATTERN = { source: ['aws.s3'], 'detail-type': ['Object Created'] };

/** The rule's findings on a template with one rule of `targets`, checked as a stack of ACCOUNT (or of no account). */
function findings(targets: unknown[], account: string | null = ACCOUNT): string[] {
  const template = {
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Rule: { Type: 'AWS::Events::Rule', Properties: { State: 'ENABLED', EventPattern: PATTERN, Targets: targets } },
    },
  };
  return checkTemplate(template, 'rule', {
    packs: ['Blueprint'],
    environment: account === null ? undefined : { account, region: 'us-east-1' },
  })
    .findings.filter((f) => f.ruleId.startsWith('Blueprint-EventTargetsInAccount'))
    .map((f) => f.ruleId.slice('Blueprint-EventTargetsInAccount'.length))
    .sort();
}

describe('EventTargetsInAccount', () => {
  test('U6 E1 A3 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === EventTargetsInAccount)?.safeguards).toEqual(['U6', 'E1', 'A3']);
  });

  test('U6 E1 A3 passes on targets of its own account: a reference, a literal ARN, the default bus of another region by its pseudo parameter', () => {
    const own: unknown[] = [
      { Id: 'q', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
      { Id: 'bus', Arn: `arn:aws:events:us-west-2:${ACCOUNT}:event-bus/default` },
      { Id: 'sub', Arn: { 'Fn::Sub': 'arn:${AWS::Partition}:events:us-east-1:${AWS::AccountId}:event-bus/default' } },
    ];
    for (const target of own) expect({ target, found: findings([target]) }).toEqual({ target, found: [] });
  });

  test('U6 E1 A3 fires on a target in another account (an event bus, a queue, joined or substituted) and on an API destination', () => {
    const elsewhere: unknown[] = [
      { Id: 'bus', Arn: 'arn:aws:events:us-east-1:999999999999:event-bus/default' },
      { Id: 'q', Arn: { 'Fn::Join': [':', ['arn:aws:sqs:us-east-1', '999999999999', 'collector']] } },
      { Id: 'sub', Arn: { 'Fn::Sub': 'arn:${AWS::Partition}:sns:us-east-1:999999999999:collector' } },
    ];
    for (const target of elsewhere) {
      expect({ target, found: findings([target]) }).toEqual({ target, found: ['[Target::another-account]'] });
    }
    expect(
      findings([{ Id: 'api', Arn: `arn:aws:events:us-east-1:${ACCOUNT}:api-destination/collector/abc`, RoleArn: 'x' }]),
    ).toEqual(['[Target::api-destination]']);
  });

  test('U6 E1 A3 fires on an API destination of the template by reference, and on an account only deploy knows', () => {
    // The attacker review of 2026-12-04 (second round).
    const template = {
      Resources: {
        Connection: { Type: 'AWS::Events::Connection', Properties: { AuthorizationType: 'API_KEY' } },
        Api: {
          Type: 'AWS::Events::ApiDestination',
          Properties: {
            ConnectionArn: { 'Fn::GetAtt': ['Connection', 'Arn'] },
            HttpMethod: 'POST',
            InvocationEndpoint: 'https://collector.example.net',
          },
        },
        Account: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: '999999999999' } },
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            State: 'ENABLED',
            EventPattern: PATTERN,
            Targets: [
              { Id: 'api', Arn: { 'Fn::GetAtt': ['Api', 'Arn'] }, RoleArn: 'r' },
              {
                Id: 'q',
                Arn: {
                  'Fn::Sub': ['arn:aws:sqs:us-east-1:${A}:collector', { A: { 'Fn::GetAtt': ['Account', 'Value'] } }],
                },
              },
            ],
          },
        },
      },
    };
    expect(
      checkTemplate(template, 'rule', { packs: ['Blueprint'], environment: { account: ACCOUNT, region: 'us-east-1' } })
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-EventTargetsInAccount'))
        .map((f) => f.ruleId.slice('Blueprint-EventTargetsInAccount'.length))
        .sort(),
    ).toEqual(['[Target::account-unknown]', '[Target::api-destination]']);
  });

  test("U6 E1 A3 fires on a target only deploy resolves: another stack's output, an import, a parameter's value, in either branch of a condition", () => {
    // The attacker review of 2026-12-04 left it open: a target wholly another stack's output (or an import) passed,
    // whatever account that output named.
    const template = {
      Conditions: { Always: { 'Fn::Equals': ['a', 'a'] } },
      Parameters: { TargetArn: { Type: 'String', Default: 'arn:aws:sqs:us-east-1:999999999999:collector' } },
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } },
      },
    };
    const judged = (arn: unknown): string[] =>
      checkTemplate(
        {
          ...template,
          Resources: {
            ...template.Resources,
            Rule: {
              Type: 'AWS::Events::Rule',
              Properties: { State: 'ENABLED', EventPattern: PATTERN, Targets: [{ Id: 't', Arn: arn }] },
            },
          },
        },
        'rule',
        { packs: ['Blueprint'], environment: { account: ACCOUNT, region: 'us-east-1' } },
      )
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-EventTargetsInAccount'))
        .map((f) => f.ruleId.slice('Blueprint-EventTargetsInAccount'.length));
    const unknown: unknown[] = [
      { 'Fn::ImportValue': 'Collector:QueueArn' },
      { 'Fn::GetStackOutput': { StackName: 'Collector', OutputName: 'QueueArn' } },
      { Ref: 'TargetArn' },
      { 'Fn::GetAtt': ['Param', 'Value'] },
      { 'Fn::If': ['Always', { 'Fn::GetAtt': ['Queue', 'Arn'] }, { 'Fn::ImportValue': 'Collector:QueueArn' }] },
    ];
    for (const arn of unknown)
      expect({ arn, found: judged(arn) }).toEqual({ arn, found: ['[Target::account-unknown]'] });
    // The template's own resources, in both branches, and its default bus by pseudo parameters: in the account.
    const own: unknown[] = [
      { 'Fn::GetAtt': ['Queue', 'Arn'] },
      { Ref: 'Queue' },
      {
        'Fn::If': [
          'Always',
          { 'Fn::GetAtt': ['Queue', 'Arn'] },
          { 'Fn::Sub': 'arn:${AWS::Partition}:events:us-east-1:${AWS::AccountId}:event-bus/default' },
        ],
      },
    ];
    for (const arn of own) expect({ arn, found: judged(arn) }).toEqual({ arn, found: [] });
  });

  test("U6 E1 A3 a target's dead-letter queue outside the account fires, and so does a target that is no sink (a state machine, an API)", () => {
    // The attacker review of 2026-12-04, fourth round: in-account targets with another account's dead-letter queue,
    // and a state machine of the template relaying each event to another account's queue.
    const own = { Id: 'q', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } };
    expect(findings([{ ...own, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:999999999999:collector' } }])).toEqual([
      '[DeadLetter::another-account]',
    ]);
    expect(findings([{ ...own, DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } } }])).toEqual([]);
    expect(
      findings([{ Id: 'sfn', Arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:relay`, RoleArn: 'r' }]),
    ).toEqual(['[Target::not-a-sink]']);
    const template = {
      Resources: {
        Relay: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: 'r', DefinitionString: '{}' } },
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            State: 'ENABLED',
            EventPattern: PATTERN,
            Targets: [{ Id: 'sfn', Arn: { Ref: 'Relay' }, RoleArn: 'r' }],
          },
        },
      },
    };
    expect(
      checkTemplate(template, 'rule', { packs: ['Blueprint'], environment: { account: ACCOUNT, region: 'us-east-1' } })
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-EventTargetsInAccount'))
        .map((f) => f.ruleId.slice('Blueprint-EventTargetsInAccount'.length)),
    ).toEqual(['[Target::not-a-sink]']);
    // A scheduled task of the template on a cluster runs the assembly's own image: a sink, as a function is; a cluster
    // target running another task definition is not.
    const scheduled = (taskDefinitionArn: unknown): string[] =>
      checkTemplate(
        {
          Resources: {
            Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
            Task: {
              Type: 'AWS::ECS::TaskDefinition',
              Properties: { ContainerDefinitions: [{ Name: 'job', Image: 'nginx' }] },
            },
            Rule: {
              Type: 'AWS::Events::Rule',
              Properties: {
                State: 'ENABLED',
                ScheduleExpression: 'rate(1 day)',
                Targets: [
                  {
                    Id: 'job',
                    Arn: { 'Fn::GetAtt': ['Cluster', 'Arn'] },
                    RoleArn: 'r',
                    EcsParameters: { TaskDefinitionArn: taskDefinitionArn, LaunchType: 'FARGATE' },
                  },
                ],
              },
            },
          },
        },
        'rule',
        { packs: ['Blueprint'], environment: { account: ACCOUNT, region: 'us-east-1' } },
      )
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-EventTargetsInAccount'))
        .map((f) => f.ruleId.slice('Blueprint-EventTargetsInAccount'.length));
    expect(scheduled({ Ref: 'Task' })).toEqual([]);
    expect(scheduled(`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/other:1`)).toEqual(['[Target::not-a-sink]']);
  });

  test('U6 E1 A3 a stack whose account the template does not state is not judged on accounts (an API destination still is)', () => {
    expect(findings([{ Id: 'bus', Arn: 'arn:aws:events:us-east-1:999999999999:event-bus/default' }], null)).toEqual([]);
    expect(findings([{ Id: 'api', Arn: 'arn:aws:events:us-east-1:999999999999:api-destination/c/abc' }], null)).toEqual(
      ['[Target::api-destination]'],
    );
  });
});
