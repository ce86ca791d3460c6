import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { BucketNamedInTemplate } from '../../../../lib/compliance/gate/rules/bucket-named-in-template';
import { findingsOf, RETAIN, template } from './rule-fixtures';

const bucket = (name?: unknown) => ({
  Type: 'AWS::S3::Bucket',
  ...RETAIN,
  Properties: name === undefined ? {} : { BucketName: name },
});
const findings = (name?: unknown): string[] =>
  findingsOf('BucketNamedInTemplate', {
    Conditions: { Prod: { 'Fn::Equals': ['prod', 'prod'] } },
    ...template({
      B: bucket(name),
      Named: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } },
    }),
  });
const FINDING = ['[BucketName::not-in-template] B'];

describe('BucketNamedInTemplate', () => {
  test('E1 E2 A3 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === BucketNamedInTemplate)?.safeguards).toEqual(['E1', 'E2', 'A3']);
  });

  test('E1 E2 A3 passes on a generated name, a literal, and joins or substitutions of literals and pseudo parameters', () => {
    const stated: unknown[] = [
      undefined,
      'hipaa-prod-phi-data-123456789012-us-east-1',
      { 'Fn::Join': ['-', ['hipaa-prod-phi-data', { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }]] },
      { 'Fn::Sub': 'hipaa-prod-phi-data-${AWS::AccountId}-${AWS::Region}' },
      { 'Fn::Select': [0, ['app-logs-a', 'app-logs-b']] },
    ];
    for (const name of stated) expect({ name, findings: findings(name) }).toEqual({ name, findings: [] });
  });

  test('E1 E2 A3 fires on a name only deploy knows: an import, an attribute, a Ref of a resource, the stack name, in a join or a substitution, or in one condition branch', () => {
    const unstated: unknown[] = [
      { 'Fn::ImportValue': 'hipaa-prod-phi-bucket-name' },
      { 'Fn::GetAtt': ['Named', 'Value'] },
      { Ref: 'Named' },
      { 'Fn::Join': ['-', ['hipaa', { 'Fn::ImportValue': 'suffix' }]] },
      { 'Fn::Sub': ['hipaa-${Suffix}', { Suffix: { 'Fn::GetAtt': ['Named', 'Value'] } }] },
      { 'Fn::If': ['Prod', 'app-logs', { 'Fn::ImportValue': 'phi-name' }] },
      // The stack's name (a fork names its stacks: hipaa-dev-phi-replica-... would deploy) and AWS::NoValue.
      { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '-111111111111-us-west-2']] },
      { 'Fn::Sub': '${AWS::StackName}-111111111111-us-west-2' },
      { 'Fn::Join': ['', ['hipaa-dev-phi-', { Ref: 'AWS::NoValue' }, 'data-111111111111-us-east-1']] },
    ];
    for (const name of unstated) expect({ name, findings: findings(name) }).toEqual({ name, findings: FINDING });
  });
});
