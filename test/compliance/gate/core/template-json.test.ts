import { cfnBoolean, cfnNumber } from '../../../../lib/compliance/gate/core/template-json';

describe("CloudFormation's string forms of property values", () => {
  test.each([
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['False', false],
    ['yes', undefined],
    [1, undefined],
    [undefined, undefined],
    [{ Ref: 'Enabled' }, undefined],
  ])('cfnBoolean(%j) is %j', (value, expected) => {
    expect(cfnBoolean(value)).toBe(expected);
  });

  test.each([
    [30, 30],
    ['30', 30],
    [' 7 ', 7],
    ['2.5', 2.5],
    ['-1', -1],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['thirty', undefined],
    ['1abc', undefined],
    ['', undefined],
    [undefined, undefined],
    [{ 'Fn::GetAtt': ['R', 'Days'] }, undefined],
  ])('cfnNumber(%j) is %j', (value, expected) => {
    expect(cfnNumber(value)).toBe(expected);
  });
});
