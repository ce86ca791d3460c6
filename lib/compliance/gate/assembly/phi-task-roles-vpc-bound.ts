import { bucketsNamed, literalForms } from '../core/bucket-names';
import { isPhiStoreIn } from '../core/phi-shapes';
import { conditionValues, deniesToEveryone, entries, PolicyStatementJson, wildcardMatches } from '../core/policy-json';
import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  inStackEnvironment,
  isObject,
  localTarget,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { bucketPolicyStatements } from '../rules/bucket-tls-only-policy';
import { namedPrincipalsOutsideVpc } from '../rules/phi-bucket-principal-allow-list';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { isPhiVpc, vpcNamedBy } from './network-facts';
import { managedPoliciesNamed, roleStatements, rolesNamed, taskRoles } from './role-facts';

const NAME = 'PhiTaskRolesVpcBound';

type Scope = 'bucket' | 'objects';
/** What a role is allowed on one bucket: each action pattern with the scope (the bucket, its objects) it names. */
type Grant = { readonly action: string; readonly scope: Scope };

/** An S3 ARN's bucket part and the key after it, from a string form (partition and prefix dropped). */
const S3_ARN = /^arn:(?:[a-z-]+|<AWS::Partition>):s3:::/;

/**
 * The scopes of `bucket` an IAM Resource value of `role`'s stack names: by reference or exact name (bucketsNamed), or
 * by a wildcard ARN that matches its name (`arn:aws:s3:::*`, `arn:aws:s3:::app-*-phi-*` and its objects). `*` names every bucket.
 */
function scopesNamed(
  value: unknown,
  role: StackResource,
  bucket: StackResource,
  stacks: readonly AssemblyStack[],
): Scope[] {
  const forms = stringForms(value, role.stack.template).forms.map((f) => inStackEnvironment(f, role.stack));
  const scopes = new Set<Scope>();
  const named = bucketsNamed(value, role.stack, stacks).some(
    (b) => b.stack === bucket.stack && b.logicalId === bucket.logicalId,
  );
  if (named) {
    for (const form of forms) {
      const path = form.replace(S3_ARN, '');
      scopes.add(path.includes('/') ? 'objects' : 'bucket');
    }
    if (scopes.size === 0) scopes.add('bucket');
  }
  const names = literalForms(bucket.resource.Properties?.BucketName, bucket.stack.template).map((n) =>
    inStackEnvironment(n, bucket.stack),
  );
  for (const form of forms) {
    if (form.includes(UNKNOWN_PART) || !(form === '*' || (S3_ARN.test(form) && form.includes('*')))) continue;
    const pattern = form === '*' ? 'arn:aws:s3:::*' : form.replace(S3_ARN, 'arn:aws:s3:::');
    for (const name of names) {
      if (wildcardMatches(pattern, `arn:aws:s3:::${name}`, false)) scopes.add('bucket');
      if (wildcardMatches(pattern, `arn:aws:s3:::${name}/any-key`, false)) scopes.add('objects');
    }
  }
  return [...scopes];
}

/** The S3 actions (patterns as written) `role` is allowed on `bucket`, with their scopes. */
function grantsOn(role: StackResource, bucket: StackResource, stacks: readonly AssemblyStack[]): Grant[] {
  const grants: Grant[] = [];
  for (const s of roleStatements(role.stack, role.logicalId, stacks)) {
    if (s.Effect !== 'Allow') continue;
    // NotAction allows every action it does not list: read as every S3 action.
    const actions =
      s.NotAction !== undefined
        ? ['s3:*']
        : entries(s.Action)
            .filter((a): a is string => typeof a === 'string')
            .filter((a) => a === '*' || /^s3:/i.test(a))
            .map((a) => (a === '*' ? 's3:*' : a));
    if (actions.length === 0) continue;
    const resources = s.NotResource !== undefined ? ['*'] : entries(s.Resource);
    for (const resource of resources) {
      for (const scope of scopesNamed(resource, role, bucket, stacks)) {
        for (const action of actions) grants.push({ action, scope });
      }
    }
  }
  // An AWS managed policy (or another account's) attached: the gate cannot read what it allows, so every S3 action.
  const attached = asList(role.resource.Properties?.ManagedPolicyArns);
  if (attached.some((arn) => localTarget(arn) === undefined && managedPoliciesNamed(arn, role.stack).length === 0)) {
    grants.push({ action: 's3:*', scope: 'bucket' }, { action: 's3:*', scope: 'objects' });
  }
  // The bucket's own policy may grant the role too (within one account a resource policy's Allow suffices), and a
  // deny excepting it (the object allow-list: aws:PrincipalArn negated) says it is meant to have what the deny covers.
  for (const s of bucketPolicyStatements(bucket.stack.template, bucket.logicalId) as PolicyStatementJson[]) {
    const principal = s.Principal;
    const excepted =
      s.Effect === 'Deny' &&
      (conditionValues(s.Condition, 'aws:PrincipalArn', 'negated') ?? []).some((p) =>
        principalMatches(p, role, bucket, stacks),
      );
    const allowed =
      s.Effect === 'Allow' &&
      isObject(principal) &&
      entries(principal.AWS).some((p) => principalMatches(p, role, bucket, stacks));
    if (!excepted && !allowed) continue;
    const actions =
      s.NotAction !== undefined ? ['s3:*'] : entries(s.Action).filter((a): a is string => typeof a === 'string');
    for (const resource of entries(s.Resource)) {
      const forms = stringForms(resource, bucket.stack.template).forms;
      const scope: Scope = forms.some((f) => f.replace(S3_ARN, '').includes('/')) ? 'objects' : 'bucket';
      for (const action of actions) grants.push({ action, scope });
    }
  }
  return grants;
}

