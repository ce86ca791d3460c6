import { readFileSync } from 'node:fs';
import { Signer } from '@aws-sdk/rds-signer';
import { Pool, PoolConfig } from 'pg';
import { ServiceConfig } from './config';

/** Gives the password for a new connection: a fresh 15-minute IAM authentication token. */
export type TokenProvider = () => Promise<string>;

/** Bounds on the database, so a hung database cannot hang a request for ever (milliseconds). */
export const DATABASE_TIMEOUTS = {
  connect: 5000,
  statement: 5000,
  query: 6000,
  idle: 30_000,
} as const;
export const MAX_CONNECTIONS = 5;

/** IAM database authentication tokens from the task role (@aws-sdk/rds-signer, rds-db:connect). */
export function iamTokenProvider(config: ServiceConfig): TokenProvider {
  const signer = new Signer({
    hostname: config.database.host,
    port: config.database.port,
    username: config.database.user,
    region: config.region,
  });
  return () => signer.getAuthToken();
}

/**
 * Reads the CA bundle the database certificate must chain to, and refuses a file that holds no
 * certificate (an empty or wrong file would otherwise surface as a TLS error on first query).
 */
export function readCaBundle(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`DB_CA_BUNDLE = '${path}': cannot be read (${code}): must be the RDS CA bundle file in the image`, {
      cause: err,
    });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`DB_CA_BUNDLE = '${path}': holds no PEM certificate: must be the RDS CA bundle`);
  }
  return pem;
}

/**
 * The pg pool settings: every connection authenticates with a fresh IAM token and verifies the
 * server certificate against `ca` and the host name (TLS, no fallback to plain text), with bounded
 * connect, statement and query times.
 */
export function databasePoolConfig(config: ServiceConfig, password: TokenProvider, ca: string): PoolConfig {
  return {
    host: config.database.host,
    port: config.database.port,
    database: config.database.name,
    user: config.database.user,
    password,
    ssl: { ca, rejectUnauthorized: true },
    application_name: config.serviceName,
    max: MAX_CONNECTIONS,
    connectionTimeoutMillis: DATABASE_TIMEOUTS.connect,
    statement_timeout: DATABASE_TIMEOUTS.statement,
    query_timeout: DATABASE_TIMEOUTS.query,
    idleTimeoutMillis: DATABASE_TIMEOUTS.idle,
  };
}

/** The service's pool (connects lazily, on the first query). */
export function createDatabasePool(config: ServiceConfig, password: TokenProvider, ca: string): Pool {
  return new Pool(databasePoolConfig(config, password, ca));
}
