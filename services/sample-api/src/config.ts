/**
 * The service's configuration, from its own process environment. On Fargate every variable arrives
 * through the task definition's `secrets` (SSM Parameter Store or Secrets Manager), never as a
 * plain environment variable (cdk-nag AwsSolutions-ECS2). See the README for each variable.
 */
import { MAX_AUDIT_TIMEOUT_MS } from './access-audit/access-audit-writer';

/** Where the image puts the RDS CA bundle (Dockerfile). */
export const DEFAULT_CA_BUNDLE_PATH = '/etc/ssl/certs/rds-global-bundle.pem';
export const DEFAULT_PORT = 8443;
export const DEFAULT_AUDIT_TIMEOUT_MS = 2000;

/** The validated configuration. */
export interface ServiceConfig {
  /** HTTPS port to listen on. */
  readonly port: number;
  /** Path prefix of the application routes ('' or e.g. '/api'); /health is always at the root. */
  readonly basePath: string;
  /** Service name written into each audit event. */
  readonly serviceName: string;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    /** Database user, named after the service; its schema has the same name. */
    readonly user: string;
    /** PEM file of the CA certificates the database's certificate must chain to. */
    readonly caBundlePath: string;
  };
  /** AWS region (IAM auth tokens, Firehose). */
  readonly region: string;
  readonly audit: {
    /** Firehose stream delivering to the append-only audit store. */
    readonly streamName: string;
    /** Longest wait for one audit write, in milliseconds. */
    readonly timeoutMs: number;
  };
}

/** One configuration problem: the variable, the value (or that it is missing) and the rule. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** Database names: PostgreSQL identifiers we accept unquoted-safe, 1-63 characters. */
const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Database user and schema: the service name rule (lower-case kebab, 2-24) or a plain identifier. */
const DB_USER = /^[a-z](?:[a-z0-9_]|-(?=[a-z0-9_])){1,62}$/;
const SERVICE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const BASE_PATH = /^(\/[a-z0-9][a-z0-9-]*)*$/;
const ABSOLUTE_PATH = /^\/[A-Za-z0-9._/-]+$/;

/**
 * Reads and validates the configuration. Throws a ConfigError listing every problem, each naming
 * the variable, its value (or that it is missing) and the rule. Pure: only `env` is read.
 */
export function parseConfig(env: Env): ServiceConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const required = (name: string, rule: RegExp, ruleText: string): string => {
    const v = value(name);
    if (v === undefined) problems.push(`${name} is not set: ${ruleText}`);
    else if (!rule.test(v)) problems.push(`${name} = '${v}': ${ruleText}`);
    return v ?? '';
  };
  const optional = (name: string, fallback: string, rule: RegExp, ruleText: string): string => {
    const v = value(name);
    if (v === undefined) return fallback;
    if (!rule.test(v)) problems.push(`${name} = '${v}': ${ruleText}`);
    return v;
  };
  const integer = (name: string, fallback: number | undefined, min: number, max: number): number => {
    const v = value(name);
    const rule = `must be an integer from ${min} to ${max}`;
    if (v === undefined) {
      if (fallback === undefined) problems.push(`${name} is not set: ${rule}`);
      return fallback ?? 0;
    }
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) problems.push(`${name} = '${v}': ${rule}`);
    return n;
  };

  const port = integer('PORT', DEFAULT_PORT, 1024, 65535);
  const basePath = optional(
    'BASE_PATH',
    '',
    BASE_PATH,
    "must be empty or a path prefix like '/api' (lower-case segments, no trailing '/')",
  );
  const dbHost = required('DB_HOST', HOSTNAME, 'must be a DNS host name (the database endpoint)');
  const dbPort = integer('DB_PORT', undefined, 1, 65535);
  const dbName = required('DB_NAME', DB_NAME, 'must be a database name: lower-case letters, digits and _, 1-63');
  const dbUser = required(
    'DB_USER',
    DB_USER,
    'must be the service database user: lower-case letters, digits, _ and single dashes, 2-63, starting with a letter',
  );
  const serviceName = optional(
    'SERVICE_NAME',
    dbUser,
    SERVICE_NAME,
    'must be a lower-case kebab-case name (letters and digits, single dashes)',
  );
  if (serviceName.length > 64) problems.push(`SERVICE_NAME = '${serviceName}': must be at most 64 characters`);
  const caBundlePath = optional(
    'DB_CA_BUNDLE',
    DEFAULT_CA_BUNDLE_PATH,
    ABSOLUTE_PATH,
    'must be an absolute file path (the RDS CA bundle in the image)',
  );
  const region = required('AWS_REGION', REGION, 'must be an AWS region name such as us-east-1');
  const streamName = required(
    'AUDIT_STREAM_NAME',
    STREAM_NAME,
    "must be a Firehose stream name: 1-64 of letters, digits, '_', '.' and '-'",
  );
  const auditTimeoutMs = integer('AUDIT_TIMEOUT_MS', DEFAULT_AUDIT_TIMEOUT_MS, 100, MAX_AUDIT_TIMEOUT_MS);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    basePath,
    serviceName,
    database: { host: dbHost, port: dbPort, name: dbName, user: dbUser, caBundlePath },
    region,
    audit: { streamName, timeoutMs: auditTimeoutMs },
  };
}
