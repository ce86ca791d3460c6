import { KEY_DOMAIN_METADATA } from '../../../../constructs/core/markers';
import { literalForms, sameBucketName } from '../core/bucket-names';
import {
  conditionValues,
  entries,
  isAnyPrincipal,
  PolicyStatementJson,
  readPolicyDocument,
  statementCovers,
} from '../core/policy-json';
import {
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  cfnListForms,
  inStackEnvironment,
  isObject,
  metadataOf,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { isPhiStoreIn } from '../core/phi-shapes';
import { bucketPolicyStatements } from '../rules/bucket-tls-only-policy';
import type { ConfiguredAllowLists } from '../../../config/principals';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { rolesNamed } from './role-facts';

const NAME = 'AllowListsAsConfigured';

/** What the PHI bucket's object allow-list guards: an exception to a deny of any of them is an object principal. */
const OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'];

/**
 * A principal ARN value as the config writes ARNs: a literal (pseudo parameters written in from the stack), or the ARN
 * of a role a reference names (its literal name); undefined when the template does not say it.
 */
function principalArn(value: unknown, stack: AssemblyStack, stacks: readonly AssemblyStack[]): string | undefined {
  const resolved = resolveValue(value, stack, stacks);
  if (resolved.kind === 'literal') return inStackEnvironment(resolved.value, stack);
  if (resolved.kind === 'resource' && resolved.target.resource.Type === 'AWS::IAM::Role') {
    const role = resolved.target;
    const names = literalForms(role.resource.Properties?.RoleName, role.stack.template);
    const path = role.resource.Properties?.Path;
    if (names.length !== 1) return undefined;
    return inStackEnvironment(
      `arn:<AWS::Partition>:iam::<AWS::AccountId>:role${typeof path === 'string' ? path : '/'}${names[0]}`,
      role.stack,
    );
  }
  return undefined;
}

/** The principals a list of values names beyond `allowed` (a value the template does not say is named as written). */
function beyond(
  values: readonly unknown[],
  allowed: readonly string[],
  stack: AssemblyStack,
  stacks: readonly AssemblyStack[],
): string[] {
  return values.map((v) => principalArn(v, stack, stacks) ?? JSON.stringify(v)).filter((arn) => !allowed.includes(arn));
}

/** Findings on the allow-list denies of a PHI bucket's policy. */
function bucketExtras(
  bucket: StackResource,
  principals: { objectPrincipalArns: readonly string[]; policyAdministratorArns: readonly string[] },
  stacks: readonly AssemblyStack[],
): string[] {
  const extras = new Set<string>();
  for (const s of bucketPolicyStatements(bucket.stack.template, bucket.logicalId) as PolicyStatementJson[]) {
    if (s.Effect !== 'Deny' || !isAnyPrincipal(s.Principal)) continue;
    const exceptions = conditionValues(s.Condition, 'aws:PrincipalArn', 'negated');
    if (exceptions === undefined) continue;
    const objects = OBJECT_ACTIONS.some((a) => statementCovers(s, a, 'possibly'));
    const allowed = objects ? principals.objectPrincipalArns : principals.policyAdministratorArns;
    for (const arn of beyond(exceptions, allowed, bucket.stack, stacks)) extras.add(arn);
  }
  return [...extras];
}

/** The principals a key policy's Allow statements name beyond `allowed` (root of its own account aside). */
function keyExtras(key: StackResource, allowed: readonly string[], stacks: readonly AssemblyStack[]): string[] {
  // As an object or as the same JSON in a string; one only deploy resolves is KmsKeySafeguards' finding.
  const statements = readPolicyDocument(key.resource.Properties?.KeyPolicy).statements;
  const extras = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const named = conditionValues(s.Condition, 'aws:PrincipalArn', 'positive') ?? [];
    const principal = s.Principal;
    const direct = isObject(principal) ? entries(principal.AWS) : typeof principal === 'string' ? [principal] : [];
    // The account as the principal (its root user's ARN, in config's list, or its id) delegates to IAM.
    const account = key.stack.account !== undefined ? [key.stack.account] : [];
    for (const arn of beyond([...named, ...direct], [...allowed, ...account], key.stack, stacks)) extras.add(arn);
  }
  return [...extras];
}

