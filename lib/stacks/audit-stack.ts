import { CfnOutput } from 'aws-cdk-lib';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { IVpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AccessAuditChannel } from '../../constructs/access-audit-channel';
import { AccessAuditSearch } from '../../constructs/access-audit-search';
import { AccessAuditVolumeCheck } from '../../constructs/access-audit-volume-check';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { AuditArchiveBucket } from '../../constructs/audit-archive-bucket';
import { AuditTrail } from '../../constructs/audit-trail';
import { ConfigDeliveryBucket } from '../../constructs/config-delivery-bucket';
import { FindingsArchive } from '../../constructs/findings-archive';
import { BreakGlassRole } from '../../constructs/break-glass-role';
import { SecurityAlarms } from '../../constructs/security-alarms';
import { ROLE_TRUST_METRIC_FILTER } from '../../constructs/tamper-watches';
import { TIER } from '../../constructs/segmented-vpc';
import {
  accessVolumeThreshold,
  accessAuditDatabaseName,
  accessAuditDeliveryRoleName,
  accessAuditStreamName,
  accessAuditVolumeRoleName,
  accessAuditWorkGroupName,
  auditArchiveReplicaBucketNameRef,
  auditReplicaKeyAlias,
  auditReplicationRoleName,
  breakGlassRoleName,
  clusterName,
  findingsArchiveDeliveryRoleName,
  findingsArchiveExportRoleName,
  findingsArchiveForwardedStreamName,
  findingsArchiveRuleName,
  findingsArchiveStreamName,
  keyAliasArn,
  phiBucketNames,
  trailName,
} from '../config/names';
import { deploymentRoleArn } from '../config/principals';
import { assertDeploymentRole, BlueprintStack, BlueprintStackProps } from './blueprint-stack';
import { KeyRing } from './keys-stack';

/** Props of the audit stack. */
export interface AuditStackProps extends BlueprintStackProps {
  /** Keys of the audit domain (trail, its log group, the archive) and operations domain. */
  readonly keys: Pick<KeyRing, 'audit' | 'operations'>;
  /** What every detection alarm does (the stage passes the alert formatter, D3). */
  readonly alarmAction: IAlarmAction;
  /**
   * The PHI VPC: the access-audit volume check runs in its application tier (deployed only when services run).
   * @default - no volume check
   */
  readonly vpc?: IVpc;
}

/**
 * Audit controls (U1-U3), detection alarms (D1) and emergency access (A5): the access log bucket,
 * the object-locked audit archive, the AWS Config delivery bucket (when config.detection.config is on;
 * Config cannot deliver to an object-locked bucket), the account's multi-region CloudTrail trail with S3 data events on
 * every PHI bucket (by name: the data stack may deploy later), metric filter alarms on the trail's
 * log group, and the break-glass role (IAM users with MFA, see BreakGlassRole) whose use alarms. Stateful: termination protection on.
 */
