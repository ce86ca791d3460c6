import { configProblems, ENVIRONMENTS } from '../../lib/config';
import { testConfig } from '../support/blueprint';

describe('A5 break-glass config validation', () => {
  it('the shipped environments name a break-glass principal in their own account', () => {
    for (const env of ['dev', 'prod']) {
      const config = ENVIRONMENTS[env];
      expect(config.breakGlassPrincipalArns.length).toBeGreaterThan(0);
      for (const arn of config.breakGlassPrincipalArns) expect(arn).toContain(`::${config.account}:role/`);
    }
    expect(configProblems(testConfig('prod'))).toEqual([]);
  });

  it('rejects an empty list in production', () => {
    expect(configProblems(testConfig('prod', { breakGlassPrincipalArns: [] }))).toEqual([
      'breakGlassPrincipalArns = []: must name at least one principal in production (safeguard A5)',
    ]);
  });

  it('allows an empty list outside production (no break-glass role is created)', () => {
    expect(configProblems(testConfig('dev', { breakGlassPrincipalArns: [] }))).toEqual([]);
  });

  it('rejects a value that is not an IAM role or user ARN, naming field and value', () => {
    const bad = ['arn:aws:iam::123456789012:group/Admins', 'SecurityLead'];
    expect(configProblems(testConfig('dev', { breakGlassPrincipalArns: bad }))).toEqual([
      "breakGlassPrincipalArns[0] = 'arn:aws:iam::123456789012:group/Admins': must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)",
      "breakGlassPrincipalArns[1] = 'SecurityLead': must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)",
    ]);
  });
});
