/**
 * Database users provisioner: a Lambda-backed CloudFormation custom resource (no provider framework),
 * run at deploy time in the application tier, so no human needs a way into the VPC (A1, A3, E3).
 *
 * parse (request.ts) -> observe (read-only catalog queries) -> decide (plan.ts, pure) -> act (one
 * transaction) -> respond (response.ts, PUT to the pre-signed S3 URL).
 *
 * - Create/Update: reads the RDS-managed master secret, connects over TLS verified against the
 *   Amazon CA bundle of the Lambda Node.js runtime (hostname checked, rejectUnauthorized true), and
 *   creates what is missing: the pgaudit extension, per service a LOGIN role without password in
 *   rds_iam, its own schema, its search_path; pgaudit of the master user's reads, writes, DDL and
 *   role changes. A user removed on Update loses LOGIN (never DROP: its data stays).
 * - Delete: nothing is done to the database (users, schemas and data are retained); SUCCESS.
 *
 * Never logged or returned: the password, the secret's content, SQL values, driver error messages.
 * Failures report our own step label and an error code only. Environment: none read (the CA bundle
 * path is the runtime's). The response is always sent, before the function's own deadline; if the
 * PUT itself fails the invocation throws, so Lambda retries it (the work is idempotent).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { errorCode, StepError } from './errors';
import { MASTER_USER, show } from './identifiers';
import { ObservedRole, ObservedState, PlanConflict, planStatements } from './plan';
import { CustomResourceEvent, DatabaseTarget, parseRequest, RequestError, responseUrlProblem } from './request';
import { CustomResourceResponse, responseBody, sendResponse } from './response';

/**
 * The Amazon CA certificates (RDS included) the Lambda Node.js runtimes ship; since Node.js 20 they
 * are not loaded by default (Lambda developer guide, "Building Lambda functions with Node.js", CA
 * certificate loading). Passed as the connection's only trust anchors: the database must present a
 * certificate chaining to an Amazon CA, for its own host name.
 */
export const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/** Stays this long before the function's timeout to fail cleanly and still send the response. */
const DEADLINE_MARGIN_MS = 15_000;

export type LogFields = Record<string, string | number | boolean>;

/** The few SQL calls the handler makes (connectPg adapts a postgres.js reserved connection to it). */
export interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

/** The master user credentials (RDS-managed secret). */
export interface MasterCredentials {
  readonly username: string;
  readonly password: string;
}

/** TLS options passed to tls.connect for the database connection. */
export interface ConnectionTls {
  readonly ca: string;
  readonly rejectUnauthorized: true;
  readonly servername: string;
  readonly minVersion: 'TLSv1.2';
}

/** The master connection's settings (the driver's options are derived from these in connectPg). */
export interface ConnectionConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly ssl: ConnectionTls;
  readonly application_name: string;
  /** Time allowed to open the connection (TCP, TLS, authentication). */
  readonly connectionTimeoutMillis: number;
  /** Server-side limits of every statement and lock wait of the session. */
  readonly statement_timeout: number;
  readonly lock_timeout: number;
}

/** Side effects, injected so tests replace them. */
export interface HandlerDeps {
  /** SecretString of the secret. */
  getSecretString(secretArn: string): Promise<string>;
  /** The CA bundle (PEM) the database certificate must chain to. */
  caBundle(): string;
  /** A connected client. */
  connect(config: ConnectionConfig): Promise<SqlClient>;
  send(url: string, body: CustomResourceResponse): Promise<void>;
  log(message: string, fields: LogFields): void;
}

/** The Lambda context fields the handler reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * The master credentials in a SecretString. Never echoes the string: a JSON.parse message would
 * quote part of it.
 */
export function parseMasterSecret(secretString: string): MasterCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new StepError('master secret: SecretString is not JSON');
  }
  const { username, password } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || !MASTER_USER.test(username)) {
    throw new StepError(
      `master secret: username = ${show(username)}: must be an RDS master user name (a letter, then letters, digits or '_')`,
    );
  }
  if (typeof password !== 'string' || password.length === 0) {
    throw new StepError('master secret: password: must be a non-empty string');
  }
  return { username, password };
}

/**
 * Settings of the master connection: TLS 1.2+ verified against `ca` (the database's certificate
 * must chain to it and name `host`: rejectUnauthorized true, servername host), bounded waits.
 */
