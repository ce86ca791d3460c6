/**
 * Database identifiers the provisioner may touch, checked again inside the function (the template
 * could have been edited by hand): service users are lower-kebab names as in config.services[], the
 * master user is an RDS master user name. Every identifier is double-quoted in SQL, but only after it
 * passed these checks, so quoting never has to neutralise anything.
 */

/** A service name: lower-case kebab, starting with a letter, 2-24 characters (config SERVICE_NAME). */
export const SERVICE_USER = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,23}$/;

/** An RDS master user name: a letter, then letters, digits or '_', 1-63 characters. */
export const MASTER_USER = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * Names PostgreSQL or RDS reserve, or that belong to RDS itself: never a service user, even if they
 * match SERVICE_USER (`public` and `none` cannot be role names; rdsadmin & co. are RDS's own roles).
 */
export const RESERVED_USERS: readonly string[] = ['public', 'none', 'postgres'];
/** Prefixes of roles RDS and PostgreSQL own (rdsadmin, rdsrepladmin, rds_iam, pg_*). */
export const RESERVED_USER_PREFIXES: readonly string[] = ['rds', 'pg'];

/** Why `name` cannot be a service user, or undefined when it can. Never echoes more than 64 characters. */
export function serviceUserProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !SERVICE_USER.test(name)) {
    return `${show(name)}: must be a service name (lower-case letters, digits and single dashes, starting with a letter, 2-24 characters)`;
  }
  if (RESERVED_USERS.includes(name) || RESERVED_USER_PREFIXES.some((p) => name.startsWith(p))) {
    return `'${name}': is reserved by PostgreSQL or RDS (${RESERVED_USERS.join(', ')}, or starting with ${RESERVED_USER_PREFIXES.join(' or ')})`;
  }
  return undefined;
}

/** `"name"` for SQL. Only for names that passed serviceUserProblem or MASTER_USER; throws otherwise. */
export function quoteIdent(name: string): string {
  if (!SERVICE_USER.test(name) && !MASTER_USER.test(name)) {
    throw new Error(`quoteIdent: ${show(name)} is not a validated identifier`);
  }
  return `"${name}"`;
}

/** A value for an error message: quoted, at most 64 characters, control characters removed. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  const cut = clean.length > 64 ? `${clean.slice(0, 61)}...` : clean;
  return typeof value === 'string' ? `'${cut}'` : cut;
}
