import { Arn, Aws, Stack } from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus, EventPattern, IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';
import {
  deadLetterDepthAlarm,
  denyDeadLetterReadsOutsideAccount,
  retainedDeadLetterQueue,
  ruleFailedInvocationsAlarm,
} from './vpc-function-parts';

/**
 * The retry policy of every forwarding target: EventBridge's maximum (185 attempts, 24 hours), so an outage of the
 * destination region's bus shorter than a day loses nothing; what is left after it goes to the dead-letter queue.
 */
export const FORWARD_RETRY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 } as const;

/** EventBridge rule names: 1-64 of [a-zA-Z0-9_.-]. */
const RULE_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

/** Key of `ruleNames` naming the rule that forwards the forwarder's own alarms' state changes. */
export const ALARM_STATE_CHANGES_RULE = 'AlarmStateChanges';

/** Props of a FindingForwarder. */
export interface FindingForwarderProps {
  /** The region whose default event bus receives the findings (where the alert pipeline's rules run). */
  readonly destinationRegion: string;
  /**
   * The findings to forward, by rule name (e.g. the alert pipeline's FINDING_PATTERNS, so both regions
   * select the same findings). At least one.
   */
  readonly patterns: Readonly<Record<string, EventPattern>>;
  /**
   * The physical name of each forwarding rule, by the keys of `patterns` (and `AlarmStateChanges` with
   * `deadLetterKey`): fixed names let the role's trust and the queue's and key's policies pin the rules' ARNs
   * (aws:SourceArn) without a reference cycle. Each 1-64 of [a-zA-Z0-9_.-].
   */
  readonly ruleNames: Readonly<Record<string, string>>;
  /**
   * A customer-managed key of this region for a dead-letter queue of the forwarding rules (its policy must admit
   * events.amazonaws.com for the rules' ARNs: ManagedKey deadLetterRuleArns). With it: the queue, an alarm on each
   * rule's FailedInvocations and on the queue's depth, and a rule forwarding those alarms' state changes to the
   * destination region (this region has no alert path).
   * @default - no dead-letter queue and no alarms (retries only)
   */
  readonly deadLetterKey?: IKey;
}

/**
 * Forwards detection findings of this region (D2) to another region's default event bus (D3), where the alert
 * pipeline's rules (which do not pin the region) route them to people: one EventBridge rule per pattern, each
 * targeting that bus through a role that may only events:PutEvents on it, and that only these rules of this account
 * may assume (aws:SourceAccount, aws:SourceArn). A cross-region event bus target keeps the event (source, detail-type,
 * detail, region) as it is, so the destination's rules match it like a local one. Every target retries for a day
 * (FORWARD_RETRY); with `deadLetterKey`, what still fails lands in an encrypted dead-letter queue, and alarms on the
 * rules' FailedInvocations and on the queue's depth reach the destination region as forwarded alarm state changes.
 */
