import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { parsedPolicyDocument, NOT_JSON } from '../core/policy-json';
import { arnAccountOf, stringForms } from '../core/string-forms';
import { asList, isIntrinsic, isObject, localTarget, TemplateJson } from '../core/template-json';
import { stackEnvironmentOf, viewOf } from './template-view';

/** An account as a principal names it: its 12 digits, or its root ARN. */
const PRINCIPAL_ACCOUNT = /^(?:(\d{12})|arn:[^:]+:iam::(\d{12}):.*)$/;

/**
 * Why `value` (a template value naming a destination ARN) may name a resource outside `account`, or undefined when it
 * surely does not: a reference (Ref, GetAtt) to a resource of the template is in the account; otherwise every form
 * must be an ARN whose account field is the account, literally or as the pseudo parameter. A form naming another
 * account is 'another-account'; an account field (or a whole value) only deploy knows, such as another resource's
 * attribute (an SSM parameter's Value), an import or another stack's output, is 'account-unknown' (the attacker review
 * of 2026-12-04 hid another account's id in an SSM parameter and in an export); so is an ARN without an account (an
 * S3 bucket's names no owner).
 */
function destinationProblem(
  value: unknown,
  template: TemplateJson,
  account: string,
): 'another-account' | 'account-unknown' | undefined {
  const id = localTarget(value);
  if (id !== undefined && template.Resources?.[id] !== undefined) return undefined;
  const { forms, complete } = stringForms(value, template);
  if (!complete || forms.length === 0) return 'account-unknown';
  let problem: 'another-account' | 'account-unknown' | undefined;
  for (const form of forms) {
    const named = arnAccountOf(form, account);
    if (named === account) continue;
    if (named !== undefined && /^\d{12}$/.test(named)) return 'another-account';
    problem = 'account-unknown';
  }
  return problem;
}

/**
 * The principals of an event bus policy that are not the account: '*', another account's id or ARN, anything else
 * (a service, an organization's accounts through a condition, a value only deploy resolves).
 */
function foreignPrincipals(principal: unknown, template: TemplateJson, account: string): boolean {
  if (principal === undefined) return false;
  if (isObject(principal) && !isIntrinsic(principal)) {
    const keys = Object.keys(principal);
    if (keys.some((k) => k !== 'AWS')) return true;
    return asList(principal.AWS).some((p) => foreignPrincipals(p, template, account));
  }
  const forms = stringForms(principal, template).forms.map((f) =>
    f.replace(/<AWS::AccountId>/g, account).replace(/<AWS::[A-Za-z]+>/g, 'pseudo'),
  );
  return forms.some((form) => {
    const match = PRINCIPAL_ACCOUNT.exec(form);
    return match === null || (match[1] ?? match[2]) !== account;
  });
}

/** The resource types judged. */
const JUDGED: ReadonlySet<string> = new Set([
  'AWS::Logs::SubscriptionFilter',
  'AWS::Logs::AccountPolicy',
  'AWS::Logs::Destination',
  'AWS::Logs::Delivery',
  'AWS::Logs::DeliveryDestination',
  'AWS::Kinesis::ResourcePolicy',
  'AWS::Events::EventBusPolicy',
  'AWS::Events::EventBus',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::EventSourceMapping',
  'AWS::RDS::Integration',
  'AWS::GuardDuty::Master',
  'AWS::RAM::ResourceShare',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::TopicInlinePolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::Lambda::Function',
  'AWS::SNS::Subscription',
  'AWS::Config::DeliveryChannel',
  'AWS::Config::AggregationAuthorization',
]);

/** Whether an account id value is `account` in every form it may deploy as (literally or as the pseudo parameter). */
function isThisAccount(value: unknown, template: TemplateJson, account: string): boolean {
  const forms = stringForms(value, template).forms.map((f) => f.replace(/<AWS::AccountId>/g, account));
  return forms.length > 0 && forms.every((f) => f === account);
}

/** Condition keys that tie a service principal's grant to this account's resources. */
const SOURCE_KEYS: ReadonlySet<string> = new Set(['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner']);

