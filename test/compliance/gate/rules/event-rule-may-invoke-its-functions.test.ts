import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { EventRuleMayInvokeItsFunctions } from '../../../../lib/compliance/gate/rules/event-rule-may-invoke-its-functions';
import { findingsOf, template } from './rule-fixtures';

type Json = Record<string, unknown>;

const PERMISSION: Json = {
  Action: 'lambda:InvokeFunction',
  FunctionName: { 'Fn::GetAtt': ['Formatter', 'Arn'] },
  Principal: 'events.amazonaws.com',
  SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] },
};
const FUNCTION: Json = {
  Type: 'AWS::Lambda::Function',
  Properties: {
    Role: 'arn:aws:iam::123456789012:role/r',
    Code: { ZipFile: 'x' },
    Handler: 'i.h',
    Runtime: 'nodejs22.x',
  },
};
const RULE: Json = {
  Type: 'AWS::Events::Rule',
  Properties: {
    State: 'ENABLED',
    EventPattern: { source: ['aws.cloudtrail'] },
    Targets: [{ Id: 'F', Arn: { 'Fn::GetAtt': ['Formatter', 'Arn'] } }],
  },
};

/** The rule's findings on a rule targeting the function Formatter, with `permission` (or none) and its `extra`. */
function findings(permission: Json | undefined, extra: Json = {}): string[] {
  const allow: Record<string, Json> =
    permission === undefined ? {} : { Allow: { Type: 'AWS::Lambda::Permission', Properties: permission, ...extra } };
  return findingsOf('EventRuleMayInvokeItsFunctions', {
    Conditions: { Quiet: { 'Fn::Equals': ['a', 'b'] } },
    ...template({ Formatter: FUNCTION, Rule: RULE, ...allow }),
  });
}

describe('EventRuleMayInvokeItsFunctions', () => {
  test('D1 D3 U6 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === EventRuleMayInvokeItsFunctions)?.safeguards).toEqual([
      'D1',
      'D3',
      'U6',
    ]);
  });

  test('D1 D3 U6 passes with a permission for events.amazonaws.com from this rule, or from any rule', () => {
    expect(findings(PERMISSION)).toEqual([]);
    const { SourceArn: _unused, ...fromAnyRule } = PERMISSION; // eslint-disable-line @typescript-eslint/no-unused-vars
    expect(findings(fromAnyRule)).toEqual([]);
    expect(findings({ ...PERMISSION, FunctionName: { Ref: 'Formatter' } })).toEqual([]);
  });

  test('D1 D3 U6 fires when the permission is missing, for another rule, another principal, another action, or conditional', () => {
    const FINDING = ['[Target::no-invoke-permission] Rule'];
    expect(findings(undefined)).toEqual(FINDING);
    expect(findings({ ...PERMISSION, SourceArn: 'arn:aws:events:us-east-1:123456789012:rule/other' })).toEqual(FINDING);
    expect(findings({ ...PERMISSION, Principal: 'sns.amazonaws.com' })).toEqual(FINDING);
    expect(findings({ ...PERMISSION, Action: 'lambda:GetFunction' })).toEqual(FINDING);
    // A permission a condition may leave out.
    expect(findings(PERMISSION, { Condition: 'Quiet' })).toEqual(FINDING);
  });
});
