/**
 * IAM policy statements as the template holds them, read as AWS evaluates them: wildcard action matching, which
 * condition operators require a key to be present and to match (positive) or to differ (negated), and whether a
 * bucket policy statement covers a bucket or its objects. Pure JSON: the core of the gate's policy reading, shared by
 * the rules (rules/policy-statements.ts re-exports it) and the PHI shapes (core/phi-shapes.ts).
 */
import { duplicateKeyOf } from './json-text';
import { isIntrinsic, isObject } from './template-json';

/** A policy statement as the template holds it. */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A policy document as the gate reads it: its statements, and why it cannot be read whole when it cannot. */
export interface PolicyDocumentReading {
  /** The statements read (all of them when `unreadable` is undefined). */
  readonly statements: PolicyStatementJson[];
  /** Why part or all of the document only deploy resolves, or is not a policy: undefined when it was read whole. */
  readonly unreadable?: string;
}

/** What parsedPolicyDocument returns for a string that is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/**
 * A policy document property's value as the service reads it: a string (CloudFormation passes the JSON on as text)
 * parsed, NOT_JSON when it does not parse, anything else as it is.
 */
export function parsedPolicyDocument(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** The elements of a policy document (the IAM policy grammar). */
const POLICY_KEYS = ['Version', 'Id', 'Statement'];

/**
 * A policy document (a key policy, an endpoint policy, a bucket policy) as CloudFormation hands it to the service: an
 * object, or the same JSON written as a string, which CloudFormation passes on as text and the service parses (read
 * here the same way). It cannot be read whole when written with an intrinsic function (`Fn::Sub` of the JSON with
 * variables, `Fn::Join`, `Fn::If`: only deploy resolves it), when the string is not a JSON object, when it has no
 * Statement or an element the policy grammar lacks, when its Statement or a statement is an intrinsic, when a
 * statement's Effect or actions are not written out (`Fn::Select` of "Allow"), or when its whole Principal, Resource or
 * Condition is an intrinsic, or when the string repeats a key in an object (which of the two the service reads is not
 * documented). A rule that limits what a policy grants must count such a document as a finding: its statements may grant
 * anything (found by the attacker review of 2026-12-03: the PHI key's policy and the PHI VPC's endpoint policies
 * written as strings passed the gate with `kms:*` and `*` granted).
 */
export function readPolicyDocument(document: unknown): PolicyDocumentReading {
  const value = parsedPolicyDocument(document);
  if (value === NOT_JSON) return { statements: [], unreadable: 'not-json' };
  if (!isObject(value)) return { statements: [], unreadable: 'not-an-object' };
  if (isIntrinsic(value)) return { statements: [], unreadable: 'only-deploy-resolves' };
  // A string with a key twice says two things (`"Effect": "Deny"` then `"Allow"`): the gate would read the last.
  if (typeof document === 'string' && duplicateKeyOf(document) !== undefined) {
    return { statements: [], unreadable: 'duplicate-key' };
  }
  // Only the policy grammar's elements: another key (`statement`) is one the gate would not read and the service may.
  if (Object.keys(value).some((k) => !POLICY_KEYS.includes(k)))
    return { statements: [], unreadable: 'unknown-element' };
  if (value.Statement === undefined) return { statements: [], unreadable: 'no-statement' };
  if (isIntrinsic(value.Statement)) return { statements: [], unreadable: 'statement-only-deploy-resolves' };
  const statements: PolicyStatementJson[] = [];
  let unreadable: string | undefined;
  for (const s of entries(value.Statement)) {
    const readable =
      isObject(s) &&
      !isIntrinsic(s) &&
      (s.Effect === 'Allow' || s.Effect === 'Deny') &&
      [s.Action, s.NotAction].every((a) => entries(a).every((x) => typeof x === 'string')) &&
      // Whom and what it names, and when: a whole element only deploy resolves (`Fn::If` of "*") may be anyone,
      // anything, always (the second review of 2026-12-03: such a Principal took over the operations key).
      [s.Principal, s.NotPrincipal, s.Resource, s.NotResource, s.Condition].every((e) => !isIntrinsic(e));
    if (readable) statements.push(s as PolicyStatementJson);
    else unreadable ??= 'statement-only-deploy-resolves';
  }
  return { statements, unreadable };
}

/** The entries of a policy element that may be one value or a list. */
export function entries(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The expressions of the wildcard patterns seen, by case flag and pattern: the rules match the same few patterns
 * (a policy's actions) against many values, and building one took most of wildcardMatches's time. Emptied when it
 * holds WILDCARDS_LIMIT (patterns come from the templates checked; a long-lived process checks many).
 */
const WILDCARDS = new Map<string, RegExp>();
const WILDCARDS_LIMIT = 10_000;

/** Whether an IAM wildcard pattern (`*` any run of characters, `?` one) matches all of `value`. */
export function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : '-'}${pattern}`;
  let expression = WILDCARDS.get(key);
  if (expression === undefined) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    if (WILDCARDS.size >= WILDCARDS_LIMIT) WILDCARDS.clear();
    // Neither global nor sticky: test() keeps no state between values.
    expression = new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
    WILDCARDS.set(key, expression);
  }
  return expression.test(value);
}

/** Whether an IAM action pattern (`*` and `?`, case-insensitive) matches `action`; a non-string matches all. */
export function actionMatches(pattern: unknown, action: string): boolean {
  return typeof pattern !== 'string' || wildcardMatches(pattern, action, true);
}

/**
 * Whether the statement's Action covers `action` (NotAction covers everything it does not list). An entry only deploy
 * resolves (a template token) may be any action: `surely` counts it as covering nothing in Action and everything in
 * NotAction (what a deny or a required grant must be read as), `possibly` the other way round (what a limit on grants
 * must be read as).
 */
export function statementCovers(
  statement: PolicyStatementJson,
  action: string,
  certainty: 'surely' | 'possibly',
): boolean {
  const matches = (p: unknown, unknown: boolean): boolean =>
    typeof p === 'string' ? actionMatches(p, action) : unknown;
  if (statement.NotAction !== undefined) {
    return !entries(statement.NotAction).some((p) => matches(p, certainty === 'surely'));
  }
  return entries(statement.Action).some((p) => matches(p, certainty === 'possibly'));
}

/** Whether a Principal element is everyone (`*` or `{"AWS": "*"}`). */
export function isAnyPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return entries((principal as { AWS?: unknown }).AWS).includes('*');
}

/** Operators that require the key to be present and to match one of the values (IfExists variants excluded). */
const POSITIVE = ['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike'];
/** Operators that hold when the key differs from every value, or is absent (IfExists variants excluded). */
const NEGATED = ['stringnotequals', 'stringnotequalsignorecase', 'stringnotlike', 'arnnotequals', 'arnnotlike'];

/**
 * The values a condition compares `key` with under positive (`'positive'`) or negated (`'negated'`) operators,
 * or undefined when no such operator names the key. Key names compare case-insensitively, like IAM.
 */
export function conditionValues(
  condition: PolicyStatementJson['Condition'],
  key: string,
  kind: 'positive' | 'negated',
): unknown[] | undefined {
  const operators = kind === 'positive' ? POSITIVE : NEGATED;
  let found: unknown[] | undefined;
  for (const [operator, block] of Object.entries(condition ?? {})) {
    if (!operators.includes(operator.toLowerCase()) || typeof block !== 'object' || block === null) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() === key.toLowerCase()) found = [...(found ?? []), ...entries(v)];
    }
  }
  return found;
}

/** Every condition key the statement tests, lower case. */
export function conditionKeys(condition: PolicyStatementJson['Condition']): string[] {
  return Object.values(condition ?? {}).flatMap((block) =>
    typeof block === 'object' && block !== null ? Object.keys(block).map((k) => k.toLowerCase()) : [],
  );
}

/**
 * Whether every value names one exact principal or resource: no `*` or `?` anywhere (tokens as JSON), and no policy
 * variable (`${aws:PrincipalArn}` names whoever asks).
 */
export function exactValues(values: readonly unknown[]): boolean {
  return values.length > 0 && values.every((v) => !/[*?]|\$\{/.test(typeof v === 'string' ? v : JSON.stringify(v)));
}

/**
 * Whether the statement's Condition consists only of `key` under `kind` operators with exact values: the shape
 * of a deny with named exceptions (negated) or of an allow for named principals (positive).
 */
export function onlyExactCondition(statement: PolicyStatementJson, key: string, kind: 'positive' | 'negated'): boolean {
  const values = conditionValues(statement.Condition, key, kind);
  const keys = conditionKeys(statement.Condition);
  return (
    values !== undefined &&
    exactValues(values) &&
    keys.every((k) => k === key.toLowerCase()) &&
    operatorsAre(statement.Condition, kind)
  );
}

/**
 * Whether every operator of the condition is a `kind` operator: another operator on the same key (`Null`, its
 * positive or `IfExists` counterpart) narrows the deny, to nothing for some values.
 */
export function operatorsAre(condition: PolicyStatementJson['Condition'], kind: 'positive' | 'negated'): boolean {
  return Object.keys(condition ?? {}).every((operator) => operatorKind(operator) === kind);
}

/** Whether `operator` tests that a key matches (positive), that it differs or is absent (negated), or neither. */
export function operatorKind(operator: string): 'positive' | 'negated' | undefined {
  const lower = operator.toLowerCase();
  return POSITIVE.includes(lower) ? 'positive' : NEGATED.includes(lower) ? 'negated' : undefined;
}

/** What a bucket policy statement must cover: the bucket itself, or every object of it. */
export type BucketScope = 'bucket' | 'objects';

/** Escapes a logical id for a regular expression (logical ids are alphanumeric; escaped all the same). */
const escaped = (id: string): string => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A Resource entry written with intrinsics, as the one `Fn::Sub` string it is: `Fn::Sub` of a string (no variable
 * map), `Ref` and `Fn::GetAtt [<id>, Arn]`, or `Fn::Join` with an empty delimiter of literals without `$` and those
 * two references (`Ref` of `AWS::Partition` included); undefined for any other form (a variable map, another
 * attribute, a nested join or substitution, a literal `$` that would read as a variable here but deploys as text).
 */
function asSubstitution(resource: unknown, inJoin = false): string | undefined {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return undefined;
  const fields = Object.entries(resource);
  if (fields.length !== 1) return undefined;
  const [fn, args] = fields[0]!;
  if (fn === 'Ref') return typeof args === 'string' ? `\${${args}}` : undefined;
  if (fn === 'Fn::GetAtt') {
    return Array.isArray(args) && typeof args[0] === 'string' && args[1] === 'Arn' ? `\${${args[0]}.Arn}` : undefined;
  }
  if (inJoin) return undefined;
  if (fn === 'Fn::Sub') return typeof args === 'string' ? args : undefined;
  if (fn !== 'Fn::Join' || !Array.isArray(args) || args[0] !== '' || !Array.isArray(args[1])) return undefined;
  let joined = '';
  for (const part of args[1] as unknown[]) {
    const piece = typeof part === 'string' ? (part.includes('$') ? undefined : part) : asSubstitution(part, true);
    if (piece === undefined) return undefined;
    joined += piece;
  }
  return joined;
}

/**
 * Whether a Resource entry of the policy of bucket `bucketId` (its logical id) covers the whole bucket (`bucket`) or
 * every object (`objects`): `*`; the bucket's ARN as a literal `arn:<partition>:s3:::<name>` (S3 refuses a policy
 * whose Resource is another bucket); or as a reference to THIS bucket: CDK's `Fn::GetAtt [<bucket>, Arn]`, `Fn::Join`
 * of `arn:`, `AWS::Partition` and `:s3:::` with `Ref` of the bucket, `Fn::Sub` of `arn:${AWS::Partition}:s3:::${Bucket}`
 * or `${Bucket.Arn}`; or that ARN with `/*`. A reference to any other resource does not count (a log group's name may
 * hold `<bucket>/<prefix>`), nor does a narrower entry (a prefix of keys): a deny limited to a prefix leaves the rest open.
 */
export function resourceCovers(resource: unknown, scope: BucketScope, bucketId: string): boolean {
  if (resource === '*') return true;
  if (typeof resource === 'string') {
    // A bucket name has no `$`: `${...}` is a policy variable, which names whatever the request makes it.
    return scope === 'bucket'
      ? /^arn:[^:]+:s3:::[^/*?$]+$/.test(resource)
      : /^arn:[^:]+:s3:::[^/*?$]+\/\*$/.test(resource);
  }
  const substituted = asSubstitution(resource);
  if (substituted === undefined) return false;
  const id = escaped(bucketId);
  const arn = new RegExp(
    `^(?:arn:(?:[a-z-]+|\\$\\{AWS::Partition\\}):s3:::\\$\\{${id}\\}|\\$\\{${id}\\.Arn\\})(/\\*)?$`,
  ).exec(substituted);
  return arn !== null && (arn[1] === undefined) === (scope === 'bucket');
}

/**
 * Whether some Deny statement for everyone covers every one of `actions` on the whole `scope` and passes
 * `conditionOk` (which sees the statement; e.g. no condition at all, or only a named exception).
 */
export function deniesToEveryone(
  statements: readonly PolicyStatementJson[],
  actions: readonly string[],
  scope: BucketScope,
  conditionOk: (statement: PolicyStatementJson) => boolean,
  bucketId: string,
): boolean {
  return actions.every((action) =>
    statements.some(
      (s) =>
        s.Effect === 'Deny' &&
        s.NotPrincipal === undefined &&
        // IAM refuses Resource with NotResource; a policy that has both does not deploy as the rule reads it.
        s.NotResource === undefined &&
        isAnyPrincipal(s.Principal) &&
        statementCovers(s, action, 'surely') &&
        entries(s.Resource).some((r) => resourceCovers(r, scope, bucketId)) &&
        conditionOk(s),
    ),
  );
}

/** Condition test for an unconditional deny. */
export const unconditional = (s: PolicyStatementJson): boolean => conditionKeys(s.Condition).length === 0;

/**
 * What a request is known to carry, by condition key (lower case): its values, or `null` when the key is surely absent
 * from the request context. A key the map does not hold is unknown.
 */
export type RequestContext = Readonly<Record<string, readonly string[] | null>>;

/** How one condition operator compares a request value with a policy value (undefined: an operator not read here). */
function comparison(base: string): ((actual: string, expected: string) => boolean) | undefined {
  switch (base) {
    case 'bool':
    case 'stringequalsignorecase':
      return (a, e) => a.toLowerCase() === e.toLowerCase();
    case 'stringequals':
    case 'arnequals':
      return (a, e) => a === e;
    case 'stringlike':
    case 'arnlike':
      return (a, e) => wildcardMatches(e, a, false);
    default:
      return undefined;
  }
}

/**
 * Whether a statement's Condition surely does not hold for a request with `context` (so the statement does not apply
 * to it): some block's key is known and its test fails, read as IAM reads it (a negated operator or an IfExists
 * variant holds for an absent key; a positive one does not). `value` turns a policy value into a string comparable
 * with the context's, or undefined when only deploy resolves it. Whatever is not known (a key the context lacks, a
 * set operator, an operator not read here, an unresolved value) may hold: a deny is then read as applying.
 */
export function conditionSurelyFails(
  condition: PolicyStatementJson['Condition'],
  context: RequestContext,
  value: (v: unknown) => string | undefined,
): boolean {
  if (condition === undefined) return false;
  if (!isObjectLike(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObjectLike(block) || operator.includes(':')) continue;
    const lower = operator.toLowerCase();
    const ifExists = lower.endsWith('ifexists');
    const base = ifExists ? lower.slice(0, -'ifexists'.length) : lower;
    for (const [key, raw] of Object.entries(block)) {
      const actual = context[key.toLowerCase()];
      if (actual === undefined) continue;
      const expected = entries(raw).map(value);
      if (expected.some((e) => e === undefined)) continue;
      const values = expected as string[];
      let holds: boolean | undefined;
      if (base === 'null') {
        if (values.length !== 1 || !['true', 'false'].includes(values[0]!.toLowerCase())) continue;
        holds = (values[0]!.toLowerCase() === 'true') === (actual === null);
      } else {
        const negated = base.includes('not');
        const compare = comparison(negated ? base.replace('not', '') : base);
        if (compare === undefined) continue;
        if (actual === null) holds = ifExists || negated;
        else {
          const matches = actual.some((a) => values.some((e) => compare(a, e)));
          holds = negated ? !matches : matches;
        }
      }
      if (holds === false) return true;
    }
  }
  return false;
}

const isObjectLike = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
