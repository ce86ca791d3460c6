import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, globalAgent } from 'node:https';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { SERVICE_USER as CONSTRUCT_RULE_PROBE } from '../../lambda/db-users/identifiers';
import {
  ADVISORY_LOCK_SQL,
  connectionConfig,
  connectPg,
  createHandler,
  HandlerDeps,
  LogFields,
  OBSERVE_PGAUDIT_SQL,
  OBSERVE_ROLES_SQL,
  OBSERVE_SCHEMAS_SQL,
  SqlClient,
} from '../../lambda/db-users/index';
import { serviceUserProblem } from '../../lambda/db-users/identifiers';
import { CustomResourceEvent } from '../../lambda/db-users/request';
import { CustomResourceResponse, sendResponse } from '../../lambda/db-users/response';

// Synthetic values only.
const PASSWORD = 'synthetic-Pa55word-0001';
const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-00000000-0000-0000-0000-000000000001-AbCdEf';
const HOST = 'hipaa-dev-phi-db.c0example0.us-east-1.rds.amazonaws.com';
const RESPONSE_URL =
  'https://cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com/arn%3A/r?X-Amz-Signature=0';

/**
 * A fake PostgreSQL that understands exactly the provisioner's statements and catalog queries, so a
 * second run sees what the first created. Every statement is recorded.
 */
class FakeDatabase {
  public readonly roles = new Map<string, { canLogin: boolean; iam: boolean; config: string[] }>();
  public readonly schemas = new Map<string, string>();
  public pgaudit = false;
  public readonly executed: string[] = [];
  public failOn?: { sql: RegExp; error: Error };

  constructor(public readonly master = 'dbadmin') {
    this.roles.set(master, { canLogin: true, iam: false, config: [] });
  }

