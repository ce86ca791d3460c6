import {
  HEARTBEAT_EVENT,
  HEARTBEAT_LOG_TERM,
  CLOUDTRAIL_API_CALL,
  REPLICA_FORWARDED_WATCHES,
  ROLE_TRUST_METRIC_FILTER,
  TAMPER_WATCHES,
  TamperWatch,
  watchPattern,
} from '../../../../constructs/tamper-watches';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnListAlways,
  cfnSwitchStaysOn,
  eventRuleEnabled,
  flatten,
  invokesFunctionOf,
  isObject,
  localTarget,
  memo,
  StackResource,
} from '../core/template-json';
import {
  declaredReplicaRegion,
  forwardsToAnotherRegion,
  isReplicaDetectionStack,
  mainRegionsOf,
} from './cross-region-forwarding';
import { AlarmExpectation, judgeAlarms, mutedText, notifies } from './alarm-facts';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { firesOnOneEvent } from './security-alarms-present';

const NAME = 'TamperDetectionPresent';

/** Whether `ref` names a resource of `type` in the stack of `owner`. */
function isLocal(owner: StackResource, ref: unknown, type: string): boolean {
  const id = localTarget(ref);
  return id !== undefined && owner.stack.template.Resources[id]?.Type === type;
}

const enabled = (rule: StackResource): boolean => eventRuleEnabled(rule.resource.Properties?.State);
const targetsOf = (rule: StackResource): Record<string, unknown>[] =>
  asList(rule.resource.Properties?.Targets).filter(isObject);
/** A target invoking a Lambda function of the rule's stack (the formatter). */
const formatterTargets = (rule: StackResource): Record<string, unknown>[] =>
  targetsOf(rule).filter((t) => invokesFunctionOf(rule.stack.template, t.Arn));
/** A target publishing to an SNS topic of the rule's stack. */
const topicTargets = (rule: StackResource): Record<string, unknown>[] =>
  targetsOf(rule).filter((t) => isLocal(rule, t.Arn, 'AWS::SNS::Topic'));

/** The event names a rule's pattern matches for `watch` (exact names, or prefixes for a prefix watch). */
function matches(rule: StackResource, watch: TamperWatch, name: string): boolean {
  const pattern = rule.resource.Properties?.EventPattern;
  if (!isObject(pattern) || !isObject(pattern.detail)) return false;
  if (!asList(pattern['detail-type']).includes(CLOUDTRAIL_API_CALL)) return false;
  if (!asList(pattern.detail.eventSource).includes(watch.eventSource)) return false;
  return asList(pattern.detail.eventName).some((entry) =>
    watch.matchPrefix
      ? isObject(entry) && typeof entry.prefix === 'string' && entry.prefix !== '' && name.startsWith(entry.prefix)
      : entry === name,
  );
}

/** The watch scoped to this pipeline's topic (constructs/tamper-detection.ts patternOf). */
const SCOPED_WATCHES: ReadonlySet<string> = new Set(['AlertTopic']);

/** A target that hands on something else than the matched event: a constant, a part of it, or a rewrite. */
const rewritesTheEvent = (target: Record<string, unknown>): boolean =>
  target.Input !== undefined || target.InputPath !== undefined || target.InputTransformer !== undefined;

/**
 * Whether a rule's pattern narrows nothing the watch selects: besides `detail-type`, `detail.eventSource` and
 * `detail.eventName` (which `matches` reads), it has no other field, at the top (an `account`, a `region`) or in
 * `detail` (`requestParameters`, `errorCode`, `$or`, a `userIdentity` filter), except, for a watch of direct calls
 * only, exactly its own `userIdentity.invokedBy` absent filter (watchPattern). An added field makes the rule match
 * fewer calls, none at all if no call has it.
 */
function selectsEveryCall(rule: StackResource, watch: TamperWatch): boolean {
  const pattern = rule.resource.Properties?.EventPattern;
  if (!isObject(pattern) || !isObject(pattern.detail)) return false;
  if (!Object.keys(pattern).every((k) => k === 'detail' || k === 'detail-type')) return false;
  const expected = watchPattern(watch).detail;
  return Object.entries(pattern.detail).every(
    ([k, v]) =>
      k === 'eventSource' ||
      k === 'eventName' ||
      (k === 'userIdentity' && watch.directCallsOnly === true && JSON.stringify(v) === JSON.stringify(expected[k])),
  );
}

/**
 * An alarm's action publishes to a topic of its own stack (not through the formatter), whatever deploy resolves: every
 * list of actions a condition may leave holds one (cfnListAlways).
 */
