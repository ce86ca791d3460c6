import { literalForms } from '../core/bucket-names';
import {
  conditionSurelyFails,
  conditionValues,
  entries,
  isAnyPrincipal,
  PolicyStatementJson,
  RequestContext,
  statementCovers,
} from '../core/policy-json';
import { arnAccountOf, stringForms, UNKNOWN_PART } from '../core/string-forms';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  cfnListForms,
  inStackEnvironment,
  isObject,
  isOwnArn,
  localTarget,
  resolveValue,
  resourceNamed,
  StackResource,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { managedPoliciesNamed, roleArnsOf, roleStatements } from './role-facts';

const NAME = 'AlarmsReachSubscribers';

/** Subscription protocols that reach a person or a paging service (e-mail, a webhook, a text message). */
export const ALERT_PROTOCOLS: readonly string[] = ['email', 'email-json', 'https', 'sms'];
/** The service principal CloudWatch invokes a Lambda alarm action as. */
const ALARM_INVOKER = 'lambda.alarms.cloudwatch.amazonaws.com';
const ALARM_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];
/** The service principal CloudWatch publishes an alarm to a topic as (and uses the topic's key as). */
const CLOUDWATCH = 'cloudwatch.amazonaws.com';

const same = (a: StackResource, b: StackResource): boolean => a.stack === b.stack && a.logicalId === b.logicalId;
/** Whether two resources may be in one region (either region unknown: may be). */
const sameRegion = (a: StackResource, b: StackResource): boolean =>
  a.stack.region === undefined || b.stack.region === undefined || a.stack.region === b.stack.region;

/**
 * The subscriptions of `topic` that deliver every alert to a person or a paging service: an e-mail, webhook or text
 * protocol, a literal endpoint, no filter policy (a filter drops the messages it does not match).
 */
function deliveringSubscriptions(topic: StackResource, stacks: readonly AssemblyStack[]): StackResource[] {
  // A data protection policy that denies (inbound or outbound) may drop every alert: no subscription is delivered to.
  // Read as text whatever its form (an object, or the same JSON as a string).
  const protection = topic.resource.Properties?.DataProtectionPolicy;
  if (protection !== undefined && /\bDeny\b/.test(JSON.stringify(protection))) return [];
  return assemblyResources(stacks, 'AWS::SNS::Subscription').filter((s) => {
    const p = s.resource.Properties ?? {};
    const t = resourceNamed(p.TopicArn, s.stack, stacks);
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
    const f = resourceNamed(p.FunctionName, perm.stack, stacks);
    if (f === undefined || !same(f, fn) || p.Principal !== ALARM_INVOKER) return false;
    if (p.Action !== 'lambda:InvokeFunction' && p.Action !== 'lambda:*') return false;
    // A SourceAccount of another account than the alarm's: CloudWatch's call is refused.
    if (!cfnAbsent(p.SourceAccount)) {
      const account = resolveValue(p.SourceAccount, perm.stack, stacks);
      const own = alarm.stack.account ?? '<AWS::AccountId>';
      if (account.kind !== 'literal' || (account.value !== own && account.value !== '<AWS::AccountId>')) return false;
    }
    if (cfnAbsent(p.SourceArn)) return true;
    const source = resourceNamed(p.SourceArn, perm.stack, stacks);
    return source !== undefined && same(source, alarm);
  });
}

/** Who publishes an alert: the CloudWatch service for an alarm's account, or a formatter's role. */
interface Publisher {
  /** The service principal, or the role. */
  readonly service?: string;
  readonly role?: StackResource;
  /** What its request carries (condition keys, lower case). */
  readonly context: RequestContext;
}

/** A policy value as a literal in its stack's account, region and partition, or undefined when only deploy knows. */
function literalIn(stack: AssemblyStack, stacks: readonly AssemblyStack[]): (v: unknown) => string | undefined {
  return (v) => {
    const resolved = resolveValue(v, stack, stacks);
    return resolved.kind === 'literal' ? inStackEnvironment(resolved.value, stack) : undefined;
  };
}