/**
 * The URLs a user pool client may send a signed-in or signed-out user to that config does not name (signInRedirects):
 * each entry of CallbackURLs, LogoutURLs and DefaultRedirectURI, in every list a condition may choose, must be a literal
 * URL config names; an entry or list written with an intrinsic is named as written. Cognito hands an authorization code (and, with the implicit
 * flow, the tokens) to any URL on a client's list: one added by hand sends a user's sign-in to whoever serves it.
 */
function redirectExtras(
  client: StackResource,
  redirects: NonNullable<ConfiguredAllowLists['signInRedirects']>,
): string[] {
  const p = client.resource.Properties ?? {};
  const extras = new Set<string>();
  const judge = (value: unknown, allowed: readonly string[]): void => {
    const forms = cfnListForms(value);
    if (forms === undefined) {
      extras.add(JSON.stringify(value));
      return;
    }
    // Literal URLs only (config writes them so): a URL built with an intrinsic may have a part only deploy knows
    // (Fn::Select of a Sub with AWS::StackName passed, the attacker review of the next sitting).
    for (const entry of forms.flat()) {
      if (typeof entry !== 'string') extras.add(JSON.stringify(entry));
      else if (!allowed.includes(entry)) extras.add(entry);
    }
  };
  judge(p.CallbackURLs, redirects.callbackUrls);
  judge(p.LogoutURLs, redirects.logoutUrls);
  if (!cfnAbsent(p.DefaultRedirectURI)) judge([p.DefaultRedirectURI], redirects.callbackUrls);
  return [...extras];
}

/** The roles of the assembly the allow-lists name: PHI buckets' deny exceptions, keys' named principals. */
function allowListedRoles(stacks: readonly AssemblyStack[], phiBucketNames: readonly string[]): StackResource[] {
  const named = new Map<string, StackResource>();
  const add = (values: readonly unknown[], stack: AssemblyStack): void => {
    for (const v of values) {
      for (const role of rolesNamed(v, stack, stacks)) named.set(roleKey(role), role);
    }
  };
  for (const bucket of assemblyResources(stacks, 'AWS::S3::Bucket')) {
    if (!isPhiStoreIn(bucket.stack.template, bucket.logicalId, phiBucketNames)) continue;
    for (const s of bucketPolicyStatements(bucket.stack.template, bucket.logicalId) as PolicyStatementJson[]) {
      if (s.Effect === 'Deny') add(conditionValues(s.Condition, 'aws:PrincipalArn', 'negated') ?? [], bucket.stack);
    }
  }
  for (const key of assemblyResources(stacks, 'AWS::KMS::Key')) {
    for (const s of readPolicyDocument(key.resource.Properties?.KeyPolicy).statements) {
      if (s.Effect === 'Allow') add(conditionValues(s.Condition, 'aws:PrincipalArn', 'positive') ?? [], key.stack);
    }
  }
  return [...named.values()];
}

const roleKey = (role: StackResource): string => `${role.stack.stackName}/${role.stack.file}/${role.logicalId}`;

/**
 * The service that assumes a role a resource of each type names (its task, replication, delivery, backup, scan,
 * monitoring or flow log role): what passes the role to the service.
 */
const SERVICE_OF_USER: Readonly<Record<string, string>> = {
  'AWS::ECS::TaskDefinition': 'ecs-tasks.amazonaws.com',
  'AWS::S3::Bucket': 's3.amazonaws.com',
  'AWS::KinesisFirehose::DeliveryStream': 'firehose.amazonaws.com',
  'AWS::Lambda::Function': 'lambda.amazonaws.com',
  'AWS::Events::Rule': 'events.amazonaws.com',
  'AWS::Backup::BackupSelection': 'backup.amazonaws.com',
  'AWS::Backup::RestoreTestingSelection': 'backup.amazonaws.com',
  'AWS::GuardDuty::MalwareProtectionPlan': 'malware-protection-plan.guardduty.amazonaws.com',
  'AWS::CloudTrail::Trail': 'cloudtrail.amazonaws.com',
  'AWS::RDS::DBInstance': 'monitoring.rds.amazonaws.com',
  'AWS::EC2::FlowLog': 'vpc-flow-logs.amazonaws.com',
  'AWS::Config::ConfigurationRecorder': 'config.amazonaws.com',
};