export function connectionConfig(target: DatabaseTarget, credentials: MasterCredentials, ca: string): ConnectionConfig {
  return {
    host: target.host,
    port: target.port,
    database: target.databaseName,
    user: credentials.username,
    password: credentials.password,
    ssl: { ca, rejectUnauthorized: true, servername: target.host, minVersion: 'TLSv1.2' },
    application_name: 'hipaa-blueprint-db-users',
    connectionTimeoutMillis: 15_000,
    statement_timeout: 30_000,
    lock_timeout: 10_000,
  };
}

/** Serialises provisioner runs on one database (transaction-scoped advisory lock). */
export const ADVISORY_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('hipaa-blueprint-db-users'))";
export const OBSERVE_PGAUDIT_SQL = "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgaudit') AS installed";
export const OBSERVE_ROLES_SQL =
  'SELECT r.rolname AS name, r.rolcanlogin AS can_login, ' +
  'EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid ' +
  "WHERE m.member = r.oid AND g.rolname = 'rds_iam') AS iam, " +
  "COALESCE(r.rolconfig, '{}') AS config FROM pg_roles r WHERE r.rolname = ANY($1::text[])";
export const OBSERVE_SCHEMAS_SQL =
  'SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner FROM pg_namespace n WHERE n.nspname = ANY($1::text[])';

/** Observe: what the database has of the roles and schemas named (read-only queries, names as parameters). */
async function observe(
  client: SqlClient,
  roleNames: readonly string[],
  users: readonly string[],
): Promise<ObservedState> {
  const pgaudit = await client.query(OBSERVE_PGAUDIT_SQL);
  const roles = await client.query(OBSERVE_ROLES_SQL, [[...roleNames]]);
  const schemas = await client.query(OBSERVE_SCHEMAS_SQL, [[...users]]);
  return {
    pgauditInstalled: pgaudit.rows[0]?.installed === true,
    roles: roles.rows.map((r): ObservedRole => ({
      name: String(r.name),
      canLogin: r.can_login === true,
      iam: r.iam === true,
      config: Array.isArray(r.config) ? r.config.map(String) : [],
    })),
    schemaOwners: Object.fromEntries(schemas.rows.map((s) => [String(s.name), String(s.owner)])),
  };
}

/** Runs `step`, turning any failure into a StepError naming the step and the error code only. */
async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof StepError || err instanceof PlanConflict) throw err;
    throw new StepError(`${label} failed (${errorCode(err)})`);
  }
}