/** CloudWatch publishing an alarm of `alarm`'s account (a service call over TLS, no principal account or ARN). */
function cloudWatchPublisher(alarm: StackResource): Publisher {
  return {
    service: CLOUDWATCH,
    context: {
      'aws:securetransport': ['true'],
      'aws:principalisawsservice': ['true'],
      'aws:principalservicename': [CLOUDWATCH],
      'aws:sourceaccount': [alarm.stack.account ?? '<AWS::AccountId>'],
      'aws:principalaccount': null,
      'aws:principalarn': null,
      'aws:principalorgid': null,
      'aws:multifactorauthpresent': null,
    },
  };
}

/** A formatter's role publishing (its own account, over TLS, not a service; its ARN when its name is literal). */
function rolePublisher(role: StackResource, topic: StackResource): Publisher {
  const arns = roleArnsOf(role);
  return {
    role,
    context: {
      'aws:securetransport': ['true'],
      'aws:principalisawsservice': ['false'],
      'aws:principalaccount': [role.stack.account ?? '<AWS::AccountId>'],
      ...(arns.length > 0 ? { 'aws:principalarn': arns } : {}),
      ...(topic.stack.region !== undefined ? { 'kms:viaservice': [`sns.${topic.stack.region}.amazonaws.com`] } : {}),
    },
  };
}

/**
 * Whether a resource policy statement may deny `publisher` one of `actions`: not surely an Allow, an action it may
 * cover, a principal that may be the publisher (everyone, its service, its role's ARN or account, or what only deploy
 * resolves; a NotPrincipal may), and a condition that does not surely fail for its request.
 */
function mayDeny(
  s: PolicyStatementJson,
  actions: readonly string[],
  publisher: Publisher,
  stack: AssemblyStack,
  stacks: readonly AssemblyStack[],
): boolean {
  if (s.Effect === 'Allow' || !actions.some((a) => statementCovers(s, a, 'possibly'))) return false;
  const value = literalIn(stack, stacks);
  if (conditionSurelyFails(s.Condition, publisher.context, value)) return false;
  const principal = s.Principal;
  if (s.NotPrincipal !== undefined || principal === undefined || isAnyPrincipal(principal) || !isObject(principal))
    return true;
  if (publisher.service !== undefined) {
    return entries(principal.Service).some((p) => typeof p !== 'string' || p === publisher.service);
  }
  const role = publisher.role!;
  const account = role.stack.account ?? '<AWS::AccountId>';
  const arns = roleArnsOf(role);
  return entries(principal.AWS).some((p) => {
    const v = value(p);
    return v === undefined || v === account || v.endsWith(`:${account}:root`) || arns.includes(v);
  });
}

/** The statements of each policy of `topic` (AWS::SNS::TopicPolicy listing it, AWS::SNS::TopicInlinePolicy of it). */
function topicPolicies(
  topic: StackResource,
  stacks: readonly AssemblyStack[],
): { readonly stack: AssemblyStack; readonly statements: PolicyStatementJson[] }[] {
  const out: { stack: AssemblyStack; statements: PolicyStatementJson[] }[] = [];
  const read = (tp: StackResource) => {
    const doc = tp.resource.Properties?.PolicyDocument;
    out.push({ stack: tp.stack, statements: isObject(doc) ? (entries(doc.Statement) as PolicyStatementJson[]) : [] });
  };
  for (const tp of assemblyResources(stacks, 'AWS::SNS::TopicPolicy')) {
    const topics = asList(tp.resource.Properties?.Topics).map((t) => resourceNamed(t, tp.stack, stacks));
    if (topics.some((t) => t !== undefined && same(t, topic))) read(tp);
  }
  for (const tp of assemblyResources(stacks, 'AWS::SNS::TopicInlinePolicy')) {
    const t = resourceNamed(tp.resource.Properties?.TopicArn, tp.stack, stacks);
    if (t !== undefined && same(t, topic)) read(tp);
  }
  return out;
}

