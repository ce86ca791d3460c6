/**
 * The fields of a cloud assembly's manifest that `cdk deploy` acts on besides the template, as the manifest review
 * (assembly-loader.ts reviewAssembly) allows them: an allow-list of stack artifact property keys with the values each
 * may take (a field CDK adds later is refused until it is reviewed here), the bootstrap version checks, and the asset
 * destinations' placeholders filled in as cdk-assets fills them.
 */
import { isObject } from './template-json';

/** One field of an artifact that would make deploy do otherwise than the gate judged (a ManifestProblem's parts). */
export interface FieldProblem {
  /** The finding suffix, naming the field: e.g. 'notificationArns', 'lookupRole.arn::another-account'. */
  readonly kind: string;
  /** What is wrong, after "the stack artifact ID " (or "the asset manifest artifact ID "). */
  readonly detail: string;
}

/** The oldest bootstrap stack DefaultStackSynthesizer lets deploy use (its MIN_BOOTSTRAP_STACK_VERSION). */
export const MIN_BOOTSTRAP_STACK_VERSION = 6;
/** The oldest bootstrap stack whose lookup role DefaultStackSynthesizer names (MIN_LOOKUP_ROLE_BOOTSTRAP_STACK_VERSION). */
export const MIN_LOOKUP_ROLE_BOOTSTRAP_STACK_VERSION = 8;

/** The account of an IAM role ARN as deploy fills it in for a stack (`${AWS::AccountId}` is the stack's account). */
export function roleAccount(arn: unknown, stackAccount: string): string | undefined {
  const account =
    typeof arn === 'string' ? /^arn:(?:\$\{AWS::Partition\}|[a-z-]+):iam::([^:]+):/.exec(arn)?.[1] : undefined;
  return account === '${AWS::AccountId}' ? stackAccount : account;
}

/** The bootstrap qualifier of a DefaultStackSynthesizer role ARN ('cdk-QUALIFIER-deploy-role-...'), if it is one. */
function qualifierOf(arn: unknown): string | undefined {
  return typeof arn === 'string' ? /:role\/cdk-([a-z0-9_-]+)-deploy-role-/.exec(arn)?.[1] : undefined;
}

/**
 * The bootstrap version a properties object (a stack artifact's, its lookupRole's, an asset manifest artifact's)
 * requires, and where deploy reads the bootstrap stack's version: a lowered version lets deploy use an older bootstrap
 * stack than CDK requires (one without the asset bucket's encryption and policies of later versions), and another SSM
 * parameter than `/cdk-bootstrap/QUALIFIER/version` of the stack's bootstrap qualifier lets any parameter claim the
 * version. `field` prefixes the finding ('lookupRole.' for the lookup role's).
 */
export function bootstrapProblems(
  properties: Record<string, unknown>,
  minimum: number,
  qualifier: string | undefined,
  field = '',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const version = properties.requiresBootstrapStackVersion;
  if (typeof version !== 'number' || version < minimum) {
    problems.push({
      kind: `${field}requiresBootstrapStackVersion`,
      detail: `requires the bootstrap stack version ${JSON.stringify(version) ?? 'none'} (${field}requiresBootstrapStackVersion), not ${minimum} or later as CDK writes it`,
    });
  }
  const parameter = properties.bootstrapStackVersionSsmParameter;
  const form = typeof parameter === 'string' ? /^\/cdk-bootstrap\/([a-z0-9_-]+)\/version$/.exec(parameter) : null;
  if (form === null || (qualifier !== undefined && form[1] !== qualifier)) {
    problems.push({
      kind: `${field}bootstrapStackVersionSsmParameter`,
      detail: `reads the bootstrap stack version from ${JSON.stringify(parameter) ?? 'nowhere'} (${field}bootstrapStackVersionSsmParameter), not /cdk-bootstrap/${qualifier ?? 'QUALIFIER'}/version as CDK writes it`,
    });
  }
  return problems;
}

/**
 * The properties of a stack artifact the review allows, each with the values it may take (the roles and the template
 * object URL are judged by the loader; `parameters` too). A key not listed here is refused: a field a later CDK adds
 * (or a hand edit invents) may change what deploy does, and is allowed only once reviewed.
 */
const STACK_PROPERTIES: Record<string, ((value: unknown) => boolean) | 'loader'> = {
  templateFile: 'loader',
  stackName: 'loader',
  parameters: 'loader',
  assumeRoleArn: 'loader',
  cloudFormationExecutionRoleArn: 'loader',
  stackTemplateAssetObjectUrl: 'loader',
  terminationProtection: 'loader',
  requiresBootstrapStackVersion: 'loader',
  bootstrapStackVersionSsmParameter: 'loader',
  lookupRole: 'loader',
  // Whether the CLI validates the template after synth: it changes nothing deployed.
  validateOnSynth: (v) => typeof v === 'boolean',
  // The artifacts deploy orders before this one (its asset manifests): ordering only.
  additionalDependencies: (v) => Array.isArray(v) && v.every((d) => typeof d === 'string'),
  // Stack tags are passed to CloudFormation, which applies them to every resource of the stack: the gate judged the
  // resources with the tags their templates carry (the blueprint tags at its stage, which writes no stack tag), so a
  // stack tag (a DataClassification the tagged PHI stores' policies and the evidence read, an ABAC key) is refused.
  tags: (v) => v === undefined || (isObject(v) && Object.keys(v).length === 0),
  // SNS topics CloudFormation publishes every stack event to (resource names, status reasons): none, as CDK writes it
  // for the blueprint's stacks; a topic (of another account) would receive the stack's events.
  notificationArns: (v) => v === undefined || (Array.isArray(v) && v.length === 0),
  // Options of the STS call deploy makes to assume the deploy role (an external id, session tags, a session policy):
  // CDK writes none for the blueprint's stacks.
  assumeRoleExternalId: (v) => v === undefined,
  assumeRoleAdditionalOptions: (v) => v === undefined,
};