export class AuditStack extends BlueprintStack {
  public readonly accessLogs: AccessLogBucket;
  public readonly auditArchive: AuditArchiveBucket;
  /** The application access-audit channel (U5): one stream per service into an object-locked bucket. */
  public readonly accessAudit: AccessAuditChannel;
  /** The reviewers' search path over the access-audit events (Glue table, Athena workgroup). */
  public readonly accessAuditSearch: AccessAuditSearch;
  /** The hourly per-user access volume check (U5, D1); absent without services or without a VPC. */
  public readonly accessAuditVolume?: AccessAuditVolumeCheck;
  /**
   * The six-year findings archive (D2): GuardDuty exports into it (DetectionStack), Security Hub findings reach it
   * through EventBridge and Firehose. Absent when config.detection.findingsArchive is false.
   */
  public readonly findingsArchive?: FindingsArchive;
  /** Where AWS Config delivers (DetectionStack); absent when config.detection.config is off. */
  public readonly configBucket?: ConfigDeliveryBucket;
  public readonly trail: AuditTrail;
  public readonly securityAlarms: SecurityAlarms;
  /** Absent when config names no break-glass principals (allowed outside production only). */
  public readonly breakGlass?: BreakGlassRole;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { config } = props;
    const trail = trailName(config);
    const phiBuckets = phiBucketNames(config);

    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', { retention: config.retention });
    this.auditArchive = new AuditArchiveBucket(this, 'AuditArchive', {
      retention: config.retention,
      production: config.production,
      encryptionKey: props.keys.audit,
      accessLogs: this.accessLogs,
      trailName: trail,
      // U2 U6: only a deploy may change the archive's lock configuration, versioning, lifecycle and policy.
      configurationAdministratorArns: [deploymentRoleArn(config, config.region)],
      // To the object-locked replica in the replica region (PhiReplicaStack), named: no cross-region reference.
      replication: {
        destinationBucketName: auditArchiveReplicaBucketNameRef(config),
        destinationRegion: config.phiBucket.replicaRegion,
        destinationKeyAliasArn: keyAliasArn(config.phiBucket.replicaRegion, auditReplicaKeyAlias(config)),
        // Named: the audit key and the audit replica key allow-list it (lib/config/principals.ts).
        roleName: auditReplicationRoleName(config),
        // I2 D1: failed replication of the archive, the access-audit bucket and the findings archive alarms.
        alarmAction: props.alarmAction,
      },
    });
    assertDeploymentRole(this, [deploymentRoleArn(config, config.region)]);
    // U5: services append access events to their stream; nobody of the workload reads, changes or deletes them.
    this.accessAudit = new AccessAuditChannel(this, 'AccessAudit', {
      retention: config.retention,
      production: config.production,
      encryptionKey: props.keys.audit,
      accessLogs: this.accessLogs,
      configurationAdministratorArns: [deploymentRoleArn(config, config.region)],
      // Named: the audit key allow-lists it (lib/config/principals.ts).
      deliveryRoleName: accessAuditDeliveryRoleName(config),
      // I2: replicated with the audit archive into the audit replica bucket (its events/ and errors/ prefixes).
      replication: this.auditArchive.replication,
      streams: config.services.map((s) => ({ service: s.name, streamName: accessAuditStreamName(config, s.name) })),
    });
    this.accessAuditSearch = new AccessAuditSearch(this, 'AccessAuditSearch', {
      eventsBucket: this.accessAudit.bucket,
      services: config.services.map((s) => s.name),
      encryptionKey: props.keys.audit,
      retention: config.retention,
      accessLogs: this.accessLogs,
      workGroupName: accessAuditWorkGroupName(config),
      databaseName: accessAuditDatabaseName(config),
    });
    if (config.services.length > 0 && props.vpc !== undefined) {
      this.accessAuditVolume = new AccessAuditVolumeCheck(this, 'AccessAuditVolume', {
        eventsBucket: this.accessAudit.bucket,
        resultsBucket: this.accessAuditSearch.resultsBucket,
        workGroupName: accessAuditWorkGroupName(config),
        databaseName: accessAuditDatabaseName(config),
        auditKey: props.keys.audit,
        encryptionKey: props.keys.operations,
        vpc: props.vpc,
        vpcSubnets: { subnetGroupName: TIER.application },
        retention: config.retention,
        // Named: the audit key allow-lists it (lib/config/principals.ts).
        roleName: accessAuditVolumeRoleName(config),
        threshold: accessVolumeThreshold(config),
        alarmAction: props.alarmAction,
      });
    }
    if (config.detection.findingsArchive !== false) {
      this.findingsArchive = new FindingsArchive(this, 'FindingsArchive', {
        retention: config.retention,
        production: config.production,
        encryptionKey: props.keys.audit,
        accessLogs: this.accessLogs,
        configurationAdministratorArns: [deploymentRoleArn(config, config.region)],
        // Named: the audit key allow-lists them (lib/config/principals.ts findingsArchiveRoleArns).
        deliveryRoleName: findingsArchiveDeliveryRoleName(config),
        exportRoleName: findingsArchiveExportRoleName(config),
        streamName: findingsArchiveStreamName(config),
        // Named: the export role's trust, the dead-letter queue and the audit key pin their ARNs.
        securityHubRuleName: findingsArchiveRuleName(config, 'securityhub'),
        // D2: the replica region forwards every GuardDuty finding here (ReplicaDetectionStack.forwardedPatterns).
        ...(config.detection.guardDuty
          ? {
              forwardedGuardDuty: {
                region: config.phiBucket.replicaRegion,
                ruleName: findingsArchiveRuleName(config, 'guardduty-forwarded'),
                streamName: findingsArchiveForwardedStreamName(config),
              },
            }
          : {}),
        alarmAction: props.alarmAction,
        // I2: replicated with the audit archive into the audit replica bucket (its guardduty/ and securityhub prefixes).
        replication: this.auditArchive.replication,
      });
    }
    if (config.detection.config) {
      this.configBucket = new ConfigDeliveryBucket(this, 'ConfigDelivery', {
        retention: config.retention,
        encryptionKey: props.keys.audit,
        accessLogs: this.accessLogs,
      });
    }
    this.trail = new AuditTrail(this, 'Trail', {
      trailName: trail,
      bucket: this.auditArchive.bucket,
      encryptionKey: props.keys.audit,
      retention: config.retention,
      dataEventBucketNames: phiBuckets,
    });