/**
 * Why `publisher` cannot publish to `topic` past the topic's policies and its key's policy (undefined: nothing there
 * denies it): a deny of sns:Publish in a topic policy, or of kms:GenerateDataKey or kms:Decrypt in its key's policy,
 * that may apply to it (its conditions read against what its request carries: the shipped TLS-only and this-account
 * denies do not apply; a deny keyed on what the gate cannot know does).
 */
function deniedByResourcePolicies(
  topic: StackResource,
  publisher: Publisher,
  stacks: readonly AssemblyStack[],
): string | undefined {
  const who = publisher.service ?? `role ${publisher.role!.logicalId}`;
  for (const policy of topicPolicies(topic, stacks)) {
    if (policy.statements.some((s) => mayDeny(s, ['sns:Publish'], publisher, policy.stack, stacks))) {
      return `a policy of topic ${topic.logicalId} may deny ${who} sns:Publish`;
    }
  }
  const key = resourceNamed(topic.resource.Properties?.KmsMasterKeyId, topic.stack, stacks);
  if (key?.resource.Type === 'AWS::KMS::Key') {
    const policy = key.resource.Properties?.KeyPolicy;
    const statements = isObject(policy) ? (entries(policy.Statement) as PolicyStatementJson[]) : [];
    if (statements.some((s) => mayDeny(s, ['kms:GenerateDataKey', 'kms:Decrypt'], publisher, key.stack, stacks))) {
      return `the policy of key ${key.logicalId} (${key.stack.stackName}) of topic ${topic.logicalId} may deny ${who} its use`;
    }
  }
  return undefined;
}

/**
 * Why `fn`'s role cannot be read as publishing (undefined: it can be): a managed policy attached that is not one of its
 * template (an AWS managed policy or another account's: it may deny sns:Publish), or a permissions boundary that is not
 * a managed policy of its template allowing sns:Publish (a boundary caps every grant).
 */
function roleUnreadable(role: StackResource): string | undefined {
  const p = role.resource.Properties ?? {};
  const foreign = asList(p.ManagedPolicyArns).filter(
    (arn) => localTarget(arn) === undefined && managedPoliciesNamed(arn, role.stack).length === 0,
  );
  if (foreign.length > 0) {
    return `role ${role.logicalId} attaches ${foreign.map((f) => JSON.stringify(f)).join(', ')}, not a policy of its template: the gate cannot read whether it denies sns:Publish`;
  }
  if (cfnAbsent(p.PermissionsBoundary)) return undefined;
  const id = localTarget(p.PermissionsBoundary);
  const boundary =
    id !== undefined && role.stack.template.Resources[id]?.Type === 'AWS::IAM::ManagedPolicy'
      ? [role.stack.template.Resources[id]!]
      : managedPoliciesNamed(p.PermissionsBoundary, role.stack);
  const statements = boundary.flatMap((b) => {
    const doc = b.Properties?.PolicyDocument;
    return isObject(doc) ? (entries(doc.Statement) as PolicyStatementJson[]) : [];
  });
  const allows =
    boundary.length === 1 &&
    statements.some((s) => s.Effect === 'Allow' && statementCovers(s, 'sns:Publish', 'surely')) &&
    !statements.some((s) => s.Effect !== 'Allow' && statementCovers(s, 'sns:Publish', 'possibly'));
  return allows
    ? undefined
    : `role ${role.logicalId}'s permissions boundary ${JSON.stringify(p.PermissionsBoundary)} is not a policy of its template that allows sns:Publish`;
}

/**
 * The topics of the assembly `fn` publishes to: named in its environment and allowed sns:Publish by its role, none
 * denied. Every topic its environment names counts (the reader does not know which variable the code reads): the
 * caller requires each to be subscribed.
 */
