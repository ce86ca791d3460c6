/**
 * Decide: what the database must be told, from what it already has. Pure: the same desired state and
 * observed state always give the same statements, and a database that already has everything gets
 * none (idempotence: a second Create is a no-op).
 *
 * Per service user (A1, A3): a role with LOGIN and no password, a member of rds_iam (IAM database
 * authentication only), owning a schema of its own name, with search_path set to that schema. Nothing
 * else is granted. A user removed from the list loses LOGIN and keeps its schema and data (never DROP).
 * The master user's reads, writes, DDL and role changes are audited by pgaudit (session audit for the
 * privileged role; object-level audit of PHI tables is the application's choice).
 */
import { quoteIdent } from './identifiers';

/** pgaudit classes logged for the master (privileged) role. */
export const MASTER_AUDIT_CLASSES = 'read, write, ddl, role';

/** Observed: one role, as pg_roles shows it. */
export interface ObservedRole {
  readonly name: string;
  readonly canLogin: boolean;
  /** Member of rds_iam (directly). */
  readonly iam: boolean;
  /** Its role-wide settings (pg_roles.rolconfig), e.g. ['search_path="sample-api"']. */
  readonly config: readonly string[];
}

/** Observed: what the database has of what the provisioner manages. */
export interface ObservedState {
  readonly pgauditInstalled: boolean;
  /** The roles named in the request (desired, removed and master) that exist. */
  readonly roles: readonly ObservedRole[];
  /** Schema name -> owner name, for the schemas named like the desired users that exist. */
  readonly schemaOwners: Readonly<Record<string, string>>;
}

/** One statement, with a label safe to log and to report (identifiers only, never values). */
export interface PlannedStatement {
  readonly label: string;
  readonly sql: string;
}

/** What the database must be told. */
export interface Plan {
  readonly statements: readonly PlannedStatement[];
}

/** Thrown when the database holds something the provisioner must not overwrite; safe to report. */
export class PlanConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanConflict';
  }
}

/** The value of `setting` in a role's config, unquoted (PostgreSQL quotes list values it must). */
function settingOf(config: readonly string[], setting: string): string | undefined {
  const entry = config.find((c) => c.startsWith(`${setting}=`));
  if (entry === undefined) return undefined;
  const value = entry.slice(setting.length + 1);
  return /^"[^"]*"$/.test(value) ? value.slice(1, -1) : value;
}

/**
 * The statements that bring the database from `observed` to the desired state.
 * @param users the service users that must exist and log in
 * @param removedUsers users dropped from the list since the last run: LOGIN is removed, nothing else
 * @param masterUser the master user (audited with MASTER_AUDIT_CLASSES)
 * @throws PlanConflict when a schema of a service's name is owned by another role
 */
export function planStatements(
  users: readonly string[],
  removedUsers: readonly string[],
  masterUser: string,
  observed: ObservedState,
): Plan {
  const statements: PlannedStatement[] = [];
  const add = (label: string, sql: string): void => {
    statements.push({ label, sql });
  };
  const role = (name: string): ObservedRole | undefined => observed.roles.find((r) => r.name === name);

  if (!observed.pgauditInstalled) add('create extension pgaudit', 'CREATE EXTENSION IF NOT EXISTS pgaudit');

  const master = role(masterUser);
  if (settingOf(master?.config ?? [], 'pgaudit.log') !== MASTER_AUDIT_CLASSES) {
    add(
      `audit master user ${masterUser}`,
      `ALTER ROLE ${quoteIdent(masterUser)} SET pgaudit.log = '${MASTER_AUDIT_CLASSES}'`,
    );
  }

  for (const user of users) {
    if (user === masterUser) {
      throw new PlanConflict(`user '${user}' is the master user: a service must connect as its own user`);
    }
    const q = quoteIdent(user);
    const existing = role(user);
    if (existing === undefined) add(`create role ${user}`, `CREATE ROLE ${q} WITH LOGIN`);
    else if (!existing.canLogin) add(`allow login ${user}`, `ALTER ROLE ${q} WITH LOGIN`);
    if (!existing?.iam) add(`grant rds_iam to ${user}`, `GRANT rds_iam TO ${q}`);
    const owner = observed.schemaOwners[user];
    if (owner === undefined) {
      // PostgreSQL 16+: creating a schema for another role needs SET on that role, which the RDS
      // master (rds_superuser, not a superuser) lacks: CREATE ROLE gives it ADMIN only. Granted for
      // this statement and revoked after (REVOKE removes the grant the master made, not its ADMIN).
      const m = quoteIdent(masterUser);
      add(`allow ${masterUser} to set role ${user}`, `GRANT ${q} TO ${m} WITH INHERIT FALSE, SET TRUE`);
      add(`create schema ${user}`, `CREATE SCHEMA IF NOT EXISTS ${q} AUTHORIZATION ${q}`);
      add(`revoke set role ${user} from ${masterUser}`, `REVOKE ${q} FROM ${m}`);
    } else if (owner !== user) {
      throw new PlanConflict(
        `schema '${user}' exists and is owned by '${owner}', not '${user}': change its owner by hand or rename the service`,
      );
    }
    if (settingOf(existing?.config ?? [], 'search_path') !== user) {
      add(`set search_path ${user}`, `ALTER ROLE ${q} SET search_path = ${q}`);
    }
  }

  for (const user of removedUsers) {
    if (users.includes(user) || user === masterUser) continue;
    if (role(user)?.canLogin) add(`disable login ${user}`, `ALTER ROLE ${quoteIdent(user)} WITH NOLOGIN`);
  }
  return { statements };
}
