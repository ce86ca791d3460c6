import {
  HOURS_SINCE_VALIDATED_METRIC,
  MAX_RECOVERY_TIME_OBJECTIVE_HOURS,
  PHI_KEY_ARN_ENV,
  RESTORE_DURATION_METRIC,
  RESTORE_JOB_DETAIL_TYPE,
  RESTORE_SUCCEEDED_METRIC,
  RESTORE_TESTING_NAMESPACE,
  RESTORED_BUCKET_INSPECTION_ACTIONS,
  RESTORED_DATABASE_INSPECTION_ACTIONS,
} from '../../../../constructs/phi-restore-validation';
import { isPhiStore } from '../core/phi-shapes';
import { clusterMembership } from '../core/rds-cluster-member';
import {
  asList,
  AssemblyStack,
  eventRuleEnabled,
  isObject,
  JsonResource,
  localTarget,
  resolveValue,
  resourcesOf,
  StackResource,
  templateDeclaration,
} from '../core/template-json';
import { AlarmExpectation, AlarmVerdict, judgeAlarms, mutedText, notifies } from './alarm-facts';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { referencedIds } from './backup-facts';

const NAME = 'RestoreTestsValidated';
/** A weekly plan (168 h) that starts within its 24-hour window: the no-validated-test threshold is at most this + RTO. */
const WEEKLY_PLAN_SLACK_HOURS = 168 + 24;
/** The restore test alarms look at a day: a weekly test publishes once, the freshness check every 6 hours. */
const DAY_SECONDS = 86400;

/** Logical ids of the Lambda functions an enabled EventBridge rule's targets name. */
function targetFunctions(stack: AssemblyStack, rule: JsonResource): string[] {
  const resources = stack.template.Resources;
  return asList(rule.Properties?.Targets).flatMap((target) =>
    referencedIds(isObject(target) ? target.Arn : undefined).filter(
      (id) => resources[id]?.Type === 'AWS::Lambda::Function',
    ),
  );
}

/** Whether an enabled scheduled EventBridge rule of `stack` invokes the function `id` (the freshness check). */
function scheduled(stack: AssemblyStack, id: string): boolean {
  return resourcesOf(stack.template, 'AWS::Events::Rule').some(
    ([, r]) =>
      eventRuleEnabled(r.Properties?.State) &&
      typeof r.Properties?.ScheduleExpression === 'string' &&
      targetFunctions(stack, r).includes(id),
  );
}

/** The Lambda functions of `stack` that an enabled EventBridge rule on AWS Backup restore job events invokes. */
function validationFunctions(stack: AssemblyStack): [string, JsonResource][] {
  const ids = new Set<string>();
  for (const [, rule] of resourcesOf(stack.template, 'AWS::Events::Rule')) {
    const p = rule.Properties ?? {};
    if (!eventRuleEnabled(p.State) || !isObject(p.EventPattern)) continue;
    const sources = asList(p.EventPattern.source);
    const detailTypes = asList(p.EventPattern['detail-type']);
    if (!sources.includes('aws.backup') || !detailTypes.includes(RESTORE_JOB_DETAIL_TYPE)) continue;
    for (const id of targetFunctions(stack, rule)) ids.add(id);
  }
  return [...ids].map((id) => [id, stack.template.Resources[id]!]);
}

/** The function's environment variable `name`, when it is a literal. */
function environmentOf(fn: JsonResource, name: string): unknown {
  const env = fn.Properties?.Environment;
  return isObject(env) && isObject(env.Variables) ? env.Variables[name] : undefined;
}

/** The alarms of `stack` (to judge against the expectations below). */
function alarmsOf(stack: AssemblyStack): StackResource[] {
  return resourcesOf(stack.template, 'AWS::CloudWatch::Alarm').map(([logicalId, resource]) => ({
    stack,
    logicalId,
    resource,
  }));
}

/** A restore test metric of one resource type, published by the validation function. */
const restoreMetric = (namespace: string, name: string, type: string) => ({
  namespace,
  name,
  dimensions: { ResourceType: type },
});

/**
 * The restore duration alarm: a restore test longer than the objective (the longest duration of a day above at most
 * the RTO) raises it the same day.
 */
