import { CfnOutput } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { EventPattern } from 'aws-cdk-lib/aws-events';
import { ConfigDeliveryBucket } from '../../constructs/config-delivery-bucket';
import { ConfigRecorder } from '../../constructs/config-recorder';
import { REPLICA_FORWARDED_WATCHES, watchPattern } from '../../constructs/tamper-watches';
import { FindingForwarder } from '../../constructs/finding-forwarder';
import { GUARDDUTY_FINDING_PATTERN, SECURITY_HUB_IMPORTED_PATTERN } from '../../constructs/findings-archive';
import { GuardDutyDetector } from '../../constructs/guard-duty-detector';
import { HipaaConfigRules } from '../../constructs/hipaa-config-rules';
import { SecurityHub } from '../../constructs/security-hub';
import { BlueprintConfig, hasReplicaDetectionStack, stackName } from '../config';
import { replicaForwardRuleKeys, replicaForwardRuleName } from '../config/names';
import { BlueprintStack, BlueprintStackProps } from './blueprint-stack';

/** Props of the replica-region detection stack. */
export interface ReplicaDetectionStackProps extends Omit<BlueprintStackProps, 'region'> {
  /**
   * The audit replica key (PhiReplicaStack `auditReplicaKey`, same region): encrypts the AWS Config deliveries of
   * this region and the forwarding rules' dead-letter queue (its policy admits the rules: principals.ts
   * replicaForwardRuleArns). Required whenever the stack is created.
   * @default - none (refused: the stack always forwards)
   */
  readonly auditReplicaKey?: IKey;
  /**
   * The replica region's access log bucket (PhiReplicaStack `accessLogs`, same region): the Config delivery bucket's
   * server access logs. Required when config.detection.config is on.
   * @default - none (detection.config off)
   */
  readonly accessLogs?: AccessLogBucket;
}

/**
 * Detection (safeguard D2) in config.phiBucket.replicaRegion, where the PHI replica and the audit archive replica
 * are stored: the GuardDuty detector (S3 and RDS protection), Security Hub with the same standards, the AWS Config
 * recorder (regional resource types only: global types are recorded in config.region) with the HIPAA Security
 * rules, each switched by the same config.detection switches as the DetectionStack. Config delivers to a
 * ConfigDeliveryBucket of this region, under the audit replica key. Every GuardDuty and Security Hub finding is
 * forwarded to config.region's default event bus, where the AlertingStack's rules route the severe ones to people
 * (D3) and the findings archive keeps all of them (D2); the forwarding retries for a day, dead-letters what still
 * fails under the audit replica key, and its failures alarm through forwarded alarm state changes.
 * Names only across regions: no cross-region reference. Stateful: termination protection, services retained.
 */
export class ReplicaDetectionStack extends BlueprintStack {
  /** Construct id in the stage. */
  public static readonly ID = 'ReplicaDetection';

  /** Whether the stack holds any resource (the stage creates it only then). */
  public static createsResources(config: BlueprintConfig): boolean {
    return hasReplicaDetectionStack(config.detection);
  }

  /**
   * The finding patterns forwarded to config.region: EVERY finding of the services this stack runs, any severity
   * (D2: the findings archive in config.region keeps them six years; GuardDuty's by its forwarded-GuardDuty rule,
   * Security Hub's by its rule on every imported finding). Alerting does not widen: the alert pipeline's rules in
   * config.region keep their severity filters (FINDING_PATTERNS) and match forwarded findings like local ones.
   */
  public static forwardedPatterns(config: BlueprintConfig): Record<string, EventPattern> {
    const out: Record<string, EventPattern> = {};
    if (config.detection.guardDuty) {
      out.GuardDutyFindings = {
        source: [...GUARDDUTY_FINDING_PATTERN.source],
        detailType: [...GUARDDUTY_FINDING_PATTERN.detailType],
      };
    }
    if (config.detection.securityHub) {
      out.SecurityHubFindings = {
        source: [...SECURITY_HUB_IMPORTED_PATTERN.source],
        detailType: [...SECURITY_HUB_IMPORTED_PATTERN.detailType],
      };
    }
    // U6: tamper actions in this region reach the main region's tamper rules too (the detector, hub, recorder, keys,
    // buckets and these forwarding rules live here).
    for (const watch of REPLICA_FORWARDED_WATCHES) out[`Tamper${watch.id}`] = watchPattern(watch);
    return out;
  }

