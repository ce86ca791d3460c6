import { CfnOutput } from 'aws-cdk-lib';
import { hasDetectionStack } from '../config/names';
import { DetectionConfig } from '../config/schema';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TemplateDeclaration } from '../../constructs/core';
import { ConfigRecorder } from '../../constructs/config-recorder';
import { GuardDutyDetector } from '../../constructs/guard-duty-detector';
import { HipaaConfigRules } from '../../constructs/hipaa-config-rules';
import { MacieDiscovery } from '../../constructs/macie-discovery';
import { SecurityHub } from '../../constructs/security-hub';
import { macieJobName, phiDataBucketName, phiReplicaBucketName } from '../config/names';
import { BlueprintStack, BlueprintStackProps } from './blueprint-stack';
import { KeyRing } from './keys-stack';

/** Props of the detection stack. */
export interface DetectionStackProps extends BlueprintStackProps {
  /**
   * The Config delivery bucket (AuditStack `configBucket`): AWS Config delivers configuration history
   * and snapshots here. Required when config.detection.config is on. Never the object-locked audit
   * archive: AWS Config does not support delivery to a bucket with Object Lock and a default retention.
   */
  readonly configBucket?: IBucket;
  /** Keys: audit (the Config deliveries, the delivery bucket's key). */
  readonly keys: Pick<KeyRing, 'audit'>;
}

/**
 * Account-level detection (safeguard D2): AWS Config with the HIPAA Security rules, GuardDuty (S3 and
 * RDS protection), Security Hub, Macie on the PHI buckets, Inspector for container images. Each is
 * switched by `config.detection`; a switched-off service leaves no resource behind. Findings reach
 * people through the AlertingStack's EventBridge rules.
 */
export class DetectionStack extends BlueprintStack {
  public readonly configRecorder?: ConfigRecorder;
  public readonly configRules?: HipaaConfigRules;
  public readonly guardDuty?: GuardDutyDetector;
  public readonly securityHub?: SecurityHub;
  public readonly macie?: MacieDiscovery;

  /**
   * Whether the stack would hold any resource. CloudFormation rejects a template without resources,
   * so the stage creates this stack only when this is true (Inspector alone creates none).
   */
  public static createsResources(detection: DetectionConfig): boolean {
    return hasDetectionStack(detection);
  }

  /**
   * The template-level declaration of the detection services (D2): which are on, and who provides those
   * switched off. Written into this stack's template, or into the audit stack's when this stack is omitted, so
   * the gate's presence rule and a reviewer read the decision from the templates.
   */
  public static declaration(
    detection: DetectionConfig,
    replicaRegion?: string,
  ): NonNullable<TemplateDeclaration['detection']> {
    return {
      services: {
        config: detection.config,
        guardDuty: detection.guardDuty,
        securityHub: detection.securityHub,
        macie: detection.macie,
        inspector: detection.inspector,
      },
      ...(detection.providedBy !== undefined ? { providedBy: detection.providedBy } : {}),
      ...(replicaRegion !== undefined ? { replicaRegion } : {}),
    };
  }

  constructor(scope: Construct, id: string, props: DetectionStackProps) {
    super(scope, id, props);
    const { config } = props;
    const on = config.detection;
    this.declare({ detection: DetectionStack.declaration(on, config.phiBucket.replicaRegion) });

    if (on.config) {
      if (!props.configBucket) {
        throw new Error(
          `DetectionStack ${this.node.path}: configBucket = undefined: required when detection.config is true (AuditStack.configBucket)`,
        );
      }
      this.configRecorder = new ConfigRecorder(this, 'ConfigRecorder', {
        deliveryBucket: props.configBucket,
        deliveryKey: props.keys.audit,
        createServiceLinkedRole: on.configServiceLinkedRole === 'create',
      });
      this.configRules = new HipaaConfigRules(this, 'HipaaConfigRules', {
        dependsOn: [this.configRecorder.recorder, this.configRecorder.deliveryChannel],
      });
    }
    if (on.guardDuty) this.guardDuty = new GuardDutyDetector(this, 'GuardDuty');
    if (on.securityHub) this.securityHub = new SecurityHub(this, 'SecurityHub');
    if (on.macie) {
      this.macie = new MacieDiscovery(this, 'Macie', {
        // Macie jobs are regional: the replica (config.phiBucket.replicaRegion) is a documented gap.
        phiBucketNames: [phiDataBucketName(config)],
        otherRegionPhiBucketNames: [phiReplicaBucketName(config)],
        jobName: macieJobName(config),
      });
    }
    if (on.inspector) {
      // CloudFormation cannot activate Amazon Inspector (no AWS::InspectorV2 enabler resource): deploy step.
      new CfnOutput(this, 'InspectorActivationCommand', {
        key: 'InspectorActivationCommand',
        description: 'Deploy step (no CloudFormation resource): activate Amazon Inspector scanning of ECR images',
        value: `aws inspector2 enable --region ${config.region} --account-ids ${config.account} --resource-types ECR`,
      });
    }
  }
}
