import { duplicateKeyOf, duplicateKeyProblem } from '../../../../lib/compliance/gate/core/json-text';

describe('duplicateKeyOf', () => {
  test('V2 JSON without a repeated key has none, whatever its strings hold', () => {
    for (const text of [
      '{}',
      '[]',
      '"a"',
      '{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}',
      // Braces, commas, quotes and escapes inside strings are text.
      '{"a": "{\\"a\\": 1, \\"a\\": 2}", "b": "x,y]", "c\\\\": "\\\\"}',
      JSON.stringify({ Resources: { K: { Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow' }] } } } } }),
    ]) {
      expect(JSON.parse(text)).toBeDefined();
      expect(duplicateKeyOf(text)).toBeUndefined();
    }
  });

  test('V2 a repeated key is found with the path of the object holding it, escapes decoded', () => {
    expect(duplicateKeyOf('{"a": 1, "a": 2}')).toEqual({ key: 'a', path: '' });
    expect(duplicateKeyOf('{"a": 1, "\\u0061": 2}')).toEqual({ key: 'a', path: '' });
    expect(duplicateKeyOf('{"R": {"K": {"P": [{"x": 1}, {"E": "Allow", "y": [1, 2], "E": "Deny"}]}}}')).toEqual({
      key: 'E',
      path: 'R.K.P.1',
    });
    expect(duplicateKeyProblem('the template', { key: 'E', path: 'R.K' })).toMatch(
      /^the template has the key 'E' twice in the object at R\.K: /,
    );
  });
});
