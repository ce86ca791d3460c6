import { CfnOutput } from 'aws-cdk-lib';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { IVpc } from 'aws-cdk-lib/aws-ec2';
import { hasDetectionStack } from '../config/names';
import { DetectionConfig } from '../config/schema';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TemplateDeclaration } from '../../constructs/core';
import { ConfigRecorder } from '../../constructs/config-recorder';
import { CriticalFindingsAgeCheck } from '../../constructs/critical-findings-age-check';
import { GuardDutyDetector } from '../../constructs/guard-duty-detector';
import { GuardDutyFindingsExport } from '../../constructs/guard-duty-findings-export';
import { HipaaConfigRules } from '../../constructs/hipaa-config-rules';
import { MacieDiscovery } from '../../constructs/macie-discovery';
import { PhiMalwareProtection } from '../../constructs/phi-malware-protection';
import { RegistryScanning } from '../../constructs/registry-scanning';
import { SecurityHub } from '../../constructs/security-hub';
import { TIER } from '../../constructs/segmented-vpc';
import { macieJobName, malwareProtectionRoleName, phiDataBucketName, phiReplicaBucketName } from '../config/names';
import { DEFAULT_CRITICAL_FINDING_MAX_AGE_DAYS } from '../config/schema';
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
  /**
   * Keys: audit (the Config deliveries, the delivery bucket's key), PHI (the malware scan reads the PHI bucket's
   * objects with it), operations (the findings age check's queue and log group).
   */
  readonly keys: Pick<KeyRing, 'audit' | 'phi' | 'operations'>;
  /**
   * The six-year findings archive (AuditStack `findingsArchive.bucket`): GuardDuty's publishing destination, with
   * the audit key. Required when GuardDuty is on and config.detection.findingsArchive is not false.
   * @default - no GuardDuty findings export
   */
  readonly findingsArchive?: IBucket;
  /**
   * The PHI VPC: the critical findings age check runs in its application tier (with Security Hub).
   * @default - no findings age check
   */
  readonly vpc?: IVpc;
  /**
   * What the findings age check's alarms do (the stage passes the alert formatter, D3).
   * @default - no findings age check
   */
  readonly alarmAction?: IAlarmAction;
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
  /** GuardDuty Malware Protection for S3 on the PHI data bucket (config detection.malwareProtection, default on). */
  public readonly malwareProtection?: PhiMalwareProtection;
  /** GuardDuty's publishing destination into the findings archive (with GuardDuty and the archive). */
  public readonly guardDutyFindingsExport?: GuardDutyFindingsExport;
  /** ECR enhanced, continuous scanning of every repository by Amazon Inspector (with Inspector). */
  public readonly registryScanning?: RegistryScanning;
  /** The alarm on CRITICAL Security Hub findings open too long (V2; with Security Hub, a VPC and an alarm action). */
  public readonly criticalFindingsAge?: CriticalFindingsAgeCheck;

  /**
   * Whether the stack would hold any resource. CloudFormation rejects a template without resources,
   * so the stage creates this stack only when this is true (Inspector's is the registry scanning configuration).
   */
  public static createsResources(detection: DetectionConfig, sharesAccountWith?: string): boolean {
    return hasDetectionStack(detection, sharesAccountWith);
  }

  /**
   * The template-level declaration of the detection services (D2): which are on, and who provides those
   * switched off. Written into this stack's template, or into the audit stack's when this stack is omitted, so
   * the gate's presence rule and a reviewer read the decision from the templates.
   */
  public static declaration(
    detection: DetectionConfig,
    sharesAccountWith?: string,
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
      ...(sharesAccountWith !== undefined ? { sharedWith: sharesAccountWith } : {}),
      ...(replicaRegion !== undefined ? { replicaRegion } : {}),
      findingsArchive: detection.findingsArchive !== false,
      malwareProtection: detection.malwareProtection !== false,
    };
  }

  constructor(scope: Construct, id: string, props: DetectionStackProps) {
    super(scope, id, props);
    const { config } = props;
    const on = config.detection;
    this.declare({
      detection: DetectionStack.declaration(on, config.sharesAccountWith, config.phiBucket.replicaRegion),
    });

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
    if (on.guardDuty) {
      this.guardDuty = new GuardDutyDetector(this, 'GuardDuty');
      if (on.findingsArchive !== false) {
        if (!props.findingsArchive) {
          throw new Error(
            `DetectionStack ${this.node.path}: findingsArchive = undefined: required when detection.guardDuty is true and detection.findingsArchive is not false (AuditStack.findingsArchive.bucket)`,
          );
        }
        // D2: findings kept six years (GuardDuty keeps them 90 days).
        this.guardDutyFindingsExport = new GuardDutyFindingsExport(this, 'GuardDutyFindingsExport', {
          detectorId: this.guardDuty.detector.ref,
          bucket: props.findingsArchive,
          encryptionKey: props.keys.audit,
        });
      }
    }
    if (on.malwareProtection !== false) {
      // A plan per bucket, independent of the detector (it also runs where an organization administrator runs
      // GuardDuty and this environment switches guardDuty off). After the data stack (through the audit and
      // replica stacks): the PHI bucket exists when the plan validates.
      this.malwareProtection = new PhiMalwareProtection(this, 'MalwareProtection', {
        bucketName: phiDataBucketName(config),
        bucketKey: props.keys.phi,
        roleName: malwareProtectionRoleName(config),
      });
    }
    if (on.securityHub) {
      this.securityHub = new SecurityHub(this, 'SecurityHub');
      // V2 D2: Security Hub aggregates the Inspector, GuardDuty and Macie findings; a CRITICAL one left open longer
      // than criticalFindingMaxAgeDays alarms. Where another account provides Security Hub (securityHub false), the
      // findings are there, and so is this check.
      if (props.vpc !== undefined && props.alarmAction !== undefined) {
        this.criticalFindingsAge = new CriticalFindingsAgeCheck(this, 'CriticalFindingsAge', {
          maxAgeDays: on.criticalFindingMaxAgeDays ?? DEFAULT_CRITICAL_FINDING_MAX_AGE_DAYS,
          encryptionKey: props.keys.operations,
          vpc: props.vpc,
          vpcSubnets: { subnetGroupName: TIER.application },
          retention: config.retention,
          alarmAction: props.alarmAction,
        });
        this.criticalFindingsAge.schedule.node.addDependency(this.securityHub.hub);
      }
    }
    if (on.macie) {
      this.macie = new MacieDiscovery(this, 'Macie', {
        // Macie jobs are regional: the replica (config.phiBucket.replicaRegion) is a documented gap.
        phiBucketNames: [phiDataBucketName(config)],
        otherRegionPhiBucketNames: [phiReplicaBucketName(config)],
        jobName: macieJobName(config),
      });
    }
    if (on.inspector) {
      // ECR images: the registry's enhanced scanning activates Amazon Inspector for ECR. Lambda functions: no
      // CloudFormation resource enables it, so the deploy command's post-deploy step does (lib/deploy/post-deploy/
      // inspector.ts, ECR and LAMBDA); the output is the same step by hand.
      // One per account and region: an environment sharing the account (sharesAccountWith) uses the other's.
      if (config.sharesAccountWith === undefined)
        this.registryScanning = new RegistryScanning(this, 'RegistryScanning');
      new CfnOutput(this, 'InspectorActivationCommand', {
        key: 'InspectorActivationCommand',
        description:
          'Deploy step (run by the deploy command): activate Amazon Inspector scanning of Lambda functions (ECR images are scanned through the registry scanning configuration)',
        value: `aws inspector2 enable --region ${config.region} --account-ids ${config.account} --resource-types ECR LAMBDA`,
      });
    }
  }
}
