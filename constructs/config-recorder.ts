import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { CfnConfigurationRecorder, CfnDeliveryChannel } from 'aws-cdk-lib/aws-config';
import { CfnServiceLinkedRole } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Default key prefix of AWS Config deliveries (ConfigRecorder and ConfigDeliveryBucket agree on it). */
export const CONFIG_DELIVERY_KEY_PREFIX = 'config';

/** Props of a ConfigRecorder. */
export interface ConfigRecorderProps {
  /**
   * Where configuration history and snapshots are delivered (a ConfigDeliveryBucket). Its bucket policy
   * must let the `config.amazonaws.com` service principal of this account write under `keyPrefix`.
   * Not the audit archive: AWS Config does not support delivery to a bucket with Object Lock and a
   * default retention.
   */
  readonly deliveryBucket: IBucket;
  /** Key the deliveries are encrypted with (its policy lets AWS Config use it: key-usage `awsConfig`). */
  readonly deliveryKey: IKey;
  /**
   * Key prefix of the deliveries in the bucket.
   * @default CONFIG_DELIVERY_KEY_PREFIX ('config')
   */
  readonly keyPrefix?: string;
  /**
   * Create AWS Config's service-linked role. Set false where the account already has
   * AWSServiceRoleForConfig (one per account, and AWS creates it whenever AWS Config is turned on:
   * creating it twice fails deploy). The blueprint sets this from config
   * `detection.configServiceLinkedRole` ('create' -> true, 'existing' -> false).
   * @default true
   */
  readonly createServiceLinkedRole?: boolean;
  /**
   * Record global resource types (IAM). True in one region only (the home region): a second region
   * recording them duplicates every IAM configuration item.
   * @default true
   */
  readonly includeGlobalResourceTypes?: boolean;
}

/** ARN of AWS Config's service-linked role in this account. */
export const CONFIG_SERVICE_LINKED_ROLE_ARN = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;

/**
 * AWS Config recording (safeguard D2, 164.308(a)(1)(ii)(D)): every supported resource type, global
 * types (IAM) included (deploy it in the home region only), continuous recording, daily snapshots
 * delivered KMS-encrypted to the Config delivery bucket (ConfigDeliveryBucket, in the audit stack).
 *
 * The recorder uses AWS Config's service-linked role, which AWS maintains as resource types are added:
 * no AWS managed policy attached to a role of ours (AwsSolutions-IAM4) and no wildcard delivery policy
 * (AwsSolutions-IAM5). With the service-linked role, AWS Config delivers as its service principal,
 * so the bucket policy (ConfigDeliveryBucket) and the key policy grant the delivery.
 *
 * The recorder, the delivery channel and the service-linked role are retained (DeletionPolicy and
 * UpdateReplacePolicy Retain, safeguard I2): deleting or replacing the stack must not stop recording
 * or remove a role other recorders of the account use. After a stack deletion, stop or delete them by
 * hand, or set detection.config false (one recorder per account and region).
 */
export class ConfigRecorder extends Construct {
  public readonly recorder: CfnConfigurationRecorder;
  public readonly deliveryChannel: CfnDeliveryChannel;
  public readonly serviceLinkedRole?: CfnServiceLinkedRole;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const prefix = props.keyPrefix ?? CONFIG_DELIVERY_KEY_PREFIX;
    if (!/^[a-z0-9-]{1,64}$/.test(prefix)) {
      throw new Error(`ConfigRecorder ${this.node.path}: keyPrefix = '${prefix}': must be 1-64 of [a-z0-9-]`);
    }

    if (props.createServiceLinkedRole ?? true) {
      this.serviceLinkedRole = new CfnServiceLinkedRole(this, 'ServiceLinkedRole', {
        awsServiceName: 'config.amazonaws.com',
        description: 'AWS Config recorder of the HIPAA blueprint',
      });
      this.serviceLinkedRole.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    }

    this.recorder = new CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: CONFIG_SERVICE_LINKED_ROLE_ARN,
      // Safeguards last.
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.includeGlobalResourceTypes ?? true },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    });
    this.recorder.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    if (this.serviceLinkedRole) this.recorder.node.addDependency(this.serviceLinkedRole);

    this.deliveryChannel = new CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: props.deliveryBucket.bucketName,
      s3KeyPrefix: prefix,
      // Safeguards last.
      s3KmsKeyArn: props.deliveryKey.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    this.deliveryChannel.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    // AWS Config accepts a delivery channel only once a recorder exists.
    this.deliveryChannel.node.addDependency(this.recorder);
  }
}