function topicsPublishedBy(fn: StackResource, stacks: readonly AssemblyStack[]): StackResource[] {
  const named = topicsNamedBy(fn, stacks).topics;
  const role = resourceNamed(fn.resource.Properties?.Role, fn.stack, stacks);
  if (role === undefined || role.resource.Type !== 'AWS::IAM::Role') return [];
  const statements = roleStatements(role.stack, role.logicalId, stacks);
  const names = (s: PolicyStatementJson, topic: StackResource): boolean =>
    entries(s.Resource).some((r) => {
      if (r === '*') return true;
      const t = resourceNamed(r, role.stack, stacks);
      return t !== undefined && same(t, topic);
    });
  return named.filter(
    (topic) =>
      statements.some((s) => s.Effect === 'Allow' && statementCovers(s, 'sns:Publish', 'surely') && names(s, topic)) &&
      // A deny of publishing (on this topic, everything, or what only deploy resolves) wins over the allow.
      !statements.some(
        (s) =>
          s.Effect !== 'Allow' &&
          statementCovers(s, 'sns:Publish', 'possibly') &&
          (s.NotResource !== undefined ||
            entries(s.Resource).some((r) => typeof r !== 'string' || r === '*' || names(s, topic))),
      ),
  );
}

/** The topics of the assembly a value names: a reference, or an ARN written out that one of them has. */
function topicsNamed(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): StackResource[] {
  const t = resourceNamed(value, from, stacks);
  if (t !== undefined) return t.resource.Type === 'AWS::SNS::Topic' ? [t] : [];
  const forms = literalForms(value, from.template).map((f) => inStackEnvironment(f, from));
  return assemblyResources(stacks, 'AWS::SNS::Topic').filter((topic) =>
    literalForms(topic.resource.Properties?.TopicName, topic.stack.template).some((name) =>
      forms.includes(
        inStackEnvironment(`arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:${name}`, topic.stack),
      ),
    ),
  );
}

/**
 * The topics of the assembly named in `fn`'s environment (what it may publish to), and the variables that may name a
 * topic outside it (a value with `:sns:` in some form, or only deploy resolves, naming none of them).
 */
function topicsNamedBy(
  fn: StackResource,
  stacks: readonly AssemblyStack[],
): { topics: StackResource[]; foreign: string[] } {
  const env = fn.resource.Properties?.Environment;
  const variables = isObject(env) && isObject(env.Variables) ? Object.entries(env.Variables) : [];
  const topics: StackResource[] = [];
  const foreign: string[] = [];
  for (const [name, v] of variables) {
    const found = topicsNamed(v, fn.stack, stacks);
    topics.push(...found);
    if (found.length > 0 || resourceNamed(v, fn.stack, stacks) !== undefined) continue;
    const { forms, complete } = stringForms(v, fn.stack.template);
    if (!complete || forms.some((f) => f.includes(':sns:'))) foreign.push(name);
  }
  return { topics, foreign };
}

/**
 * Why CloudWatch cannot publish an alarm to `topic` (undefined: it can): its key (KmsMasterKeyId) must be a key of the
 * assembly whose policy lets the CloudWatch service use it (kms:GenerateDataKey and kms:Decrypt, aws:SourceAccount at
 * most the alarm's account) and denies it neither; each topic policy must let this account's CloudWatch alarms
 * publish and deny it nothing (deniedByResourcePolicies).
 */
