import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { parsedPolicyDocument, NOT_JSON } from '../core/policy-json';
import { stringForms } from '../core/string-forms';
import { asList, isIntrinsic, isObject, TemplateJson } from '../core/template-json';
import { stackEnvironmentOf, viewOf } from './template-view';

/** The account field of an ARN (`arn:<partition>:<service>:<region>:<account>:...`), when it is 12 digits. */
const ARN_ACCOUNT = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;
/** An account as a principal names it: its 12 digits, or its root ARN. */
const PRINCIPAL_ACCOUNT = /^(?:(\d{12})|arn:[^:]+:iam::(\d{12}):.*)$/;

/**
 * Whether `value` (a template value naming an ARN) may name a resource of an account other than `account`: a literal
 * form naming another account's id. A reference to a resource of the template (an unknown part) is in the account.
 */
function namesAnotherAccount(value: unknown, template: TemplateJson, account: string): boolean {
  const forms = stringForms(value, template).forms.map((f) => f.replace(/<AWS::[A-Za-z]+>/g, 'pseudo'));
  return forms.some((form) => {
    const named = ARN_ACCOUNT.exec(form)?.[1];
    return named !== undefined && named !== account;
  });
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
 * (core/string-forms); not applicable to a stack whose account the template does not state.
 */
export function LogsAndEventsStayInAccount(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (
    type !== 'AWS::Logs::SubscriptionFilter' &&
    type !== 'AWS::Logs::AccountPolicy' &&
    type !== 'AWS::Events::EventBusPolicy' &&
    type !== 'AWS::Events::EventBus'
  ) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const account = stackEnvironmentOf(node).account;
  if (account === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const template = stack.template;
  const properties = resource.Properties ?? {};
  const findings: string[] = [];

  if (type === 'AWS::Logs::SubscriptionFilter') {
    if (namesAnotherAccount(properties.DestinationArn, template, account))
      findings.push('DestinationArn::another-account');
  } else if (type === 'AWS::Logs::AccountPolicy') {
    if (properties.PolicyType === 'SUBSCRIPTION_FILTER_POLICY' || isIntrinsic(properties.PolicyType)) {
      const document = parsedPolicyDocument(properties.PolicyDocument);
      if (document === NOT_JSON || !isObject(document) || isIntrinsic(document)) {
        findings.push('PolicyDocument::unreadable');
      } else if (
        document.DestinationArn === undefined ||
        namesAnotherAccount(document.DestinationArn, template, account)
      ) {
        findings.push('DestinationArn::another-account');
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
