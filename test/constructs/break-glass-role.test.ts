import { App, Stack } from 'aws-cdk-lib';
import { BreakGlassRole } from '../../constructs/break-glass-role';

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
}

describe('BreakGlassRole', () => {
  test('A5 refuses no principals, malformed ARNs and role names', () => {
    expect(() => new BreakGlassRole(stack(), 'B', { roleName: 'bg', principalArns: [] })).toThrow(
      /principalArns = \[\]/,
    );
    expect(
      () => new BreakGlassRole(stack(), 'B', { roleName: 'bg', principalArns: ['arn:aws:iam::123456789012:group/x'] }),
    ).toThrow(/principalArns\[0\] = 'arn:aws:iam::123456789012:group\/x'/);
    expect(
      () =>
        new BreakGlassRole(stack(), 'B', { roleName: 'bad name', principalArns: ['arn:aws:iam::123456789012:role/x'] }),
    ).toThrow(/roleName = 'bad name'/);
  });
});
