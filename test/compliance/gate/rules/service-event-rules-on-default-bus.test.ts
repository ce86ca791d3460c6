import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';

/** A template with one event rule: `pattern` on the bus `bus` (absent when undefined). */
const ruleTemplate = (pattern: unknown, bus?: unknown) => ({
  Parameters: { BusParameter: { Type: 'String' }, PatternParameter: { Type: 'String' } },
  Conditions: { C: { 'Fn::Equals': ['a', 'b'] } },
  Resources: {
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'quiet' } },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: pattern,
        ...(bus === undefined ? {} : { EventBusName: bus }),
        Targets: [{ Id: 'T', Arn: 'arn:aws:sns:us-east-1:123456789012:alerts' }],
      },
    },
  },
});
const ids = (pattern: unknown, bus?: unknown): string[] =>
  checkTemplate(ruleTemplate(pattern, bus))
    .findings.map((f) => f.ruleId)
    .filter((id) => id.includes('ServiceEventRulesOnDefaultBus'));

const GUARDDUTY = { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] };
const FINDING = ['Blueprint-ServiceEventRulesOnDefaultBus[EventBusName::not-default]'];

describe('project rule ServiceEventRulesOnDefaultBus (D2 D3)', () => {
  test.each<[string, unknown]>([
    ['absent', undefined],
    ['default', 'default'],
    [
      'the default bus ARN joined from pseudo parameters',
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':events:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':event-bus/default',
          ],
        ],
      },
    ],
    ['AWS::NoValue', { Ref: 'AWS::NoValue' }],
  ])('D2 a service event rule on the default bus (%s) passes', (_name, bus) => {
    expect(ids(GUARDDUTY, bus)).toEqual([]);
  });

  test('D2 the default bus ARN through Fn::Sub of pseudo parameters passes; one naming another bus does not', () => {
    const sub = (bus: string) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${bus}`,
    });
    expect(ids(GUARDDUTY, sub('default'))).toEqual([]);
    expect(ids(GUARDDUTY, sub('quiet'))).toEqual(FINDING);
  });

  test("D2 D3 a default bus ARN with a literal account or region (another account's or region's bus: PutRule accepts it) is a finding", () => {
    const arn = (region: string, account: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:${region}:${account}:event-bus/default`]],
    });
    expect(ids(GUARDDUTY, arn('us-east-1', '999999999999'))).toEqual(FINDING);
    expect(ids(GUARDDUTY, arn('us-west-2', '123456789012'))).toEqual(FINDING);
    expect(ids(GUARDDUTY, 'arn:aws:events:us-east-1:999999999999:event-bus/default')).toEqual(FINDING);
    expect(
      ids(GUARDDUTY, { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:999999999999:event-bus/default' }),
    ).toEqual(FINDING);
  });

  test('D2 D3 a pattern without a source (CloudTrail API calls of every service) on another bus is a finding', () => {
    expect(ids({ 'detail-type': ['AWS API Call via CloudTrail'] }, { Ref: 'Bus' })).toEqual(FINDING);
  });

  test('a JSON string pattern is read as CloudFormation reads it; partner events belong on their partner bus', () => {
    expect(ids(JSON.stringify({ source: ['com.example.app'] }), { Ref: 'Bus' })).toEqual([]);
    expect(ids(JSON.stringify(GUARDDUTY), { Ref: 'Bus' })).toEqual(FINDING);
    expect(ids({ source: ['aws.partner/example.com/123/alerts'] }, 'aws.partner/example.com/123/alerts')).toEqual([]);
  });

  test.each<[string, unknown, unknown]>([
    ['a custom bus', GUARDDUTY, { Ref: 'Bus' }],
    ['a bus named by a literal', GUARDDUTY, 'quiet'],
    ['a bus a condition chooses', GUARDDUTY, { 'Fn::If': ['C', 'default', { Ref: 'Bus' }] }],
    ['a bus only deploy resolves', GUARDDUTY, { Ref: 'BusParameter' }],
    ['a source a condition chooses', { source: { 'Fn::If': ['C', ['aws.backup'], ['app']] } }, 'quiet'],
    ['a pattern only deploy resolves', { Ref: 'PatternParameter' }, 'quiet'],
  ])('D2 D3 a rule that may match AWS service events on %s is a finding', (_name, pattern, bus) => {
    expect(ids(pattern, bus)).toEqual(FINDING);
  });

  test('an application event rule on a custom bus is not this rule s concern', () => {
    expect(ids({ source: ['com.example.app'] }, { Ref: 'Bus' })).toEqual([]);
  });
});
