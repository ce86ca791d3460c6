/** The service's configuration parser (pure): every problem names the variable, the value and the rule. */
import { ConfigError, parseConfig } from '../../../services/sample-api/src/config';

const VALID = {
  DB_HOST: 'hipaa-dev-data-database.abcdefghijkl.us-east-1.rds.amazonaws.com',
  DB_PORT: '5433',
  DB_NAME: 'postgres',
  DB_USER: 'sample-api',
  AWS_REGION: 'us-east-1',
  AUDIT_STREAM_NAME: 'hipaa-dev-access-audit',
};

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseConfig', () => {
  test('the required variables, with defaults for the rest', () => {
    expect(parseConfig(VALID)).toEqual({
      port: 8443,
      basePath: '',
      serviceName: 'sample-api',
      database: {
        host: VALID.DB_HOST,
        port: 5433,
        name: 'postgres',
        user: 'sample-api',
        caBundlePath: '/etc/ssl/certs/rds-global-bundle.pem',
      },
      region: 'us-east-1',
      audit: { streamName: 'hipaa-dev-access-audit', timeoutMs: 2000 },
    });
  });

  test('optional variables override the defaults', () => {
    const config = parseConfig({
      ...VALID,
      PORT: '9443',
      BASE_PATH: '/api',
      SERVICE_NAME: 'api',
      DB_CA_BUNDLE: '/opt/ca/bundle.pem',
      AUDIT_TIMEOUT_MS: '1500',
    });
    expect(config).toMatchObject({
      port: 9443,
      basePath: '/api',
      serviceName: 'api',
      database: { caBundlePath: '/opt/ca/bundle.pem' },
      audit: { timeoutMs: 1500 },
    });
  });

  test.each(Object.keys(VALID))('%s missing (or blank) is named', (name) => {
    expect(problems({ ...VALID, [name]: undefined })).toEqual([
      expect.stringMatching(new RegExp(`^${name} is not set: must `)),
    ]);
    expect(problems({ ...VALID, [name]: '  ' })).toEqual([
      expect.stringMatching(new RegExp(`^${name} is not set: must `)),
    ]);
  });

  test.each([
    ['PORT', '80', "PORT = '80': must be an integer from 1024 to 65535"],
    ['PORT', '8443abc', "PORT = '8443abc': must be an integer from 1024 to 65535"],
    ['DB_PORT', '0', "DB_PORT = '0': must be an integer from 1 to 65535"],
    ['DB_HOST', 'db host', "DB_HOST = 'db host': must be a DNS host name (the database endpoint)"],
    ['DB_NAME', 'Postgres', "DB_NAME = 'Postgres': must be a database name: lower-case letters, digits and _, 1-63"],
    ['DB_USER', 'Sample API', "DB_USER = 'Sample API': must be the service database user"],
    ['AWS_REGION', 'Virginia', "AWS_REGION = 'Virginia': must be an AWS region name such as us-east-1"],
    ['AUDIT_STREAM_NAME', 'audit stream', "AUDIT_STREAM_NAME = 'audit stream': must be a Firehose stream name"],
    ['AUDIT_TIMEOUT_MS', '60000', "AUDIT_TIMEOUT_MS = '60000': must be an integer from 100 to 30000"],
    ['BASE_PATH', 'api/', "BASE_PATH = 'api/': must be empty or a path prefix like '/api'"],
    ['DB_CA_BUNDLE', 'bundle.pem', "DB_CA_BUNDLE = 'bundle.pem': must be an absolute file path"],
    ['SERVICE_NAME', 'Sample_API', "SERVICE_NAME = 'Sample_API': must be a lower-case kebab-case name"],
  ])('%s malformed: named with its value and the rule', (name, value, message) => {
    const found = problems({ ...VALID, [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0].startsWith(message)).toBe(true);
  });

  test('every problem is reported at once, in one line', () => {
    let error: ConfigError | undefined;
    try {
      parseConfig({});
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toHaveLength(6);
    expect(error?.message).not.toContain('\n');
  });
});
