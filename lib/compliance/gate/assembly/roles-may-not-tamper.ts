import { TAMPER_WATCHES } from '../../../../constructs/tamper-watches';
import { actionMatches, entries, PolicyStatementJson, statementCovers } from '../core/policy-json';
import { stringForms } from '../core/string-forms';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  inStackEnvironment,
  isObject,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { documentStatements, managedPoliciesNamed, roleArnsOf, roleStatements, rolesNamed } from './role-facts';

const NAME = 'RolesMayNotTamper';

/** The IAM service prefix of a CloudTrail event source (CloudWatch records as `monitoring`). */
const IAM_PREFIX: Readonly<Record<string, string>> = { monitoring: 'cloudwatch' };

/**
 * Every IAM action the tamper watch list names (constructs/tamper-watches.ts): switching off the trail, weakening the
 * audit archive or a PHI bucket, handing out or destroying a key, blinding a detection service, silencing an alarm, a
 * rule, a function or the topic, modifying or exporting the PHI database. Lambda's event names carry an API version
 * suffix: the action is the name without it.
 */
export const TAMPER_ACTIONS: readonly string[] = [
  ...new Set(
    TAMPER_WATCHES.flatMap((w) => {
      const source = w.eventSource.split('.')[0]!;
      return w.eventNames.map((n) => `${IAM_PREFIX[source] ?? source}:${n}`);
    }),
  ),
];

/**
 * Actions that are not on the watch list (CloudTrail records them, no tamper rule alerts on them) but let a role's
 * code do the same at one remove, or copy PHI out: give itself or another role more rights, run code as another role,
 * copy, restore, stop or delete the database and its snapshots, switch off the network safeguards (flow logs, the
 * web ACL, security groups, endpoints), or run an automation or a stack as another principal.
 */
export const ESCALATION_ACTIONS: readonly string[] = [
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:CreateRole',
  'iam:PassRole',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:CreateAccessKey',
  'iam:CreateUser',
  'sts:AssumeRole',
  'lambda:CreateFunction',
  'rds:CreateDBInstanceReadReplica',
  'rds:RestoreDBInstanceToPointInTime',
  'rds:RestoreDBClusterToPointInTime',
  'rds:RestoreDBClusterFromSnapshot',
  'rds:CreateDBSnapshot',
  'rds:CreateDBClusterSnapshot',
  'rds:StopDBInstance',
  'rds:StopDBCluster',
  'rds:DeleteDBSnapshot',
  'rds:DeleteDBClusterSnapshot',
  'rds:ModifyDBCluster',
  'rds:DeleteDBCluster',
  'rds:ModifyDBClusterParameterGroup',
  'ec2:DeleteFlowLogs',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:DeleteVpcEndpoints',
  'ec2:ModifyVpcEndpoint',
  'ec2:CreateRoute',
  'ec2:ReplaceRoute',
  'ec2:AttachInternetGateway',
  'ec2:CreateVpcPeeringConnection',
  'wafv2:DisassociateWebACL',
  'wafv2:AssociateWebACL',
  'wafv2:UpdateWebACL',
  'wafv2:DeleteWebACL',
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:DeleteListener',
  'ssm:StartAutomationExecution',
  'ssm:SendCommand',
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:DeleteStack',
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectAcl',
  'backup:DeleteRecoveryPoint',
  'secretsmanager:PutResourcePolicy',
  'secretsmanager:DeleteSecret',
];

/** Every action the rule refuses, by IAM service prefix (lower case). */
const REFUSED_BY_SERVICE: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const action of [...TAMPER_ACTIONS, ...ESCALATION_ACTIONS]) {
    const service = action.split(':')[0]!.toLowerCase();
    map.set(service, [...(map.get(service) ?? []), action]);
  }
  return map;
})();
const ALL_REFUSED: readonly string[] = [...REFUSED_BY_SERVICE.values()].flat();

/**
 * The refused actions a statement may cover, narrowed by the services its Action names (most statements name a few
 * services): every one for NotAction, a pattern whose service part is a wildcard, or one only deploy resolves.
 */
