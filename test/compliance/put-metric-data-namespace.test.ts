/**
 * Forged check metrics (README, "What a metric can forge"): the blueprint's own checks publish their results with
 * cloudwatch:PutMetricData, which CloudTrail does not record as a management event. Every identity policy of the
 * synthesized environments that allows PutMetricData must limit it to one of the checks' own namespaces with a
 * cloudwatch:namespace condition, so that no blueprint role can write another check's metrics.
 */
import { allTemplates } from '../support/synthesized';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether an IAM action pattern covers cloudwatch:PutMetricData. */
const coversPutMetricData = (pattern: unknown): boolean =>
  typeof pattern === 'string' &&
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test('cloudwatch:PutMetricData');

/** The namespaces a statement's condition limits PutMetricData to (StringEquals cloudwatch:namespace), or []. */
function namespacesOf(statement: Json): string[] {
  const condition = isObject(statement.Condition) ? statement.Condition : {};
  const equals = isObject(condition.StringEquals) ? condition.StringEquals : {};
  const key = Object.keys(equals).find((k) => k.toLowerCase() === 'cloudwatch:namespace');
  return key === undefined ? [] : list(equals[key]).map(String);
}

interface Grant {
  readonly where: string;
  readonly namespaces: readonly string[];
}

/** Every Allow statement of an identity policy (policies, managed policies, inline role policies) that covers PutMetricData. */
function putMetricDataGrants(templates: readonly { file: string; template: { Resources: Json } }[]): Grant[] {
  const grants: Grant[] = [];
  for (const { file, template } of templates) {
    for (const [id, r] of Object.entries(template.Resources)) {
      if (!isObject(r) || !isObject(r.Properties)) continue;
      const documents: unknown[] = [];
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
        documents.push(r.Properties.PolicyDocument);
      if (r.Type === 'AWS::IAM::Role')
        documents.push(
          ...list(r.Properties.Policies)
            .filter(isObject)
            .map((p) => p.PolicyDocument),
        );
      for (const document of documents.filter(isObject)) {
        for (const s of list(document.Statement).filter(isObject)) {
          if (s.Effect !== 'Allow') continue;
          if (s.NotAction === undefined && !list(s.Action).some(coversPutMetricData)) continue;
          grants.push({
            where: `${file} ${id}${typeof s.Sid === 'string' ? ` ${s.Sid}` : ''}`,
            namespaces: namespacesOf(s),
          });
        }
      }
    }
  }
  return grants;
}

/** The grants that do not limit PutMetricData to the blueprint's own HipaaBlueprint/ namespaces. */
const unscoped = (grants: readonly Grant[]): string[] =>
  grants
    .filter((g) => g.namespaces.length === 0 || g.namespaces.some((n) => !n.startsWith('HipaaBlueprint/')))
    .map((g) => g.where);

describe.each(['dev', 'prod'] as const)('PutMetricData in %s', (env) => {
  const templates = allTemplates(env);

  test('every grant of cloudwatch:PutMetricData names a HipaaBlueprint/ namespace (cloudwatch:namespace)', () => {
    const grants = putMetricDataGrants(templates);
    expect(unscoped(grants)).toEqual([]);
    // Who may publish: the three checks, each in its own namespace.
    expect(grants.flatMap((g) => g.namespaces).sort()).toEqual([
      'HipaaBlueprint/AccessAudit',
      'HipaaBlueprint/Findings',
      'HipaaBlueprint/RestoreTesting',
    ]);
  });

  test.each<[string, (s: Json) => void]>([
    ['the condition removed', (s) => delete s.Condition],
    ['a wildcard namespace', (s) => (s.Condition = { StringLike: { 'cloudwatch:namespace': '*' } })],
    ['another namespace', (s) => (s.Condition = { StringEquals: { 'cloudwatch:namespace': 'AWS/Lambda' } })],
  ])('%s is reported', (_name, change) => {
    const copy = JSON.parse(JSON.stringify(templates)) as typeof templates;
    let changed = 0;
    for (const { template } of copy) {
      for (const r of Object.values(template.Resources)) {
        const document = r.Properties?.PolicyDocument;
        for (const s of isObject(document) ? list(document.Statement).filter(isObject) : []) {
          if (list(s.Action).includes('cloudwatch:PutMetricData') && changed === 0) {
            change(s);
            changed++;
          }
        }
      }
    }
    expect(changed).toBe(1);
    expect(unscoped(putMetricDataGrants(copy))).toHaveLength(1);
  });
});
