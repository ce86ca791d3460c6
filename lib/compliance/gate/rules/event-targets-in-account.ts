import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { arnAccountOf, stringForms, UNKNOWN_PART } from '../core/string-forms';
import { asList, isObject, isOwnArn, localAttribute, localTarget, TemplateJson } from '../core/template-json';
import { stackEnvironmentOf, viewOf } from './template-view';

/**
 * The resource types a rule target of the template may be: each receives the event and does nothing of its own with
 * it (a function runs the assembly's code, judged by AssemblyDeploysAsChecked). A state machine, an API, a build
 * project, a task or an automation may call any API of any account with the event (the attacker review of 2026-12-04,
 * fourth round: a state machine relaying every RDS tamper event to another account's queue passed).
 */
const SINK_TYPES: ReadonlySet<string> = new Set([
  'AWS::Lambda::Function',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::Logs::LogGroup',
  'AWS::Kinesis::Stream',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::Events::EventBus',
]);
/** The services of the ARNs a target may name (the same sinks, written out): lambda, sns, sqs, logs, kinesis, ... */
const SINK_SERVICES: ReadonlySet<string> = new Set(['lambda', 'sns', 'sqs', 'logs', 'kinesis', 'firehose', 'events']);

/**
 * Whether a rule target runs a task definition of the template (`EcsParameters.TaskDefinitionArn` a reference to one):
 * a scheduled task on a cluster runs the assembly's own image (ContainerImagesFromAssembly), as a function target runs
 * the assembly's code; such a cluster target is a sink.
 */
function runsOwnTask(target: Record<string, unknown>, template: TemplateJson): boolean {
  const ecs = target.EcsParameters;
  if (!isObject(ecs)) return false;
  const id = localTarget(ecs.TaskDefinitionArn);
  return id !== undefined && template.Resources?.[id]?.Type === 'AWS::ECS::TaskDefinition';
}

/** The values `value` may deploy as, one per branch of each Fn::If (the condition only deploy decides). */
function branches(value: unknown, depth = 0): unknown[] {
  const cond = isObject(value) && Object.keys(value).length === 1 ? value['Fn::If'] : undefined;
  if (!Array.isArray(cond) || cond.length !== 3 || depth > 8) return [value];
  return [...branches(cond[1], depth + 1), ...branches(cond[2], depth + 1)];
}

/** Whether `value` is the ARN of a resource of `template` itself: its `Ref` or its `Arn` attribute. */
function ownResourceArn(value: unknown, template: TemplateJson): boolean {
  const id = localTarget(value);
  const resource = id === undefined ? undefined : template.Resources?.[id];
  return resource !== undefined && isOwnArn(resource.Type, localAttribute(value));
}

/**
 * U6 E1 A3: every target of an EventBridge rule is in the rule's own account, and none is an API destination. A rule
 * hands its targets the whole event: a CloudTrail API call's request parameters, a PHI bucket's object key (S3's
 * EventBridge notifications), a finding; a target in another account (an event bus, a queue, a topic, a function)
 * or an API destination (an HTTPS endpoint anywhere) sends them out of the account, where no safeguard of the blueprint
 * applies. Judged on the ARN's literal forms (core/string-forms: joins and substitutions of literals and pseudo
 * parameters, each branch of a condition); a reference to a resource of the template (its `Ref` or `Arn`) is in its
 * account. A target only deploy resolves is in an account the gate cannot read (`Target::account-unknown`): another
 * stack's output or an import, a parameter's value, an ARN whose account field is such a value. Not applicable to a
 * stack whose account the template does not state (an environment-agnostic stack checked as a file).
 */
export function EventTargetsInAccount(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Events::Rule') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const account = stackEnvironmentOf(node).account;
  const findings = new Set<string>();
  for (const target of asList(resource.Properties?.Targets).filter(isObject)) {
    // An API destination of the template by reference (GetAtt Arn): an HTTPS endpoint anywhere (the attacker review
    // of 2026-12-04, second round: only the literal ARN form was refused).
    const id = localTarget(target.Arn);
    if (id !== undefined && stack.template.Resources?.[id]?.Type === 'AWS::Events::ApiDestination') {
      findings.add('Target::api-destination');
    }
    // A target's dead-letter queue receives every event the target did not take, whole.
    const dlq = isObject(target.DeadLetterConfig) ? target.DeadLetterConfig.Arn : undefined;
    const arns: [string, unknown][] = [
      ['Target', target.Arn],
      ...(dlq !== undefined ? [['DeadLetter', dlq] as [string, unknown]] : []),
    ];
    for (const [what, arn] of arns) {
      for (const branch of branches(arn)) {
        if (ownResourceArn(branch, stack.template)) {
          const type = stack.template.Resources?.[localTarget(branch)!]?.Type;
          const ownTask = what === 'Target' && type === 'AWS::ECS::Cluster' && runsOwnTask(target, stack.template);
          if (type !== undefined && !SINK_TYPES.has(type) && type !== 'AWS::Events::ApiDestination' && !ownTask) {
            findings.add(`${what}::not-a-sink`);
          }
          continue;
        }
        // Each form's account field (arnAccountOf: the account pseudo parameter is the stack's own).
        for (const form of stringForms(branch, stack.template).forms) {
          if (/:api-destination\//.test(form)) findings.add('Target::api-destination');
          if (account === undefined) continue;
          const field = arnAccountOf(form, account);
          // No ARN the gate can read: another stack's output or an import (a fork's cross-stack target passed before,
          // whatever account its output named), a parameter's value. Define the rule in its target's stack.
          if (field === undefined) {
            if (form.includes(UNKNOWN_PART)) findings.add(`${what}::account-unknown`);
            continue;
          }
          if (/^\d{12}$/.test(field) && field !== account) findings.add(`${what}::another-account`);
          // An account field only deploy knows (another resource's attribute, an import): it may be any account.
          if (field.includes(UNKNOWN_PART)) findings.add(`${what}::account-unknown`);
          const service = form.replace(/<AWS::[A-Za-z]+>/g, 'pseudo').split(':')[2] ?? '';
          const ownTask = what === 'Target' && service === 'ecs' && runsOwnTask(target, stack.template);
          if (!SINK_SERVICES.has(service) && !ownTask) findings.add(`${what}::not-a-sink`);
        }
      }
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}