function cloudWatchCannotPublish(
  topic: StackResource,
  alarm: StackResource,
  stacks: readonly AssemblyStack[],
): string | undefined {
  const keyRef = topic.resource.Properties?.KmsMasterKeyId;
  if (!cfnAbsent(keyRef)) {
    const key = resourceNamed(keyRef, topic.stack, stacks);
    if (key === undefined || key.resource.Type !== 'AWS::KMS::Key') {
      return `topic ${topic.logicalId}'s key ${JSON.stringify(keyRef)} is no key of the assembly (an AWS managed key refuses CloudWatch)`;
    }
    const policy = key.resource.Properties?.KeyPolicy;
    const statements = isObject(policy) ? (entries(policy.Statement) as PolicyStatementJson[]) : [];
    const own = alarm.stack.account;
    const lets = ['kms:GenerateDataKey', 'kms:Decrypt'].every((action) =>
      statements.some((s) => {
        if (s.Effect !== 'Allow' || !statementCovers(s, action, 'surely')) return false;
        const principal = s.Principal;
        const services = isObject(principal) ? entries(principal.Service) : [];
        if (!services.includes(CLOUDWATCH)) return false;
        const keys = Object.values(s.Condition ?? {}).flatMap((b) => (isObject(b) ? Object.keys(b) : []));
        if (keys.some((k) => k.toLowerCase() !== 'aws:sourceaccount')) return false;
        const accounts = conditionValues(s.Condition, 'aws:SourceAccount', 'positive') ?? [];
        return accounts.every((a) => a === own || (isObject(a) && a.Ref === 'AWS::AccountId'));
      }),
    );
    if (!lets) {
      return `key ${key.logicalId} (${key.stack.stackName}) of topic ${topic.logicalId} does not let CloudWatch (${CLOUDWATCH}) use it for this account's alarms`;
    }
  }
  const denied = deniedByResourcePolicies(topic, cloudWatchPublisher(alarm), stacks);
  if (denied !== undefined) return denied;
  for (const { statements } of topicPolicies(topic, stacks)) {
    // A topic policy replaces SNS's default one: it must let this account's CloudWatch alarms publish.
    const allows = statements.some((s) => {
      if (s.Effect !== 'Allow' || !statementCovers(s, 'sns:Publish', 'surely')) return false;
      const principal = s.Principal;
      if (!(isObject(principal) && entries(principal.Service).includes(CLOUDWATCH))) return false;
      const accounts = conditionValues(s.Condition, 'aws:SourceAccount', 'positive') ?? [];
      return accounts.every((a) => a === alarm.stack.account || (isObject(a) && a.Ref === 'AWS::AccountId'));
    });
    if (!allows) return `a policy of topic ${topic.logicalId} does not let this account's CloudWatch alarms publish`;
  }
  return undefined;
}

/** Why one alarm action does not reach a subscriber (undefined: it does), and the topic it reaches. */
function actionPath(
  action: unknown,
  alarm: StackResource,
  stacks: readonly AssemblyStack[],
): { topic?: StackResource; why?: string } {
  const t = resourceNamed(action, alarm.stack, stacks);
  if (t === undefined) return { why: `${JSON.stringify(action)} names no topic or function of the assembly` };
  if (!sameRegion(t, alarm)) return { why: `${t.logicalId} (${t.stack.stackName}) is in another region` };
  if (t.resource.Type === 'AWS::SNS::Topic') {
    const why = cloudWatchCannotPublish(t, alarm, stacks);
    return why === undefined ? { topic: t } : { why };
  }
  if (t.resource.Type !== 'AWS::Lambda::Function') {
    return { why: `${t.logicalId} (${t.stack.stackName}) is a ${t.resource.Type}, not a topic or a function` };
  }
  if (!alarmMayInvoke(t, alarm, stacks)) {
    return {
      why: `no Lambda permission lets CloudWatch (${ALARM_INVOKER}) invoke function ${t.logicalId} (${t.stack.stackName}) for this alarm`,
    };
  }
  const named = topicsNamedBy(t, stacks);
  if (named.foreign.length > 0) {
    return {
      why: `function ${t.logicalId} (${t.stack.stackName}) may publish to a topic outside the assembly (its environment's ${named.foreign.join(', ')})`,
    };
  }
  const unsubscribed = named.topics.filter((topic) => deliveringSubscriptions(topic, stacks).length === 0);
  if (unsubscribed.length > 0) {
    return {
      why: `function ${t.logicalId} (${t.stack.stackName}) names topic ${unsubscribed.map((u) => u.logicalId).join(', ')} in its environment, which nobody subscribes: it may publish there instead`,
    };
  }
  const role = resourceNamed(t.resource.Properties?.Role, t.stack, stacks);
  const unreadable = role?.resource.Type === 'AWS::IAM::Role' ? roleUnreadable(role) : undefined;
  if (unreadable !== undefined) return { why: `function ${t.logicalId} (${t.stack.stackName}): ${unreadable}` };
  const published = topicsPublishedBy(t, stacks);
  const denied = published
    .map((topic) => deniedByResourcePolicies(topic, rolePublisher(role!, topic), stacks))
    .filter((d): d is string => d !== undefined);
  if (denied.length > 0) return { why: `function ${t.logicalId} (${t.stack.stackName}): ${denied.join('; ')}` };
  const topics = published.filter((topic) => deliveringSubscriptions(topic, stacks).length > 0);
  if (topics.length === 0) {
    return {
      why: `function ${t.logicalId} (${t.stack.stackName}) publishes to no subscribed topic (none named in its environment that its role may publish to and that has an e-mail, https or sms subscription without a filter policy)`,
    };
  }
  return { topic: topics[0]! };
}

