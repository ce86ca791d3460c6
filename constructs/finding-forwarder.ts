import { Arn, Aws } from 'aws-cdk-lib';
import { EventBus, EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';

/** Props of a FindingForwarder. */
export interface FindingForwarderProps {
  /** The region whose default event bus receives the findings (where the alert pipeline's rules run). */
  readonly destinationRegion: string;
  /**
   * The findings to forward, by rule name (e.g. the alert pipeline's FINDING_PATTERNS, so both regions
   * select the same findings). At least one.
   */
  readonly patterns: Readonly<Record<string, EventPattern>>;
}

/**
 * Forwards detection findings of this region (D2) to another region's default event bus (D3), where the alert
 * pipeline's rules (which do not pin the region) route them to people: one EventBridge rule per pattern, each
 * targeting that bus through a role that may only events:PutEvents on it. A cross-region event bus target keeps the
 * event (source, detail-type, detail, region) as it is, so the destination's rules match it like a local one.
 */
export class FindingForwarder extends Construct {
  /** The forwarding rules by name. */
  public readonly rules: Readonly<Record<string, Rule>>;
  /** The role EventBridge assumes to put the events on the destination bus. */
  public readonly role: Role;
  /** The role's only permission: events:PutEvents on the destination bus (a managed policy, no inline policy). */
  public readonly policy: ManagedPolicy;
  /** ARN of the destination region's default event bus. */
  public readonly destinationBusArn: string;

  constructor(scope: Construct, id: string, props: FindingForwarderProps) {
    super(scope, id);
    const names = Object.keys(props.patterns);
    if (names.length === 0) {
      throw new Error(`FindingForwarder ${this.node.path}: patterns = {}: at least one finding pattern is required`);
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.destinationRegion)) {
      throw new Error(
        `FindingForwarder ${this.node.path}: destinationRegion = '${props.destinationRegion}': must be an AWS region name such as us-east-1`,
      );
    }
    this.destinationBusArn = Arn.format({
      partition: Aws.PARTITION,
      service: 'events',
      region: props.destinationRegion,
      account: Aws.ACCOUNT_ID,
      resource: 'event-bus',
      resourceName: 'default',
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: `Forwards detection findings to the default event bus of ${props.destinationRegion}`,
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `events:PutEvents on the default event bus of ${props.destinationRegion} only`,
      statements: [new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.destinationBusArn] })],
      roles: [this.role],
    });
    const bus = EventBus.fromEventBusArn(this, 'DestinationBus', this.destinationBusArn);
    const rules: Record<string, Rule> = {};
    for (const name of names) {
      rules[name] = new Rule(this, name, {
        description: `Forwards ${name} to ${props.destinationRegion} (alert pipeline)`,
        eventPattern: props.patterns[name],
        // withoutPolicyUpdates: the target's own grant would add an inline default policy; the managed one holds it.
        targets: [new EventBusTarget(bus, { role: this.role.withoutPolicyUpdates() })],
      });
    }
    this.rules = rules;
    tagSafeguards(this, ['D2', 'D3']);
  }
}