export const firesOnSlowRestore = (namespace: string, type: string, rtoHours: number): AlarmExpectation => ({
  metric: restoreMetric(namespace, RESTORE_DURATION_METRIC, type),
  statistics: ['Maximum'],
  maxPeriodSeconds: DAY_SECONDS,
  trigger: { above: rtoHours },
  quietAt: 0,
});

/**
 * The no-validated-test alarm: the hours since the last SUCCESSFUL validation above at most a week + 24 h + the RTO,
 * and no datapoint at all (the freshness check did not run) breaching.
 */
export const firesWhenNotValidated = (namespace: string, type: string, limitHours: number): AlarmExpectation => ({
  metric: restoreMetric(namespace, HOURS_SINCE_VALIDATED_METRIC, type),
  statistics: ['Maximum'],
  maxPeriodSeconds: DAY_SECONDS,
  trigger: { above: limitHours },
  quietAt: 0,
  missingData: ['breaching'],
});

/** The failed-test alarm: one FAILED validation (0) of the day, whatever else succeeded (Minimum < 1). */
export const firesOnFailedRestore = (namespace: string, type: string): AlarmExpectation => ({
  metric: restoreMetric(namespace, RESTORE_SUCCEEDED_METRIC, type),
  statistics: ['Minimum'],
  maxPeriodSeconds: DAY_SECONDS,
  trigger: { atMost: 0 },
  quietAt: 1,
});

/** The alarms that fire as `expected` for any of the namespaces, and the verdicts (for the findings' text). */
function judgeIn(
  alarms: readonly StackResource[],
  namespaces: ReadonlySet<string>,
  expected: (namespace: string) => AlarmExpectation,
): AlarmVerdict {
  const verdicts = [...namespaces].map((ns) => judgeAlarms(alarms, expected(ns)));
  return {
    watching: verdicts.flatMap((v) => v.watching),
    firing: verdicts.flatMap((v) => v.firing),
    muted: verdicts.flatMap((v) => v.muted).sort((x, y) => x.reasons.length - y.reasons.length),
  };
}

/** " (alarm X cannot fire as required: ...)" when an alarm reads the metric but none fires, else "". */
const because = (verdict: AlarmVerdict): string => (verdict.muted.length > 0 ? ` (${mutedText(verdict)})` : '');

/** `stackName/logicalId` of the KMS key `value` names (followed across stacks), or undefined. */
function keyOf(value: unknown, stack: AssemblyStack, stacks: readonly AssemblyStack[]): string | undefined {
  const r = resolveValue(value, stack, stacks);
  if (r.kind !== 'resource' || r.target.resource.Type !== 'AWS::KMS::Key') return undefined;
  return `${r.target.stack.stackName}/${r.target.logicalId}`;
}