/**
 * Whether an Allow statement for a service principal says whose resources the service acts for (aws:SourceArn,
 * aws:SourceAccount): without it, the service acting for any account's resource may use the grant (another account's
 * EventBridge rule publishing look-alike alerts to the topic).
 */
function serviceGrantBound(statement: Record<string, unknown>): boolean {
  const principal = statement.Principal;
  if (!isObject(principal) || isIntrinsic(principal) || principal.Service === undefined) return true;
  const condition = statement.Condition;
  if (!isObject(condition) || isIntrinsic(condition)) return false;
  return Object.values(condition).some(
    (block) => isObject(block) && Object.keys(block).some((k) => SOURCE_KEYS.has(k.toLowerCase())),
  );
}

/** The principals of a statement outside the account, services aside (a service acts for this account's resources). */
function foreignNonServicePrincipals(principal: unknown, template: TemplateJson, account: string): boolean {
  if (isObject(principal) && !isIntrinsic(principal) && Object.keys(principal).every((k) => k === 'Service')) {
    return false;
  }
  if (isObject(principal) && !isIntrinsic(principal)) {
    const others = Object.fromEntries(Object.entries(principal).filter(([k]) => k !== 'Service'));
    return foreignPrincipals(others, template, account);
  }
  return foreignPrincipals(principal, template, account);
}

/**
 * U6 E1 A3: the account's logs and events leave it by no resource of the template. A CloudWatch Logs subscription
 * filter (AWS::Logs::SubscriptionFilter) hands every event of its log group (a CloudTrail API call, a pgaudit
 * statement, an application log) to its destination, and an account-wide subscription filter policy
 * (AWS::Logs::AccountPolicy of type SUBSCRIPTION_FILTER_POLICY) does so for every log group of the account: each
 * destination must be in the stack's account (a Logs destination, stream, Firehose or function of another account
 * receives the logs where no safeguard of the blueprint applies; an account policy whose document the gate cannot
 * read is judged as one that may). An event bus policy (AWS::Events::EventBusPolicy, or an AWS::Events::EventBus's
 * Policy) may grant nothing to a principal outside the account: another account allowed events:PutRule and
 * events:PutTargets on the default bus routes every CloudTrail call and finding of this account to itself, and one
 * allowed events:PutEvents writes look-alike findings and tamper events the alarms act on. Judged on literal forms
 * (core/string-forms); not applicable to a stack whose account the template does not state. Since the attacker review
 * of 2026-12-04's second round, a destination whose account only deploy knows is a finding too (destinationProblem),
 * and so are a Logs destination (AWS::Logs::Destination) whose target, a vended log delivery (AWS::Logs::Delivery,
 * AWS::Logs::DeliveryDestination: a user pool's sign-in logs) whose destination, is not surely in the account, and a
 * Kinesis stream's resource policy (AWS::Kinesis::ResourcePolicy) granting a principal outside the account (it reads
 * every event a subscription filter sends there). Since the third round: an account transformer policy
 * (AWS::Logs::AccountPolicy of type TRANSFORMER_POLICY, which rewrites the events of every log group it selects); a
 * Lambda function's asynchronous or stream destinations (AWS::Lambda::EventInvokeConfig,
 * AWS::Lambda::EventSourceMapping: each record holds the whole event) outside the account; a zero-ETL integration
 * (AWS::RDS::Integration) to a target outside it; another account accepted as GuardDuty administrator
 * (AWS::GuardDuty::Master: it receives every finding and applies its suppression rules); a resource share
 * (AWS::RAM::ResourceShare) with a principal outside the account (a PHI subnet or security group shared); a topic policy
 * (AWS::SNS::TopicPolicy, AWS::SNS::TopicInlinePolicy) allowing a principal outside the account, a service aside (it
 * subscribes its own endpoint to the alerts). Since the fourth round: a function's dead-letter target
 * (AWS::Lambda::Function DeadLetterConfig) and a subscription's (AWS::SNS::Subscription RedrivePolicy) outside the
 * account; a queue policy (AWS::SQS::QueuePolicy: the dead-letter queues hold every undelivered alert) judged as a topic
 * policy; a service principal allowed on a topic or queue without aws:SourceArn or aws:SourceAccount; a Config
 * delivery channel's topic outside the account; a Config aggregation authorization for another account.
 */