function candidateActions(s: PolicyStatementJson): readonly string[] {
  if (s.NotAction !== undefined) return ALL_REFUSED;
  const services = new Set<string>();
  for (const a of entries(s.Action)) {
    if (typeof a !== 'string' || !a.includes(':') || /[*?]/.test(a.split(':')[0]!)) return ALL_REFUSED;
    services.add(a.split(':')[0]!.toLowerCase());
  }
  return [...services].flatMap((service) => REFUSED_BY_SERVICE.get(service) ?? []);
}

/** The prefix of the EventBridge rule GuardDuty Malware Protection for S3 manages (AWS GuardDuty User Guide). */
const MALWARE_RULE = /:rule\/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3\*$/;

/**
 * Whether a statement of GuardDuty Malware Protection's role is the one its plan needs (AWS GuardDuty User Guide, "IAM
 * role permissions" of Malware Protection for S3): EventBridge actions on its managed rule only, and turning on the
 * EventBridge notifications (`s3:PutBucketNotification`) of buckets, not objects.
 */
function malwarePlanNeeds(s: PolicyStatementJson, actions: readonly string[], stack: AssemblyStack): boolean {
  const resources = entries(s.Resource).map((r) => stringForms(r, stack.template));
  if (s.NotResource !== undefined || resources.length === 0 || resources.some((r) => !r.complete)) return false;
  const forms = resources.flatMap((r) => r.forms);
  if (actions.every((a) => a.startsWith('events:'))) return forms.every((f) => MALWARE_RULE.test(f));
  if (actions.every((a) => a === 's3:PutBucketNotification')) {
    return forms.every((f) => /^arn:[^:]+:s3:::[^/*]+$/.test(f));
  }
  return false;
}

/**
 * Whether a statement only changes the rules of VPCs' default security groups (CDK's `restrictDefaultSecurityGroup`
 * custom resource removes them): security group rule actions on resources that are each an ARN ending in a VPC's
 * `DefaultSecurityGroup` attribute.
 */
function restrictsDefaultGroups(s: PolicyStatementJson, actions: readonly string[]): boolean {
  if (
    s.NotResource !== undefined ||
    !actions.every((a) => /^ec2:(Authorize|Revoke)SecurityGroup(Ingress|Egress)$/.test(a))
  )
    return false;
  const resources = entries(s.Resource);
  return (
    resources.length > 0 &&
    resources.every((r) => {
      if (!isObject(r) || !Array.isArray(r['Fn::Join'])) return false;
      const parts = asList(r['Fn::Join'][1]);
      const last = parts[parts.length - 1];
      return (
        parts.length === 2 &&
        typeof parts[0] === 'string' &&
        /:security-group\/$/.test(parts[0]) &&
        isObject(last) &&
        Array.isArray(last['Fn::GetAtt']) &&
        last['Fn::GetAtt'][1] === 'DefaultSecurityGroup'
      );
    })
  );
}

/**
 * Whether an AWS service may assume a role (a trust statement that may allow a service principal, everyone, or what
 * only deploy resolves): the roles code runs as.
 */
function serviceMayAssume(role: StackResource): boolean {
  const trust = role.resource.Properties?.AssumeRolePolicyDocument;
  return documentStatements(trust).some((s) => {
    if (s.Effect === 'Deny') return false;
    if (s.NotPrincipal !== undefined) return true;
    const principal = s.Principal;
    if (!isObject(principal)) return true;
    return (
      principal.Service !== undefined ||
      Object.keys(principal).some((k) => !['AWS', 'Federated'].includes(k)) ||
      entries(principal.AWS).some((p) => typeof p !== 'string' || p === '*')
    );
  });
}

/**
 * Whether a federated identity may assume a role (a trust statement that may allow a `Federated` principal: an OIDC or
 * SAML provider, Cognito identity pools): whoever the identity provider lets in (a CI workflow of any repository its
 * condition admits, say), with no MFA the trust policy can require and no alarm on AssumeRole.
 */
function federatedMayAssume(role: StackResource): boolean {
  const trust = role.resource.Properties?.AssumeRolePolicyDocument;
  return documentStatements(trust).some(
    (s) => s.Effect !== 'Deny' && isObject(s.Principal) && s.Principal.Federated !== undefined,
  );
}

/** Whether a role's trust policy has a statement that may allow someone (an Effect other than Deny). */
function allowsAnyone(role: StackResource): boolean {
  return documentStatements(role.resource.Properties?.AssumeRolePolicyDocument).some((s) => s.Effect !== 'Deny');
}

/**
 * Every action the shipped break-glass policy allows (constructs/break-glass-role.ts breakGlassStatements, with
 * containment), kept here: the bound of what a person's role of the templates may be allowed. The gate does not read
 * the construct's list, so a construct that grants more fails the gate instead of widening it (a test pins that the
 * construct grants nothing beyond these): investigate read-only, read the logs (masked PHI included, for the
 * investigation the role exists for), and contain (revoke security group rules, stop the database, scale or stop tasks).
 */
export const PEOPLE_ROLE_ACTIONS: readonly string[] = [
  'cloudtrail:LookupEvents',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
  'logs:DescribeLogGroups',
  'logs:DescribeLogStreams',
  'logs:DescribeMetricFilters',
  'logs:StopQuery',
  'logs:GetQueryResults',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DescribeAlarmHistory',
  'cloudwatch:GetMetricData',
  'cloudwatch:ListMetrics',
  'config:DescribeConfigRules',
  'config:DescribeComplianceByConfigRule',
  'config:GetComplianceDetailsByConfigRule',
  'config:GetResourceConfigHistory',
  'config:SelectResourceConfig',
  'guardduty:ListDetectors',
  'guardduty:ListFindings',
  'guardduty:GetFindings',
  'securityhub:GetFindings',
  'ecs:DescribeClusters',
  'ecs:DescribeServices',
  'ecs:DescribeTasks',
  'ecs:ListClusters',
  'ecs:ListServices',
  'ecs:ListTasks',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:ListRoles',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  's3:GetBucketPolicy',
  's3:GetBucketLogging',
  's3:GetBucketVersioning',
  's3:GetBucketPublicAccessBlock',
  's3:ListAllMyBuckets',
  'kms:DescribeKey',
  'kms:ListKeys',
  'kms:ListAliases',
  'ec2:Describe*',
  'rds:Describe*',
  'elasticloadbalancing:Describe*',
  'logs:FilterLogEvents',
  'logs:GetLogEvents',
  'logs:StartQuery',
  'logs:GetLogRecord',
  'logs:StartLiveTail',
  'logs:Unmask',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
  'rds:StopDBInstance',
  'rds:StopDBCluster',
  'ecs:UpdateService',
  'ecs:StopTask',
];

/**
 * The grants of a person's role beyond the shipped break-glass actions (PEOPLE_ROLE_ACTIONS): an action that is none of
 * them and that none of their patterns covers (a pattern of its own must be one of them), `NotAction` (everything it
 * does not list) and an action only deploy resolves.
 */
function beyondPeopleRoleActions(statements: readonly PolicyStatementJson[]): string[] {
  const extra = new Set<string>();
  for (const s of statements) {
    if (s.Effect === 'Deny') continue;
    if (s.NotAction !== undefined) extra.add(`NotAction ${JSON.stringify(s.NotAction)}`);
    for (const a of s.NotAction !== undefined ? [] : entries(s.Action)) {
      if (typeof a !== 'string') extra.add(JSON.stringify(a));
      else if (
        /[*?]/.test(a)
          ? !PEOPLE_ROLE_ACTIONS.some((p) => p.toLowerCase() === a.toLowerCase())
          : !PEOPLE_ROLE_ACTIONS.some((p) => actionMatches(p, a))
      )
        extra.add(a);
    }
  }
  return [...extra].sort();
}

/**
 * Whether a role is one config defines for people (the break-glass role: ConfiguredAllowLists.peopleRoleArns), by the
 * ARNs it may have. Without config (a template checked alone) any role is: its grants are still bounded by the shipped
 * break-glass actions.
 */
function configuredPeopleRole(role: StackResource, context: AssemblyContext): boolean {
  const configured = context.allowLists?.peopleRoleArns;
  if (configured === undefined) return true;
  return roleArnsOf(role).some((arn) => configured.includes(arn));
}

/** The roles of the assembly a GuardDuty malware protection plan runs as. */
function malwarePlanRoles(stacks: readonly AssemblyStack[]): StackResource[] {
  return assemblyResources(stacks, 'AWS::GuardDuty::MalwareProtectionPlan').flatMap((plan) =>
    rolesNamed(plan.resource.Properties?.Role, plan.stack, stacks),
  );
}

/**
 * U6 A3: no role the templates create is allowed an action of the tamper watch list (TAMPER_ACTIONS) or one that does
 * the same at one remove or copies PHI out (ESCALATION_ACTIONS), on any resource,
 * by any of its policies (inline, attached, `AWS::IAM::RolePolicy`; `*`, wildcards and `NotAction` included). Such a
 * role runs code the gate does not read: a custom resource's function that, at deploy, modifies the PHI database
 * (`rds:ModifyDBInstance`: backups off, deletion protection off), stops the trail or deletes an alarm would undo what
 * the rules judged, and the tamper alert would come after the fact. GuardDuty Malware Protection's role keeps what
 * its plan needs (its managed EventBridge rule, buckets' EventBridge notifications), read statement by statement.
 * Administrators and the deployment role are not the templates' roles; the service control policies and the tamper
 * rules are for them. The one person's role the templates create, the break-glass role (config's peopleRoleArns; any
 * role only AWS principals assume when there is no config), keeps its containment actions (its MFA, session and use
 * alarm are other rules'), but may be allowed nothing beyond the shipped break-glass policy's actions
 * (`people-role-beyond-shipped`, A5). A role a federated identity may assume (an OIDC or SAML provider's, a Cognito
 * identity pool's), or any other role people assume, is judged like the roles code runs as. CDK's removal of the
 * default security groups' rules keeps its statements (restrictsDefaultGroups). Every Lambda function runs as a role
 * of the assembly (so its role is judged here). The rule reads actions only, on any resource: `NotResource` (every
 * resource but those listed) covers as much as `Resource: '*'`.
 */
/**
 * The entries of `role`'s ManagedPolicyArns whose policy the gate cannot read: neither a managed policy of the
 * assembly (by reference, across stacks too, or by its ARN written out) nor an AWS managed policy (`iam::aws:policy/`,
 * which the packs judge: AwsSolutions-IAM4). A customer managed policy made outside the assembly may allow any action of
 * the watch list; the role's permissions would be what the gate never saw (the attacker review of 2026-12-04, third
 * round: the database-users provisioner given another policy of the account passed).
 */
function unreadablePolicies(role: StackResource, stacks: readonly AssemblyStack[]): unknown[] {
  return asList(role.resource.Properties?.ManagedPolicyArns).filter((arn) => {
    const resolved = resolveValue(arn, role.stack, stacks);
    if (resolved.kind === 'resource') return resolved.target.resource.Type !== 'AWS::IAM::ManagedPolicy';
    if (stacks.some((s) => managedPoliciesNamed(arn, s, role.stack).length > 0)) return false;
    const { forms, complete } = stringForms(resolved.kind === 'literal' ? resolved.value : arn, role.stack.template);
    return (
      !complete ||
      forms.length === 0 ||
      forms.some(
        (f) =>
          !/^arn:[^:]+:iam::aws:policy\//.test(inStackEnvironment(f, role.stack).replace(/<AWS::Partition>/, 'aws')),
      )
    );
  });
}

function check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  const malware = new Set(malwarePlanRoles(stacks).map((r) => `${r.stack.stackName}/${r.logicalId}`));
  const roles = assemblyResources(stacks, 'AWS::IAM::Role');
  for (const role of roles) {
    const unreadable = unreadablePolicies(role, stacks);
    if (unreadable.length > 0) {
      findings.push(
        finding(
          NAME,
          `${role.logicalId}::policy-outside-assembly`,
          role.stack,
          role.logicalId,
          `Role ${role.logicalId} (${role.stack.stackName}) attaches ${unreadable.map((u) => JSON.stringify(u)).join(', ')}, a managed policy that is neither of the assembly nor AWS managed: what it allows (a tamper action, PHI out) is not in the templates the gate read (U6 A3)`,
        ),
      );
    }
    const judged = serviceMayAssume(role) || federatedMayAssume(role);
    // A trust policy that allows no one (none at all: CloudFormation refuses the role): no session to judge.
    if (!judged && !allowsAnyone(role)) continue;
    if (!judged && configuredPeopleRole(role, context)) {
      const extra = beyondPeopleRoleActions(roleStatements(role.stack, role.logicalId, stacks));
      if (extra.length > 0) {
        findings.push(
          finding(
            NAME,
            `${role.logicalId}::people-role-beyond-shipped`,
            role.stack,
            role.logicalId,
            `Role ${role.logicalId} (${role.stack.stackName}) is a role people assume (only AWS principals trust it) and is allowed ${extra.slice(0, 6).join(', ')}${extra.length > 6 ? ` and ${extra.length - 6} more` : ''}, beyond what the shipped break-glass policy allows (constructs/break-glass-role.ts): emergency access is to investigate and contain, not to change IAM, read secrets or shorten backups (A3 A5)`,
          ),
        );
      }
      continue;
    }
    const isMalwareRole = malware.has(`${role.stack.stackName}/${role.logicalId}`);
    const allowed = new Set<string>();
    for (const s of roleStatements(role.stack, role.logicalId, stacks)) {
      if (s.Effect === 'Deny') continue;
      const actions = candidateActions(s).filter((a) => statementCovers(s, a, 'possibly'));
      if (actions.length === 0 || (isMalwareRole && malwarePlanNeeds(s, actions, role.stack))) continue;
      if (restrictsDefaultGroups(s, actions)) continue;
      actions.forEach((a) => allowed.add(a));
    }
    if (allowed.size === 0) continue;
    const list = [...allowed].sort();
    findings.push(
      finding(
        NAME,
        `${role.logicalId}::may-tamper`,
        role.stack,
        role.logicalId,
        `Role ${role.logicalId} (${role.stack.stackName}) is allowed ${list.slice(0, 6).join(', ')}${list.length > 6 ? ` and ${list.length - 6} more` : ''}, actions of the tamper watch list: code running as it (a custom resource's function, which no rule reads) can switch a safeguard off at deploy, the alert coming after the fact (U6 A3)`,
      ),
    );
  }
  // A function running as a role the templates do not create (another account's, an administrator's): what it may do
  // is not in the assembly to judge.
  const functions = assemblyResources(stacks, 'AWS::Lambda::Function');
  for (const fn of functions) {
    // No Role at all: CloudFormation refuses the function (Role is required), nothing deploys to judge.
    const role = fn.resource.Properties?.Role;
    if (cfnAbsent(role) || rolesNamed(role, fn.stack, stacks).length > 0) continue;
    findings.push(
      finding(
        NAME,
        `${fn.logicalId}::role-outside-assembly`,
        fn.stack,
        fn.logicalId,
        `Function ${fn.logicalId} (${fn.stack.stackName}) runs as ${JSON.stringify(fn.resource.Properties?.Role)}, not a role of the assembly: what its code may do (switch a safeguard off, read PHI) is not in the templates to judge (U6 A3)`,
      ),
    );
  }
  return { findings, evaluated: roles.length + functions.length };
}

export const RolesMayNotTamper: AssemblyRule = {
  name: NAME,
  info: 'A role the templates create is allowed an action of the tamper watch list (stopping the trail, modifying the PHI database, deleting an alarm, a key, a rule...), or attaches a managed policy that is neither of the assembly nor AWS managed (what it allows is not in the templates).',
  explanation:
    'Audit controls and integrity (164.312(b), 164.312(c)(1)): a role the templates create runs code the gate does not read; allowed a tamper action, it can undo at deploy what the rules judged (backups, deletion protection, the trail, the alert path).',
  safeguards: ['U6', 'A3', 'A5'],
  hipaaSections: ['164.312(b)', '164.312(c)(1)', '164.308(a)(4)'],
  check,
};