/** The keys (`stackName/logicalId`) of the PHI databases of `stack` (what the restore tests restore). */
function phiDatabaseKeys(stack: AssemblyStack, stacks: readonly AssemblyStack[]): Set<string> {
  const keys = new Set<string>();
  for (const [, r] of resourcesOf(stack.template)) {
    const p = r.Properties ?? {};
    // An instance is a database of its own unless it surely is a member of a cluster of the template (AWS::NoValue is
    // no cluster; a cluster the template does not hold cannot be judged, so its member counts as its own database).
    const member = (): boolean => clusterMembership(stack.template, r).kind === 'cluster';
    const database = r.Type === 'AWS::RDS::DBCluster' || (r.Type === 'AWS::RDS::DBInstance' && !member());
    if (!database || !isPhiStore(r)) continue;
    const key = keyOf(p.KmsKeyId, stack, stacks);
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

/** Whether an IAM action pattern (with * and ?) covers `action`. */
const covers = (pattern: string, action: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(action);

/** The actions the Allow statements of the function's role's policies (managed and inline, same stack) grant. */
function allowedActions(stack: AssemblyStack, fn: JsonResource): string[] {
  const role = localTarget(fn.Properties?.Role);
  if (role === undefined) return [];
  const actions: string[] = [];
  for (const [, policy] of resourcesOf(stack.template)) {
    if (policy.Type !== 'AWS::IAM::ManagedPolicy' && policy.Type !== 'AWS::IAM::Policy') continue;
    if (!asList(policy.Properties?.Roles).some((r) => localTarget(r) === role)) continue;
    const document = policy.Properties?.PolicyDocument;
    for (const statement of asList(isObject(document) ? document.Statement : undefined).filter(isObject)) {
      if (statement.Effect !== 'Allow') continue;
      actions.push(...asList(statement.Action).filter((a): a is string => typeof a === 'string'));
    }
  }
  return actions;
}

/**
 * I1: every restore test is validated against the recovery time objective the template declares
 * (Metadata.HipaaBlueprint.recoveryTimeObjectiveHours, 1-72 h). In each stack with a restore testing plan: an enabled
 * EventBridge rule on AWS Backup "Restore Job State Change" events invokes a Lambda function whose RTO_HOURS is at most
 * the declared objective and which a schedule also runs (the freshness check); and for each restore tested type (RDS,
 * Aurora, S3) two alarms with actions read that function's metrics: the restore duration above a threshold no higher
 * than the objective, and the hours since a restore test was validated SUCCESSFUL above at most a week + the 24-hour
 * start window + the objective (missing data breaching, so a check that never ran alarms too). The function also
 * inspects the restored copy: its PHI_KEY_ARN must name the key of the PHI database the plan restores (followed across
 * stacks), and its role must be allowed the inspection reads of the restored types (RDS Describe, S3 configuration
 * reads and listing).
 */
export const RestoreTestsValidated: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'A restore testing plan whose tests are not validated against the declared recovery time objective: no validation function on AWS Backup restore job events, an RTO over the declared one, no duration / no-validated-test alarm per restore tested type, or a function that cannot inspect the restored copy (no PHI key ARN of the PHI store, no inspection permissions).',
  explanation:
    'Contingency plans are tested and revised (164.308(a)(7)(ii)(D)); the HIPAA proposed rule asks for restore within 72 hours: a restore test that nobody checks, or whose duration is never compared with the objective, proves neither.',
  safeguards: ['I1'],
  hipaaSections: ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(D)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    for (const stack of stacks) {
      if (resourcesOf(stack.template, 'AWS::Backup::RestoreTestingPlan').length === 0) continue;
      const at = (id: string, logicalId: string | undefined, text: string) =>
        findings.push(finding(NAME, id, stack, logicalId, `${text} (${stack.stackName}, I1)`));
      const types = [
        ...new Set(
          resourcesOf(stack.template, 'AWS::Backup::RestoreTestingSelection')
            .map(([, s]) => s.Properties?.ProtectedResourceType)
            .filter((t): t is string => typeof t === 'string'),
        ),
      ].sort();
      evaluated += 2 + types.length;

      const declared = templateDeclaration(stack.template)?.recoveryTimeObjectiveHours;
      const rtoDeclared =
        typeof declared === 'number' &&
        Number.isInteger(declared) &&
        declared >= 1 &&
        declared <= MAX_RECOVERY_TIME_OBJECTIVE_HOURS;
      if (!rtoDeclared) {
        at(
          'RTO::undeclared',
          undefined,
          `The template has restore tests but declares no recovery time objective of 1-${MAX_RECOVERY_TIME_OBJECTIVE_HOURS} whole hours (Metadata.HipaaBlueprint.recoveryTimeObjectiveHours = ${JSON.stringify(declared)})`,
        );
      }
      // Without a declaration the alarms are held to the proposed rule's 72 hours.
      const rto = rtoDeclared ? declared : MAX_RECOVERY_TIME_OBJECTIVE_HOURS;

      const functions = validationFunctions(stack);
      if (functions.length === 0) {
        at(
          'Validation::missing',
          undefined,
          `No enabled EventBridge rule on AWS Backup '${RESTORE_JOB_DETAIL_TYPE}' events invokes a validation Lambda function: restore tests run but nobody validates them`,
        );
      }
      const namespaces = new Set<string>();
      const phiKeys = phiDatabaseKeys(stack, stacks);
      const inspectionActions = [
        ...(types.some((t) => t === 'RDS' || t === 'Aurora') ? RESTORED_DATABASE_INSPECTION_ACTIONS : []),
        ...(types.includes('S3') ? RESTORED_BUCKET_INSPECTION_ACTIONS : []),
      ];
      for (const [id, fn] of functions) {
        evaluated += 2;
        const envKey = environmentOf(fn, PHI_KEY_ARN_ENV);
        const named = envKey === undefined ? undefined : keyOf(envKey, stack, stacks);
        if (named === undefined) {
          at(
            `${id}::no-phi-key`,
            id,
            `The restore validation function ${id} has no ${PHI_KEY_ARN_ENV} naming a KMS key of the assembly: it cannot check that a restored copy is encrypted with the PHI key`,
          );
        } else if (phiKeys.size > 0 && !phiKeys.has(named)) {
          at(
            `${id}::not-the-phi-key`,
            id,
            `The restore validation function ${id} checks restored copies against ${named} (${PHI_KEY_ARN_ENV}), not the key of the PHI database it restores (${[...phiKeys].join(', ')})`,
          );
        }
        const allowed = allowedActions(stack, fn);
        const missing = inspectionActions.filter((a) => !allowed.some((p) => covers(p, a)));
        if (missing.length > 0) {
          at(
            `${id}::no-inspection-permissions`,
            id,
            `The role of the restore validation function ${id} is not allowed ${missing.join(', ')}: it cannot inspect the restored copies`,
          );
        }
        const fnRto = Number(environmentOf(fn, 'RTO_HOURS'));
        if (!Number.isFinite(fnRto) || fnRto <= 0 || fnRto > rto) {
          at(
            `${id}::rto-over-declared`,
            id,
            `The restore validation function ${id} validates against RTO_HOURS = ${JSON.stringify(environmentOf(fn, 'RTO_HOURS'))}: must be a positive number of hours, at most the declared recovery time objective of ${rto} h`,
          );
        }
        if (!scheduled(stack, id)) {
          at(
            `${id}::no-freshness-check`,
            id,
            `No enabled scheduled EventBridge rule invokes the restore validation function ${id}: nothing publishes the hours since the last validated restore test`,
          );
        }
        const namespace = environmentOf(fn, 'METRIC_NAMESPACE');
        namespaces.add(typeof namespace === 'string' ? namespace : RESTORE_TESTING_NAMESPACE);
      }
      if (namespaces.size === 0) namespaces.add(RESTORE_TESTING_NAMESPACE);

      const alarms = alarmsOf(stack);
      for (const type of types) {
        const duration = judgeIn(alarms, namespaces, (ns) => firesOnSlowRestore(ns, type, rto));
        const acting = duration.watching.filter((a) => notifies(a.resource));
        if (acting.length === 0) {
          at(
            `${type}::no-duration-alarm`,
            undefined,
            `No alarm with actions on ${RESTORE_DURATION_METRIC} of ${type} restore tests: a restore slower than the recovery time objective goes unnoticed`,
          );
        } else if (duration.firing.length === 0) {
          const muted = duration.muted.find((m) => acting.includes(m.alarm)) ?? duration.muted[0]!;
          at(
            `${type}::duration-over-rto`,
            muted.alarm.logicalId,
            `The ${type} restore duration alarm ${muted.alarm.logicalId} cannot fire on a restore test longer than the declared recovery time objective of ${rto} h, within a day: ${muted.reasons.join('; ')}`,
          );
        }
        const limit = WEEKLY_PLAN_SLACK_HOURS + rto;
        const notValidated = judgeIn(alarms, namespaces, (ns) => firesWhenNotValidated(ns, type, limit));
        const failed = judgeIn(alarms, namespaces, (ns) => firesOnFailedRestore(ns, type));
        if (failed.firing.length === 0) {
          at(
            `${type}::no-failed-alarm`,
            undefined,
            `No alarm with actions fires when a ${type} restore test is validated FAILED (${RESTORE_SUCCEEDED_METRIC} Minimum below 1): a restored copy that fails its checks is noticed only when the not-validated window runs out${because(failed)}`,
          );
        }
        if (notValidated.firing.length === 0) {
          at(
            `${type}::no-not-validated-alarm`,
            undefined,
            `No alarm with actions fires when no ${type} restore test was validated SUCCESSFUL for ${limit} h (${HOURS_SINCE_VALIDATED_METRIC} above at most ${limit}, missing data breaching): a restore test that stops running, or fails every week, goes unnoticed${because(notValidated)}`,
          );
        }
      }
    }
    return { findings, evaluated };
  },
};