  public client(): SqlClient & { ended: boolean } {
    const query = async (sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> => {
      this.executed.push(sql);
      if (this.failOn && this.failOn.sql.test(sql)) throw this.failOn.error;
      return { rows: this.answer(sql, params) };
    };
    return {
      ended: false,
      query,
      async end() {
        this.ended = true;
      },
    };
  }

  /** The statements that changed something (not BEGIN/COMMIT, the lock or the catalog reads). */
  public writes(): string[] {
    return this.executed.filter((s) => !/^(BEGIN|COMMIT|ROLLBACK|SELECT)/.test(s));
  }

  private setting(role: string, name: string, value: string): void {
    const r = this.roles.get(role)!;
    r.config = [...r.config.filter((c) => !c.startsWith(`${name}=`)), `${name}=${value}`];
  }

  private answer(sql: string, params?: unknown[]): Record<string, unknown>[] {
    const names = (params?.[0] ?? []) as string[];
    let m: RegExpMatchArray | null;
    if (sql === OBSERVE_PGAUDIT_SQL) return [{ installed: this.pgaudit }];
    if (sql === OBSERVE_ROLES_SQL) {
      return names
        .filter((n) => this.roles.has(n))
        .map((n) => {
          const r = this.roles.get(n)!;
          return { name: n, can_login: r.canLogin, iam: r.iam, config: r.config.length ? [...r.config] : [] };
        });
    }
    if (sql === OBSERVE_SCHEMAS_SQL) {
      return names.filter((n) => this.schemas.has(n)).map((n) => ({ name: n, owner: this.schemas.get(n) }));
    }
    if (/^(BEGIN|COMMIT|ROLLBACK)$/.test(sql) || sql === ADVISORY_LOCK_SQL) return [];
    if (sql === 'CREATE EXTENSION IF NOT EXISTS pgaudit') this.pgaudit = true;
    else if ((m = sql.match(/^CREATE ROLE "([a-z0-9-]+)" WITH LOGIN$/))) {
      this.roles.set(m[1], { canLogin: true, iam: false, config: [] });
    } else if ((m = sql.match(/^ALTER ROLE "([a-z0-9-]+)" WITH (NO)?LOGIN$/))) {
      this.roles.get(m[1])!.canLogin = m[2] === undefined;
    } else if ((m = sql.match(/^GRANT rds_iam TO "([a-z0-9-]+)"$/))) this.roles.get(m[1])!.iam = true;
    else if ((m = sql.match(/^CREATE SCHEMA IF NOT EXISTS "([a-z0-9-]+)" AUTHORIZATION "([a-z0-9-]+)"$/))) {
      if (!this.schemas.has(m[1])) this.schemas.set(m[1], m[2]);
    } else if ((m = sql.match(/^ALTER ROLE "([a-z0-9-]+)" SET search_path = "([a-z0-9-]+)"$/))) {
      // PostgreSQL quotes a list value only where it must (search_path="sample-api", search_path=api).
      this.setting(m[1], 'search_path', /-/.test(m[2]) ? `"${m[2]}"` : m[2]);
    } else if ((m = sql.match(/^ALTER ROLE "(\w+)" SET pgaudit\.log = '([a-z, ]+)'$/))) {
      this.setting(m[1], 'pgaudit.log', m[2]);
    } else if (/^(GRANT|REVOKE) "[a-z0-9-]+" (TO|FROM) "\w+"/.test(sql)) {
      // The master's temporary SET on the role it creates a schema for: no state the fake tracks.
    } else throw new Error(`FakeDatabase: unexpected SQL ${sql}`);
    return [];
  }
}

interface Harness {
  readonly deps: HandlerDeps;
  readonly responses: CustomResourceResponse[];
  readonly logs: string[];
  readonly connectConfigs: unknown[];
  readonly secretReads: string[];
  readonly clients: ReturnType<FakeDatabase['client']>[];
}

function harness(db: FakeDatabase, overrides: Partial<HandlerDeps> = {}): Harness {
  const responses: CustomResourceResponse[] = [];
  const logs: string[] = [];
  const connectConfigs: unknown[] = [];
  const secretReads: string[] = [];
  const clients: ReturnType<FakeDatabase['client']>[] = [];
  const deps: HandlerDeps = {
    getSecretString: async (arn) => {
      secretReads.push(arn);
      return JSON.stringify({ username: db.master, password: PASSWORD, engine: 'postgres' });
    },
    caBundle: () => '-----BEGIN CERTIFICATE-----\nsynthetic\n-----END CERTIFICATE-----\n',
    connect: async (config) => {
      connectConfigs.push(config);
      const c = db.client();
      clients.push(c);
      return c;
    },
    send: async (url, body) => {
      expect(url).toBe(RESPONSE_URL);
      responses.push(body);
    },
    log: (message: string, fields: LogFields) => logs.push(JSON.stringify({ message, ...fields })),
    ...overrides,
  };
  return { deps, responses, logs, connectConfigs, secretReads, clients };
}

const context = { getRemainingTimeInMillis: () => 120_000 };

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  users: unknown,
  extra: Partial<CustomResourceEvent> = {},
): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResponseURL: RESPONSE_URL,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/hipaa-dev-data/00000000-0000-0000-0000-000000000000',
    RequestId: 'req-0001',
    LogicalResourceId: 'DatabaseUsers0001',
    ResourceProperties: { Users: users, SecretArn: SECRET_ARN, Host: HOST, Port: '5433', DatabaseName: 'postgres' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'db-users-DatabaseUsers0001' }),
    ...extra,
  };
}

const CREATE_SAMPLE_API = [
  'ALTER ROLE "dbadmin" SET pgaudit.log = \'read, write, ddl, role\'',
  'CREATE ROLE "sample-api" WITH LOGIN',
  'GRANT rds_iam TO "sample-api"',
  'GRANT "sample-api" TO "dbadmin" WITH INHERIT FALSE, SET TRUE',
  'CREATE SCHEMA IF NOT EXISTS "sample-api" AUTHORIZATION "sample-api"',
  'REVOKE "sample-api" FROM "dbadmin"',
  'ALTER ROLE "sample-api" SET search_path = "sample-api"',
];