const alarmsTopicDirectly = (alarm: StackResource): boolean =>
  cfnSwitchStaysOn(alarm.resource.Properties?.ActionsEnabled) &&
  cfnListAlways(alarm.resource.Properties?.AlarmActions, (actions) =>
    actions.some((a) => isLocal(alarm, a, 'AWS::SNS::Topic')),
  );

/** A log group named as a metric filter or a function's logging config names it: a literal name where it has one. */
function logGroupKey(stack: AssemblyStack, value: unknown): string {
  const id = localTarget(value);
  const named = id !== undefined ? stack.template.Resources[id] : undefined;
  if (named?.Type === 'AWS::Logs::LogGroup') {
    const name = flatten(named.Properties?.LogGroupName);
    return name !== undefined ? `name:${name}` : `id:${id}`;
  }
  const name = flatten(value);
  return name !== undefined ? `name:${name}` : `json:${JSON.stringify(value)}`;
}

/**
 * The functions of `stack` (by logical id) that write to the log group a metric filter of that stack reads: its
 * `LoggingConfig.LogGroup`, or, without one, Lambda's own `/aws/lambda/<name>` (the filter naming the function by
 * `Fn::Join` of its `Ref`, or by its literal name).
 */
function functionsLoggingTo(stack: AssemblyStack, logGroupName: unknown): string[] {
  const wanted = logGroupKey(stack, logGroupName);
  return Object.entries(stack.template.Resources)
    .filter(([id, r]) => {
      if (r.Type !== 'AWS::Lambda::Function') return false;
      const config = r.Properties?.LoggingConfig;
      if (isObject(config) && config.LogGroup !== undefined) return logGroupKey(stack, config.LogGroup) === wanted;
      const own = [
        JSON.stringify({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: id }]] }),
        JSON.stringify({ 'Fn::Sub': `/aws/lambda/\${${id}}` }),
      ];
      const name = flatten(r.Properties?.FunctionName);
      return (
        own.includes(JSON.stringify(logGroupName)) || (name !== undefined && wanted === `name:/aws/lambda/${name}`)
      );
    })
    .map(([id]) => id);
}

/**
 * The function (`<stack name>/<logical id>`) whose liveness the heartbeat alarm proves: the one function that writes
 * to the log group of every metric filter feeding a heartbeat metric whose alarm fires when it stops (`proven`).
 * Filters feeding that metric from two functions' logs let a decoy's heartbeat keep the alarm quiet: none is proven.
 */
function provenFormatters(stacks: readonly AssemblyStack[], firingMetrics: ReadonlySet<string>): Set<string> {
  const proven = new Set<string>();
  const allFilters = assemblyResources(stacks, 'AWS::Logs::MetricFilter');
  for (const metric of firingMetrics) {
    const feeding = allFilters.filter((f) =>
      asList(f.resource.Properties?.MetricTransformations)
        .filter(isObject)
        .some((t) => `${String(t.MetricNamespace)}/${String(t.MetricName)}` === metric),
    );
    const writers = new Set(
      feeding.flatMap((f) =>
        functionsLoggingTo(f.stack, f.resource.Properties?.LogGroupName).map((id) => `${f.stack.stackName}/${id}`),
      ),
    );
    const eachFromOne = feeding.every(
      (f) => functionsLoggingTo(f.stack, f.resource.Properties?.LogGroupName).length === 1,
    );
    if (writers.size === 1 && eachFromOne) proven.add([...writers][0]!);
  }
  return proven;
}

/** Whether an alarm surely has an action and its actions are on (alarm-facts' notifies). */
const hasAction = (alarm: StackResource): boolean => notifies(alarm.resource);

/** The heartbeat alarm: no heartbeat (Sum < 1, missing data breaching) for two hourly periods in a row. */
export const firesWhenHeartbeatStops = (namespace: string, name: string): AlarmExpectation => ({
  metric: { namespace, name },
  statistics: ['Sum', 'SampleCount', 'Maximum'],
  maxPeriodSeconds: 3600,
  trigger: { below: 1 },
  quietAt: 1,
  missingData: ['breaching'],
  maxTimeToAlarmSeconds: 2 * 3600,
});

/** The formatter throttle alarm: one throttled invocation in five minutes. */
const firesOnOneThrottle = (isFormatter: (value: unknown) => boolean): AlarmExpectation => ({
  metric: { namespace: 'AWS/Lambda', name: 'Throttles', dimensions: { FunctionName: isFormatter } },
  statistics: ['Sum', 'Maximum'],
  maxPeriodSeconds: 300,
  trigger: { atLeast: 1 },
  quietAt: 0,
});

