import { Token } from 'aws-cdk-lib';
import { IVpc } from 'aws-cdk-lib/aws-ec2';
import { CfnCluster, Cluster, ContainerInsights, ExecuteCommandLogging } from 'aws-cdk-lib/aws-ecs';
import { IKey, Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RetentionPolicy } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';
import { PhiLogGroup } from './phi-log-group';

/** Props of a PhiCluster. */
export interface PhiClusterProps {
  /** The PHI VPC (its 'Application' tier runs the tasks). */
  readonly vpc: IVpc;
  /** Customer-managed key of ECS Exec sessions and their log group (operations key, E2). */
  readonly key: IKey;
  /**
   * Customer-managed key of the tasks' Fargate ephemeral storage (container images, /tmp: may hold
   * PHI, so the PHI key). Its policy must allow Fargate (KeyUsage.fargateEphemeralStorage). Pass the key itself
   * (its keyId is written as is), not one imported by ARN.
   */
  readonly ephemeralStorageKey: IKey;
  /** The blueprint's retention policy (>= 2192 days, U3). */
  readonly retention: RetentionPolicy;
  /**
   * Physical name, lower-case letters, digits and dashes. Required: Container Insights writes to
   * `/aws/ecs/containerinsights/<clusterName>/performance`, which this construct creates first, encrypted
   * and kept six years (otherwise CloudWatch creates it without a customer key or the retention).
   */
  readonly clusterName: string;
}

/**
 * The ECS cluster of the PHI workloads (Fargate only, no instances): Container Insights with
 * enhanced observability (AwsSolutions-ECS4), and an ECS Exec configuration that is always in
 * place so that a service which enables ECS Exec cannot open an unaudited session: sessions are
 * encrypted with the customer-managed key and every session is logged (OVERRIDE) to an encrypted,
 * six-year log group that masks PHI identifiers (E2, U1-U4). Whether a service allows ECS Exec at
 * all is its own switch (config.ecsExec, off by default). The tasks' Fargate ephemeral storage is
 * encrypted with the customer-managed PHI key, not an AWS-owned key (E1).
 */
export class PhiCluster extends Construct {
  public readonly cluster: Cluster;
  /** Where ECS Exec sessions are logged. */
  public readonly execLogGroup: LogGroup;
  /** Container Insights performance log group (encrypted, six years). */
  public readonly insightsLogGroup: LogGroup;
  /**
   * The key ECS Exec sessions are encrypted with, referenced by ARN: CDK's ECS Exec support would
   * otherwise add `kms:*` for the account to the key's policy (breaking E1's separation of
   * administration from use); referenced, the key policy stays exactly as KeysStack wrote it.
   */
  public readonly execKey: IKey;
  /**
   * The key Fargate encrypts the tasks' ephemeral storage with, referenced by ARN for the same reason:
   * CDK would otherwise add Fargate statements naming this cluster to the key's policy (in KeysStack);
   * KeysStack already grants Fargate use for this account's clusters.
   */
  public readonly ephemeralStorageKey: IKey;

  constructor(scope: Construct, id: string, props: PhiClusterProps) {
    super(scope, id);
    this.execLogGroup = new PhiLogGroup(this, 'ExecLogs', {
      encryptionKey: props.key,
      retention: props.retention,
    }).logGroup;
    this.execKey = Key.fromKeyArn(this, 'ExecKey', props.key.keyArn);
    this.ephemeralStorageKey = Key.fromKeyArn(this, 'EphemeralStorageKey', props.ephemeralStorageKey.keyArn);
    if (!/^[a-z0-9][a-z0-9-]{0,254}$/.test(props.clusterName)) {
      throw new Error(
        `PhiCluster ${this.node.path}: clusterName = '${props.clusterName}': must be lower-case letters, digits and dashes`,
      );
    }
    /** Container Insights performance events (telemetry, not PHI): created before the cluster writes to it. */
    this.insightsLogGroup = new EncryptedLogGroup(this, 'ContainerInsightsLogGroup', {
      encryptionKey: props.key,
      retention: props.retention,
      logGroupName: `/aws/ecs/containerinsights/${props.clusterName}/performance`,
    }).logGroup;
    this.cluster = new Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: props.clusterName,
      // Safeguards last.
      enableFargateCapacityProviders: false,
      containerInsightsV2: ContainerInsights.ENHANCED,
      executeCommandConfiguration: {
        kmsKey: this.execKey,
        logging: ExecuteCommandLogging.OVERRIDE,
        logConfiguration: { cloudWatchLogGroup: this.execLogGroup, cloudWatchEncryptionEnabled: true },
      },
      managedStorageConfiguration: { fargateEphemeralStorageKmsKey: this.ephemeralStorageKey },
    });
    this.cluster.node.addDependency(this.insightsLogGroup);
    // The key id in a plain property position. CDK renders `fargateEphemeralStorageKmsKey.keyId` of a key
    // imported by ARN as Fn::Select/Fn::Split over the ARN, which for a key of another stack nests
    // Fn::GetStackOutput inside Fn::Split (cfn-lint E1010). The key's own id (its Ref, which AWS::KMS::Key returns
    // as the key id; ECS takes a key id and refuses aliases) is the same value without the string surgery.
    // Set on the L1's typed property, not as a raw override: the rule packs judge what deploys, and the assembly gate
    // has no override to check the stack for again (PacksSeeOverrides).
    const cfn = this.cluster.node.defaultChild as CfnCluster;
    const configuration = cfn.configuration;
    if (configuration === undefined || Token.isUnresolved(configuration)) {
      throw new Error(`PhiCluster ${this.node.path}: the cluster's Configuration is not a plain object`);
    }
    const { managedStorageConfiguration: storage, ...rest } = configuration as CfnCluster.ClusterConfigurationProperty;
    if (storage !== undefined && Token.isUnresolved(storage)) {
      throw new Error(`PhiCluster ${this.node.path}: the cluster's ManagedStorageConfiguration is not a plain object`);
    }
    cfn.configuration = {
      ...rest,
      managedStorageConfiguration: {
        ...(storage as CfnCluster.ManagedStorageConfigurationProperty | undefined),
        fargateEphemeralStorageKmsKeyId: props.ephemeralStorageKey.keyId,
      },
    };
  }
}