describe('db-users handler: Create', () => {
  it('A1 creates pgaudit, each user (LOGIN, rds_iam, own schema, search_path) and audits the master user, in one transaction', async () => {
    const db = new FakeDatabase();
    const h = harness(db);
    await createHandler(h.deps)(event('Create', ['sample-api', 'billing']), context);

    expect(db.executed).toEqual([
      'BEGIN',
      ADVISORY_LOCK_SQL,
      OBSERVE_PGAUDIT_SQL,
      OBSERVE_ROLES_SQL,
      OBSERVE_SCHEMAS_SQL,
      'CREATE EXTENSION IF NOT EXISTS pgaudit',
      ...CREATE_SAMPLE_API,
      'CREATE ROLE "billing" WITH LOGIN',
      'GRANT rds_iam TO "billing"',
      'GRANT "billing" TO "dbadmin" WITH INHERIT FALSE, SET TRUE',
      'CREATE SCHEMA IF NOT EXISTS "billing" AUTHORIZATION "billing"',
      'REVOKE "billing" FROM "dbadmin"',
      'ALTER ROLE "billing" SET search_path = "billing"',
      'COMMIT',
    ]);
    // Nothing else granted: no privileges on objects, no role attributes, no passwords, never DROP.
    expect(db.writes().join('\n')).not.toMatch(
      /PASSWORD|SUPERUSER|CREATEDB|CREATEROLE|BYPASSRLS|DROP|GRANT (ALL|SELECT|INSERT|USAGE|CREATE)/i,
    );
    expect(h.clients[0].ended).toBe(true);
    expect(h.responses).toHaveLength(1);
    expect(h.responses[0].Status).toBe('SUCCESS');
  });

  it('A1 names travel as query parameters in the catalog reads, never spliced into them', async () => {
    const db = new FakeDatabase();
    const seen: unknown[][] = [];
    const h = harness(db, {
      connect: async () => {
        const c = db.client();
        return {
          query: (sql: string, params?: unknown[]) => {
            if (params) seen.push(params);
            return c.query(sql, params);
          },
          end: () => c.end(),
        };
      },
    });
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(seen).toEqual([[['sample-api', 'dbadmin']], [['sample-api']]]);
    for (const sql of [OBSERVE_ROLES_SQL, OBSERVE_SCHEMAS_SQL]) expect(sql).toContain('$1::text[]');
  });

  it('idempotent: a second Create changes nothing and reports the same physical resource id', async () => {
    const db = new FakeDatabase();
    const h = harness(db);
    const handler = createHandler(h.deps);
    await handler(event('Create', ['sample-api', 'billing']), context);
    const firstWrites = db.writes().length;
    expect(firstWrites).toBeGreaterThan(0);
    db.executed.length = 0;
    await handler(event('Create', ['sample-api', 'billing']), context);

    expect(db.executed).toEqual([
      'BEGIN',
      ADVISORY_LOCK_SQL,
      OBSERVE_PGAUDIT_SQL,
      OBSERVE_ROLES_SQL,
      OBSERVE_SCHEMAS_SQL,
      'COMMIT',
    ]);
    expect(h.responses.map((r) => [r.Status, r.PhysicalResourceId])).toEqual([
      ['SUCCESS', 'db-users-DatabaseUsers0001'],
      ['SUCCESS', 'db-users-DatabaseUsers0001'],
    ]);
    expect(h.responses[1].Reason).toBe('Create: nothing to do');
  });

  it('A1 a user left without LOGIN, rds_iam or search_path (e.g. made by hand) gets exactly what is missing', async () => {
    const db = new FakeDatabase();
    db.pgaudit = true;
    db.roles.get('dbadmin')!.config = ['pgaudit.log=read, write, ddl, role'];
    db.roles.set('sample-api', { canLogin: false, iam: false, config: ['search_path=public'] });
    db.schemas.set('sample-api', 'sample-api');
    const h = harness(db);
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(db.writes()).toEqual([
      'ALTER ROLE "sample-api" WITH LOGIN',
      'GRANT rds_iam TO "sample-api"',
      'ALTER ROLE "sample-api" SET search_path = "sample-api"',
    ]);
  });

  it('refuses to take over a schema another role owns, and commits nothing', async () => {
    const db = new FakeDatabase();
    db.schemas.set('sample-api', 'someone-else');
    const h = harness(db);
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.responses[0].Status).toBe('FAILED');
    expect(h.responses[0].Reason).toBe(
      "Create failed: schema 'sample-api' exists and is owned by 'someone-else', not 'sample-api': change its owner by hand or rename the service",
    );
    expect(db.executed).not.toContain('COMMIT');
    expect(db.executed).toContain('ROLLBACK');
    expect(db.writes()).toEqual([]);
  });

  it('E3 connects with TLS verified against the CA bundle (rejectUnauthorized, host name checked) as the secret user', async () => {
    const db = new FakeDatabase();
    const h = harness(db);
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.secretReads).toEqual([SECRET_ARN]);
    expect(h.connectConfigs).toEqual([
      expect.objectContaining({
        host: HOST,
        port: 5433,
        database: 'postgres',
        user: 'dbadmin',
        password: PASSWORD,
        ssl: {
          ca: '-----BEGIN CERTIFICATE-----\nsynthetic\n-----END CERTIFICATE-----\n',
          rejectUnauthorized: true,
          servername: HOST,
          minVersion: 'TLSv1.2',
        },
      }),
    ]);
  });
});

