import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { isPhiStoreIn } from '../core/phi-shapes';
import {
  bucketPolicyStatements,
  deniesToEveryone,
  entries,
  exceptTheDeploymentRole,
  isAnyPrincipal,
  PolicyStatementJson,
  resourceCovers,
  statementCovers,
  wildcardMatches,
} from './policy-statements';
import { templateProperties } from './template-properties';
import { stackEnvironmentOf, viewOf } from './template-view';

/** The request headers S3 puts in a PutObject's request context, as condition keys (lower case). */
const SSE = 's3:x-amz-server-side-encryption';
const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
const SSE_C = 's3:x-amz-server-side-encryption-customer-algorithm';
const HEADER_KEYS: readonly string[] = [SSE, KEY_ID, SSE_C];

/** A PutObject's encryption headers: condition key to its value (a value a template token stands for: its JSON). */
type WriteRequest = Readonly<Record<string, string>>;

/**
 * Keys no template names, in every form S3 takes in the key id header (a key id, a key ARN, an alias name, an alias
 * ARN; it compares the header as sent): the values of "some other key" in a request.
 */
const ANOTHER_KEY = [
  'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-000000000000',
  'alias/aws/s3',
  'arn:aws:kms:us-east-1:111122223333:alias/another',
];

/** A condition value as the request context compares it: a string as is, a template token as its JSON. */
const asContextValue = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A condition value whose comparison is known: a literal without a policy variable (IAM replaces `${...}`, default
 * included, with what the request brings), a JSON boolean or number (IAM compares its text: `Null: {key: true}` is
 * `"true"`), or a token among `known` (the bucket's own key, as its default encryption names it). Any other token may
 * resolve to any value at deploy (a join of `AES` and `256`).
 */
const knownValue = (value: unknown, known: ReadonlySet<string>): boolean =>
  typeof value === 'string'
    ? !value.includes('${')
    : typeof value === 'boolean' || typeof value === 'number' || known.has(asContextValue(value));

/** The comparison operators a deny on these headers may use; anything else is not read (the deny is not counted). */
const POSITIVE: Record<string, (pattern: string, value: string) => boolean> = {
  stringequals: (p, v) => p === v,
  stringequalsignorecase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  // StringLike compares case-sensitively.
  stringlike: (p, v) => wildcardMatches(p, v, false),
};
const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
};

/**
 * Whether a deny's Condition holds for `request`, as IAM evaluates it; false when it tests any other key or uses
 * an operator this reader does not evaluate (a deny narrowed by something else is not counted: it may deny nothing).
 */
export function conditionHolds(
  condition: PolicyStatementJson['Condition'],
  request: WriteRequest,
  known: ReadonlySet<string> = new Set(),
): boolean {
  for (const [rawOperator, block] of Object.entries(condition ?? {})) {
    if (typeof block !== 'object' || block === null) return false;
    const operator = rawOperator.toLowerCase();
    const ifExists = operator.endsWith('ifexists');
    const base = ifExists ? operator.slice(0, -'ifexists'.length) : operator;
    for (const [rawKey, rawValues] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      if (!HEADER_KEYS.includes(key)) return false;
      if (!entries(rawValues).every((v) => knownValue(v, known))) return false;
      const values = entries(rawValues).map(asContextValue);
      const value = request[key];
      if (base === 'null') {
        if (ifExists) return false;
        if (!values.some((v) => v === (value === undefined ? 'true' : 'false'))) return false;
      } else if (POSITIVE[base] !== undefined) {
        if (value === undefined ? !ifExists : !values.some((p) => POSITIVE[base](p, value))) return false;
      } else if (NEGATED[base] !== undefined) {
        const matches = POSITIVE[NEGATED[base]];
        if (value !== undefined && values.some((p) => matches(p, value))) return false;
      } else {
        return false;
      }
    }
  }
  return true;
}

/** Whether some deny to everyone, over s3:PutObject on every object of the bucket, applies to `request`. */
function denied(
  statements: readonly PolicyStatementJson[],
  request: WriteRequest,
  bucketKey: string,
  bucketId: string,
): boolean {
  return statements.some(
    (s) =>
      s.Effect === 'Deny' &&
      s.NotPrincipal === undefined &&
      s.NotResource === undefined &&
      isAnyPrincipal(s.Principal) &&
      statementCovers(s, 's3:PutObject', 'surely') &&
      entries(s.Resource).some((r) => resourceCovers(r, 'objects', bucketId)) &&
      conditionHolds(s.Condition, request, new Set([bucketKey])),
  );
}

