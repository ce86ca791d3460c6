import { configProblems, ENVIRONMENTS } from '../../lib/config';
import { testConfig } from '../support/blueprint';

const USER_RULE =
  'must be an IAM user ARN in any account (arn:aws:iam::<account>:user/<name>) with hardware MFA; federated role sessions carry no MFA context and cannot assume the break-glass role';

describe('A5 break-glass config validation', () => {
  it('the shipped environments name emergency IAM users (placeholders in a separate security account)', () => {
    for (const env of ['dev', 'prod']) {
      const config = ENVIRONMENTS[env];
      expect(config.breakGlassPrincipalArns.length).toBeGreaterThan(0);
      for (const arn of config.breakGlassPrincipalArns) expect(arn).toMatch(/^arn:aws:iam::\d{12}:user\//);
    }
    expect(configProblems(testConfig('prod'))).toEqual([]);
  });

  it('rejects an empty list in production', () => {
    expect(configProblems(testConfig('prod', { breakGlassPrincipalArns: [] }))).toEqual([
      'breakGlassPrincipalArns = []: must name at least one IAM user in production (safeguard A5)',
    ]);
  });

  it('allows an empty list outside production (no break-glass role is created)', () => {
    expect(configProblems(testConfig('dev', { breakGlassPrincipalArns: [] }))).toEqual([]);
  });

  it('accepts IAM users in any 12-digit account, with a path', () => {
    const users = ['arn:aws:iam::444444444444:user/break-glass-1', 'arn:aws:iam::123456789012:user/emergency/bg-2'];
    expect(configProblems(testConfig('prod', { breakGlassPrincipalArns: users }))).toEqual([]);
  });

  it('rejects roles (federated sessions carry no MFA context) and malformed ARNs, naming field and value', () => {
    const bad = [
      'arn:aws:iam::123456789012:role/SecurityLead',
      'arn:aws:iam::123456789012:group/Admins',
      'SecurityLead',
      'arn:aws:iam::12345:user/short-account',
      'arn:aws:iam::<account>:user/break-glass-1',
    ];
    expect(configProblems(testConfig('dev', { breakGlassPrincipalArns: bad }))).toEqual(
      bad.map((arn, i) => `breakGlassPrincipalArns[${i}] = '${arn}': ${USER_RULE}`),
    );
  });
});