export class FindingForwarder extends Construct {
  /** The forwarding rules by name (the keys of `patterns`, and `AlarmStateChanges` with a dead-letter key). */
  public readonly rules: Readonly<Record<string, Rule>>;
  /** The role EventBridge assumes to put the events on the destination bus. */
  public readonly role: Role;
  /** The role's only permission: events:PutEvents on the destination bus (a managed policy, no inline policy). */
  public readonly policy: ManagedPolicy;
  /** ARN of the destination region's default event bus. */
  public readonly destinationBusArn: string;
  /** The ARNs of the forwarding rules (from their fixed names), as the trust and the queue policy pin them. */
  public readonly ruleArns: readonly string[];
  /** Events EventBridge could not put on the destination bus after its retries (with deadLetterKey). */
  public readonly deadLetterQueue?: Queue;
  /** FailedInvocations alarm per forwarding rule (keys of `patterns`), and the dead-letter queue depth alarm. */
  public readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: FindingForwarderProps) {
    super(scope, id);
    const where = `FindingForwarder ${this.node.path}`;
    const names = Object.keys(props.patterns);
    if (names.length === 0) {
      throw new Error(`${where}: patterns = {}: at least one finding pattern is required`);
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.destinationRegion)) {
      throw new Error(
        `${where}: destinationRegion = '${props.destinationRegion}': must be an AWS region name such as us-east-1`,
      );
    }
    const ruleKeys = props.deadLetterKey !== undefined ? [...names, ALARM_STATE_CHANGES_RULE] : names;
    for (const key of ruleKeys) {
      const name = props.ruleNames[key];
      if (name === undefined || !RULE_NAME.test(name)) {
        throw new Error(
          `${where}: ruleNames.${key} = ${name === undefined ? 'undefined' : `'${name}'`}: every forwarding rule needs a fixed name of 1-64 [a-zA-Z0-9_.-] (its ARN is pinned in the role's trust)`,
        );
      }
    }
    const stack = Stack.of(this);
    const ruleArn = (key: string) =>
      Arn.format({
        partition: Aws.PARTITION,
        service: 'events',
        region: stack.region,
        account: stack.account,
        resource: 'rule',
        resourceName: props.ruleNames[key]!,
      });
    this.ruleArns = ruleKeys.map(ruleArn);
    this.destinationBusArn = Arn.format({
      partition: Aws.PARTITION,
      service: 'events',
      region: props.destinationRegion,
      account: Aws.ACCOUNT_ID,
      resource: 'event-bus',
      resourceName: 'default',
    });
    // D3: only these rules of this account assume it (no confused deputy through another account's rule).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': [...this.ruleArns] },
        },
      }),
      description: `Forwards detection findings to the default event bus of ${props.destinationRegion}`,
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `events:PutEvents on the default event bus of ${props.destinationRegion} only`,
      statements: [new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.destinationBusArn] })],
      roles: [this.role],
    });
    const bus = EventBus.fromEventBusArn(this, 'DestinationBus', this.destinationBusArn);

    if (props.deadLetterKey !== undefined) {
      const queue = retainedDeadLetterQueue(this, 'DeadLetterQueue', props.deadLetterKey);
      queue.addToResourcePolicy(
        new PolicyStatement({
          sid: 'TheForwardingRulesDeadLetterHere',
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': [...this.ruleArns] } },
        }),
      );
      // A dead letter is a raw finding (it can name S3 object keys): nobody outside this account reads or purges it.
      denyDeadLetterReadsOutsideAccount(queue, stack.account);
      this.deadLetterQueue = queue;
    }

    // The EventBus target of aws-events-targets takes no retry policy; the CloudFormation target does.
    const role = this.role.withoutPolicyUpdates();
    const deadLetterArn = this.deadLetterQueue?.queueArn;
    const target: IRuleTarget = {
      bind: () => ({
        arn: bus.eventBusArn,
        role,
        retryPolicy: { ...FORWARD_RETRY },
        ...(deadLetterArn !== undefined ? { deadLetterConfig: { arn: deadLetterArn } } : {}),
      }),
    };
    const rules: Record<string, Rule> = {};
    for (const name of names) {
      rules[name] = new Rule(this, name, {
        ruleName: props.ruleNames[name],
        description: `Forwards ${name} to ${props.destinationRegion} (alert pipeline)`,
        eventPattern: props.patterns[name],
        targets: [target],
      });
    }

    const alarms: Alarm[] = [];
    if (this.deadLetterQueue !== undefined) {
      for (const name of names) {
        alarms.push(
          ruleFailedInvocationsAlarm(
            this,
            `${name}FailedInvocations`,
            props.ruleNames[name]!,
            `D2 D3: EventBridge failed to forward ${name} to ${props.destinationRegion} (FailedInvocations of rule ${props.ruleNames[name]!}); failed events wait in the forwarder's dead-letter queue`,
          ),
        );
      }
      alarms.push(
        deadLetterDepthAlarm(
          this,
          'DeadLetterAlarm',
          this.deadLetterQueue,
          `D2 D3: events EventBridge could not forward to ${props.destinationRegion} wait in the forwarder's dead-letter queue (redrive them)`,
        ),
      );
      // No alert path in this region: the alarms' state changes go to the destination's bus, where the alert
      // pipeline's ForwardedAlarms rule routes this region's alarm state changes to the formatter.
      rules[ALARM_STATE_CHANGES_RULE] = new Rule(this, ALARM_STATE_CHANGES_RULE, {
        ruleName: props.ruleNames[ALARM_STATE_CHANGES_RULE],
        description: `Forwards the forwarder's alarm state changes to ${props.destinationRegion} (alert pipeline)`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: alarms.map((a) => a.alarmArn),
        },
        targets: [target],
      });
    }
    this.alarms = alarms;
    this.rules = rules;
    tagSafeguards(this, ['D2', 'D3']);
  }
}