  public readonly configRecorder?: ConfigRecorder;
  public readonly configRules?: HipaaConfigRules;
  public readonly configBucket?: ConfigDeliveryBucket;
  public readonly guardDuty?: GuardDutyDetector;
  public readonly securityHub?: SecurityHub;
  public readonly forwarder?: FindingForwarder;

  constructor(scope: Construct, id: string, props: ReplicaDetectionStackProps) {
    super(scope, id, {
      stackName: stackName(props.config, 'replicaDetection'),
      description: `HIPAA blueprint: GuardDuty, Security Hub, AWS Config with HIPAA rules in ${props.config.phiBucket.replicaRegion}, findings forwarded to ${props.config.region} (D2)`,
      terminationProtection: true,
      ...props,
      region: props.config.phiBucket.replicaRegion,
    });
    const { config } = props;
    const on = config.detection;
    // The gate's DetectionServicesPresent checks this region's services in the stacks declaring it.
    this.declare({ replicaDetection: { region: config.phiBucket.replicaRegion } });

    if (!props.auditReplicaKey) {
      throw new Error(
        `ReplicaDetectionStack ${this.node.path}: auditReplicaKey = undefined: required (PhiReplicaStack.auditReplicaKey): it encrypts the forwarding rules' dead-letter queue`,
      );
    }
    if (on.config) {
      if (!props.auditReplicaKey || !props.accessLogs) {
        const field = props.auditReplicaKey ? 'accessLogs' : 'auditReplicaKey';
        throw new Error(
          `ReplicaDetectionStack ${this.node.path}: ${field} = undefined: required when detection.config is true (PhiReplicaStack.${field})`,
        );
      }
      const accessLogs = props.accessLogs;
      this.configBucket = new ConfigDeliveryBucket(this, 'ConfigDelivery', {
        retention: config.retention,
        encryptionKey: props.auditReplicaKey,
        accessLogs,
      });
      this.configRecorder = new ConfigRecorder(this, 'ConfigRecorder', {
        deliveryBucket: this.configBucket.bucket,
        deliveryKey: props.auditReplicaKey,
        // One service-linked role per account: the detection stack in config.region creates it when asked.
        createServiceLinkedRole: false,
        includeGlobalResourceTypes: false,
      });
      // AWS Config checks its write access when the channel is created: the bucket policy first.
      if (this.configBucket.bucket.policy) {
        this.configRecorder.deliveryChannel.node.addDependency(this.configBucket.bucket.policy);
      }
      this.configRules = new HipaaConfigRules(this, 'HipaaConfigRules', {
        dependsOn: [this.configRecorder.recorder, this.configRecorder.deliveryChannel],
      });
      new CfnOutput(this, 'ConfigDeliveryBucketName', { value: this.configBucket.bucket.bucketName });
    }
    if (on.guardDuty) this.guardDuty = new GuardDutyDetector(this, 'GuardDuty');
    if (on.securityHub) this.securityHub = new SecurityHub(this, 'SecurityHub');
    const patterns = ReplicaDetectionStack.forwardedPatterns(config);
    if (Object.keys(patterns).length > 0) {
      // D2 D3: fixed rule names (pinned by the role's trust, the queue and the audit replica key), retries, a
      // dead-letter queue under the audit replica key, FailedInvocations and queue depth alarms forwarded to config.region.
      const ruleNames = Object.fromEntries(
        replicaForwardRuleKeys(on).map((k) => [k, replicaForwardRuleName(config, k)]),
      );
      this.forwarder = new FindingForwarder(this, 'FindingForwarder', {
        destinationRegion: config.region,
        patterns,
        ruleNames,
        deadLetterKey: props.auditReplicaKey,
      });
    }
  }
}