/** Property names that hand a role to a service (`Role`, `TaskRoleArn`, `RoleARN`, `DeliverLogsPermissionArn`...). */
const ROLE_PROPERTY = /(Role|RoleArn|RoleARN|PermissionArn)$/;

/** The services each role of the assembly is handed to, by the resources that name it (SERVICE_OF_USER). */
function servicesUsing(stacks: readonly AssemblyStack[]): Map<string, Set<string>> {
  const uses = new Map<string, Set<string>>();
  for (const stack of stacks) {
    for (const [, resource] of Object.entries(stack.template.Resources)) {
      const service = SERVICE_OF_USER[resource.Type];
      if (service === undefined) continue;
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) return v.forEach(walk);
        if (!isObject(v)) return;
        for (const [k, inner] of Object.entries(v)) {
          if (ROLE_PROPERTY.test(k)) {
            for (const role of rolesNamed(inner, stack, stacks)) {
              const set = uses.get(roleKey(role)) ?? new Set<string>();
              set.add(service);
              uses.set(roleKey(role), set);
            }
          }
          walk(inner);
        }
      };
      walk(resource.Properties);
    }
  }
  return uses;
}

/**
 * Why a role an allow-list names may be assumed by more than the service it is for (undefined: it may not): its trust
 * policy lets an AWS account, role, user or federated identity assume it (`NotPrincipal`, a principal other than a
 * service, or what only deploy resolves), or a service no resource of the assembly hands it to (whoever may pass it
 * to that service, e.g. to Lambda, runs code as it). A statement that may be an Allow (an Effect only deploy resolves
 * too) counts.
 */
function trustProblem(
  role: StackResource,
  services: ReadonlySet<string>,
): 'trusts-people' | 'trusts-unused-service' | undefined {
  const trust = readPolicyDocument(role.resource.Properties?.AssumeRolePolicyDocument);
  // A trust only deploy resolves may let anyone assume it.
  if (trust.unreadable !== undefined) return 'trusts-people';
  const statements = trust.statements;
  let unused = false;
  for (const s of statements) {
    if (s.Effect === 'Deny') continue;
    if (s.NotPrincipal !== undefined) return 'trusts-people';
    const principal = s.Principal;
    if (!isObject(principal) || Object.keys(principal).some((k) => k !== 'Service')) return 'trusts-people';
    if (entries(principal.Service).some((svc) => typeof svc !== 'string' || !services.has(svc))) unused = true;
  }
  return unused ? 'trusts-unused-service' : undefined;
}

/**
 * E1 A3: with config (the environment's principals, lib/config/principals.ts configuredAllowLists), every principal
 * the allow-lists name is one config names for them: each exception of a PHI bucket's denies to everyone (the object
 * allow-list: the task, replication, backup, Macie and malware scan roles; the policy and configuration denies: the
 * deployment role), and each principal a key policy allows by name (aws:PrincipalArn, or as its Principal), per key
 * domain (HipaaBlueprint::KeyDomain). PhiBucketPrincipalAllowList and KeyUseByNamedPrincipals judge that the lists are
 * exact; this rule judges whom they name: an administrator's role added to the template's lists, not to config,
 * was allowed to read PHI. A principal added through config is config's choice, listed in the evidence. Without config
 * (a template checked alone) nothing is compared.
 */
