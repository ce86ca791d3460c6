/**
 * The strings a template value may be at deploy, as far as the template says: the one evaluator of string-building
 * intrinsics for the gate's rules (the dynamic references of TemplateDeploysAsWritten, the bucket names of
 * core/bucket-names). Pure: no CDK.
 */
import { isIntrinsic, isObject, TemplateJson } from './template-json';

/** A part of a string only deploy knows: a resource's id or attribute, another stack's output. */
export const UNKNOWN_PART = '\u0000';
/** Alternatives of one value kept at most (a product of condition branches and list entries grows fast). */
const MAX_ALTERNATIVES = 64;
/** Characters produced for one value at most (a template nesting joins of branches can ask for far more). */
const MAX_CHARACTERS = 1_000_000;

/** The strings a value may be, and whether they are all of them (false: the value was too large to read whole). */
export interface StringForms {
  readonly forms: readonly string[];
  readonly complete: boolean;
}

/**
 * Pseudo parameters whose value the reader does not know, read as an unknown part: the stack's name (a fork names its
 * stacks; `<AWS::StackName>-x` would read as no PHI bucket name while it deploys as one) and AWS::NoValue (no text).
 */
const UNKNOWN_PSEUDO_PARAMETERS: ReadonlySet<string> = new Set(['AWS::StackName', 'AWS::NoValue']);

/** A pseudo parameter as core/template-json's flatten writes it (`<AWS::Region>`), or an unknown part. */
const pseudoParameter = (name: string): string =>
  name.startsWith('AWS::') && !UNKNOWN_PSEUDO_PARAMETERS.has(name) ? `<${name}>` : UNKNOWN_PART;

class Reader {
  public complete = true;
  private characters = 0;

  public constructor(private readonly template: TemplateJson) {}

  /**
   * `forms` without repeats; over the limits, the reader is incomplete and the value is one unknown part. `charge`
   * counts their characters against the budget (the forms a step returns, not a join's intermediate prefixes).
   */
  private bounded(forms: readonly string[], charge = true): string[] {
    const unique = [...new Set(forms)];
    if (charge) this.characters += unique.reduce((n, f) => n + f.length, 0);
    if (unique.length <= MAX_ALTERNATIVES && this.characters <= MAX_CHARACTERS) return unique;
    this.complete = false;
    return [UNKNOWN_PART];
  }

  /** Every concatenation of one alternative of each part (a plain join where each part has one). */
  private concatenations(parts: readonly string[][], separator: string): string[] {
    if (parts.every((p) => p.length === 1)) return [parts.map((p) => p[0]!).join(separator)];
    let out = [''];
    for (const [i, alternatives] of parts.entries()) {
      out = this.bounded(
        out.flatMap((prefix) => alternatives.map((a) => (i === 0 ? a : `${prefix}${separator}${a}`))),
        false,
      );
    }
    return out;
  }

