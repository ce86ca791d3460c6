import { CfnOutput } from 'aws-cdk-lib';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AlertPipeline } from '../../constructs/alert-pipeline';
import { TamperDetection } from '../../constructs/tamper-detection';
import { TIER } from '../../constructs/segmented-vpc';
import { BlueprintStack, BlueprintStackProps } from './blueprint-stack';
import { KeyRing } from './keys-stack';

/** Props of the alerting stack. */
export interface AlertingStackProps extends BlueprintStackProps {
  /** Keys: operations (the alert topic, the dead-letter queue and the formatter's logs). */
  readonly keys: Pick<KeyRing, 'operations'>;
  /** The PHI VPC the formatter runs in. */
  readonly vpc: IVpc;
  /**
   * Subnets of the formatter.
   * @default - the application tier ({ subnetGroupName: 'Application' })
   */
  readonly vpcSubnets?: SubnetSelection;
}

/**
 * Security alerting (safeguard D3): alarms and findings -> metadata-only formatter -> encrypted topic
 * -> people. Other stacks give their alarms `alarmAction`.
 */
export class AlertingStack extends BlueprintStack {
  public readonly pipeline: AlertPipeline;
  /** Tamper rules (U6), the alert-path heartbeat and the formatter throttle alarm. */
  public readonly tamperDetection: TamperDetection;

  constructor(scope: Construct, id: string, props: AlertingStackProps) {
    super(scope, id, props);
    this.pipeline = new AlertPipeline(this, 'AlertPipeline', {
      encryptionKey: props.keys.operations,
      alertEmails: props.config.alertEmails,
      ...(props.config.alertHttpsEndpoint !== undefined ? { httpsEndpoint: props.config.alertHttpsEndpoint } : {}),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetGroupName: TIER.application },
      retention: props.config.retention,
      // I2 D1: the PHI replica region's replication stall alarms (PhiReplicaStack) forward their state changes here.
      forwardedAlarmRegions: [props.config.phiBucket.replicaRegion],
    });
    this.tamperDetection = new TamperDetection(this, 'TamperDetection', {
      formatter: this.pipeline.formatter,
      formatterLogGroup: this.pipeline.logGroup.logGroup,
      topic: this.pipeline.topic,
      deadLetterQueue: this.pipeline.deadLetterQueue,
    });
    new CfnOutput(this, 'AlertTopicArn', { value: this.pipeline.topic.topicArn });
  }

  /** The action every security alarm uses: CloudWatch invokes the formatter directly. */
  public get alarmAction(): IAlarmAction {
    return this.pipeline.alarmAction;
  }
}