/** The backup heartbeat: no backup job of the vault completed in 26 hours (missing data breaching). */
export const FIRES_WHEN_NO_BACKUP_COMPLETES: AlarmExpectation = {
  metric: { namespace: 'AWS/Backup', name: 'NumberOfBackupJobsCompleted', extraDimensions: true },
  statistics: ['Sum', 'Maximum', 'SampleCount'],
  maxPeriodSeconds: 26 * 3600,
  trigger: { below: 1 },
  quietAt: 1,
  missingData: ['breaching'],
};

/**
 * The alert-path heartbeat as the templates hold it: the scheduled rules sending the heartbeat event to a function of
 * their stack, the metric filters counting its log lines, the alarms, and the alert formatter they prove (the one
 * function a heartbeat rule targets whose log group the alarmed heartbeat metric counts: `stackName/logicalId`).
 */
function heartbeatFacts(stacks: readonly AssemblyStack[], rules: readonly StackResource[]) {
  // The heartbeat: a scheduled rule sending the heartbeat event (not any scheduled Lambda, e.g. the access volume
  // check) to a function of its stack. That function is the alert formatter, whose heartbeat lines are counted.
  const beats = rules.filter(
    (r) =>
      r.resource.Properties?.ScheduleExpression !== undefined &&
      formatterTargets(r).some((t) =>
        JSON.stringify(t.InputTransformer ?? t.Input ?? '').includes(HEARTBEAT_EVENT.source),
      ),
  );
  const functionKey = (rule: StackResource, target: Record<string, unknown>): string =>
    `${rule.stack.stackName}/${localTarget(target.Arn) ?? ''}`;
  // The heartbeat metric filters, and the metrics of theirs an alarm publishing to the topic directly watches so
  // that it fires when the heartbeat stops (judged with findings below).
  const filters = assemblyResources(stacks, 'AWS::Logs::MetricFilter').filter((f) =>
    (flatten(f.resource.Properties?.FilterPattern) ?? '').includes(HEARTBEAT_LOG_TERM),
  );
  const alarms = assemblyResources(stacks, 'AWS::CloudWatch::Alarm');
  const heartbeatMetrics = filters.flatMap((f) =>
    asList(f.resource.Properties?.MetricTransformations)
      .filter(isObject)
      .map((t) => ({ namespace: String(t.MetricNamespace), name: String(t.MetricName) })),
  );
  const firingMetrics = new Set(
    heartbeatMetrics
      .filter(
        (m) =>
          judgeAlarms(alarms.filter(alarmsTopicDirectly), firesWhenHeartbeatStops(m.namespace, m.name)).firing.length >
          0,
      )
      .map((m) => `${m.namespace}/${m.name}`),
  );
  // The formatter is the function a heartbeat rule targets whose log group the alarmed heartbeat metric counts, and
  // only that one: a decoy function with a decoy heartbeat rule is not. Without a heartbeat proving one (its own
  // finding), the heartbeat rules' functions count; without those either, any function of the stack.
  const proven = provenFormatters(stacks, firingMetrics);
  const beatTargets = beats.flatMap((r) => formatterTargets(r).map((t) => functionKey(r, t)));
  const provenBeatTargets = beatTargets.filter((k) => proven.has(k));
  const heartbeatFunctions = new Set(provenBeatTargets.length > 0 ? provenBeatTargets : beatTargets);
  return { beats, functionKey, filters, alarms, provenBeatTargets, heartbeatFunctions };
}

/** The enabled EventBridge rules of the main region's stacks (not the replica region's detection stack's). */
function mainRegionRules(stacks: readonly AssemblyStack[]): StackResource[] {
  const replicaStacks = stacks.filter(isReplicaDetectionStack);
  return assemblyResources(
    stacks.filter((s) => !replicaStacks.includes(s)),
    'AWS::Events::Rule',
  ).filter(enabled);
}

/**
 * The alert formatters the heartbeat proves alive (`stackName/logicalId`): the functions other rules may hand events
 * whose content must not reach a log or a person as it is (PhiObjectEventsStayInside). Empty without a proving
 * heartbeat (TamperDetectionPresent's own finding).
 */
export function provenAlertFormatters(stacks: readonly AssemblyStack[]): ReadonlySet<string> {
  return new Set(heartbeatFactsOf(stacks).provenBeatTargets);
}