    if (config.breakGlassPrincipalArns.length > 0) {
      this.breakGlass = new BreakGlassRole(this, 'BreakGlass', {
        roleName: breakGlassRoleName(config),
        principalArns: config.breakGlassPrincipalArns,
        // Containment only in this environment: the app stack's cluster (same name) and resources carrying
        // the Application and Environment tags the stage applies to every resource (lib/hipaa-stage.ts).
        containment: {
          ecsClusterName: clusterName(config),
          environmentTags: { Application: config.appName, Environment: config.envName },
        },
      });
    }
    this.securityAlarms = new SecurityAlarms(this, 'SecurityAlarms', {
      logGroup: this.trail.logGroup.logGroup,
      alarmAction: props.alarmAction,
      phiBucketNames: phiBuckets,
      // Role trust changes from any region (IAM events reach EventBridge in us-east-1 only), then break-glass use.
      additionalFilters: [ROLE_TRUST_METRIC_FILTER, ...(this.breakGlass ? [this.breakGlass.usageFilter] : [])],
    });

    new CfnOutput(this, 'AuditArchiveBucketName', { value: this.auditArchive.bucket.bucketName });
    if (this.configBucket) {
      new CfnOutput(this, 'ConfigDeliveryBucketName', { value: this.configBucket.bucket.bucketName });
    }
    if (this.findingsArchive) {
      new CfnOutput(this, 'FindingsArchiveBucketName', { value: this.findingsArchive.bucket.bucketName });
      // Read by `npm run verify` (lib/deploy/verify/findings-archive-export.ts): findings waiting in it.
      new CfnOutput(this, 'FindingsArchiveDeadLetterQueueName', {
        value: this.findingsArchive.deadLetterQueue.queueName,
      });
      // Read by `npm run verify`: the streams' delivery error log group.
      new CfnOutput(this, 'FindingsArchiveDeliveryLogGroupName', {
        value: this.findingsArchive.logGroup.logGroup.logGroupName,
      });
    }
    new CfnOutput(this, 'AccessAuditBucketName', { value: this.accessAudit.bucket.bucketName });
    new CfnOutput(this, 'AccessAuditWorkGroup', { value: accessAuditWorkGroupName(config) });
    new CfnOutput(this, 'AccessLogBucketName', { value: this.accessLogs.bucket.bucketName });
    new CfnOutput(this, 'TrailArn', { value: this.trail.trailArn });
    if (this.breakGlass) new CfnOutput(this, 'BreakGlassRoleArn', { value: this.breakGlass.role.roleArn });
  }
}