/** Whether a principal ARN value of a bucket policy names `role`: a reference to it, or its ARN written out. */
function principalMatches(
  value: unknown,
  role: StackResource,
  bucket: StackResource,
  stacks: readonly AssemblyStack[],
): boolean {
  return rolesNamed(value, bucket.stack, stacks).some((r) => r.stack === role.stack && r.logicalId === role.logicalId);
}

/** Whether every VPC (or VPC endpoint) value of the deny is a PHI VPC of the assembly (or an endpoint in one). */
function onlyPhiVpcs(s: PolicyStatementJson, bucket: StackResource, stacks: readonly AssemblyStack[]): boolean {
  const vpcs = conditionValues(s.Condition, 'aws:SourceVpc', 'negated') ?? [];
  const endpoints = conditionValues(s.Condition, 'aws:SourceVpce', 'negated') ?? [];
  if (vpcs.length + endpoints.length === 0) return false;
  const phiVpc = (value: unknown, from: AssemblyStack): boolean => {
    const vpc = vpcNamedBy(value, from, stacks);
    return vpc !== undefined && isPhiVpc(vpc.resource);
  };
  return (
    vpcs.every((v) => phiVpc(v, bucket.stack)) &&
    endpoints.every((v) => {
      const resolved = resolveValue(v, bucket.stack, stacks);
      if (resolved.kind !== 'resource' || resolved.target.resource.Type !== 'AWS::EC2::VPCEndpoint') return false;
      return phiVpc(resolved.target.resource.Properties?.VpcId, resolved.target.stack);
    })
  );
}

/**
 * A3 N3: every task role (the role an ECS task definition runs its containers as) that is allowed an S3 action on a
 * PHI bucket of the assembly is bound to the PHI VPC by that bucket's policy: a deny to everyone of each action it is
 * allowed, on the bucket or its objects as allowed, for the principal ARNs it names (the role among them: its literal
 * ARN, or a reference to it) when the request does not come from the PHI VPC (`aws:SourceVpc` a reference to a PHI
 * VPC of the assembly, or `aws:SourceVpce` an endpoint in one), under no other condition. A task's credentials are
 * readable inside the task; so bound, they read no PHI from anywhere else. The shape of that deny alone was judged per
 * bucket (PhiBucketPrincipalAllowList), not whom it names nor which VPC: a deny naming a decoy role, or a literal VPC
 * id, or the non-PHI VPC, passed.
 */
function check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  let evaluated = 0;
  const buckets = assemblyResources(stacks, 'AWS::S3::Bucket').filter((b) =>
    isPhiStoreIn(b.stack.template, b.logicalId, context.phiBucketNames ?? []),
  );
  const roles = taskRoles(stacks);
  for (const bucket of buckets) {
    const statements = bucketPolicyStatements(bucket.stack.template, bucket.logicalId) as PolicyStatementJson[];
    for (const role of roles) {
      const grants = grantsOn(role, bucket, stacks);
      if (grants.length === 0) continue;
      evaluated++;
      const denies = (grant: Grant, vpcTest: (s: PolicyStatementJson) => boolean): boolean =>
        deniesToEveryone(
          statements,
          [grant.action],
          grant.scope,
          (s) =>
            namedPrincipalsOutsideVpc(s) &&
            (conditionValues(s.Condition, 'aws:PrincipalArn', 'positive') ?? []).some((p) =>
              principalMatches(p, role, bucket, stacks),
            ) &&
            vpcTest(s),
          bucket.logicalId,
        );
      const unbound = grants.filter((g) => !denies(g, () => true));
      const elsewhere = grants.filter((g) => !unbound.includes(g) && !denies(g, (s) => onlyPhiVpcs(s, bucket, stacks)));
      const where = `task role ${role.logicalId} (${role.stack.stackName})`;
      const list = (gs: readonly Grant[]) => [...new Set(gs.map((g) => `${g.action} on the ${g.scope}`))].join(', ');
      if (unbound.length > 0) {
        findings.push(
          finding(
            NAME,
            `${bucket.logicalId}::task-role-not-vpc-bound`,
            bucket.stack,
            bucket.logicalId,
            `PHI bucket ${bucket.logicalId} (${bucket.stack.stackName}): ${where} is allowed ${list(unbound)}, and the bucket's policy does not deny it to that role outside the PHI VPC (a deny to everyone whose aws:PrincipalArn names the role, aws:SourceVpc or aws:SourceVpce negated, no other condition): its credentials, taken from a task, read PHI from anywhere (A3 N3)`,
          ),
        );
      }
      if (elsewhere.length > 0) {
        findings.push(
          finding(
            NAME,
            `${bucket.logicalId}::vpc-not-the-phi-vpc`,
            bucket.stack,
            bucket.logicalId,
            `PHI bucket ${bucket.logicalId} (${bucket.stack.stackName}): the deny binding ${where} (${list(elsewhere)}) names a VPC or VPC endpoint that is not a PHI VPC of the assembly (a literal id, another VPC, the non-PHI VPC, a value only deploy resolves): requests from there pass (A3 N3)`,
          ),
        );
      }
    }
  }
  return { findings, evaluated };
}

export const PhiTaskRolesVpcBound: AssemblyRule = {
  name: NAME,
  info: 'A task role allowed on a PHI bucket is not denied that access from outside the PHI VPC by the bucket policy (the deny does not name it, or names another VPC).',
  explanation:
    "Access control and transmission security (164.312(a)(1), 164.312(e)(1)): a task role's credentials can be read inside its task; the bucket denies them outside the PHI VPC, so stolen credentials read no PHI from the internet or another network. The deny must name the role the tasks run as, and the VPC must be the PHI VPC.",
  safeguards: ['A3', 'N3'],
  hipaaSections: ['164.312(a)(1)', '164.312(e)(1)'],
  check,
};