/** Whether an alarm action is meant to notify: a topic or a function (of the assembly, or an SNS or Lambda ARN). */
function notificationAction(action: unknown, alarm: StackResource, stacks: readonly AssemblyStack[]): boolean {
  const t = resourceNamed(action, alarm.stack, stacks);
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
  // And the other way round: no topic of the assembly sends to a person or an endpoint config does not name, nor to a
  // queue, function or stream of another account. A rule targeting an in-account topic with an https subscription
  // outside sent every CloudTrail call there (the attacker review of 2026-12-04, second round); an sqs, lambda or
  // firehose subscription to another account's resource did the same (left open by that round).
  const configured = new Set(endpoints.map((e) => e.toLowerCase()));
  const judge = (at: StackResource, id: string, protocol: unknown, endpoint: unknown): void => {
    evaluated++;
    const inward = typeof protocol === 'string' ? IN_ACCOUNT_PROTOCOLS.get(protocol.toLowerCase()) : undefined;
    if (inward !== undefined) {
      const why = notInAccount(endpoint, inward, at.stack, stacks);
      if (why === undefined) return;
      findings.push(
        finding(
          NAME,
          `${id}::subscriber-outside-account`,
          at.stack,
          at.logicalId,
          `Subscription ${id} (${at.stack.stackName}) sends ${JSON.stringify(protocol)} notifications to ${JSON.stringify(endpoint)}, ${why}: whatever reaches its topic leaves the account (D3 U6)`,
        ),
      );
      return;
    }
    // Every other protocol (e-mail, http(s), sms, a mobile application, one SNS may add) reaches outside the account:
    // only what config names. Without config (a template checked alone), not judged.
    if (context.alertEndpoints === undefined) return;
    if (typeof endpoint === 'string' && configured.has(endpoint.toLowerCase())) return;
    findings.push(
      finding(
        NAME,
        `${id}::subscriber-not-in-config`,
        at.stack,
        at.logicalId,
        `Subscription ${id} (${at.stack.stackName}) sends ${JSON.stringify(protocol)} notifications to ${JSON.stringify(endpoint)}, which config does not name (alertEmails, alertHttpsEndpoint): whatever reaches its topic goes there (D3 U6)`,
      ),
    );
  };
  for (const sub of assemblyResources(stacks, 'AWS::SNS::Subscription')) {
    judge(sub, sub.logicalId, sub.resource.Properties?.Protocol, sub.resource.Properties?.Endpoint);
  }
  for (const topic of assemblyResources(stacks, 'AWS::SNS::Topic')) {
    for (const [i, inline] of asList(topic.resource.Properties?.Subscription).entries()) {
      const entry = isObject(inline) ? inline : {};
      judge(topic, `${topic.logicalId}.Subscription${i}`, entry.Protocol, entry.Endpoint);
    }
  }
  return { findings, evaluated };
}

