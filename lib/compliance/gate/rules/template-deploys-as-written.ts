import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import { isIntrinsic, isObject, memo, STACK_OUTPUT_KEYS, TemplateJson } from '../core/template-json';
import { duplicateKeyOf } from '../core/json-text';
import { viewOf } from './template-view';

/**
 * Resource types that make CloudFormation deploy what the template does not hold: another template (a nested stack, a
 * StackSet, a Service Catalog product, a Serverless Application Repository application), a rewrite of templates (a
 * macro), resources whose handlers run code the template does not show (modules and registered resource types), and
 * hooks, registered code that runs on every stack operation of the account.
 */
const DEPLOYS_WHAT_THE_TEMPLATE_DOES_NOT_HOLD: ReadonlySet<string> = new Set([
  'AWS::CloudFormation::Stack',
  'AWS::CloudFormation::StackSet',
  'AWS::CloudFormation::Macro',
  'AWS::CloudFormation::ModuleVersion',
  'AWS::CloudFormation::ModuleDefaultVersion',
  'AWS::CloudFormation::ResourceVersion',
  'AWS::CloudFormation::ResourceDefaultVersion',
  'AWS::CloudFormation::TypeActivation',
  'AWS::CloudFormation::PublicTypeVersion',
  'AWS::CloudFormation::HookVersion',
  'AWS::CloudFormation::HookDefaultVersion',
  'AWS::CloudFormation::HookTypeConfig',
  'AWS::CloudFormation::LambdaHook',
  'AWS::CloudFormation::GuardHook',
  'AWS::ServiceCatalog::CloudFormationProvisionedProduct',
  'AWS::Serverless::Application',
]);

/** The parameter every stack of the default synthesizer declares, for its `CheckBootstrapVersion` rule only. */
const BOOTSTRAP_VERSION = 'BootstrapVersion';

/** Dynamic references to secrets. Any other service (`ssm`: configuration, or one only deploy resolves) is a finding. */
const SECRET_SERVICES = ['secretsmanager', 'ssm-secure'];
/**
 * Properties that hold a credential, by the end of their name (MasterUserPassword, MasterUsername, ClientSecret,
 * client_secret, OAuthToken): the only places a secret may go. Settings about one (AccessTokenValidity, SecretArn) are
 * not credentials.
 */
const CREDENTIAL_PROPERTY = /(?:password|secret|token|credentials?|passphrase|api_?key|user_?name)$/i;

/** A name for a finding: the value when it is a plain name, else `unresolved`. */
const nameOf = (value: unknown): string =>
  typeof value === 'string' && /^[A-Za-z0-9:._@/-]{1,128}$/.test(value) ? value : 'unresolved';

/** The names of the macros every `Fn::Transform` in `value` calls (`unresolved` for one not written as a name). */
function fnTransforms(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) fnTransforms(v, out);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Fn::Transform') out.add(nameOf(isObject(v) ? v.Name : undefined));
      fnTransforms(v, out);
    }
  }
  return out;
}

/** Whether `value` reads the parameter `name` (`Ref`, or `${name}` in an `Fn::Sub` body that does not shadow it). */
function readsParameter(value: unknown, name: string): boolean {
  if (Array.isArray(value)) return value.some((v) => readsParameter(v, name));
  if (!isObject(value)) return false;
  if (value.Ref === name) return true;
  const sub = value['Fn::Sub'];
  const [body, variables] = Array.isArray(sub) ? sub : [sub, undefined];
  const shadowed = isObject(variables) && Object.hasOwn(variables, name);
  if (typeof body === 'string' && !shadowed && new RegExp(`\\$\\{\\s*${name}\\s*\\}`).test(body)) return true;
  return Object.values(value).some((v) => readsParameter(v, name));
}

/**
 * Where a form may hold a dynamic reference assembled with a part only deploy knows (another stack's output, a
 * resource's attribute): `{{` or `{` next to such a part, a part followed by `resolve:`, a part completing
 * `{{resol...`. Not caught: a reference made of such parts alone (README, Not enforced here).
 */
const PARTIAL_REFERENCE = new RegExp(
  [
    `\\{\\s*\\{?\\s*${UNKNOWN_PART}`,
    `${UNKNOWN_PART}\\s*\\{`,
    `${UNKNOWN_PART}\\s*resolve\\s*:`,
    `\\{\\{\\s*r?e?s?o?l?v?e?${UNKNOWN_PART}`,
  ].join('|'),
  'i',
);