describe('db-users handler: Update', () => {
  it('A1 creates added users and removes LOGIN from removed ones, never dropping them or their schema', async () => {
    const db = new FakeDatabase();
    const h = harness(db);
    const handler = createHandler(h.deps);
    await handler(event('Create', ['sample-api', 'billing']), context);
    db.executed.length = 0;
    await handler(
      event('Update', ['sample-api', 'records'], {
        OldResourceProperties: { Users: ['sample-api', 'billing'], SecretArn: SECRET_ARN, Host: HOST, Port: '5433' },
      }),
      context,
    );
    expect(db.writes()).toEqual([
      'CREATE ROLE "records" WITH LOGIN',
      'GRANT rds_iam TO "records"',
      'GRANT "records" TO "dbadmin" WITH INHERIT FALSE, SET TRUE',
      'CREATE SCHEMA IF NOT EXISTS "records" AUTHORIZATION "records"',
      'REVOKE "records" FROM "dbadmin"',
      'ALTER ROLE "records" SET search_path = "records"',
      'ALTER ROLE "billing" WITH NOLOGIN',
    ]);
    expect(db.roles.get('billing')).toEqual({ canLogin: false, iam: true, config: ['search_path=billing'] });
    expect(db.schemas.get('billing')).toBe('billing');
    expect(h.responses[1]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'db-users-DatabaseUsers0001' });

    // Added back later: LOGIN again, its schema and data were kept.
    db.executed.length = 0;
    await handler(
      event('Update', ['sample-api', 'records', 'billing'], {
        OldResourceProperties: { Users: ['sample-api', 'records'] },
      }),
      context,
    );
    expect(db.writes()).toEqual(['ALTER ROLE "billing" WITH LOGIN']);
  });

  it('keeps the physical resource id CloudFormation sent (a new one would make it delete the old)', async () => {
    const h = harness(new FakeDatabase());
    await createHandler(h.deps)(event('Update', ['sample-api'], { PhysicalResourceId: 'db-users-original' }), context);
    expect(h.responses[0].PhysicalResourceId).toBe('db-users-original');
  });

  it('skips a removed name that would not validate today instead of quoting it', async () => {
    const db = new FakeDatabase();
    const h = harness(db);
    await createHandler(h.deps)(
      event('Update', ['sample-api'], {
        OldResourceProperties: { Users: ['sample-api', 'x"; DROP ROLE dbadmin; --'] },
      }),
      context,
    );
    expect(h.responses[0].Status).toBe('SUCCESS');
    expect(db.executed.join('\n')).not.toContain('DROP');
  });
});

