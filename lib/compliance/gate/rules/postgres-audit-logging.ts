import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { isPostgresGroup } from './rds-force-ssl';
import { templateProperties } from './template-properties';

const GROUPS = ['AWS::RDS::DBParameterGroup', 'AWS::RDS::DBClusterParameterGroup'];

/** A parameter's value as PostgreSQL reads it: lower case, without spaces; undefined when unset or not a literal. */
function valueOf(parameters: Record<string, unknown>, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value).toLowerCase().replace(/\s+/g, '')
    : undefined;
}

/** A comma-separated list parameter's entries. */
const listOf = (value: string | undefined): string[] => (value ?? '').split(',').filter((v) => v !== '');

const ON = ['1', 'on', 'true', 'yes'];
const OFF = ['0', 'off', 'false', 'no'];

/**
 * What each parameter must be, and why: the audit the database keeps (U1) without statement text, whose literals are
 * PHI, in its logs (U4). The gate's own list (not read from the construct): a fork that edits the construct's
 * parameters meets it unchanged.
 */
const EXPECTED: readonly {
  name: string;
  ok: (v: string | undefined) => boolean;
  /** Unset is fine: the engine's default is what the rule requires. Set, the value is judged (unresolved fails). */
  unsetOk?: true;
}[] = [
  // U1: pgaudit loaded, and logging DDL and role changes; nothing that logs reads, writes or function calls (their
  // statement text holds the values written and searched for), and never the statements' parameters. U4: not
  // auto_explain, which logs the text (and on PostgreSQL 16 the bind parameters) of every statement it explains.
  {
    name: 'shared_preload_libraries',
    ok: (v) => listOf(v).includes('pgaudit') && !listOf(v).includes('auto_explain'),
  },
  { name: 'session_preload_libraries', ok: (v) => !listOf(v).includes('auto_explain'), unsetOk: true },
  { name: 'auto_explain.log_min_duration', ok: (v) => v === '-1', unsetOk: true },
  {
    name: 'pgaudit.log',
    ok: (v) => {
      const classes = listOf(v);
      return classes.includes('ddl') && classes.includes('role') && classes.every((c) => ['ddl', 'role'].includes(c));
    },
  },
  { name: 'pgaudit.log_parameter', ok: (v) => v !== undefined && OFF.includes(v) },
  // U1: pgaudit's lines at LOG (its default), and the server keeping LOG lines: log_min_messages FATAL or PANIC drops
  // every audit line and every connection line (found by the attacker review of 2026-12-03), a lower pgaudit level
  // (DEBUG, INFO, NOTICE) falls below the server's default WARNING.
  { name: 'pgaudit.log_level', ok: (v) => v === 'log', unsetOk: true },
  // Nor lower than WARNING: at DEBUG2 the server logs every extended-protocol statement's text (the second review).
  { name: 'log_min_messages', ok: (v) => v !== undefined && ['warning', 'error', 'log'].includes(v), unsetOk: true },
  // U1: every connection and disconnection logged (who reached the PHI database, when).
  { name: 'log_connections', ok: (v) => v !== undefined && ON.includes(v) },
  { name: 'log_disconnections', ok: (v) => v !== undefined && ON.includes(v) },
  // U4: PostgreSQL's own statement logging off (`ddl` logs what pgaudit logs already); no failing statement's text
  // (the default, ERROR, logs a failed INSERT's literals); no DETAIL lines with values; no slow statement's text.
  { name: 'log_statement', ok: (v) => v === 'none' || v === 'ddl' },
  { name: 'log_min_error_statement', ok: (v) => v === 'panic' },
  { name: 'log_error_verbosity', ok: (v) => v === 'terse' },
  { name: 'log_min_duration_statement', ok: (v) => v === '-1' },
  // U4: no sampled statement's text (PostgreSQL 13 and later: slow statements sampled, or every statement of sampled
  // transactions), and no parse, rewrite or plan trees (they hold the statements' constants) at LOG level.
  { name: 'log_min_duration_sample', ok: (v) => v === '-1', unsetOk: true },
  { name: 'log_transaction_sample_rate', ok: (v) => v !== undefined && Number(v) === 0, unsetOk: true },
  ...['debug_print_parse', 'debug_print_rewritten', 'debug_print_plan'].map((name) => ({
    name,
    ok: (v: string | undefined) => v !== undefined && OFF.includes(v),
    unsetOk: true as const,
  })),
];

/**
 * U1 U4: a PostgreSQL parameter group (instance or cluster) audits connections and DDL and role changes with pgaudit,
 * and logs no statement text: pgaudit without read, write or function classes and without parameters, its lines kept
 * (pgaudit at LOG, the server not above ERROR), PostgreSQL's statement logging off, no failing, slow or sampled
 * statement's text, no auto_explain, no parse or plan trees, terse errors. Every PostgreSQL database references such
 * a group of its own stack (RdsForceSsl requires the reference, which this rule's groups then answer for).
 * A parameter unset, or set to what deploy resolves, is a finding: the engine defaults log failing statements. A group
 * is PostgreSQL's unless its Family is, in every string form, a literal naming another engine (a join, a condition, a
 * parameter may deploy as `postgres16`), and a group a PostgreSQL database names is judged whatever its Family says
 * (core/postgres-family, RdsForceSsl's isPostgresGroup).
 */
export function PostgresAuditLogging(node: CfnResource): NagRuleResult {
  if (!GROUPS.includes(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
  if (!isPostgresGroup(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const properties = templateProperties(node);
  const parameters = (
    typeof properties.Parameters === 'object' && properties.Parameters !== null ? properties.Parameters : {}
  ) as Record<string, unknown>;
  const findings = EXPECTED.filter(
    (e) => !(e.unsetOk && parameters[e.name] === undefined) && !e.ok(valueOf(parameters, e.name)),
  ).map(
    (e) => `${e.name}::${valueOf(parameters, e.name) ?? (parameters[e.name] === undefined ? 'unset' : 'unresolved')}`,
  );
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
