import { TAMPER_WATCHES } from '../../../../constructs/tamper-watches';
import { entries, PolicyStatementJson, statementCovers } from '../core/policy-json';
import { stringForms } from '../core/string-forms';
import { asList, assemblyResources, AssemblyStack, cfnAbsent, isObject, StackResource } from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { documentStatements, roleStatements, rolesNamed } from './role-facts';

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
 * only deploy resolves): the roles code runs as. A role only accounts, roles or federated identities assume is a
 * person's (the break-glass role): its MFA, session and use alarms are other rules'.
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
 * rules are for them, and so are roles only people assume (serviceMayAssume). CDK's removal of the default security
 * groups' rules keeps its statements (restrictsDefaultGroups). Every Lambda function runs as a role of the assembly
 * (so its role is judged here).
 */
function check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  const malware = new Set(malwarePlanRoles(stacks).map((r) => `${r.stack.stackName}/${r.logicalId}`));
  const roles = assemblyResources(stacks, 'AWS::IAM::Role');
  for (const role of roles) {
    if (!serviceMayAssume(role)) continue;
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
  info: 'A role the templates create is allowed an action of the tamper watch list (stopping the trail, modifying the PHI database, deleting an alarm, a key, a rule...).',
  explanation:
    'Audit controls and integrity (164.312(b), 164.312(c)(1)): a role the templates create runs code the gate does not read; allowed a tamper action, it can undo at deploy what the rules judged (backups, deletion protection, the trail, the alert path).',
  safeguards: ['U6', 'A3'],
  hipaaSections: ['164.312(b)', '164.312(c)(1)', '164.308(a)(4)'],
  check,
};
