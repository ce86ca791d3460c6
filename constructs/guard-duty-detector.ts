import { RemovalPolicy } from 'aws-cdk-lib';
import { CfnDetector } from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';

/** GuardDuty features the blueprint turns on: S3 data events (PHI buckets) and RDS login activity. */
export const GUARDDUTY_FEATURES = ['S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS'] as const;

/**
 * Runtime monitoring (D2): GuardDuty watches the Fargate tasks' processes, files and network calls through its own
 * security agent, which GuardDuty manages (adds as a sidecar to new tasks of the account's ECS clusters and keeps
 * up to date): the RUNTIME_MONITORING feature with ECS_FARGATE_AGENT_MANAGEMENT on.
 */
export const GUARDDUTY_RUNTIME_MONITORING = {
  feature: 'RUNTIME_MONITORING',
  agentManagement: 'ECS_FARGATE_AGENT_MANAGEMENT',
} as const;

/**
 * The EventBridge event GuardDuty sends when a resource's runtime coverage becomes unhealthy (agent not deployed or
 * not reporting, VPC endpoint missing): "Amazon GuardDuty events", Amazon EventBridge events reference, and "Runtime
 * coverage and troubleshooting for Amazon ECS clusters", GuardDuty User Guide. The alert pipeline routes it (D2 -> D3).
 */
export const GUARDDUTY_RUNTIME_UNHEALTHY_EVENT = {
  source: 'aws.guardduty',
  detailType: 'GuardDuty Runtime Protection Unhealthy',
} as const;

/** Props of a GuardDutyDetector. */
export interface GuardDutyDetectorProps {
  /**
   * How often updated findings are published to EventBridge.
   * @default 'FIFTEEN_MINUTES'
   */
  readonly findingPublishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
}

/**
 * The GuardDuty detector of the account and region (D2, 164.308(a)(1)(ii)(D)) with S3 protection
 * (data events on every bucket), RDS protection (login anomalies) and runtime monitoring of the Fargate tasks (agent
 * managed by GuardDuty; the tasks reach GuardDuty through the VPC endpoint it creates, on 443 inside the VPC). One per account and region:
 * switch it off in config where the organisation already runs GuardDuty.
 *
 * Retained (DeletionPolicy and UpdateReplacePolicy Retain, safeguard I2): deleting a detector deletes
 * its findings, so deleting or replacing the stack leaves it running.
 */
export class GuardDutyDetector extends Construct {
  public readonly detector: CfnDetector;

  constructor(scope: Construct, id: string, props: GuardDutyDetectorProps = {}) {
    super(scope, id);
    this.detector = new CfnDetector(this, 'Detector', {
      findingPublishingFrequency: props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES',
      // Safeguards last.
      enable: true,
      features: [
        ...GUARDDUTY_FEATURES.map((name) => ({ name, status: 'ENABLED' })),
        {
          name: GUARDDUTY_RUNTIME_MONITORING.feature,
          status: 'ENABLED',
          additionalConfiguration: [{ name: GUARDDUTY_RUNTIME_MONITORING.agentManagement, status: 'ENABLED' }],
        },
      ],
    });
    this.detector.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
  }
}