  public forms(value: unknown, depth = 0): string[] {
    // Past a limit the value is unreadable as a whole: no more work on it.
    if (!this.complete) return [UNKNOWN_PART];
    if (typeof value === 'string') return [value];
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    if (depth > 16) {
      this.complete = false;
      return [UNKNOWN_PART];
    }
    if (!isIntrinsic(value)) return [UNKNOWN_PART];
    const inner = (v: unknown): string[] => this.forms(v, depth + 1);
    const [fn, args] = Object.entries(value as Record<string, unknown>)[0]!;
    switch (fn) {
      case 'Ref':
        // A pseudo parameter as core/template-json's flatten writes it; any other reference only deploy knows.
        return [typeof args === 'string' ? pseudoParameter(args) : UNKNOWN_PART];
      case 'Fn::Join': {
        const [separator, list] = Array.isArray(args) ? args : [];
        return this.bounded(
          inner(separator).flatMap((sep) => this.lists(list, depth + 1).flatMap((l) => this.concatenations(l, sep))),
        );
      }
      case 'Fn::Sub': {
        const [body, variables] = Array.isArray(args) ? args : [args, undefined];
        return this.bounded(
          inner(body).flatMap((b) => {
            let alternatives = [b];
            // `${Name}` (spaces allowed), not `${!Literal}`: a variable of the map, a pseudo parameter, a reference.
            for (const m of new Set(b.match(/\$\{(?!!)[^}]*\}/g) ?? [])) {
              const name = m.slice(2, -1).trim();
              const own =
                isObject(variables) && Object.hasOwn(variables, name)
                  ? inner(variables[name])
                  : [pseudoParameter(name)];
              alternatives = this.bounded(alternatives.flatMap((a) => own.map((o) => a.split(m).join(o))));
            }
            return alternatives;
          }),
        );
      }
      case 'Fn::Select': {
        const [, list] = Array.isArray(args) ? args : [];
        return this.bounded(this.lists(list, depth + 1).flatMap((l) => l.flat()));
      }
      case 'Fn::If':
        return Array.isArray(args) ? this.bounded(args.slice(1).flatMap(inner)) : [UNKNOWN_PART];
      case 'Fn::FindInMap':
        return this.bounded(this.mapValues(args).flatMap(inner));
      default:
        return [UNKNOWN_PART];
    }
  }

  /** The lists `value` may be (the list of an Fn::Join or Fn::Select), each entry's forms. */
  private lists(value: unknown, depth: number): string[][][] {
    if (!this.complete || depth > 16) {
      this.complete = false;
      return [[[UNKNOWN_PART]]];
    }
    let out: string[][][] = [[[UNKNOWN_PART]]];
    if (Array.isArray(value)) out = [value.map((v) => this.forms(v, depth))];
    else if (isObject(value) && Array.isArray(value['Fn::Split'])) {
      const [separator, source] = value['Fn::Split'] as unknown[];
      const seps = this.forms(separator, depth);
      out = this.forms(source, depth).flatMap((s) =>
        seps.map((sep) => (sep === UNKNOWN_PART || sep === '' ? [[s]] : s.split(sep).map((p) => [p]))),
      );
    } else if (isObject(value) && Array.isArray(value['Fn::If'])) {
      out = (value['Fn::If'] as unknown[]).slice(1).flatMap((v) => this.lists(v, depth + 1));
    } else if (isObject(value) && value['Fn::FindInMap'] !== undefined) {
      // A map's value may be a list.
      out = this.mapValues(value['Fn::FindInMap']).flatMap((v) =>
        Array.isArray(v) ? [v.map((e) => this.forms(e, depth + 1))] : [[[UNKNOWN_PART]]],
      );
    }
    if (out.length > MAX_ALTERNATIVES) {
      this.complete = false;
      return [[[UNKNOWN_PART]]];
    }
    return out;
  }

  /** Every value an Fn::FindInMap may return (the keyed entry, or all of the map's where a key is not literal). */
  private mapValues(args: unknown): unknown[] {
    const [map, first, second] = Array.isArray(args) ? args : [];
    const mappings = this.template.Mappings;
    const mapping = typeof map === 'string' && isObject(mappings) ? mappings[map] : undefined;
    if (!isObject(mapping)) return [UNKNOWN_PART];
    const tops = typeof first === 'string' ? [mapping[first]] : Object.values(mapping);
    return tops.flatMap((top) =>
      isObject(top) ? (typeof second === 'string' ? [top[second]] : Object.values(top)) : [UNKNOWN_PART],
    );
  }
}

/**
 * The strings `value` (of `template`) may be at deploy: each branch of an Fn::If, each value an Fn::FindInMap may
 * return, any entry an Fn::Select may pick, Fn::Join and Fn::Split of those, an Fn::Sub's body with its variables
 * substituted; a pseudo parameter as `<AWS::Region>` (as core/template-json's flatten writes it), any other part only
 * deploy knows (a Ref or Fn::GetAtt of a resource, another stack's output, which is judged in that stack) as
 * UNKNOWN_PART. At most 64 alternatives at each step: beyond, `complete` is false.
 */
export function stringForms(value: unknown, template: TemplateJson): StringForms {
  const reader = new Reader(template);
  const forms = reader.forms(value);
  return { forms, complete: reader.complete };
}

/**
 * The account field of an ARN among the strings stringForms returns (`arn:<partition>:<service>:<region>:<account>:`),
 * whatever it holds (12 digits, empty, an UNKNOWN_PART), or undefined when the form is no such ARN. Pseudo parameters
 * are read first: the account's as `account` when given, every other one as a word without colons (`<AWS::Partition>`
 * would otherwise split the fields).
 */
export function arnAccountOf(form: string, account?: string): string | undefined {
  const read = (account === undefined ? form : form.replace(/<AWS::AccountId>/g, account)).replace(
    /<AWS::[A-Za-z]+>/g,
    'pseudo',
  );
  return /^arn:[^:]*:[^:]*:[^:]*:([^:]*):/.exec(read)?.[1];
}