export function LogsAndEventsStayInAccount(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (!JUDGED.has(type)) return NagRuleCompliance.NOT_APPLICABLE;
  const account = stackEnvironmentOf(node).account;
  if (account === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const template = stack.template;
  const properties = resource.Properties ?? {};
  const findings: string[] = [];

  const destination = (property: string, value: unknown): void => {
    const problem = destinationProblem(value, template, account);
    if (problem !== undefined) findings.push(`${property}::${problem}`);
  };
  if (type === 'AWS::Logs::SubscriptionFilter') {
    destination('DestinationArn', properties.DestinationArn);
  } else if (type === 'AWS::Lambda::EventInvokeConfig' || type === 'AWS::Lambda::EventSourceMapping') {
    // An asynchronous invocation's record (its whole event: a finding, a tamper event) goes to each destination.
    const config = isObject(properties.DestinationConfig) ? properties.DestinationConfig : {};
    for (const on of ['OnSuccess', 'OnFailure']) {
      const target = config[on];
      if (target === undefined) continue;
      if (!isObject(target) || isIntrinsic(target)) findings.push(`DestinationConfig.${on}::account-unknown`);
      else if (target.Destination !== undefined) destination(`DestinationConfig.${on}`, target.Destination);
    }
    if (isIntrinsic(properties.DestinationConfig)) findings.push('DestinationConfig::account-unknown');
  } else if (type === 'AWS::RDS::Integration') {
    // A zero-ETL integration copies the database's tables to its target, continuously.
    destination('TargetArn', properties.TargetArn);
  } else if (type === 'AWS::GuardDuty::Master') {
    // Accepting another account as GuardDuty administrator hands it every finding and its suppression rules.
    if (!isThisAccount(properties.MasterId, template, account)) findings.push('MasterId::outside-account');
  } else if (type === 'AWS::RAM::ResourceShare') {
    // A share gives its principals the resources (a PHI subnet to launch into, a security group the database admits).
    const principals = asList(properties.Principals);
    if (isIntrinsic(properties.Principals) || principals.some((p) => foreignPrincipals(p, template, account))) {
      findings.push('Principals::outside-account');
    }
  } else if (type === 'AWS::Lambda::Function') {
    // A failed asynchronous invocation's event (a finding, a tamper event) goes whole to the dead-letter target.
    const dlq = properties.DeadLetterConfig;
    if (isObject(dlq) && !isIntrinsic(dlq)) {
      if (dlq.TargetArn !== undefined) destination('DeadLetterConfig.TargetArn', dlq.TargetArn);
    } else if (dlq !== undefined) findings.push('DeadLetterConfig::account-unknown');
  } else if (type === 'AWS::SNS::Subscription') {
    // A message SNS fails to deliver (an alert) goes whole to the subscription's dead-letter queue.
    const redrive = parsedPolicyDocument(properties.RedrivePolicy);
    if (properties.RedrivePolicy !== undefined) {
      if (redrive === NOT_JSON || !isObject(redrive) || isIntrinsic(redrive)) {
        findings.push('RedrivePolicy::account-unknown');
      } else if (redrive.deadLetterTargetArn !== undefined) {
        destination('RedrivePolicy.deadLetterTargetArn', redrive.deadLetterTargetArn);
      }
    }
  } else if (type === 'AWS::Config::DeliveryChannel') {
    // Every configuration item change is published to the channel's topic (its bucket: DetectionServicesPresent).
    if (properties.SnsTopicARN !== undefined) destination('SnsTopicARN', properties.SnsTopicARN);
  } else if (type === 'AWS::Config::AggregationAuthorization') {
    // Another account authorized to aggregate collects this account's configuration and compliance data.
    if (!isThisAccount(properties.AuthorizedAccountId, template, account)) {
      findings.push('AuthorizedAccountId::outside-account');
    }
  } else if (
    type === 'AWS::SNS::TopicPolicy' ||
    type === 'AWS::SNS::TopicInlinePolicy' ||
    type === 'AWS::SQS::QueuePolicy'
  ) {
    // A principal outside the account allowed on a topic subscribes its own endpoint (every alert), or publishes
    // look-alike alerts; a service principal acts for this account's resources (judged by AlarmsReachSubscribers).
    const document = parsedPolicyDocument(properties.PolicyDocument);
    if (document === NOT_JSON || !isObject(document) || isIntrinsic(document)) {
      findings.push('PolicyDocument::unreadable');
    } else {
      for (const statement of asList(document.Statement)) {
        if (!isObject(statement) || isIntrinsic(statement)) findings.push('Statement::unreadable');
        else if (statement.Effect !== 'Deny') {
          const principal = statement.NotPrincipal !== undefined ? '*' : statement.Principal;
          if (foreignNonServicePrincipals(principal, template, account)) findings.push('Principal::outside-account');
          if (!serviceGrantBound(statement)) findings.push('Principal::service-without-source');
        }
      }
    }
  } else if (type === 'AWS::Logs::Destination') {
    destination('TargetArn', properties.TargetArn);
  } else if (type === 'AWS::Logs::Delivery') {
    destination('DeliveryDestinationArn', properties.DeliveryDestinationArn);
  } else if (type === 'AWS::Logs::DeliveryDestination') {
    destination('DestinationResourceArn', properties.DestinationResourceArn);
  } else if (type === 'AWS::Kinesis::ResourcePolicy') {
    const document = parsedPolicyDocument(properties.ResourcePolicy);
    if (document === NOT_JSON || !isObject(document) || isIntrinsic(document))
      findings.push('ResourcePolicy::unreadable');
    else
      for (const statement of asList(document.Statement)) {
        if (!isObject(statement) || isIntrinsic(statement)) findings.push('Statement::unreadable');
        else if (statement.Effect !== 'Deny') {
          const principal = statement.NotPrincipal !== undefined ? '*' : statement.Principal;
          if (foreignPrincipals(principal, template, account)) findings.push('Principal::outside-account');
        }
      }
  } else if (type === 'AWS::Logs::AccountPolicy') {
    // A transformer rewrites every event of the log groups it selects before they are stored (a CloudTrail event's
    // userIdentity removed, the attacker review of 2026-12-04, third round); a single log group's
    // AWS::Logs::Transformer on an alarmed group is SecurityAlarmsPresent's.
    if (properties.PolicyType === 'TRANSFORMER_POLICY' || isIntrinsic(properties.PolicyType)) {
      findings.push('PolicyType::transformer');
    }
    if (properties.PolicyType === 'SUBSCRIPTION_FILTER_POLICY' || isIntrinsic(properties.PolicyType)) {
      const document = parsedPolicyDocument(properties.PolicyDocument);
      if (document === NOT_JSON || !isObject(document) || isIntrinsic(document)) {
        findings.push('PolicyDocument::unreadable');
      } else if (document.DestinationArn === undefined) {
        findings.push('DestinationArn::account-unknown');
      } else {
        destination('DestinationArn', document.DestinationArn);
      }
    }
  } else {
    const statements: unknown[] = [];
    if (type === 'AWS::Events::EventBusPolicy') {
      // The older form: Principal (an account id or '*') with Action events:PutEvents; the newer: a Statement.
      if (properties.Principal !== undefined) statements.push({ Principal: { AWS: properties.Principal } });
      if (properties.Statement !== undefined) statements.push(...asList(properties.Statement));
    } else if (properties.Policy !== undefined) {
      const document = parsedPolicyDocument(properties.Policy);
      if (document === NOT_JSON || !isObject(document) || isIntrinsic(document)) findings.push('Policy::unreadable');
      else statements.push(...asList(document.Statement));
    }
    for (const statement of statements) {
      if (!isObject(statement) || isIntrinsic(statement)) {
        findings.push('Statement::unreadable');
        continue;
      }
      if (statement.Effect === 'Deny') continue;
      const principal = statement.NotPrincipal !== undefined ? '*' : statement.Principal;
      if (foreignPrincipals(principal, template, account)) findings.push('Principal::outside-account');
    }
  }
  return findings.length > 0 ? [...new Set(findings)] : NagRuleCompliance.COMPLIANT;
}
