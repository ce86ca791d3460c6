import { entries, statementCovers } from '../core/policy-json';
import { stringForms } from '../core/string-forms';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  cfnListForms,
  isObject,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { roleStatements } from './role-facts';

const NAME = 'AlarmsReachSubscribers';

/** Subscription protocols that reach a person or a paging service (e-mail, a webhook, a text message). */
export const ALERT_PROTOCOLS: readonly string[] = ['email', 'email-json', 'https', 'sms'];
/** The service principal CloudWatch invokes a Lambda alarm action as. */
const ALARM_INVOKER = 'lambda.alarms.cloudwatch.amazonaws.com';
const ALARM_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];

const same = (a: StackResource, b: StackResource): boolean => a.stack === b.stack && a.logicalId === b.logicalId;
/** Whether two resources may be in one region (either region unknown: may be). */
const sameRegion = (a: StackResource, b: StackResource): boolean =>
  a.stack.region === undefined || b.stack.region === undefined || a.stack.region === b.stack.region;

/** The resource of the assembly a value names (a reference, followed across stacks), if any. */
function target(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource | undefined {
  const resolved = resolveValue(value, from, stacks);
  return resolved.kind === 'resource' ? resolved.target : undefined;
}

/**
 * The subscriptions of `topic` that deliver every alert to a person or a paging service: an e-mail, webhook or text
 * protocol, a literal endpoint, no filter policy (a filter drops the messages it does not match).
 */
function deliveringSubscriptions(topic: StackResource, stacks: readonly AssemblyStack[]): StackResource[] {
  return assemblyResources(stacks, 'AWS::SNS::Subscription').filter((s) => {
    const p = s.resource.Properties ?? {};
    const t = target(p.TopicArn, s.stack, stacks);
    return (
      t !== undefined &&
      same(t, topic) &&
      typeof p.Protocol === 'string' &&
      ALERT_PROTOCOLS.includes(p.Protocol.toLowerCase()) &&
      typeof p.Endpoint === 'string' &&
      cfnAbsent(p.FilterPolicy)
    );
  });
}

/** Whether some Lambda permission lets CloudWatch invoke `fn` for `alarm` (no source, or this alarm's ARN). */
function alarmMayInvoke(fn: StackResource, alarm: StackResource, stacks: readonly AssemblyStack[]): boolean {
  return assemblyResources(stacks, 'AWS::Lambda::Permission').some((perm) => {
    const p = perm.resource.Properties ?? {};
    const f = target(p.FunctionName, perm.stack, stacks);
    if (f === undefined || !same(f, fn) || p.Principal !== ALARM_INVOKER) return false;
    if (p.Action !== 'lambda:InvokeFunction' && p.Action !== 'lambda:*') return false;
    if (cfnAbsent(p.SourceArn)) return true;
    const source = target(p.SourceArn, perm.stack, stacks);
    return source !== undefined && same(source, alarm);
  });
}

/** The topics of the assembly `fn` publishes to: named in its environment and allowed sns:Publish by its role. */
function topicsPublishedBy(fn: StackResource, stacks: readonly AssemblyStack[]): StackResource[] {
  const env = fn.resource.Properties?.Environment;
  const variables = isObject(env) && isObject(env.Variables) ? Object.values(env.Variables) : [];
  const named = variables
    .map((v) => target(v, fn.stack, stacks))
    .filter((t): t is StackResource => t?.resource.Type === 'AWS::SNS::Topic');
  const role = target(fn.resource.Properties?.Role, fn.stack, stacks);
  if (role === undefined || role.resource.Type !== 'AWS::IAM::Role') return [];
  const statements = roleStatements(role.stack, role.logicalId).filter(
    (s) => s.Effect === 'Allow' && statementCovers(s, 'sns:Publish', 'surely'),
  );
  return named.filter((topic) =>
    statements.some((s) =>
      entries(s.Resource).some((r) => {
        if (r === '*') return true;
        const t = target(r, role.stack, stacks);
        return t !== undefined && same(t, topic);
      }),
    ),
  );
}

/** Why one alarm action does not reach a subscriber (undefined: it does), and the topic it reaches. */
function actionPath(
  action: unknown,
  alarm: StackResource,
  stacks: readonly AssemblyStack[],
): { topic?: StackResource; why?: string } {
  const t = target(action, alarm.stack, stacks);
  if (t === undefined) return { why: `${JSON.stringify(action)} names no topic or function of the assembly` };
  if (!sameRegion(t, alarm)) return { why: `${t.logicalId} (${t.stack.stackName}) is in another region` };
  if (t.resource.Type === 'AWS::SNS::Topic') return { topic: t };
  if (t.resource.Type !== 'AWS::Lambda::Function') {
    return { why: `${t.logicalId} (${t.stack.stackName}) is a ${t.resource.Type}, not a topic or a function` };
  }
  if (!alarmMayInvoke(t, alarm, stacks)) {
    return {
      why: `no Lambda permission lets CloudWatch (${ALARM_INVOKER}) invoke function ${t.logicalId} (${t.stack.stackName}) for this alarm`,
    };
  }
  const topics = topicsPublishedBy(t, stacks).filter((topic) => deliveringSubscriptions(topic, stacks).length > 0);
  if (topics.length === 0) {
    return {
      why: `function ${t.logicalId} (${t.stack.stackName}) publishes to no subscribed topic (none named in its environment that its role may publish to and that has an e-mail, https or sms subscription without a filter policy)`,
    };
  }
  return { topic: topics[0]! };
}

/** Whether an alarm action is meant to notify: a topic or a function (of the assembly, or an SNS or Lambda ARN). */
function notificationAction(action: unknown, alarm: StackResource, stacks: readonly AssemblyStack[]): boolean {
  const t = target(action, alarm.stack, stacks);
  if (t !== undefined) return t.resource.Type === 'AWS::SNS::Topic' || t.resource.Type === 'AWS::Lambda::Function';
  return stringForms(action, alarm.stack.template).forms.some((f) => /:(sns|lambda):/.test(f) || !f.startsWith('arn:'));
}

/**
 * D1 D3: every alarm that notifies (an action that is a topic or a function) reaches a person: in every form its
 * AlarmActions may deploy as, some action is a topic of the assembly, in its region, with an e-mail, https or sms
 * subscription without a filter policy, or a function of the assembly that CloudWatch may invoke for it (a Lambda
 * permission for `lambda.alarms.cloudwatch.amazonaws.com`) and that publishes to such a topic (named in its
 * environment, allowed sns:Publish by its role: the alert formatter). With config's alert endpoints
 * (`alertEmails`, `alertHttpsEndpoint`), each is subscribed to every topic the alarms reach. The alarm rules judged
 * that an alarm has an action; an action to a decoy topic, an unsubscribed topic, a subscription replaced by another
 * address, or a formatter whose invoke permission was removed alerted no one.
 */
function check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
  const findings: AssemblyFinding[] = [];
  const reached = new Map<string, StackResource>();
  let evaluated = 0;
  for (const type of ALARM_TYPES) {
    for (const alarm of assemblyResources(stacks, type)) {
      const value = alarm.resource.Properties?.AlarmActions;
      const forms = cfnListForms(value);
      const notifies =
        forms === undefined || forms.some((list) => list.some((a) => notificationAction(a, alarm, stacks)));
      if (!notifies || asList(value).length === 0) continue;
      evaluated++;
      const reasons: string[] = [];
      let ok = forms !== undefined;
      if (forms === undefined) reasons.push('its AlarmActions only deploy resolves');
      for (const list of forms ?? []) {
        const paths = list.map((a) => actionPath(a, alarm, stacks));
        const good = paths.find((p) => p.topic !== undefined && deliveringSubscriptions(p.topic, stacks).length > 0);
        if (good?.topic !== undefined) {
          reached.set(`${good.topic.stack.stackName}/${good.topic.logicalId}`, good.topic);
          continue;
        }
        ok = false;
        for (const p of paths) {
          reasons.push(
            p.why ??
              `topic ${p.topic!.logicalId} (${p.topic!.stack.stackName}) has no e-mail, https or sms subscription without a filter policy`,
          );
        }
        if (paths.length === 0) reasons.push('it may deploy with no action');
      }
      if (!ok) {
        findings.push(
          finding(
            NAME,
            `${alarm.logicalId}::reaches-no-subscriber`,
            alarm.stack,
            alarm.logicalId,
            `Alarm ${alarm.logicalId} (${alarm.stack.stackName}) notifies no one: ${[...new Set(reasons)].join('; ')} (D1 D3)`,
          ),
        );
      }
    }
  }
  const endpoints = context.alertEndpoints ?? [];
  for (const topic of reached.values()) {
    const subscribed = deliveringSubscriptions(topic, stacks).map((s) =>
      String(s.resource.Properties?.Endpoint).toLowerCase(),
    );
    const missing = endpoints.filter((e) => !subscribed.includes(e.toLowerCase()));
    if (missing.length > 0) {
      findings.push(
        finding(
          NAME,
          `${topic.logicalId}::subscriber-missing`,
          topic.stack,
          topic.logicalId,
          `Alert topic ${topic.logicalId} (${topic.stack.stackName}) has no subscription for ${missing.join(', ')} (config alertEmails, alertHttpsEndpoint): those alerts go elsewhere or nowhere (D1 D3)`,
        ),
      );
    }
  }
  return { findings, evaluated };
}

export const AlarmsReachSubscribers: AssemblyRule = {
  name: NAME,
  info: 'An alarm that notifies reaches no subscriber: its topic has no e-mail, https or sms subscription (without a filter policy), its function is not a formatter CloudWatch may invoke that publishes to one, or a configured alert endpoint is not subscribed.',
  explanation:
    'Security incident procedures and audit controls (164.308(a)(6)(ii), 164.308(a)(1)(ii)(D)): an alarm is a safeguard only when its alert reaches the people who respond; a decoy topic, an unsubscribed topic or a replaced address alerts no one.',
  safeguards: ['D1', 'D3'],
  hipaaSections: ['164.308(a)(6)(ii)', '164.308(a)(1)(ii)(D)'],
  check,
};