/** The KMS key the bucket's default encryption names (a token as its JSON), or undefined. */
function defaultKey(bucket: CfnResource): string | undefined {
  const props = templateProperties(bucket) as {
    BucketEncryption?: { ServerSideEncryptionConfiguration?: unknown };
  };
  for (const rule of entries(props.BucketEncryption?.ServerSideEncryptionConfiguration)) {
    const key = (rule as { ServerSideEncryptionByDefault?: { KMSMasterKeyID?: unknown } })
      ?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
    if (key !== undefined) return asContextValue(key);
  }
  return undefined;
}

/** Every key a statement of the bucket compares the KMS key id header with. */
function keyIdsNamed(statements: readonly PolicyStatementJson[]): string[] {
  return statements.flatMap((s) =>
    // A Null test's value says whether the header is there, not a key.
    Object.entries(s.Condition ?? {}).flatMap(([operator, block]) =>
      operator.toLowerCase() !== 'null' && typeof block === 'object' && block !== null
        ? Object.entries(block)
            .filter(([k]) => k.toLowerCase() === KEY_ID)
            .flatMap(([, v]) => entries(v).map(asContextValue))
        : [],
    ),
  );
}

/**
 * The writes that would leave an object under another encryption than the bucket's key, by finding: S3-managed keys
 * (SSE-S3), the AWS managed aws/s3 key (aws:kms or DSSE without a key id), another KMS key (any key but the
 * default's: a fresh one, and every other key a statement of the bucket names), and a customer-provided key (SSE-C).
 */
function forbiddenWrites(bucketKey: string, statements: readonly PolicyStatementJson[]): [string, WriteRequest[]][] {
  const otherKeys = [...ANOTHER_KEY, ...new Set(keyIdsNamed(statements).filter((k) => k !== bucketKey))];
  const algorithms = ['aws:kms', 'aws:kms:dsse'];
  return [
    ['sse-s3', [{ [SSE]: 'AES256' }]],
    ['aws-managed-key', algorithms.map((a) => ({ [SSE]: a }))],
    ['another-key', algorithms.flatMap((a) => otherKeys.map((k) => ({ [SSE]: a, [KEY_ID]: k })))],
    ['sse-c', [{ [SSE_C]: 'AES256' }]],
  ];
}

/**
 * E2: a PHI bucket (template metadata HipaaBlueprint::PhiStore, or named like one: a marker deleted by hand changes
 * nothing) keeps every object under its own customer-managed key.
 * Its default encryption names the key, but a writer that sends encryption headers picks another: its bucket policy
 * must deny, to everyone, s3:PutObject (also CopyObject and multipart uploads) on every object when the request asks
 * for SSE-S3, for aws:kms or DSSE-KMS without a key id (the AWS managed aws/s3 key), for any KMS key other than the
 * one the default encryption names, or for SSE-C; and deny changes of the default encryption to all but the
 * deployment role (exceptTheDeploymentRole). Each deny is evaluated as IAM evaluates it (Null, the String
 * operators, IfExists); a deny that also tests another key or uses another operator is not counted.
 */
export function PhiBucketWritesUnderItsKey(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  if (!isPhiStoreIn(view.stack.template, view.logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  const bucketKey = defaultKey(node);
  if (bucketKey === undefined) return ['DefaultEncryption::no-kms-key'];
  const statements = bucketPolicyStatements(node);
  const findings = forbiddenWrites(bucketKey, statements)
    .filter(([, requests]) => !requests.every((request) => denied(statements, request, bucketKey, view.logicalId)))
    .map(([write]) => `WriteEncryption::${write}-not-denied`);
  // A write without a header takes the default encryption: only a deploy may change it.
  const env = stackEnvironmentOf(node);
  if (
    !deniesToEveryone(
      statements,
      ['s3:PutEncryptionConfiguration'],
      'bucket',
      (s) => exceptTheDeploymentRole(s, env),
      view.logicalId,
    )
  ) {
    findings.push('DefaultEncryption::changes-not-denied');
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