describe('db-users handler: Delete', () => {
  it('I2 does nothing to the database (users, schemas and data retained) and reports success', async () => {
    const db = new FakeDatabase();
    const h = harness(db);
    // Even with properties that would not validate: a Delete must never block a stack deletion or rollback.
    await createHandler(h.deps)(event('Delete', 'not-a-list'), context);
    expect(h.secretReads).toEqual([]);
    expect(h.connectConfigs).toEqual([]);
    expect(db.executed).toEqual([]);
    expect(h.responses).toEqual([
      {
        Status: 'SUCCESS',
        Reason: 'Delete: nothing done; users, schemas and data are retained',
        PhysicalResourceId: 'db-users-DatabaseUsers0001',
        StackId: expect.stringMatching(/^arn:aws:cloudformation:/),
        RequestId: 'req-0001',
        LogicalResourceId: 'DatabaseUsers0001',
        NoEcho: false,
        Data: {},
      },
    ]);
  });
});

describe('db-users handler: identifier validation', () => {
  it.each([
    [['Sample_API'], "Users[0] = 'Sample_API': must be a service name"],
    [['sample-api', 'x"; DROP ROLE dbadmin; --'], `Users[1] = 'x"; DROP ROLE dbadmin; --': must be a service name`],
    [['a'], "Users[0] = 'a': must be a service name"],
    [['-api'], "Users[0] = '-api': must be a service name"],
    [['api--v2'], "Users[0] = 'api--v2': must be a service name"],
    [['rdsadmin'], "Users[0] = 'rdsadmin': is reserved by PostgreSQL or RDS"],
    [['public'], "Users[0] = 'public': is reserved by PostgreSQL or RDS"],
    [['pg-monitor'], "Users[0] = 'pg-monitor': is reserved by PostgreSQL or RDS"],
    [[42], 'Users[0] = 42: must be a service name'],
    [['api', 'api'], "Users: 'api' is listed twice"],
    [[], 'Users = []: must be a non-empty list'],
    ['sample-api', "Users = 'sample-api': must be a non-empty list of service names"],
  ])('refuses Users %j before touching the secret or the database', async (users, message) => {
    const db = new FakeDatabase();
    const h = harness(db);
    await createHandler(h.deps)(event('Create', users), context);
    expect(h.responses[0].Status).toBe('FAILED');
    expect(h.responses[0].Reason).toContain(`Create failed: ${message}`);
    expect(h.secretReads).toEqual([]);
    expect(db.executed).toEqual([]);
  });

  it.each([
    [{ SecretArn: 'arn:aws:s3:::bucket' }, "SecretArn = 'arn:aws:s3:::bucket': must be a Secrets Manager secret ARN"],
    [{ Host: 'db.example.com; rm -rf /' }, "Host = 'db.example.com; rm -rf /': must be a DNS name"],
    [{ Port: '5432x' }, "Port = '5432x': must be an integer from 1150 to 65535"],
    [{ Port: '80' }, "Port = '80': must be an integer from 1150 to 65535"],
    [{ DatabaseName: 'x;y' }, "DatabaseName = 'x;y': must be a letter"],
  ])('refuses property %j naming the field, the value and the rule', async (bad, message) => {
    const h = harness(new FakeDatabase());
    const e = event('Create', ['sample-api']);
    await createHandler(h.deps)({ ...e, ResourceProperties: { ...e.ResourceProperties, ...bad } }, context);
    expect(h.responses[0].Reason).toContain(message);
    expect(h.connectConfigs).toEqual([]);
  });

  it('the construct and the handler apply the same service-name rule', () => {
    // constructs/database-users.ts keeps its own copy (constructs import no lambda code).
    const construct = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,23}$/;
    expect(CONSTRUCT_RULE_PROBE.source).toBe(construct.source);
    const source = readFileSync(require.resolve('../../constructs/database-users'), 'utf8');
    expect(source).toContain(`const USER = /${construct.source}/;`);
    for (const name of ['sample-api', 'ab', 'x'.repeat(24)]) expect(serviceUserProblem(name)).toBeUndefined();
    for (const name of ['x'.repeat(25), 'a-', 'A1']) expect(serviceUserProblem(name)).toBeDefined();
  });

  it('refuses an unknown request type', async () => {
    const h = harness(new FakeDatabase());
    await createHandler(h.deps)({ ...event('Create', ['sample-api']), RequestType: 'Drop' }, context);
    expect(h.responses[0].Reason).toBe("Drop failed: RequestType = 'Drop': must be Create, Update or Delete");
  });

  it('refuses a master user that is also listed as a service user', async () => {
    const db = new FakeDatabase('dbadmin');
    const h = harness(db);
    await createHandler(h.deps)(event('Create', ['dbadmin']), context);
    expect(h.responses[0].Reason).toBe(
      "Create failed: user 'dbadmin' is the master user: a service must connect as its own user",
    );
    expect(db.writes()).toEqual([]);
  });
});

