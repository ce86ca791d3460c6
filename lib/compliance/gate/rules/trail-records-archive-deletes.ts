import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { partitionOf } from '../../../config/rules';
import { cfnStringForm, isObject, TemplateJson } from '../core/template-json';
import { entries } from './policy-statements';
import { viewOf } from './template-view';

interface FieldSelector {
  readonly Field?: string;
  readonly Equals?: unknown;
  readonly StartsWith?: unknown;
  readonly EndsWith?: unknown;
  readonly NotEquals?: unknown;
  readonly NotStartsWith?: unknown;
  readonly NotEndsWith?: unknown;
}

const OPERATORS = ['Equals', 'NotEquals', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'] as const;
/** The fields an archive selector may have: each is judged below; any other narrows it in ways the rule cannot see. */
const JUDGED_FIELDS = ['eventCategory', 'resources.type', 'resources.ARN', 'readOnly', 'eventName'];

/** Whether every field of the selector is an object naming a field the rule judges, with only known operators. */
function onlyJudgedFields(fields: readonly unknown[]): fields is FieldSelector[] {
  return fields.every(
    (f) =>
      isObject(f) &&
      JUDGED_FIELDS.includes(cfnStringForm(f.Field) as string) &&
      Object.keys(f).every((k) => k === 'Field' || (OPERATORS as readonly string[]).includes(k)),
  );
}

type Selected = 'yes' | 'no' | 'maybe';

/**
 * Whether the selector's `field` fields select the value `value`: each operator of each field must (CloudTrail's
 * operators are read as all applying, the stricter reading), Equals/StartsWith/EndsWith matching some value and
 * NotEquals/NotStartsWith/NotEndsWith none. A value only deploy resolves (an intrinsic) may match: 'maybe'. No field:
 * every value is selected.
 */
function selects(fields: readonly FieldSelector[], field: string, value: string): Selected {
  const results = fields
    .filter((f) => cfnStringForm(f.Field) === field)
    .flatMap((f) =>
      OPERATORS.filter((op) => f[op] !== undefined).map((op): Selected => {
        const operands = entries(f[op]).map(cfnStringForm);
        const test = (v: string): boolean =>
          op.endsWith('Equals') ? v === value : op.endsWith('StartsWith') ? value.startsWith(v) : value.endsWith(v);
        const hit = operands.some((v) => typeof v === 'string' && test(v));
        const unknown = operands.some((v) => typeof v !== 'string');
        const positive = !op.startsWith('Not');
        if (hit) return positive ? 'yes' : 'no';
        if (unknown) return 'maybe';
        return positive ? 'no' : 'yes';
      }),
    );
  return results.includes('no') ? 'no' : results.includes('maybe') ? 'maybe' : 'yes';
}

const BUCKET = 'AWS::S3::Bucket';
/** Delimits, in textOf's text, a part only deploy resolves (a private-use character, stripped from literals). */
const MARK = '\uE000';
const mark = (what: string): string => `${MARK}${what}${MARK}`;
const PARTITION = mark('AWS::Partition');

/** A `Ref` as text: a bucket of the template as its name, a pseudo-parameter or anything else as a mark. */
function refText(name: string, template: TemplateJson, depth: number): string {
  if (!name.startsWith('AWS::') && template.Resources?.[name]?.Type === BUCKET)
    return bucketName(name, template, depth);
  return name.startsWith('AWS::') ? mark(name) : mark(JSON.stringify({ Ref: name }));
}

/** The name of a bucket of the template: its BucketName as text, else (a name CloudFormation generates) a mark. */
function bucketName(id: string, template: TemplateJson, depth: number): string {
  const name = template.Resources?.[id]?.Properties?.BucketName;
  return name === undefined ? mark(`bucket:${id}`) : textOf(name, template, depth + 1);
}

/**
 * A String value as text, as far as the template says what it is: literals as they are, Fn::Join and Fn::Sub expanded,
 * a bucket of the template as its name (Ref) or its ARN (Fn::GetAtt Arn), and what only deploy resolves (a
 * pseudo-parameter, a bucket's generated name, a parameter, any other intrinsic) as a mark naming it. Two values with
 * the same text are the same once deployed; a mark is never read as equal to a literal or to another mark.
 */
function textOf(value: unknown, template: TemplateJson, depth = 0): string {
  if (typeof value === 'string') return value.split(MARK).join('');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const opaque = mark(JSON.stringify(value) ?? 'absent');
  if (!isObject(value) || Object.keys(value).length !== 1 || depth > 8) return opaque;
  if (typeof value.Ref === 'string') return refText(value.Ref, template, depth);
  const getAtt = value['Fn::GetAtt'];
  if (getAtt !== undefined) {
    const [id, attribute] = typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt : [];
    if (typeof id === 'string' && attribute === 'Arn' && template.Resources?.[id]?.Type === BUCKET) {
      return `arn:${PARTITION}:s3:::${bucketName(id, template, depth)}`;
    }
    return opaque;
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => textOf(part, template, depth + 1)).join(join[0]);
  }
  const sub = value['Fn::Sub'];
  const [body, variables] = typeof sub === 'string' ? [sub, {}] : Array.isArray(sub) ? [sub[0], sub[1] ?? {}] : [];
  if (typeof body === 'string' && isObject(variables)) {
    return body.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (Object.prototype.hasOwnProperty.call(variables, name)) return textOf(variables[name], template, depth + 1);
      const [id, ...attribute] = name.split('.');
      return attribute.length === 0
        ? refText(id!, template, depth)
        : textOf({ 'Fn::GetAtt': [id, attribute.join('.')] }, template, depth + 1);
    });
  }
  return opaque;
}