/**
 * Whether a property at `path` (the property names from the resource's Properties down) holds a credential: its own
 * name says so, and it is a property, not a key of a policy, a tag, an environment variable or another map whose keys
 * a template names as it likes (a secret's value there is readable by anyone who can read the resource).
 */
function credentialProperty(path: readonly string[]): boolean {
  const name = path[path.length - 1] ?? '';
  return (
    CREDENTIAL_PROPERTY.test(name) &&
    path.every((k) => /^[A-Za-z][A-Za-z0-9_]*$/.test(k)) &&
    !path.some((k) =>
      /^(?:Condition|PolicyDocument|KeyPolicy|Policies|AssumeRolePolicyDocument|Tags|Variables|Environment|DefinitionSubstitutions|Parameters|Metadata)$/.test(
        k,
      ),
    )
  );
}

/**
 * The dynamic references (`{{resolve:SERVICE:...}}`) anywhere in `value` that are not allowed where they are: to any
 * service but a secret one, or to a secret outside a credential property (a secret may hold any value: a key id, a
 * principal, a bucket name); and a reference deploy may assemble from a part the template does not hold.
 */
function dynamicReferenceFindings(value: unknown, template: TemplateJson, path: string[], out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) dynamicReferenceFindings(v, template, path, out);
    return;
  }
  if (typeof value === 'string' || isIntrinsic(value)) {
    const { forms, complete } = stringForms(value, template);
    // Too large to read whole (a product of branches and lists beyond the reader's limits): it may hold one.
    if (!complete) out.add('DynamicReference::unreadable');
    for (const text of forms) {
      if (PARTIAL_REFERENCE.test(text)) out.add('DynamicReference::unresolved');
      for (const m of text.matchAll(/\{\{\s*resolve\s*:/gi)) {
        const rest = text.slice(m.index + m[0].length);
        const service = /^[a-z-]+(?=:)/.exec(rest)?.[0] ?? 'unresolved';
        if (!SECRET_SERVICES.includes(service)) out.add(`DynamicReference::${service}`);
        else if (!credentialProperty(path)) out.add(`DynamicReference::${service}@${nameOf(path[path.length - 1])}`);
      }
    }
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      dynamicReferenceFindings(v, template, k.startsWith('Fn::') || k === 'Ref' ? path : [...path, k], out);
    }
  }
}

/**
 * JSON held in a string value anywhere in `value` (a policy, an event pattern, a document's content, Config rule
 * parameters, the body of an Fn::Sub) that repeats a key in an object: JSON.parse, and so every rule of the gate, reads
 * the last; the service's parser may read the first (the attacker review of the next sitting: a vault access policy
 * and a managed policy with `"Effect": "Allow"` then `"Deny"` passed). Named by the top-level property.
 */
function duplicateKeyFindings(value: unknown, property: string, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) duplicateKeyFindings(v, property, out);
  } else if (isObject(value)) {
    for (const v of Object.values(value)) duplicateKeyFindings(v, property, out);
  } else if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      JSON.parse(value);
    } catch {
      return;
    }
    if (duplicateKeyOf(value) !== undefined) out.add(`JsonText::duplicate-key@${property}`);
  }
}