/**
 * SNS protocols that deliver to a resource named by its ARN (a queue, a function, a Firehose stream), each with the
 * ARN's service: the gate can read whether that resource is in the topic's account.
 */
const IN_ACCOUNT_PROTOCOLS: ReadonlyMap<string, string> = new Map([
  ['sqs', 'sqs'],
  ['lambda', 'lambda'],
  ['firehose', 'firehose'],
]);

/**
 * Why the ARN `endpoint` (of a subscription in `stack`, a `service` resource) may name a resource outside `stack`'s
 * account (undefined: it is in it): a resource of the assembly in another account, or a value only deploy resolves; in
 * every form it may deploy as (each branch of a condition, joins and substitutions of literals and pseudo parameters),
 * an ARN of `service` whose account field is the stack's account. A stack whose account the template does not state
 * (an environment-agnostic stack checked as a file) is judged by the account pseudo parameter alone.
 */
function notInAccount(
  endpoint: unknown,
  service: string,
  stack: AssemblyStack,
  stacks: readonly AssemblyStack[],
): string | undefined {
  const resolved = resolveValue(endpoint, stack, stacks);
  if (resolved.kind === 'resource') {
    const { target, attribute } = resolved;
    if (!isOwnArn(target.resource.Type, attribute)) {
      return `the ${attribute} of ${target.logicalId} (${target.resource.Type}), a value only deploy knows`;
    }
    return target.stack.account === stack.account
      ? undefined
      : `${target.logicalId} of stack ${target.stack.stackName}, in account ${target.stack.account ?? 'unknown'}`;
  }
  const value = resolved.kind === 'literal' ? resolved.value : endpoint;
  const { forms, complete } = stringForms(value, stack.template);
  if (!complete) return 'a value too large to read';
  for (const form of forms) {
    const read = inStackEnvironment(form, stack);
    const field = arnAccountOf(read, stack.account);
    if (field === undefined || !read.split(':')[2]?.startsWith(service)) {
      return `which in the form ${JSON.stringify(read.split(UNKNOWN_PART).join('?'))} is no ${service} ARN the gate can read (another stack's output not in the assembly, an import, a parameter)`;
    }
    // arnAccountOf reads the account pseudo parameter as the stack's account, or as `pseudo` where it states none.
    if (field !== (stack.account ?? 'pseudo')) {
      return `an ARN of account ${JSON.stringify(field.split(UNKNOWN_PART).join('?'))}`;
    }
  }
  return undefined;
}

export const AlarmsReachSubscribers: AssemblyRule = {
  name: NAME,
  info: "An alarm that notifies reaches no subscriber: its topic has no e-mail, https or sms subscription (without a filter policy), its function is not a formatter CloudWatch may invoke that publishes to one, or a configured alert endpoint is not subscribed. Or a topic's subscription delivers where config does not say: to a person or URL config does not name, or to a queue, function or Firehose stream outside the topic's account (or one only deploy resolves).",
  explanation:
    'Security incident procedures and audit controls (164.308(a)(6)(ii), 164.308(a)(1)(ii)(D)): an alarm is a safeguard only when its alert reaches the people who respond; a decoy topic, an unsubscribed topic or a replaced address alerts no one. Transmission security (164.312(e)(1)): a subscription outside the account sends whatever reaches its topic (CloudTrail calls an event rule routes there) where no safeguard applies.',
  safeguards: ['D1', 'D3', 'U6'],
  hipaaSections: ['164.308(a)(6)(ii)', '164.308(a)(1)(ii)(D)', '164.312(e)(1)'],
  check,
};