/**
 * An ARN as the tokens textOf's text is made of (each literal character, each mark whole), its literal partition read
 * as the partition deployed to (as a Ref to AWS::Partition is) only when it is the one the stack's region implies
 * (`partition`): arn:aws-cn:... in a us-east-1 stack names no object there.
 */
function arnTokens(value: unknown, template: TemplateJson, partition: string | undefined): string[] {
  const text = textOf(value, template);
  const literal = /^arn:(aws(?:-[a-z]+)*):/.exec(text)?.[1];
  const deployed =
    literal !== undefined && literal === partition ? `arn:${PARTITION}:${text.slice(literal.length + 5)}` : text;
  return deployed.match(/\uE000[^\uE000]*\uE000|[^\uE000]/g) ?? [];
}

/**
 * The partition a stack's region implies (config's partitionOf), or undefined when the region only deploy resolves (an
 * environment-agnostic stack, the template checker's): then no literal partition is known to be the deployed one.
 */
function deployedPartition(region: string): string | undefined {
  return Token.isUnresolved(region) ? undefined : partitionOf(region);
}
/**
 * How an ARN pattern `a` relates to the ARN prefix `b` of the archive's objects: a prefix of it (every object of the
 * archive starts with `a`), longer than it (some objects start with `a`), disjoint (a literal character differs), or
 * unknown (a part only deploy resolves differs).
 */
function compare(a: readonly string[], b: readonly string[]): 'prefix' | 'longer' | 'disjoint' | 'unknown' {
  for (let i = 0; ; i++) {
    if (i === a.length) return 'prefix';
    if (i === b.length) return 'longer';
    if (a[i] === b[i]) continue;
    return a[i]!.length === 1 && b[i]!.length === 1 ? 'disjoint' : 'unknown';
  }
}

/**
 * Whether the selector's resources.ARN fields select every object of the archive whose object ARNs start with
 * `archive`: a StartsWith value that is a prefix of it (the archive's ARN and "/", written any way that resolves to
 * that bucket: Fn::GetAtt Arn, Ref, Fn::Join, Fn::Sub, a literal), and no exclusion (NotStartsWith, NotEquals) that
 * may name one of its objects. Equals names single objects and EndsWith or NotEndsWith only some: none selects the
 * whole archive.
 */
function selectsWholeArchive(
  fields: readonly FieldSelector[],
  archive: string[],
  template: TemplateJson,
  partition: string | undefined,
): boolean {
  const arnFields = fields.filter((f) => cfnStringForm(f.Field) === 'resources.ARN');
  const operands = (operator: keyof FieldSelector): string[][] =>
    arnFields.flatMap((f) => entries(f[operator]).map((v) => arnTokens(v, template, partition)));
  if (operands('Equals').length + operands('EndsWith').length + operands('NotEndsWith').length > 0) return false;
  if (!operands('StartsWith').some((a) => compare(a, archive) === 'prefix')) return false;
  return (
    operands('NotStartsWith').every((v) => compare(v, archive) === 'disjoint') &&
    operands('NotEquals').every((v) => ['disjoint', 'prefix'].includes(compare(v, archive)))
  );
}

/**
 * U2 U6: the trail records, as S3 data events, the writes in the bucket it delivers to (S3BucketName) that delete
 * or weaken audit objects: an advanced event selector on Data events of AWS::S3::Object whose readOnly selects
 * "false" (or is absent), whose resources.ARN selects every object of that bucket (selectsWholeArchive: by what the
 * value references, never by a logical id's spelling) and whose eventName surely selects DeleteObject (every operator
 * judged). A selector counts only when each of its fields is one of those five (another field, such as
 * userIdentity.arn or eventSource, narrows it in ways the rule does not judge) and each value the judgement needs is
 * a literal: what only deploy resolves may deselect the deletes. Without an eventName filter that surely excludes
 * PutObject the trail would record its own deliveries (a logging loop): also a finding.
 */
export function TrailRecordsArchiveDeletes(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::CloudTrail::Trail') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const partition = deployedPartition(Stack.of(node).region);
  const props = (resource.Properties ?? {}) as { S3BucketName?: unknown; AdvancedEventSelectors?: unknown };
  const archive = arnTokens(
    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', props.S3BucketName ?? '', '/']] },
    stack.template,
    partition,
  );
  let selectsDeliveries = false;
  for (const selector of entries(props.AdvancedEventSelectors)) {
    const fields = isObject(selector) ? entries(selector.FieldSelectors) : [];
    if (!onlyJudgedFields(fields)) continue;
    if (!fields.some((f) => cfnStringForm(f.Field) === 'eventCategory')) continue;
    if (selects(fields, 'eventCategory', 'Data') !== 'yes') continue;
    if (selects(fields, 'resources.type', 'AWS::S3::Object') !== 'yes') continue;
    if (selects(fields, 'readOnly', 'false') !== 'yes') continue;
    if (!selectsWholeArchive(fields, archive, stack.template, partition)) continue;
    if (selects(fields, 'eventName', 'PutObject') !== 'no') selectsDeliveries = true;
    else if (selects(fields, 'eventName', 'DeleteObject') === 'yes') return NagRuleCompliance.COMPLIANT;
  }
  return [selectsDeliveries ? 'ArchiveDeletes::selects-deliveries' : 'ArchiveDeletes::not-recorded'];
}
