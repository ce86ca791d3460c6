/** The pg pool settings: IAM token as password, TLS verified against the CA, bounded times (E3). */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../services/sample-api/src/config';
import {
  DATABASE_TIMEOUTS,
  databasePoolConfig,
  iamTokenProvider,
  readCaBundle,
} from '../../../services/sample-api/src/database-pool';
import { scratchDir } from '../../support/scratch';

const CONFIG = parseConfig({
  DB_HOST: 'hipaa-dev-data-database.abcdefghijkl.us-east-1.rds.amazonaws.com',
  DB_PORT: '5433',
  DB_NAME: 'postgres',
  DB_USER: 'sample-api',
  AWS_REGION: 'us-east-1',
  AUDIT_STREAM_NAME: 'hipaa-dev-access-audit',
});

describe('E3 databasePoolConfig', () => {
  test('E3 password is the token provider, TLS verifies the server against the given CA, times are bounded', () => {
    const token = () => Promise.resolve('synthetic-token');
    const config = databasePoolConfig(CONFIG, token, 'PEM');
    expect(config).toMatchObject({
      host: CONFIG.database.host,
      port: 5433,
      database: 'postgres',
      user: 'sample-api',
      password: token,
      ssl: { ca: 'PEM', rejectUnauthorized: true },
      connectionTimeoutMillis: DATABASE_TIMEOUTS.connect,
      statement_timeout: DATABASE_TIMEOUTS.statement,
      query_timeout: DATABASE_TIMEOUTS.query,
    });
  });
});

describe('iamTokenProvider', () => {
  const saved = { ...process.env };
  afterEach(() => {
    // The same process.env object, put back as it was (test files share a process under jest-light-runner).
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  test('signs a 15-minute rds-db:connect token for the host, port and user, offline', async () => {
    // Synthetic credentials: the signer computes a SigV4 presigned URL locally, no AWS call.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDSYNTHETIC000001';
    process.env.AWS_SECRET_ACCESS_KEY = 'synthetic-secret';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const token = await iamTokenProvider(CONFIG)();
    expect(token.startsWith(`${CONFIG.database.host}:5433/?Action=connect&DBUser=sample-api&`)).toBe(true);
    expect(token).toContain('X-Amz-Expires=900');
    expect(token).toContain('us-east-1%2Frds-db%2Faws4_request');
  });
});

describe('readCaBundle', () => {
  let dir: string;
  beforeAll(() => (dir = scratchDir('sample-api-ca-')));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('returns a PEM bundle; refuses a missing file or one without a certificate, naming DB_CA_BUNDLE', () => {
    const good = join(dir, 'good.pem');
    writeFileSync(good, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(readCaBundle(good)).toContain('BEGIN CERTIFICATE');
    expect(() => readCaBundle(join(dir, 'absent.pem'))).toThrow(
      /^DB_CA_BUNDLE = '.*absent\.pem': cannot be read \(ENOENT\)/,
    );
    const bad = join(dir, 'bad.pem');
    writeFileSync(bad, 'nothing here');
    expect(() => readCaBundle(bad)).toThrow(/holds no PEM certificate/);
  });
});
