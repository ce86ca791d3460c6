import {
  CRITICAL_FINDINGS_AGE_ENV,
  CRITICAL_FINDINGS_AGE_METRIC,
  CRITICAL_FINDINGS_AGE_NAMESPACE,
} from '../../../../constructs/critical-findings-age-check';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  eventRuleEnabled,
  isObject,
  localTarget,
  StackResource,
} from '../core/template-json';
import { AlarmExpectation, AlarmVerdict, judgeAlarms, mutedText } from './alarm-facts';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { detectionDeclaration } from './detection-services-present';

const NAME = 'CriticalFindingAgeAlarm';

/** The check's functions: Lambda functions whose environment names the maximum age. */
function checkFunctions(stacks: readonly AssemblyStack[]): StackResource[] {
  return assemblyResources(stacks, 'AWS::Lambda::Function').filter(({ resource }) => {
    const env = resource.Properties?.Environment;
    return isObject(env) && isObject(env.Variables) && env.Variables[CRITICAL_FINDINGS_AGE_ENV] !== undefined;
  });
}

const TOTAL = { namespace: CRITICAL_FINDINGS_AGE_NAMESPACE, name: CRITICAL_FINDINGS_AGE_METRIC };
/** The check runs every 6 hours: each alarm sees at least one run per period. */
const RUN_SECONDS = 6 * 3600;

/** The count alarm: one CRITICAL finding over the age (Maximum or Sum >= 1) raises it at the next run. */
export const FIRES_ON_ONE_OLD_FINDING: AlarmExpectation = {
  metric: TOTAL,
  statistics: ['Maximum', 'Sum'],
  maxPeriodSeconds: RUN_SECONDS,
  trigger: { atLeast: 1 },
  quietAt: 0,
};

/** The not-run alarm: no count published for 12 hours (two runs) breaches; a count clears it. */
export const FIRES_WHEN_NOT_RUN: AlarmExpectation = {
  metric: TOTAL,
  statistics: ['SampleCount'],
  maxPeriodSeconds: 2 * RUN_SECONDS,
  trigger: { below: 1 },
  quietAt: 1,
  missingData: ['breaching'],
};

/** The failure alarm: one error of the check's function in a run's period. */
const firesOnOneError = (functions: readonly StackResource[]): AlarmExpectation => ({
  metric: {
    namespace: 'AWS/Lambda',
    name: 'Errors',
    dimensions: { FunctionName: (v) => functions.some((fn) => localTarget(v) === fn.logicalId) },
  },
  statistics: ['Sum', 'Maximum'],
  maxPeriodSeconds: RUN_SECONDS,
  trigger: { atLeast: 1 },
  quietAt: 0,
});

/** " (alarm X cannot fire as required: ...)" when an alarm reads the metric but none fires, else "". */
const because = (verdict: AlarmVerdict): string => (verdict.muted.length > 0 ? ` (${mutedText(verdict)})` : '');

/**
 * What is missing of the critical findings age check: its function (with a whole-day age from 1 to 90), an enabled
 * schedule invoking it, an acting alarm on its total count firing on one finding, an acting alarm treating a missing
 * count as breaching (the check did not run), and an acting alarm on the function's errors.
 */
function checkProblems(stacks: readonly AssemblyStack[]): [string, string, StackResource?][] {
  const functions = checkFunctions(stacks);
  if (functions.length === 0) {
    return [['FindingsAge::no-function', 'has no critical findings age check function']];
  }
  const out: [string, string, StackResource?][] = [];
  for (const fn of functions) {
    const days = Number(
      (fn.resource.Properties?.Environment as { Variables: Record<string, unknown> }).Variables[
        CRITICAL_FINDINGS_AGE_ENV
      ],
    );
    if (!Number.isInteger(days) || days < 1 || days > 90) {
      out.push([
        'FindingsAge::age-out-of-range',
        `runs the critical findings age check with ${CRITICAL_FINDINGS_AGE_ENV} = ${String(days)}, not a whole number of days from 1 to 90`,
        fn,
      ]);
    }
  }
  const invokes = (rule: StackResource, fn: StackResource) =>
    asList(rule.resource.Properties?.Targets)
      .filter(isObject)
      .some((t) => rule.stack === fn.stack && localTarget(t.Arn) === fn.logicalId);
  const scheduled = assemblyResources(stacks, 'AWS::Events::Rule').some((r) => {
    const p = r.resource.Properties ?? {};
    if (typeof p.ScheduleExpression !== 'string' || !eventRuleEnabled(p.State)) return false;
    return functions.some((fn) => invokes(r, fn));
  });
  if (!scheduled)
    out.push(['FindingsAge::no-schedule', 'has no enabled schedule invoking the critical findings age check']);
  const alarms = assemblyResources(stacks, 'AWS::CloudWatch::Alarm');
  const age = judgeAlarms(alarms, FIRES_ON_ONE_OLD_FINDING);
  if (age.firing.length === 0) {
    out.push([
      'FindingsAge::no-age-alarm',
      `has no alarm (with an action) firing when ${CRITICAL_FINDINGS_AGE_NAMESPACE} ${CRITICAL_FINDINGS_AGE_METRIC} is above 0${because(age)}`,
    ]);
  }
  const notRun = judgeAlarms(alarms, FIRES_WHEN_NOT_RUN);
  if (notRun.firing.length === 0) {
    out.push([
      'FindingsAge::no-not-run-alarm',
      `has no alarm (with an action) treating a missing ${CRITICAL_FINDINGS_AGE_METRIC} count as breaching (the check did not run)${because(notRun)}`,
    ]);
  }
  const failure = judgeAlarms(alarms, firesOnOneError(functions));
  if (failure.firing.length === 0) {
    out.push([
      'FindingsAge::no-failure-alarm',
      `has no alarm (with an action) on the errors of the critical findings age check${because(failure)}`,
    ]);
  }
  return out;
}

/**
 * D2 (V2): where the templates declare Security Hub on, the critical findings age check is deployed: a Lambda function
 * (its environment names MAX_AGE_DAYS, 1-90) invoked by an enabled schedule, an alarm on its count of CRITICAL findings
 * open longer than that (fires on one), an alarm when no count arrives (missing data breaching: the check did not
 * run), and an alarm on its errors, each with an action. Where Security Hub is provided by another account (declared
 * off), the findings and this check are there.
 */
export const CriticalFindingAgeAlarm: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'Security Hub is declared on but the critical findings age check is missing or silent: no function counting CRITICAL findings open longer than the configured age (1-90 days), no enabled schedule invoking it, or no alarm with an action able to fire (statistic, period, threshold, datapoints to alarm, missing data) on its count, on its count going missing, or on its errors.',
  explanation:
    'Vulnerabilities are remediated, not only found (164.308(a)(1)(ii)(A)-(B), 164.308(a)(1)(ii)(D)): a critical Inspector, GuardDuty or Macie finding left open past the agreed number of days reaches people, and a check that stops running does too.',
  safeguards: ['D2', 'V2'],
  hipaaSections: ['164.308(a)(1)(ii)(A)', '164.308(a)(1)(ii)(B)', '164.308(a)(1)(ii)(D)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    const declared = detectionDeclaration(stacks);
    if (declared?.services.securityHub === false) return { findings, evaluated: 0 };
    const where = declared?.stack ?? stacks[0]!;
    for (const [id, text, at] of checkProblems(stacks)) {
      findings.push(
        finding(
          NAME,
          id,
          at?.stack ?? where,
          at?.logicalId,
          `The environment ${text} although Security Hub is on (D2)`,
        ),
      );
    }
    return { findings, evaluated: 1 };
  },
};