function check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  let evaluated = 0;
  const uses = servicesUsing(stacks);
  for (const role of allowListedRoles(stacks, context.phiBucketNames ?? [])) {
    evaluated++;
    const services = uses.get(roleKey(role)) ?? new Set<string>();
    const problem = trustProblem(role, services);
    if (problem === undefined) continue;
    const what =
      problem === 'trusts-people'
        ? 'its trust policy lets an AWS account, role, user or federated identity assume it: whoever assumes it reads what the allow-list lets it'
        : `its trust policy lets a service assume it that no resource of the assembly hands it to (it is for ${[...services].join(', ') || 'none'}): whoever may pass it to that service (a Lambda function, say) runs code as it`;
    findings.push(
      finding(
        NAME,
        `${role.logicalId}::allow-listed-role-${problem}`,
        role.stack,
        role.logicalId,
        `Role ${role.logicalId} (${role.stack.stackName}) is on a PHI allow-list (a PHI bucket's deny exception or a key's named principal) and ${what} (E1 A3); a role on an allow-list is assumed by the service it is for only`,
      ),
    );
  }
  const lists = context.allowLists;
  if (lists === undefined) return { findings, evaluated };
  for (const bucket of assemblyResources(stacks, 'AWS::S3::Bucket')) {
    const names = literalForms(bucket.resource.Properties?.BucketName, bucket.stack.template);
    const configured = Object.entries(lists.buckets).find(([name]) => names.some((n) => sameBucketName(n, name)));
    if (configured === undefined) continue;
    evaluated++;
    const extras = bucketExtras(bucket, configured[1], stacks);
    if (extras.length > 0) {
      findings.push(
        finding(
          NAME,
          `${bucket.logicalId}::principal-not-in-config`,
          bucket.stack,
          bucket.logicalId,
          `PHI bucket ${bucket.logicalId} (${bucket.stack.stackName}): its policy excepts ${extras.join(', ')} from a deny to everyone, which config does not name for it (lib/config/principals.ts phiBucketPrincipals): the template's allow-list was widened by hand (E1 A3)`,
        ),
      );
    }
  }
  for (const key of assemblyResources(stacks, 'AWS::KMS::Key')) {
    const domain = metadataOf(key.resource, KEY_DOMAIN_METADATA);
    // By the key's region; where the stack names none, any region's list for the marker.
    const regions = key.stack.region !== undefined ? [key.stack.region] : Object.keys(lists.keys);
    const found = regions.flatMap((r) => (typeof domain === 'string' ? (lists.keys[r]?.[domain] ?? []) : []));
    const allowed = found.length > 0 ? found : undefined;
    if (allowed === undefined) continue;
    evaluated++;
    const extras = keyExtras(key, allowed, stacks);
    if (extras.length > 0) {
      findings.push(
        finding(
          NAME,
          `${key.logicalId}::principal-not-in-config`,
          key.stack,
          key.logicalId,
          `Key ${key.logicalId} (${key.stack.stackName}, domain ${String(domain)}): its policy allows ${extras.join(', ')}, which config does not name for that key (lib/config/principals.ts keyPrincipals): the template's allow-list was widened by hand (E1 A3)`,
        ),
      );
    }
  }
  const redirects = lists.signInRedirects;
  for (const client of redirects === undefined ? [] : assemblyResources(stacks, 'AWS::Cognito::UserPoolClient')) {
    evaluated++;
    const extras = redirectExtras(client, redirects!);
    if (extras.length > 0) {
      findings.push(
        finding(
          NAME,
          `${client.logicalId}::redirect-not-in-config`,
          client.stack,
          client.logicalId,
          `User pool client ${client.logicalId} (${client.stack.stackName}) may send users after sign-in or sign-out to ${extras.join(', ')}, which config does not name (lib/config/names.ts signInRedirects: the load balancer's https://<config.domain.name>/oauth2/idpresponse and https://<config.domain.name>/): Cognito hands a user's authorization code to whoever serves a URL on the list (A2 E1)`,
        ),
      );
    }
  }
  return { findings, evaluated };
}

export const AllowListsAsConfigured: AssemblyRule = {
  name: NAME,
  info: "A PHI bucket's or a key's allow-list names a principal config does not name for it, or a user pool client may redirect a user after sign-in or sign-out to a URL config does not name.",
  explanation:
    "Access control and encryption (164.312(a)(1), 164.312(a)(2)(iv)): the principals that may read PHI or use its keys are a reviewed config choice; a principal added to a template by hand bypasses that review. Person authentication (164.312(d)): a sign-in's authorization code goes only to the load balancer config serves the application on.",
  safeguards: ['E1', 'A3', 'A2'],
  hipaaSections: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.312(d)'],
  check,
};