/** heartbeatFacts of the main region's rules, once per run over the same assembly (two rules read them). */
function heartbeatFactsOf(stacks: readonly AssemblyStack[]): ReturnType<typeof heartbeatFacts> {
  return memo('heartbeatFacts', stacks, () => heartbeatFacts(stacks, mainRegionRules(stacks)));
}

/**
 * U6 and D3: every watched action of TAMPER_WATCHES (constructs/tamper-watches.ts) has an enabled EventBridge rule on
 * its CloudTrail API calls with the formatter as a target; the rules about the alert path also publish to the topic
 * directly through an input transformer (never the raw event); a scheduled heartbeat runs through the formatter,
 * a metric filter counts it and an alarm that breaches on missing data publishes to the topic directly; the
 * formatter has a throttle alarm publishing to the topic directly.
 */
export const TamperDetectionPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'A tamper-evidence rule, its target, the direct alert path, the alert-path heartbeat or the formatter throttle alarm is missing, or one of its alarms cannot fire (statistic, period, threshold, datapoints to alarm, missing data).',
  explanation:
    'Changes to the audit trail, the audit archive, keys, detection services and the alert path raise an alert that does not depend on a single component (164.312(b), 164.308(a)(1)(ii)(D), 164.308(a)(6)(ii)).',
  safeguards: ['U6', 'D3'],
  hipaaSections: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const anchor = stacks.find((s) => resourcesIn(s, 'AWS::SNS::Topic')) ?? stacks[0];
    if (anchor === undefined) return { findings, evaluated: 0 };
    // The replica region's detection stack forwards its tamper events to the main region's bus (checked below); its
    // rules are not the main region's tamper rules.
    const replicaStacks = stacks.filter(isReplicaDetectionStack);
    // Where forwarded events must go: the regions of the other stacks (the alert rules are there), when stated.
    const mainRegions = mainRegionsOf(stacks);
    const rules = mainRegionRules(stacks);
    let evaluated = 0;
    const report = (id: string, at: StackResource | undefined, description: string): void => {
      findings.push(finding(NAME, id, at?.stack ?? anchor, at?.logicalId, description));
    };
    const { beats, functionKey, filters, alarms, provenBeatTargets, heartbeatFunctions } = heartbeatFactsOf(stacks);
    // A tamper rule's function must be the one the heartbeat goes through: another function of the stack (one that
    // ignores its event) alerts nobody.
    const theFormatter = (rule: StackResource): Record<string, unknown>[] =>
      formatterTargets(rule).filter(
        (t) => heartbeatFunctions.size === 0 || heartbeatFunctions.has(functionKey(rule, t)),
      );

    for (const watch of TAMPER_WATCHES) {
      evaluated++;
      // Every watch but the formatter's and the topic's covers the whole account: a rule narrowed to some resources
      // (a requestParameters filter), some callers, some accounts or failed calls only does not cover it.
      const candidates = SCOPED_WATCHES.has(watch.id) ? rules : rules.filter((r) => selectsEveryCall(r, watch));
      const covering = candidates.filter((r) => watch.eventNames.some((n) => matches(r, watch, n)));
      const missing = watch.eventNames.filter((n) => !covering.some((r) => matches(r, watch, n)));
      if (missing.length > 0) {
        report(
          `${watch.id}::not-watched`,
          undefined,
          `No enabled EventBridge rule matches ${watch.eventSource} ${missing.join(', ')} (${watch.what}) (U6)`,
        );
      }
      for (const rule of covering) {
        if (theFormatter(rule).length === 0) {
          report(
            `${watch.id}::no-formatter-target`,
            rule,
            `Tamper rule ${rule.logicalId} does not invoke the alert formatter (the function the heartbeat goes through) (U6, D3)`,
          );
        } else if (theFormatter(rule).some(rewritesTheEvent)) {
          report(
            `${watch.id}::formatter-input-rewritten`,
            rule,
            `Tamper rule ${rule.logicalId} hands the formatter something else than the event (Input, InputPath or InputTransformer): a constant heartbeat input would be logged and never alerted (U6, D3)`,
          );
        }
        if (!watch.alertPath) continue;
        const direct = topicTargets(rule);
        if (direct.length === 0) {
          report(
            `${watch.id}::no-direct-target`,
            rule,
            `Tamper rule ${rule.logicalId} about the alert path does not publish to the topic directly: the formatter is a single point of silence (U6, D3)`,
          );
        } else if (direct.some((t) => !isObject(t.InputTransformer))) {
          report(
            `${watch.id}::direct-raw-event`,
            rule,
            `Tamper rule ${rule.logicalId} publishes the raw event to the topic: the direct alert must be an input transformer of metadata (D3)`,
          );
        }
      }
    }

    for (const replica of replicaStacks) {
      const forwarding = assemblyResources([replica], 'AWS::Events::Rule')
        .filter(enabled)
        .filter((r) =>
          targetsOf(r).some((t) => forwardsToAnotherRegion(t, replica, declaredReplicaRegion(replica), mainRegions)),
        );
      for (const watch of REPLICA_FORWARDED_WATCHES) {
        evaluated++;
        // The event as it is: a forwarding target that rewrites it forwards something else.
        const missing = watch.eventNames.filter(
          (n) =>
            !forwarding.some(
              (r) =>
                selectsEveryCall(r, watch) &&
                matches(r, watch, n) &&
                !targetsOf(r).some(
                  (t) =>
                    forwardsToAnotherRegion(t, replica, declaredReplicaRegion(replica), mainRegions) &&
                    rewritesTheEvent(t),
                ),
            ),
        );
        if (missing.length > 0) {
          report(
            `ReplicaRegion::${watch.id}::not-forwarded`,
            undefined,
            `The PHI replica region's stack ${replica.stackName} forwards no ${watch.eventSource} ${missing.join(', ')} (${watch.what}) to the main region's event bus, so tampering there raises no alert (U6)`,
          );
        }
      }
    }

    evaluated++;
    if (beats.length === 0) {
      report(
        'Heartbeat::no-schedule',
        undefined,
        'No scheduled EventBridge rule sends a heartbeat through the alert formatter (D3)',
      );
    }
    if (filters.length === 0) {
      report(
        'Heartbeat::no-metric-filter',
        undefined,
        `No metric filter counts the formatter's '${HEARTBEAT_LOG_TERM}' lines (D3)`,
      );
    } else {
      const metrics = filters.flatMap((f) =>
        asList(f.resource.Properties?.MetricTransformations)
          .filter(isObject)
          .map((t) => `${String(t.MetricNamespace)}/${String(t.MetricName)}`),
      );
      const watching = alarms.filter((a) =>
        metrics.includes(`${String(a.resource.Properties?.Namespace)}/${String(a.resource.Properties?.MetricName)}`),
      );
      if (watching.length === 0) {
        report(
          'Heartbeat::no-alarm',
          filters[0],
          `The heartbeat metric filter ${filters[0]!.logicalId} has no alarm (D3)`,
        );
      } else if (
        !watching.some((a) => a.resource.Properties?.TreatMissingData === 'breaching' && alarmsTopicDirectly(a))
      ) {
        report(
          'Heartbeat::alarm-not-direct',
          watching[0],
          `The heartbeat alarm ${watching[0]!.logicalId} must breach on missing data and publish to the topic directly (D3)`,
        );
      } else {
        const direct = watching.filter(alarmsTopicDirectly);
        const verdicts = filters.flatMap((f) =>
          asList(f.resource.Properties?.MetricTransformations)
            .filter(isObject)
            .map((t) => judgeAlarms(direct, firesWhenHeartbeatStops(String(t.MetricNamespace), String(t.MetricName)))),
        );
        if (!verdicts.some((v) => v.firing.length > 0)) {
          const v = verdicts.find((x) => x.muted.length > 0) ?? verdicts[0]!;
          report(
            'Heartbeat::cannot-fire',
            v.muted[0]?.alarm ?? watching[0],
            `The alert path heartbeat ${mutedText(v)} (D3)`,
          );
        } else if (beats.length > 0 && provenBeatTargets.length === 0) {
          report(
            'Heartbeat::not-the-formatter',
            filters[0],
            "The alarmed heartbeat metric does not count the log lines of one function a heartbeat rule targets (its metric filters read another function's log group, or the log groups of two functions, one of which may be a decoy): the heartbeat proves no alert formatter alive (D3)",
          );
        }
      }
    }

    evaluated++;
    const throttles = alarms.filter(
      (a) => a.resource.Properties?.MetricName === 'Throttles' && a.resource.Properties?.Namespace === 'AWS/Lambda',
    );
    const formatters = new Set(
      rules.flatMap((r) => theFormatter(r).map((t) => `${r.stack.stackName}/${localTarget(t.Arn)}`)),
    );
    const onFormatter = throttles.filter((a) =>
      asList(a.resource.Properties?.Dimensions)
        .filter(isObject)
        .some((d) => d.Name === 'FunctionName' && formatters.has(`${a.stack.stackName}/${localTarget(d.Value)}`)),
    );
    if (onFormatter.length === 0) {
      report('FormatterThrottle::absent', undefined, 'The alert formatter has no throttle alarm (D3)');
    } else if (!onFormatter.some(alarmsTopicDirectly)) {
      report(
        'FormatterThrottle::not-direct',
        onFormatter[0],
        `The formatter throttle alarm ${onFormatter[0]!.logicalId} does not publish to the topic directly (D3)`,
      );
    } else {
      const isFormatter = (stack: AssemblyStack) => (value: unknown) =>
        formatters.has(`${stack.stackName}/${localTarget(value)}`);
      const direct = onFormatter.filter(alarmsTopicDirectly);
      const verdicts = direct.map((a) => judgeAlarms([a], firesOnOneThrottle(isFormatter(a.stack))));
      if (!verdicts.some((v) => v.firing.length > 0)) {
        const v = verdicts.find((x) => x.muted.length > 0)!;
        report('FormatterThrottle::cannot-fire', v.muted[0]!.alarm, `The formatter throttle ${mutedText(v)} (D3)`);
      }
    }

    // Role trust changes from every region: a metric filter on a log group (the trail's) with an alarm with an action.
    evaluated++;
    const trustFilters = assemblyResources(stacks, 'AWS::Logs::MetricFilter').filter(
      (f) => flatten(f.resource.Properties?.FilterPattern) === ROLE_TRUST_METRIC_FILTER.filterPattern,
    );
    const trustMetrics = trustFilters.flatMap((f) =>
      asList(f.resource.Properties?.MetricTransformations)
        .filter(isObject)
        .map((t) => `${String(t.MetricNamespace)}/${String(t.MetricName)}`),
    );
    const trustAlarms = alarms.filter(
      (a) =>
        trustMetrics.includes(
          `${String(a.resource.Properties?.Namespace)}/${String(a.resource.Properties?.MetricName)}`,
        ) && hasAction(a),
    );
    if (trustAlarms.length === 0) {
      report(
        'RoleTrust::no-trail-alarm',
        trustFilters[0],
        'No metric filter on the trail log group with an alarm with an action watches UpdateAssumeRolePolicy (IAM events reach EventBridge in us-east-1 only) (U6)',
      );
    } else {
      const verdicts = trustFilters.flatMap((f) =>
        asList(f.resource.Properties?.MetricTransformations)
          .filter(isObject)
          .map((t) =>
            judgeAlarms(
              trustAlarms,
              firesOnOneEvent({ namespace: String(t.MetricNamespace), name: String(t.MetricName) }),
            ),
          ),
      );
      if (!verdicts.some((v) => v.firing.length > 0)) {
        const v = verdicts.find((x) => x.muted.length > 0)!;
        report('RoleTrust::cannot-fire', v.muted[0]!.alarm, `The role trust change ${mutedText(v)} (U6)`);
      }
    }

    // The backup heartbeat: where a backup vault holds PHI, an alarm fires when no job completed (missing data).
    const vaults = assemblyResources(stacks, 'AWS::Backup::BackupVault');
    if (vaults.length > 0) {
      evaluated++;
      const heartbeat = alarms.filter(
        (a) =>
          a.resource.Properties?.Namespace === 'AWS/Backup' &&
          a.resource.Properties?.MetricName === 'NumberOfBackupJobsCompleted',
      );
      const acting = heartbeat.filter((a) => a.resource.Properties?.TreatMissingData === 'breaching' && hasAction(a));
      if (acting.length === 0) {
        report(
          'BackupHeartbeat::absent',
          heartbeat[0] ?? vaults[0],
          'No alarm with an action fires when no backup job completed (NumberOfBackupJobsCompleted, missing data breaching): a deleted plan would stop backups silently (I1, U6)',
        );
      } else {
        const verdict = judgeAlarms(acting, FIRES_WHEN_NO_BACKUP_COMPLETES);
        if (verdict.firing.length === 0) {
          report(
            'BackupHeartbeat::cannot-fire',
            verdict.muted[0]!.alarm,
            `The backup heartbeat ${mutedText(verdict)} (I1, U6)`,
          );
        }
      }
    }
    return { findings, evaluated };
  },
};

/** Whether the stack holds a resource of `type`. */
function resourcesIn(stack: AssemblyStack, type: string): boolean {
  return Object.values(stack.template.Resources ?? {}).some((r) => r.Type === type);
}