/** The template's findings that hold for every resource of it (computed once per template within a run). */
function templateFindings(template: TemplateJson): readonly string[] {
  const findings: string[] = [];
  // A Transform section: SAM, AWS::Include, AWS::LanguageExtensions or any macro rewrites the whole template at deploy.
  const transform = template.Transform;
  if (transform !== undefined) {
    const list = Array.isArray(transform) ? transform : [transform];
    for (const t of list.length > 0 ? list : [undefined]) {
      findings.push(`Transform::${nameOf(isObject(t) ? t.Name : t)}`);
    }
  }
  // Fn::Transform outside a resource: Mappings, Conditions and Outputs feed resources and other stacks, and one in
  // place of a resource (a logical id `Fn::Transform`) includes resources.
  for (const [section, value] of Object.entries(template)) {
    if (section === 'Resources') {
      const included = isObject(value) ? value['Fn::Transform'] : undefined;
      if (included !== undefined)
        findings.push(`Fn::Transform::${nameOf(isObject(included) ? included.Name : undefined)}@Resources`);
      continue;
    }
    for (const name of fnTransforms(value, new Set())) findings.push(`Fn::Transform::${name}@${section}`);
  }
  // Dynamic references in Mappings (read through Fn::FindInMap) and Outputs (read by other stacks).
  for (const section of ['Mappings', 'Outputs']) {
    const found = new Set<string>();
    dynamicReferenceFindings(template[section], template, [section], found);
    for (const f of found) findings.push(`${f.split('@')[0]}@${section}`);
  }
  // Parameters: values chosen at deploy (a default, or whatever `--parameters` passes), not from config at synth.
  const parameters = isObject(template.Parameters) ? Object.keys(template.Parameters) : [];
  for (const name of parameters) {
    if (name !== BOOTSTRAP_VERSION) {
      findings.push(`Parameter::${nameOf(name)}`);
      continue;
    }
    // The synthesizer's BootstrapVersion is for its Rules only (the bootstrap stack's version check).
    const readElsewhere = Object.entries(template).some(
      ([section, value]) => section !== 'Rules' && section !== 'Parameters' && readsParameter(value, name),
    );
    if (readElsewhere) findings.push(`Parameter::${BOOTSTRAP_VERSION}-read-outside-Rules`);
  }
  return findings;
}

/** Findings of the Fn::GetStackOutput in `value` that read with a role (another account's stack). */
function stackOutputReadsWithRole(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) stackOutputReadsWithRole(v, out);
  else if (isObject(value)) {
    const gso = value['Fn::GetStackOutput'];
    if (isObject(gso)) {
      for (const key of Object.keys(gso)) {
        if (!STACK_OUTPUT_KEYS.includes(key)) out.add(`GetStackOutput::${nameOf(key)}`);
      }
    }
    for (const v of Object.values(value)) stackOutputReadsWithRole(v, out);
  }
}

/**
 * V2, V1: the template the gate judges is the template CloudFormation deploys. Every rule reads the template as
 * written; a Transform section or an `Fn::Transform` (a macro, SAM, AWS::Include, AWS::LanguageExtensions) rewrites it
 * at deploy, a nested stack, StackSet, provisioned product or serverless application deploys a template the gate never
 * reads, a module, registered resource type or hook runs handlers the template does not show, a custom resource whose
 * ServiceToken is not a Lambda function of this template runs code defined elsewhere, a parameter takes its value at
 * deploy (`--parameters` overrides any default), a dynamic reference reads a value kept outside the template (to
 * Systems Manager: any; to a secret: anywhere but a credential property, since a secret may hold any value), and an
 * Fn::GetStackOutput with a RoleArn reads another account's stack. Each is a finding. The synthesizer's BootstrapVersion
 * parameter is allowed when only the template's Rules read it.
 */
export function TemplateDeploysAsWritten(node: CfnResource): NagRuleResult {
  const { resource, stack } = viewOf(node);
  const findings = new Set(memo('templateDeploysAsWritten', stack.template, templateFindings));
  if (DEPLOYS_WHAT_THE_TEMPLATE_DOES_NOT_HOLD.has(resource.Type)) findings.add(`Type::${resource.Type}`);
  if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') {
    // `{"Fn::GetAtt": [FUNCTION, "Arn"]}` (or "FUNCTION.Arn") of a Lambda function of this template, nothing else.
    const token = resource.Properties?.ServiceToken;
    const getAtt = isObject(token) && Object.keys(token).length === 1 ? token['Fn::GetAtt'] : undefined;
    const [functionId, attribute] = Array.isArray(getAtt)
      ? getAtt
      : typeof getAtt === 'string'
        ? getAtt.split('.')
        : [];
    const target = typeof functionId === 'string' ? stack.template.Resources[functionId] : undefined;
    if (attribute !== 'Arn' || target?.Type !== 'AWS::Lambda::Function') {
      findings.add('ServiceToken::not-a-function-of-this-template');
    }
  }
  for (const name of fnTransforms(resource, new Set())) findings.add(`Fn::Transform::${name}`);
  dynamicReferenceFindings(resource.Properties, stack.template, [], findings);
  for (const [property, value] of Object.entries(resource.Properties ?? {}))
    duplicateKeyFindings(value, property, findings);
  stackOutputReadsWithRole(resource, findings);
  return findings.size === 0 ? NagRuleCompliance.COMPLIANT : [...findings];
}
