/**
 * Whether an RDS parameter group or database of a template is PostgreSQL, read in every string form its Family or
 * Engine may take (core/string-forms): only a value that is surely something else (every form a literal naming no
 * PostgreSQL) is not. A join of literals (`postgres` + `16`), a condition with a PostgreSQL branch, a parameter or an
 * import may deploy as PostgreSQL: the PostgreSQL rules judge it. Pure: no CDK.
 */
import { stringForms, UNKNOWN_PART } from './string-forms';
import { cfnAlternatives, Json, localTarget, TemplateJson } from './template-json';

const POSTGRES = /postgres/i;
/** The properties by which a database names its parameter groups (an instance's; a cluster's, and its instances'). */
const GROUP_REFERENCES: readonly string[] = [
  'DBParameterGroupName',
  'DBClusterParameterGroupName',
  'DBInstanceParameterGroupName',
];

/**
 * Whether a Family or Engine value (of `template`) may be PostgreSQL when deployed: any form naming postgres, any
 * form with a part only deploy knows, a value too large to read whole, or no value at all (CloudFormation requires a
 * Family; a database without an Engine is restored or replicated from one the template does not show).
 */
export function mayBePostgres(value: unknown, template: TemplateJson): boolean {
  return cfnAlternatives(value).some((v) => {
    if (v === undefined) return true;
    const { forms, complete } = stringForms(v, template);
    return !complete || forms.some((f) => f.includes(UNKNOWN_PART) || POSTGRES.test(f));
  });
}

/**
 * Whether a parameter group is judged as PostgreSQL's: its `family` may be PostgreSQL (mayBePostgres), or one of
 * `databases` (the Properties of the DB instances and clusters of its template) that may be PostgreSQL names the group
 * `logicalId` (in any branch of a condition), whatever its Family says.
 */
export function isPostgresParameterGroup(
  family: unknown,
  logicalId: string,
  databases: readonly Json[],
  template: TemplateJson,
): boolean {
  if (mayBePostgres(family, template)) return true;
  return databases.some(
    (db) =>
      mayBePostgres(db.Engine, template) &&
      GROUP_REFERENCES.some((p) => cfnAlternatives(db[p]).some((v) => localTarget(v) === logicalId)),
  );
}