describe('db-users handler: failures are short, safe and never leak the password', () => {
  const leaks = (h: Harness): string => [...h.logs, ...h.responses.map((r) => JSON.stringify(r))].join('\n');

  it('a connection error quoting the password reports the step and the error code only', async () => {
    const db = new FakeDatabase();
    const error = Object.assign(new Error(`password authentication failed: ${PASSWORD}`), { code: '28P01' });
    const h = harness(db, {
      connect: async () => {
        throw error;
      },
    });
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.responses[0].Reason).toBe('Create failed: connect over verified TLS failed (28P01)');
    expect(leaks(h)).not.toContain(PASSWORD);
  });

  it('a TLS verification failure reports its code', async () => {
    const h = harness(new FakeDatabase(), {
      connect: async () => {
        throw Object.assign(new Error('self-signed certificate in certificate chain'), {
          code: 'SELF_SIGNED_CERT_IN_CHAIN',
        });
      },
    });
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.responses[0].Reason).toBe('Create failed: connect over verified TLS failed (SELF_SIGNED_CERT_IN_CHAIN)');
  });

  it('a failing statement is named by its label and SQLSTATE; the transaction rolls back, the connection closes', async () => {
    const db = new FakeDatabase();
    db.failOn = {
      sql: /^GRANT rds_iam/,
      error: Object.assign(new Error(`permission denied; connection password=${PASSWORD}`), { code: '42501' }),
    };
    const h = harness(db);
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.responses[0].Reason).toBe('Create failed: grant rds_iam to sample-api failed (42501)');
    expect(db.executed.slice(-1)).toEqual(['ROLLBACK']);
    expect(db.executed).not.toContain('COMMIT');
    expect(h.clients[0].ended).toBe(true);
    expect(leaks(h)).not.toContain(PASSWORD);
    expect(leaks(h)).not.toContain('permission denied');
  });

  it('a secret that is not JSON is reported without echoing it', async () => {
    const h = harness(new FakeDatabase(), { getSecretString: async () => `not-json ${PASSWORD}` });
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.responses[0].Reason).toBe('Create failed: master secret: SecretString is not JSON');
    expect(leaks(h)).not.toContain(PASSWORD);
  });

  it('a secret without a usable username or password is reported without its content', async () => {
    const noPassword = harness(new FakeDatabase(), {
      getSecretString: async () => JSON.stringify({ username: 'dbadmin', password: '' }),
    });
    await createHandler(noPassword.deps)(event('Create', ['sample-api']), context);
    expect(noPassword.responses[0].Reason).toBe('Create failed: master secret: password: must be a non-empty string');
    const badUser = harness(new FakeDatabase(), {
      getSecretString: async () => JSON.stringify({ username: 'x"y', password: PASSWORD }),
    });
    await createHandler(badUser.deps)(event('Create', ['sample-api']), context);
    expect(badUser.responses[0].Reason).toContain(`master secret: username = 'x"y': must be an RDS master user name`);
    expect(leaks(badUser)).not.toContain(PASSWORD);
  });

  it('a Secrets Manager error reports its name only', async () => {
    const h = harness(new FakeDatabase(), {
      getSecretString: async () => {
        throw Object.assign(new Error(`User arn:aws:sts::123456789012:assumed-role/x is not authorized`), {
          name: 'AccessDeniedException',
        });
      },
    });
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.responses[0].Reason).toBe('Create failed: read master secret failed (AccessDeniedException)');
  });

  it('the success reason and log lines name steps and users, never the password or the host secret', async () => {
    const h = harness(new FakeDatabase());
    await createHandler(h.deps)(event('Create', ['sample-api']), context);
    expect(h.responses[0].Reason).toBe(
      'Create: create extension pgaudit; audit master user dbadmin; create role sample-api; grant rds_iam to sample-api; allow dbadmin to set role sample-api; create schema sample-api; revoke set role sample-api from dbadmin; set search_path sample-api',
    );
    expect(h.responses[0].Data).toEqual({ Users: 'sample-api' });
    expect(leaks(h)).not.toContain(PASSWORD);
  });

  it('answers FAILED before the function times out when the database does not answer, and closes the connection', async () => {
    const db = new FakeDatabase();
    let closed = false;
    const h = harness(db, {
      connect: async () => ({
        query: (sql: string) => (sql === 'BEGIN' ? Promise.resolve({ rows: [] }) : new Promise(() => undefined)),
        end: async () => {
          closed = true;
        },
      }),
    });
    const started = Date.now();
    // 16 s left: the handler keeps a 15 s margin, so it must answer after about 1 s.
    await createHandler(h.deps)(event('Create', ['sample-api']), { getRemainingTimeInMillis: () => 16_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(h.responses[0]).toMatchObject({ Status: 'FAILED', Reason: 'Create failed: timed out after 1 s' });
    expect(closed).toBe(true);
  });

  it('throws (so Lambda retries the idempotent work) when the response cannot be delivered', async () => {
    const h = harness(new FakeDatabase(), {
      send: async () => {
        throw Object.assign(new Error('connect ETIMEDOUT 52.216.0.1:443'), { code: 'ETIMEDOUT' });
      },
    });
    await expect(createHandler(h.deps)(event('Delete', []), context)).rejects.toThrow(
      'response not delivered (ETIMEDOUT)',
    );
  });

  it('refuses an event whose ResponseURL is not an https amazonaws.com URL, doing nothing', async () => {
    const db = new FakeDatabase();
    const h = harness(db);
    await expect(
      createHandler(h.deps)({ ...event('Create', ['sample-api']), ResponseURL: 'http://attacker.example/x' }, context),
    ).rejects.toThrow('ResponseURL: must be an https URL on an amazonaws.com host');
    expect(h.responses).toEqual([]);
    expect(h.secretReads).toEqual([]);
  });
});

