import { ConfigValidationError, configProblems, ENVIRONMENTS, loadConfig, validateConfig } from '../../lib/config';
import { testConfig } from '../support/blueprint';

function problemsOf(...args: Parameters<typeof testConfig>): string[] {
  return configProblems(testConfig(...args));
}

describe('shipped environments', () => {
  it.each(Object.keys(ENVIRONMENTS))('%s is valid', (name) => {
    expect(configProblems(ENVIRONMENTS[name])).toEqual([]);
    expect(loadConfig(name)).toBe(ENVIRONMENTS[name]);
  });
});

describe('config validation names field, value and rule', () => {
  it('rejects an unknown env name and lists the known ones', () => {
    expect(() => loadConfig('qa')).toThrow(/env = 'qa': unknown environment; known: dev, prod/);
  });

  it('U3 rejects log retention below 2192 days', () => {
    expect(problemsOf('dev', { retention: { logRetentionDays: 365 } })).toEqual([
      'retention.logRetentionDays = 365: must be at least 2192 days (six years, HIPAA 164.316(b)(2)(i))',
    ]);
  });

  it('U3 rejects a retention CloudWatch Logs does not accept', () => {
    expect(problemsOf('dev', { retention: { logRetentionDays: 2200 } })[0]).toMatch(
      /^retention.logRetentionDays = 2200: must be a value CloudWatch Logs accepts \(2192, 2557/,
    );
  });

  it('U2 rejects audit retention below 2192 days', () => {
    expect(problemsOf('dev', { retention: { auditRetentionDays: 2000 } })).toEqual([
      'retention.auditRetentionDays = 2000: must be at least 2192 days (six years, HIPAA 164.316(b)(2)(i))',
    ]);
  });

  it('U2 rejects GOVERNANCE lock in production', () => {
    expect(problemsOf('prod', { retention: { auditLockMode: 'GOVERNANCE' } })).toEqual([
      "retention.auditLockMode = 'GOVERNANCE': must be COMPLIANCE in a production environment (safeguard U2)",
    ]);
  });

  it('N1 rejects overlapping PHI and non-PHI CIDRs', () => {
    expect(problemsOf('dev', { network: { nonPhiVpcCidr: '10.10.128.0/17' } })).toEqual([
      "network.nonPhiVpcCidr = '10.10.128.0/17': overlaps network.phiVpcCidr 10.10.0.0/16; PHI and non-PHI VPCs must not share addresses",
    ]);
  });

  it('rejects malformed and misaligned CIDRs', () => {
    expect(problemsOf('dev', { network: { phiVpcCidr: '10.10.0.1/16', nonPhiVpcCidr: '300.1.0.0/16' } })).toEqual([
      "network.phiVpcCidr = '10.10.0.1/16': must be a valid IPv4 CIDR with an aligned network address, e.g. 10.10.0.0/16",
      "network.nonPhiVpcCidr = '300.1.0.0/16': must be a valid IPv4 CIDR with an aligned network address, e.g. 10.10.0.0/16",
    ]);
  });

  it.each([1, 4, 2.5])('I3 rejects AZ count %p', (azCount) => {
    expect(problemsOf('dev', { network: { azCount } })).toEqual([
      `network.azCount = ${azCount}: must be an integer from 2 to 3 (Multi-AZ, HIPAA 164.308(a)(7))`,
    ]);
  });

  it('rejects a region outside the allowed list', () => {
    expect(problemsOf('dev', { region: 'eu-west-1' })).toEqual([
      "region = 'eu-west-1': must be one of allowedRegions (us-east-1, us-west-2)",
    ]);
  });

  it('rejects a malformed account id', () => {
    expect(problemsOf('dev', { account: '12345' })).toEqual(["account = '12345': must be a 12-digit AWS account id"]);
  });

  it('rejects unknown internet egress, endpoints and database port', () => {
    expect(
      problemsOf('dev', {
        network: { internetEgress: 'open' as never, interfaceEndpoints: ['ftp'], databasePort: 0 },
      }),
    ).toEqual([
      "network.internetEgress = 'open': must be 'none' or 'nat'",
      'network.databasePort = 0: must be a port number from 1 to 65535',
      expect.stringMatching(/^network.interfaceEndpoints\[0\] = 'ftp': unknown endpoint; known: ecr.api, ecr.dkr/),
    ]);
  });

  it('E3 requires a domain in production', () => {
    expect(problemsOf('prod', { domain: undefined })).toEqual([
      'domain = undefined: is required in production: the load balancer needs a certificate (safeguard E3)',
    ]);
  });

  it('D3 requires a valid alert e-mail', () => {
    expect(problemsOf('dev', { alertEmails: [] })).toEqual([
      'alertEmails = []: must list at least one address that receives security alerts (safeguard D3)',
    ]);
    expect(problemsOf('dev', { alertEmails: ['not-an-address'] })).toEqual([
      "alertEmails[0] = 'not-an-address': is not an e-mail address",
    ]);
  });

  it('checks the certificate ARN belongs to the account and region', () => {
    expect(
      problemsOf('prod', {
        domain: { name: 'app.example.org', certificateArn: 'arn:aws:acm:us-west-2:123456789012:certificate/x' },
      }),
    ).toEqual([
      "domain.certificateArn = 'arn:aws:acm:us-west-2:123456789012:certificate/x': must be an ACM certificate ARN in us-east-1, account 123456789012",
    ]);
  });

  it('rejects key administrators outside the account', () => {
    expect(problemsOf('dev', { keyAdminRoleArns: ['arn:aws:iam::999999999999:role/Admin'] })).toEqual([
      "keyAdminRoleArns[0] = 'arn:aws:iam::999999999999:role/Admin': must be an IAM role ARN in account 123456789012",
    ]);
  });

  it('reports every problem at once in one error', () => {
    const bad = testConfig('prod', {
      account: 'abc',
      retention: { logRetentionDays: 365, auditLockMode: 'GOVERNANCE' },
      network: { nonPhiVpcCidr: '10.30.0.0/16' },
    });
    let error: unknown;
    try {
      validateConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid blueprint configuration for environment 'prod' \(\d+ problems\):/);
    for (const field of [
      'account',
      'retention.logRetentionDays',
      'retention.auditLockMode',
      'network.nonPhiVpcCidr',
      'domain.certificateArn',
    ]) {
      expect(message).toContain(`  - ${field} = `);
    }
  });
});
