import { arnAccountOf, stringForms, UNKNOWN_PART } from '../../../../lib/compliance/gate/core/string-forms';
import { TemplateJson } from '../../../../lib/compliance/gate/core/template-json';

const template: TemplateJson = { Resources: {}, Mappings: { M: { a: { b: 'mapped' }, c: { b: 'other' } } } };
const forms = (value: unknown) => [...stringForms(value, template).forms].sort();

describe('stringForms: the strings a value may be at deploy', () => {
  test('V2 joins, substitutions, selections, splits, branches and map values; a reference only deploy knows is unknown', () => {
    expect(forms({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, { Ref: 'Bucket' }]] })).toEqual([
      `a-<AWS::Region>-${UNKNOWN_PART}`,
    ]);
    expect(forms({ 'Fn::Sub': ['${A}/${AWS::AccountId}/${!Literal}', { A: { 'Fn::If': ['C', 'x', 'y'] } }] })).toEqual([
      'x/<AWS::AccountId>/${!Literal}',
      'y/<AWS::AccountId>/${!Literal}',
    ]);
    expect(forms({ 'Fn::Select': [0, { 'Fn::Split': [',', 'p,q'] }] })).toEqual(['p', 'q']);
    expect(forms({ 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'b'] })).toEqual(['mapped', 'other']);
    expect(forms({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toEqual([UNKNOWN_PART]);
  });

  test('V2 a value with more alternatives than the reader keeps is marked incomplete, not read in part', () => {
    const branches = { 'Fn::If': ['C', 'a', 'b'] };
    const wide = { 'Fn::Join': ['', Array.from({ length: 7 }, () => branches)] }; // 2^7 = 128 strings
    expect(stringForms(wide, template).complete).toBe(false);
    const narrow = { 'Fn::Join': ['', Array.from({ length: 6 }, () => branches)] }; // 64
    expect(stringForms(narrow, template)).toMatchObject({ complete: true });
    expect(stringForms(narrow, template).forms).toHaveLength(64);
    // A long join of single parts (a dashboard body CDK writes) is read whole.
    const body = {
      'Fn::Join': [
        '',
        Array.from({ length: 100 }, () => ['{"region":"', { Ref: 'AWS::Region' }, '"}'.repeat(60)]).flat(),
      ],
    };
    expect(stringForms(body, template).complete).toBe(true);
  });
});

describe('arnAccountOf', () => {
  test("reads an ARN form's account field, pseudo parameters first; undefined for what is no such ARN", () => {
    expect(arnAccountOf('arn:aws:sqs:us-east-1:999999999999:q')).toBe('999999999999');
    expect(arnAccountOf('arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:q', '123456789012')).toBe(
      '123456789012',
    );
    expect(arnAccountOf('arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:q')).toBe('pseudo');
    expect(arnAccountOf(`arn:aws:sqs:us-east-1:${UNKNOWN_PART}:q`)).toBe(UNKNOWN_PART);
    expect(arnAccountOf('arn:aws:s3:::bucket/key')).toBe('');
    expect(arnAccountOf(UNKNOWN_PART)).toBeUndefined();
  });
});