/** A PostgreSQL-like server: answers the SSLRequest with 'S', then does a TLS handshake, then hangs up. */
async function fakeTlsPostgres(
  key: string,
  cert: string,
): Promise<{ server: Server; port: number; handshakes: () => number }> {
  let handshakes = 0;
  const server = createServer((socket: Socket) => {
    socket.once('data', () => {
      socket.write('S');
      const tls = new TLSSocket(socket, { isServer: true, key, cert });
      tls.on('secure', () => {
        handshakes += 1;
        tls.destroy();
      });
      tls.on('error', () => socket.destroy());
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, handshakes: () => handshakes };
}

/**
 * A self-signed certificate naming `dnsName`, its own CA. An EC P-256 key (nothing in db-users depends on the key
 * type; an RSA-2048 key takes about 150 ms of CPU to generate, this about 8 ms), signed with SHA-256.
 */
async function certificate(dnsName: string): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: dnsName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: dnsName }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

describe('db-users connection: TLS is verified for real (postgres.js client against a TLS server)', () => {
  let trusted: { key: string; cert: string };
  let impostor: { key: string; cert: string };
  let wrongName: { key: string; cert: string };
  beforeAll(async () => {
    [trusted, impostor, wrongName] = await Promise.all([
      certificate('localhost'),
      certificate('localhost'),
      certificate('other.example'),
    ]);
  });

  async function tryConnect(
    serverCert: { key: string; cert: string },
    ca: string,
  ): Promise<{ code: string; handshakes: number }> {
    const fake = await fakeTlsPostgres(serverCert.key, serverCert.cert);
    try {
      const config = connectionConfig(
        { users: ['sample-api'], secretArn: SECRET_ARN, host: 'localhost', port: fake.port, databaseName: 'postgres' },
        { username: 'dbadmin', password: PASSWORD },
        ca,
      );
      const error = await connectPg({ ...config, connectionTimeoutMillis: 500 }).then(
        () => undefined,
        (err: { code?: string; message: string }) => err,
      );
      return { code: error?.code ?? error?.message ?? 'connected', handshakes: fake.handshakes() };
    } finally {
      fake.server.close();
    }
  }

  it('E3 a server certificate from another CA is refused before any credential is sent', async () => {
    const result = await tryConnect(impostor, trusted.cert);
    expect(result.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(result.handshakes).toBe(0);
  });

  it('E3 a certificate for another host name is refused', async () => {
    const result = await tryConnect(wrongName, wrongName.cert);
    expect(result.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('E3 the certificate the CA bundle vouches for, for this host, completes the handshake', async () => {
    const result = await tryConnect(trusted, trusted.cert);
    // Verified, then the fake server hangs up before authentication: the client waits for a session (it redials,
    // each time verifying again) until its connection timeout, or, on a loaded machine, gives up on the hang-up itself
    // (ECONNRESET, seen with three Jest workers on two cores). Either comes after a completed handshake; a refused
    // certificate ends with its own code (the tests above) and no handshake.
    expect(result.handshakes).toBeGreaterThanOrEqual(1);
    expect(['CONNECT_TIMEOUT', 'ECONNRESET']).toContain(result.code);
  });
});

describe('db-users response: the PUT CloudFormation reads', () => {
  let tls: { key: string; cert: string };
  const caBefore = globalAgent.options.ca;
  beforeAll(async () => {
    tls = await certificate('localhost');
    globalAgent.options.ca = tls.cert; // trust the test server for this file's requests only
  });
  // Test files share a process (jest-light-runner): the next file's requests must not trust it.
  afterAll(() => {
    if (caBefore === undefined) delete globalAgent.options.ca;
    else globalAgent.options.ca = caBefore;
  });

  async function serve(status: number): Promise<{
    url: string;
    received: Promise<{ method?: string; headers: Record<string, unknown>; body: string }>;
    close: () => void;
  }> {
    let resolveReceived: (v: { method?: string; headers: Record<string, unknown>; body: string }) => void = () =>
      undefined;
    const received = new Promise<{ method?: string; headers: Record<string, unknown>; body: string }>(
      (r) => (resolveReceived = r),
    );
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        resolveReceived({ method: req.method, headers: req.headers, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return { url: `https://localhost:${port}/stack-response?X-Amz-Signature=0`, received, close: () => server.close() };
  }

  const body: CustomResourceResponse = {
    Status: 'SUCCESS',
    Reason: 'Create: nothing to do',
    PhysicalResourceId: 'db-users-DatabaseUsers0001',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/0',
    RequestId: 'req-0001',
    LogicalResourceId: 'DatabaseUsers0001',
    NoEcho: false,
    Data: { Users: 'sample-api' },
  };

  it('PUTs the JSON body with an empty content type (the URL is signed without one)', async () => {
    const s = await serve(200);
    try {
      await sendResponse(s.url, body);
      const got = await s.received;
      expect(got.method).toBe('PUT');
      expect(got.headers['content-type']).toBe('');
      expect(got.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(body))));
      expect(JSON.parse(got.body)).toEqual(body);
    } finally {
      s.close();
    }
  });

  it('rejects when S3 does not answer 200', async () => {
    const s = await serve(403);
    try {
      await expect(sendResponse(s.url, body)).rejects.toThrow('response PUT answered HTTP 403');
    } finally {
      s.close();
    }
  });
});
