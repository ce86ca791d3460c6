import { certificateCovers, globCovers, partitionOf, pascalCase, requiredEndpoints } from '../../lib/config/rules';
import { PHYSICAL_NAME_RULES, NamingInput } from '../../lib/config/names';
import { configProblems, ENVIRONMENTS } from '../../lib/config';

describe('cross-field rules', () => {
  test('globCovers: a route covers another when it matches every request the other matches', () => {
    expect(globCovers('/*', '/api/*')).toBe(true);
    expect(globCovers('/api/*', '/api/v1/*')).toBe(true);
    expect(globCovers('/api/*', '/api')).toBe(false);
    expect(globCovers('/api/*', '/web/*')).toBe(false);
    expect(globCovers('/a?c', '/abc')).toBe(true);
    expect(globCovers('/a?c', '/a*c')).toBe(false);
    expect(globCovers('/a*', '/a?')).toBe(true);
    expect(globCovers('*.example.org', 'api.example.org')).toBe(true);
    expect(globCovers('api.example.org', '*.example.org')).toBe(false);
  });

  test('certificateCovers: exact names and one-label wildcards', () => {
    expect(certificateCovers('app.example.org', 'app.example.org')).toBe(true);
    expect(certificateCovers('*.example.org', 'api.example.org')).toBe(true);
    expect(certificateCovers('*.example.org', 'a.b.example.org')).toBe(false);
    expect(certificateCovers('*.example.org', 'example.org')).toBe(false);
    expect(certificateCovers('app.example.org', 'api.example.org')).toBe(false);
  });

  test('partitions, PascalCase ids and the endpoints the stacks need', () => {
    expect(['us-east-1', 'cn-north-1', 'us-gov-west-1'].map(partitionOf)).toEqual(['aws', 'aws-cn', 'aws-us-gov']);
    expect(pascalCase('api-1')).toBe(pascalCase('api1'));
    const noHub = { securityHub: false };
    // I1: the restore validation always runs (backup, monitoring, rds).
    expect(Object.keys(requiredEndpoints({ services: [], ecsExec: false, detection: noHub })).sort()).toEqual([
      'backup',
      'monitoring',
      'rds',
      'sns',
    ]);
    // V2 D2: the critical findings age check runs with Security Hub.
    const hub = requiredEndpoints({ services: [], ecsExec: false, detection: { securityHub: true } });
    expect(Object.keys(hub).sort()).toEqual(['backup', 'monitoring', 'rds', 'securityhub', 'sns']);
    expect(hub.monitoring).toContain('the critical findings age check');
    expect(Object.keys(requiredEndpoints({ services: [{} as never], ecsExec: true, detection: noHub })).sort()).toEqual(
      [
        'athena',
        'backup',
        'ecr.api',
        'ecr.dkr',
        'kinesis-firehose',
        'kms',
        'logs',
        'monitoring',
        'rds',
        'secretsmanager',
        'sns',
        'ssm',
        'ssmmessages',
      ].sort(),
    );
  });

  const base: NamingInput & { services: { name: string }[] } = {
    appName: 'hipaa',
    envName: 'dev',
    account: '111111111111',
    region: 'us-east-1',
    phiBucket: { replicaRegion: 'us-west-2' },
    services: [{ name: 'api' }],
  };

  test('every derived physical name of the shipped shape passes its AWS rule', () => {
    for (const rule of PHYSICAL_NAME_RULES) {
      for (const name of rule.names(base))
        expect([rule.what, name, rule.problem(name)]).toEqual([rule.what, name, undefined]);
    }
  });

  test.each([
    ['PHI data bucket', { ...base, appName: 'sthree' }],
    ['PHI data bucket', { ...base, appName: 'a'.repeat(60) }],
    // 30 + '-dev-phi-vault-' + the 8-character stack create id = 53 > 50
    ['backup vault name', { ...base, appName: 'a'.repeat(30) }],
    ['Cognito sign-in domain prefix', { ...base, appName: 'myaws' }],
    ['load balancer name', { ...base, appName: 'a'.repeat(30) }],
    ['database identifier', { ...base, appName: '1abc' }],
    ['CloudTrail trail name', { ...base, appName: 'a--b' }],
    ['break-glass role name', { ...base, appName: 'a'.repeat(60) }],
    ['KMS key alias', { ...base, appName: 'a b' }],
  ])('the %s rule refuses a name AWS refuses', (what, input) => {
    const rule = PHYSICAL_NAME_RULES.find((r) => r.what === what)!;
    expect(rule.names(input).some((n) => rule.problem(n) !== undefined)).toBe(true);
  });
});

describe('messages that say what is wrong', () => {
  const withClass = (instanceClass: string): string[] =>
    configProblems({ ...ENVIRONMENTS.dev, database: { ...ENVIRONMENTS.dev.database, instanceClass } });

  test("an old-generation instance class is told the families, not only to drop 'db.'", () => {
    // The config review of 2026-12-04: 't2.micro' and 'm5.large' were told "without 'db.'", which they were.
    for (const instanceClass of ['t2.micro', 'm5.large']) {
      expect(withClass(instanceClass)).toEqual([
        `database.instanceClass = '${instanceClass}': must be a current-generation RDS instance class, of family t4g, t3, m6g, m6i, m7g, m7i, m8g, r6g, r6i, r7g, r7i, r8g, x2g, written without 'db.' (e.g. 't4g.medium' or 'r6g.large')`,
      ]);
    }
    expect(withClass('r6g.large')).toEqual([]);
  });
});

describe('an environment named for production', () => {
  test('prod, prd, production or live, with or without a number, must be production; other names are not judged', () => {
    const problemsFor = (envName: string): string[] => configProblems({ ...ENVIRONMENTS.dev, envName });
    for (const envName of ['prod', 'prod2', 'prd', 'production', 'live1']) {
      expect(problemsFor(envName)).toEqual([
        expect.stringMatching(/^production = false: must be true for environment/),
      ]);
    }
    for (const envName of ['product', 'prodtest', 'dev', 'staging', 'livedemo'])
      expect(problemsFor(envName)).toEqual([]);
  });
});

describe('legitimate configurations the new rules accept (the false-positive review of 2026-12-04)', () => {
  const dev = ENVIRONMENTS.dev;
  test.each<[string, Record<string, unknown>]>([
    [
      'an alert endpoint with a query string and no path',
      { alertHttpsEndpoint: 'https://api.opsgenie.example?apiKey=synthetic' },
    ],
    [
      'an alert endpoint with an @ in its path',
      { alertHttpsEndpoint: 'https://hooks.example.org:8443/sns/team@oncall' },
    ],
    ['a VPC in RFC 6598 shared space', { network: { ...dev.network, phiVpcCidr: '100.64.0.0/16' } }],
    [
      "detection provided by an environment named 'test'",
      { detection: { ...dev.detection, macie: false, providedBy: 'test' } },
    ],
  ])('%s', (_name, changes) => {
    expect(configProblems({ ...dev, ...changes })).toEqual([]);
  });
});