/**
 * What a stack artifact's properties would make deploy do besides deploying its template as the gate judged it, for
 * the properties the loader does not judge itself: a property not on the allow-list, a value an allowed property may
 * not take, a lowered bootstrap version or another version parameter, a lookup role of another account or with STS
 * options, and termination protection off (`cdk deploy` turns the deployed stack's protection off to match) on a
 * stack the caller says is stateful.
 */
export function stackPropertyProblems(
  properties: Record<string, unknown>,
  account: string,
  stateful: () => string | undefined,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const allowed = STACK_PROPERTIES[key];
    if (allowed === 'loader') continue;
    if (allowed === undefined) {
      problems.push({
        kind: `${key}::not-allowed`,
        detail: `has the property ${key} (${JSON.stringify(value)}), which the manifest review does not know (it allows ${Object.keys(STACK_PROPERTIES).join(', ')})`,
      });
    } else if (!allowed(value)) {
      problems.push({
        kind: key,
        detail: `has ${key} ${JSON.stringify(value)}, which CDK does not write for the blueprint's stacks`,
      });
    }
  }
  const qualifier = qualifierOf(properties.assumeRoleArn);
  // CliCredentialsStackSynthesizer writes no bootstrap version: none is required then; one written must not be lowered.
  if (
    properties.requiresBootstrapStackVersion !== undefined ||
    properties.bootstrapStackVersionSsmParameter !== undefined
  ) {
    problems.push(...bootstrapProblems(properties, MIN_BOOTSTRAP_STACK_VERSION, qualifier));
  }
  const lookup = properties.lookupRole;
  if (lookup !== undefined) {
    if (!isObject(lookup)) {
      problems.push({ kind: 'lookupRole', detail: `has the lookupRole ${JSON.stringify(lookup)}, not an object` });
    } else {
      const extra = Object.keys(lookup).filter(
        (k) => !['arn', 'requiresBootstrapStackVersion', 'bootstrapStackVersionSsmParameter'].includes(k),
      );
      if (extra.length > 0) {
        problems.push({
          kind: 'lookupRole::options',
          detail: `assumes its lookup role with ${extra.map((k) => `${k} ${JSON.stringify(lookup[k])}`).join(', ')} (lookupRole), which CDK does not write for the blueprint's stacks`,
        });
      }
      const roleAccountId = roleAccount(lookup.arn, account);
      if (roleAccountId !== account) {
        problems.push({
          kind: 'lookupRole.arn::another-account',
          detail: `looks up with the role ${JSON.stringify(lookup.arn)} (lookupRole.arn), not one of its environment's account ${account}`,
        });
      }
      problems.push(...bootstrapProblems(lookup, MIN_LOOKUP_ROLE_BOOTSTRAP_STACK_VERSION, qualifier, 'lookupRole.'));
    }
  }
  if (properties.terminationProtection !== true) {
    const why = stateful();
    if (why !== undefined) {
      problems.push({
        kind: 'terminationProtection',
        detail: `has terminationProtection ${JSON.stringify(properties.terminationProtection) ?? 'absent'}, so \`cdk deploy\` turns the deployed stack's termination protection off, while its template keeps ${why}`,
      });
    }
  }
  return problems;
}

/** What a placeholder cdk-assets fills from the deployer's credentials stands for here: any text. */
const ANY = '\u0000';

/**
 * A destination of an asset manifest with the placeholders filled in as cdk-assets fills them when `cdk deploy`
 * publishes it (cdk-assets-lib replaceAwsPlaceholders, cloud-assembly-api EnvironmentPlaceholders.replaceAsync):
 * `${AWS::Region}` is the destination's own `region` (without one, the region of the stack being deployed: not
 * known here, any text); `${AWS::AccountId}` and `${AWS::Partition}` are the deployer's credentials' account and
 * partition (any text). As replaceAsync does, a placeholder is filled only when some string of the destination holds
 * it after its second character; otherwise every occurrence becomes 'WONTHAPPEN'.
 */
export function filledDestination(destination: Record<string, unknown>): Record<string, unknown> {
  const strings: string[] = [];
  const walk = (v: unknown, f: (s: string) => string): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, f));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, f)]));
    return v;
  };
  walk(destination, (s) => (strings.push(s), s));
  const needs = (p: string): boolean => strings.some((s) => s.indexOf(p) > 1);
  const region = typeof destination.region === 'string' ? destination.region : ANY;
  const values: [string, string][] = [
    ['${AWS::Region}', needs('${AWS::Region}') ? region : 'WONTHAPPEN'],
    ['${AWS::AccountId}', needs('${AWS::AccountId}') ? ANY : 'WONTHAPPEN'],
    ['${AWS::Partition}', needs('${AWS::Partition}') ? ANY : 'WONTHAPPEN'],
  ];
  return walk(destination, (s) => values.reduce((out, [p, v]) => out.split(p).join(v), s)) as Record<string, unknown>;
}

/** Whether a filled-in value (filledDestination) is one text, with nothing left to the deployer's credentials. */
export function isExact(value: unknown): value is string {
  return typeof value === 'string' && !value.includes(ANY);
}

/** Whether a filled-in value (filledDestination) may be `text` once the deployer's credentials fill it in. */
export function mayBe(value: unknown, text: string): boolean {
  if (typeof value !== 'string') return false;
  if (!value.includes(ANY)) return value === text;
  const pattern = value
    .split(ANY)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(text);
}
