import { TAMPER_WATCHES } from '../../../../constructs/tamper-watches';
import { entries, PolicyStatementJson, statementCovers } from '../core/policy-json';
import { stringForms } from '../core/string-forms';
import { assemblyResources, AssemblyStack, StackResource } from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { roleStatements, rolesNamed } from './role-facts';

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

/** The roles of the assembly a GuardDuty malware protection plan runs as. */
function malwarePlanRoles(stacks: readonly AssemblyStack[]): StackResource[] {
  return assemblyResources(stacks, 'AWS::GuardDuty::MalwareProtectionPlan').flatMap((plan) =>
    rolesNamed(plan.resource.Properties?.Role, plan.stack, stacks),
  );
}

/**
 * U6 A3: no role the templates create is allowed an action of the tamper watch list (TAMPER_ACTIONS), on any resource,
 * by any of its policies (inline, attached, `AWS::IAM::RolePolicy`; `*`, wildcards and `NotAction` included). Such a
 * role runs code the gate does not read: a custom resource's function that, at deploy, modifies the PHI database
 * (`rds:ModifyDBInstance`: backups off, deletion protection off), stops the trail or deletes an alarm would undo what
 * the rules judged, and the tamper alert would come after the fact. GuardDuty Malware Protection's role keeps what
 * its plan needs (its managed EventBridge rule, buckets' EventBridge notifications), read statement by statement.
 * Administrators and the deployment role are not the templates' roles; the service control policies and the tamper
 * rules are for them.
 */
function check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  const malware = new Set(malwarePlanRoles(stacks).map((r) => `${r.stack.stackName}/${r.logicalId}`));
  const roles = assemblyResources(stacks, 'AWS::IAM::Role');
  for (const role of roles) {
    const isMalwareRole = malware.has(`${role.stack.stackName}/${role.logicalId}`);
    const allowed = new Set<string>();
    for (const s of roleStatements(role.stack, role.logicalId)) {
      if (s.Effect === 'Deny') continue;
      const actions = TAMPER_ACTIONS.filter((a) => statementCovers(s, a, 'possibly'));
      if (actions.length === 0 || (isMalwareRole && malwarePlanNeeds(s, actions, role.stack))) continue;
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
  return { findings, evaluated: roles.length };
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