/** Create or Update: returns the labels of the statements run (empty when nothing was missing). */
async function provision(
  deps: HandlerDeps,
  target: DatabaseTarget,
  removedUsers: readonly string[],
  connected: (client: SqlClient) => void,
): Promise<string[]> {
  const secretString = await step('read master secret', () => deps.getSecretString(target.secretArn));
  const credentials = parseMasterSecret(secretString);
  const ca = await step('read CA bundle', async () => deps.caBundle());
  const client = await step('connect over verified TLS', () => deps.connect(connectionConfig(target, credentials, ca)));
  connected(client);
  try {
    await step('begin', () => client.query('BEGIN'));
    await step('lock', () => client.query(ADVISORY_LOCK_SQL));
    const names = [...new Set([...target.users, ...removedUsers, credentials.username])];
    const observed = await step('observe', () => observe(client, names, target.users));
    const { statements } = planStatements(target.users, removedUsers, credentials.username, observed);
    for (const s of statements) await step(s.label, () => client.query(s.sql));
    await step('commit', () => client.query('COMMIT'));
    return statements.map((s) => s.label);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The reason reported for a failure: our own message for our errors, an error code otherwise. */
function failureReason(err: unknown): string {
  if (err instanceof StepError || err instanceof RequestError || err instanceof PlanConflict) return err.message;
  return `unexpected failure (${errorCode(err)})`;
}

/** Rejects after `ms` (the response must reach CloudFormation before Lambda stops the function). */
function deadline(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepError(`timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export type DbUsersHandler = (event: CustomResourceEvent, context: InvocationContext) => Promise<void>;

export function createHandler(deps: HandlerDeps): DbUsersHandler {
  return async (event, context) => {
    const urlProblem = responseUrlProblem(event.ResponseURL);
    if (urlProblem) {
      deps.log('db-users: refused event', { problem: urlProblem });
      throw new RequestError(urlProblem); // nowhere to respond to
    }
    const requestType = typeof event.RequestType === 'string' ? event.RequestType.slice(0, 16) : 'unknown';
    const limit = deadline(Math.max(1_000, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS));
    let client: SqlClient | undefined;
    let finished = false;
    let body: CustomResourceResponse;
    try {
      const work = (async (): Promise<CustomResourceResponse> => {
        const request = parseRequest(event);
        if (request.kind === 'Delete') {
          return responseBody(event, 'SUCCESS', 'Delete: nothing done; users, schemas and data are retained');
        }
        const removed = request.kind === 'Update' ? request.removedUsers : [];
        const done = await provision(deps, request.target, removed, (c) => (client = c));
        const reason = done.length === 0 ? `${request.kind}: nothing to do` : `${request.kind}: ${done.join('; ')}`;
        return responseBody(event, 'SUCCESS', reason, { Users: request.target.users.join(',') });
      })();
      // A late failure after the deadline is already reported.
      work.catch(() => undefined).finally(() => (finished = true));
      body = await Promise.race([work, limit.promise]);
    } catch (err) {
      // Past the deadline the transaction may still be open: closing the connection makes the server
      // roll it back, so nothing commits after FAILED is reported. Not awaited: the response goes first.
      if (!finished) void client?.end().catch(() => undefined);
      body = responseBody(event, 'FAILED', `${requestType} failed: ${failureReason(err)}`);
    } finally {
      limit.cancel();
    }
    deps.log('db-users: responding', { requestType, status: body.Status, reason: body.Reason });
    try {
      await deps.send(event.ResponseURL, body);
    } catch (err) {
      deps.log('db-users: response not delivered', { requestType, error: failureReason(err) });
      throw new StepError(`response not delivered (${errorCode(err)})`);
    }
  };
}

/**
 * A connected client on one dedicated connection (postgres.js, reserved from a pool of one, so BEGIN ... COMMIT
 * run on the same session). TLS is always on and is exactly `config.ssl` (tls.connect options: the server's
 * certificate must chain to `ca` and name `servername`); nothing is read from the environment (every option that
 * postgres.js would otherwise take from PG* variables is set here). No prepared statements, no notices logged.
 */
export async function connectPg(config: ConnectionConfig): Promise<SqlClient> {
  const sql = postgres({
    host: config.host,
    port: config.port,
    database: config.database,
    username: config.user,
    password: config.password,
    ssl: { ...config.ssl },
    max: 1,
    prepare: false,
    connect_timeout: Math.max(1, Math.ceil(config.connectionTimeoutMillis / 1000)),
    onnotice: () => undefined,
    connection: {
      application_name: config.application_name,
      statement_timeout: config.statement_timeout,
      lock_timeout: config.lock_timeout,
    },
  });
  // postgres.js reconnects when the server hangs up during startup, so the wait for a ready session is bounded here.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('connection not ready in time'), { code: 'CONNECT_TIMEOUT' })),
      config.connectionTimeoutMillis,
    );
  });
  let reserved: postgres.ReservedSql;
  try {
    reserved = await Promise.race([sql.reserve(), timeout]);
  } catch (err) {
    await sql.end({ timeout: 0 }).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    query: async (text, params) => ({
      rows: [...(await reserved.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[]))],
    }),
    end: async () => {
      reserved.release();
      await sql.end({ timeout: 5 });
    },
  };
}

let secretsManager: SecretsManagerClient | undefined; // reused across warm invocations

/** Structured log line built from our own fields only. */
function log(message: string, fields: LogFields): void {
  console.log(JSON.stringify({ message, ...fields }));
}

export const handler: DbUsersHandler = createHandler({
  getSecretString: async (secretArn) => {
    secretsManager ??= new SecretsManagerClient({ maxAttempts: 3 });
    const out = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (typeof out.SecretString !== 'string') throw new StepError('master secret: no SecretString');
    return out.SecretString;
  },
  caBundle: () => readFileSync(LAMBDA_CA_BUNDLE, 'utf8'),
  connect: connectPg,
  send: (url, body) => sendResponse(url, body),
  log,
});
