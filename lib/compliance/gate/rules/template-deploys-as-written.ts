import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isObject, memo, TemplateJson } from '../core/template-json';
import { viewOf } from './template-view';

/**
 * Resource types that make CloudFormation deploy what the template does not hold: another template (a nested stack, a
 * StackSet, a Service Catalog product, a Serverless Application Repository application), a rewrite of templates (a
 * macro), or resources whose handlers run code the template does not show (modules and registered resource types).
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
  'AWS::ServiceCatalog::CloudFormationProvisionedProduct',
  'AWS::Serverless::Application',
]);

/** The parameter every stack of the default synthesizer declares, for its `CheckBootstrapVersion` rule only. */
const BOOTSTRAP_VERSION = 'BootstrapVersion';

/** Dynamic references to secrets: credentials no template should hold. Any other (`ssm:`) is configuration. */
const SECRET_REFERENCES = ['secretsmanager:', 'ssm-secure:'];

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

/** Whether `value` reads the parameter `name` (`Ref`, or `${name}` in an `Fn::Sub` body). */
function readsParameter(value: unknown, name: string): boolean {
  if (Array.isArray(value)) return value.some((v) => readsParameter(v, name));
  if (!isObject(value)) return false;
  if (value.Ref === name) return true;
  const sub = value['Fn::Sub'];
  const body = Array.isArray(sub) ? sub[0] : sub;
  if (typeof body === 'string' && body.includes('${' + name + '}')) return true;
  return Object.values(value).some((v) => readsParameter(v, name));
}

/**
 * Every string of `value` as deploy may see it: each string, and each `Fn::Join` of literal parts joined (a part only
 * deploy resolves written as U+0000), so that a reference split across the parts is read whole.
 */
function strings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (isObject(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) {
      const separator = typeof join[0] === 'string' ? join[0] : '\u0000';
      out.push(join[1].map((p) => (typeof p === 'string' ? p : '\u0000')).join(separator));
    }
    for (const v of Object.values(value)) strings(v, out);
  }
  return out;
}

/** The services of the dynamic references (`{{resolve:SERVICE:...}}`) in `value` that are not to secrets. */
function configurationReferences(value: unknown): string[] {
  const found = new Set<string>();
  for (const s of strings(value, [])) {
    for (const m of s.matchAll(/\{\{\s*resolve\s*:/gi)) {
      const rest = s.slice(m.index + m[0].length);
      if (SECRET_REFERENCES.some((p) => rest.startsWith(p))) continue;
      found.add(/^[a-z-]+:/.test(rest) ? rest.slice(0, rest.indexOf(':')) : 'unresolved');
    }
  }
  return [...found];
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
  // Fn::Transform outside Resources: Mappings, Conditions and Outputs feed resources and other stacks.
  for (const [section, value] of Object.entries(template)) {
    if (section === 'Resources') continue;
    for (const name of fnTransforms(value, new Set())) findings.push(`Fn::Transform::${name}@${section}`);
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

/**
 * V2, V1: the template the gate judges is the template CloudFormation deploys. Every rule reads the template as
 * written; a Transform section or an `Fn::Transform` (a macro, SAM, AWS::Include, AWS::LanguageExtensions) rewrites it
 * at deploy, a nested stack, StackSet, provisioned product or serverless application deploys a template the gate never
 * reads, a module or registered resource type runs handlers the template does not show, a parameter takes its value at
 * deploy (`--parameters` overrides any default), and a dynamic reference to Systems Manager (`{{resolve:ssm:...}}`)
 * reads a value kept outside the template. Each is a finding. References to secrets (Secrets Manager, SecureString
 * parameters) are not: credentials belong in no template. The synthesizer's BootstrapVersion parameter is allowed
 * when only the template's Rules read it.
 */
export function TemplateDeploysAsWritten(node: CfnResource): NagRuleResult {
  const { resource, stack } = viewOf(node);
  const findings = [...memo('templateDeploysAsWritten', stack.template, templateFindings)];
  if (DEPLOYS_WHAT_THE_TEMPLATE_DOES_NOT_HOLD.has(resource.Type)) findings.push(`Type::${resource.Type}`);
  for (const name of fnTransforms(resource, new Set())) findings.push(`Fn::Transform::${name}`);
  for (const service of configurationReferences(resource.Properties)) findings.push(`DynamicReference::${service}`);
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
}
