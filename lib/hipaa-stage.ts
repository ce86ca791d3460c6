import { Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BlueprintConfig, stackName } from './config';
import { AlertingStack } from './stacks/alerting-stack';
import { AppStack } from './stacks/app-stack';
import { AuditStack } from './stacks/audit-stack';
import { DataStack } from './stacks/data-stack';
import { PhiReplicaStack } from './stacks/phi-replica-stack';
import { DetectionStack } from './stacks/detection-stack';
import { ReplicaDetectionStack } from './stacks/replica-detection-stack';
import { KeysStack } from './stacks/keys-stack';
import { NetworkStack } from './stacks/network-stack';

/** Props of one deployable environment. */
export interface HipaaStageProps {
  /** A validated config (see loadConfig). */
  readonly config: BlueprintConfig;
}

/**
 * One deployable environment (the equivalent of a cdk.Stage, kept a plain construct so that
 * `cdk synth` and `cdk deploy --all` see its stacks as top-level stacks): composes the stacks in dependency order keys -> network -> (audit,
 * data) -> app, on the config's account and region. Stateful stacks get termination protection.
 */
export class HipaaStage extends Construct {
  public readonly keys: KeysStack;
  public readonly network: NetworkStack;
  public readonly alerting: AlertingStack;
  public readonly audit: AuditStack;
  /** Absent when config.detection switches every service off. */
  public readonly detection?: DetectionStack;
  public readonly data: DataStack;
  /** The PHI replica in config.phiBucket.replicaRegion (two-way replication with the data stack's PHI bucket). */
  public readonly phiReplica: PhiReplicaStack;
  /** Detection in config.phiBucket.replicaRegion; absent when GuardDuty, Security Hub and Config are all off. */
  public readonly replicaDetection?: ReplicaDetectionStack;
  /** The application tier: WAF, TLS-only load balancer with Cognito sign-in, Fargate services. */
  public readonly app: AppStack;

  constructor(scope: Construct, id: string, props: HipaaStageProps) {
    super(scope, id);
    const { config } = props;

    this.keys = new KeysStack(this, 'Keys', {
      stackName: stackName(config, 'keys'),
      description: 'HIPAA blueprint: customer-managed KMS keys per data domain (E1)',
      terminationProtection: true,
      config,
    });
    this.network = new NetworkStack(this, 'Network', {
      stackName: stackName(config, 'network'),
      description: 'HIPAA blueprint: segmented PHI and non-PHI VPCs, endpoints, flow logs (N1-N4)',
      terminationProtection: true,
      config,
      keys: this.keys.keys,
    });
    this.alerting = new AlertingStack(this, 'Alerting', {
      stackName: stackName(config, 'alerting'),
      description: 'HIPAA blueprint: metadata-only security alerts to an encrypted topic (D3)',
      terminationProtection: true,
      config,
      keys: this.keys.keys,
      vpc: this.network.vpc,
    });
    this.audit = new AuditStack(this, 'Audit', {
      stackName: stackName(config, 'audit'),
      description: 'HIPAA blueprint: CloudTrail, Object Lock audit archive, alarms, break-glass (U1-U3, D1, A5)',
      config,
      keys: this.keys.keys,
      alarmAction: this.alerting.alarmAction,
      // U5 D1: the access-audit volume check runs in the PHI VPC's application tier.
      vpc: this.network.vpc,
    });
    // Omitted when every detection service is switched off (CloudFormation rejects an empty template).
    if (DetectionStack.createsResources(config.detection, config.sharesAccountWith)) {
      this.detection = new DetectionStack(this, 'Detection', {
        stackName: stackName(config, 'detection'),
        description: 'HIPAA blueprint: AWS Config with HIPAA rules, GuardDuty, Security Hub, Macie (D2)',
        terminationProtection: true,
        config,
        // Not the audit archive: AWS Config cannot deliver to an object-locked bucket.
        configBucket: this.audit.configBucket?.bucket,
        keys: this.keys.keys,
        // D2: GuardDuty exports its findings into the six-year findings archive.
        findingsArchive: this.audit.findingsArchive?.bucket,
        // V2 D2: the critical findings age check runs in the PHI VPC's application tier and alerts.
        vpc: this.network.vpc,
        alarmAction: this.alerting.alarmAction,
      });
    } else {
      // The decision stays visible in the templates (and to the gate's presence rule): the audit stack declares it.
      this.audit.declare({
        detection: DetectionStack.declaration(
          config.detection,
          config.sharesAccountWith,
          config.phiBucket.replicaRegion,
        ),
      });
    }
    this.data = new DataStack(this, 'Data', {
      stackName: stackName(config, 'data'),
      description:
        'HIPAA blueprint: PHI database, PHI bucket (replicated), AWS Backup into a locked vault (E2, E3, I1-I3)',
      terminationProtection: true,
      config,
      keys: this.keys.keys,
      vpc: this.network.vpc,
      alarmAction: this.alerting.alarmAction,
    });
    // In the replica region; names only, no references. After the data stack: the PHI bucket must
    // exist before the replica's replication rule back to it (see PhiReplicaBootstrapStage for step 1).
    this.phiReplica = new PhiReplicaStack(this, PhiReplicaStack.ID, PhiReplicaStack.stackProps(config));
    this.phiReplica.addStackDependency(this.data, 'the PHI bucket is the replica bucket replication destination');
    // S3 accepts a replication rule only when its destination exists: the audit replica bucket first.
    this.audit.addStackDependency(
      this.phiReplica,
      'the audit replica bucket is the audit archive replication destination',
    );
    // D2 where the PHI replica is stored: same switches, findings forwarded to config.region's alerting.
    if (ReplicaDetectionStack.createsResources(config)) {
      this.replicaDetection = new ReplicaDetectionStack(this, ReplicaDetectionStack.ID, {
        config,
        // The audit replica key encrypts the forwarding dead-letter queue (always) and the Config deliveries.
        auditReplicaKey: this.phiReplica.auditReplicaKey,
        ...(config.detection.config ? { accessLogs: this.phiReplica.accessLogs } : {}),
      });
      this.replicaDetection.addStackDependency(
        this.phiReplica,
        'the audit replica key encrypts the Config deliveries and the forwarding dead-letter queue',
      );
      // The Config service-linked role (one per account) is created by the detection stack when asked.
      if (this.detection) {
        this.replicaDetection.addStackDependency(this.detection, 'the AWS Config service-linked role');
      }
      // Forwarded findings need the alerting stack's rules in config.region.
      this.replicaDetection.addStackDependency(this.alerting, 'forwarded findings reach its rules');
    }
    this.app = new AppStack(this, 'App', {
      stackName: stackName(config, 'app'),
      description:
        'HIPAA blueprint: WAF, TLS-only load balancer with Cognito MFA sign-in, Fargate services (E3, A1-A4, N2)',
      // Stateful: the user pool (application users), image repositories, log groups and buckets.
      terminationProtection: true,
      config,
      keys: this.keys.keys,
      vpc: this.network.vpc,
      data: this.data,
      // U5: the access-audit silence and delivery alarms.
      alarmAction: this.alerting.alarmAction,
    });

    Tags.of(this).add('Application', config.appName);
    Tags.of(this).add('Environment', config.envName);
    Tags.of(this).add('Owner', config.owner);
    Tags.of(this).add('DataClassification', 'PHI', { priority: 50 });
  }
}
