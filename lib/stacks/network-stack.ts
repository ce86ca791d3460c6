import { CfnOutput, Tags } from 'aws-cdk-lib';
import { IVpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { SegmentedVpc } from '../../constructs/segmented-vpc';
import { guardDutyAgentRepository } from '../config/guard-duty-agent';
import { BlueprintStack, BlueprintStackProps } from './blueprint-stack';
import { KeyRing } from './keys-stack';

/** Props of the network stack. */
export interface NetworkStackProps extends BlueprintStackProps {
  /** Keys: operations (the flow log groups). */
  readonly keys: Pick<KeyRing, 'operations'>;
}

/**
 * Two VPCs, PHI and non-PHI, with no route between them (safeguards N1-N4). Peering or transit
 * routes are not created: a fork that needs one adds it explicitly.
 */
export class NetworkStack extends BlueprintStack {
  public readonly phiVpc: SegmentedVpc;
  public readonly nonPhiVpc: SegmentedVpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;
    const net = config.network;

    this.phiVpc = new SegmentedVpc(this, 'PhiVpc', {
      cidr: net.phiVpcCidr,
      azCount: net.azCount,
      internetEgress: net.internetEgress,
      databasePort: net.databasePort,
      interfaceEndpoints: net.interfaceEndpoints,
      interfaceEndpointAzCount: net.interfaceEndpointAzCount,
      flowLogKey: props.keys.operations,
      retention: config.retention,
      classification: 'PHI',
      // D2: the ECR endpoints admit pulls of GuardDuty's runtime monitoring sidecar from its repository.
      guardDutyAgentRepositoryArn: guardDutyAgentRepository(config),
    });
    // Nothing public is deployed in the non-PHI VPC: no public tier (and so no internet gateway or NAT) unless
    // config asks for one (network.nonPhiPublicSubnets).
    const nonPhiPublic = net.nonPhiPublicSubnets ?? false;
    this.nonPhiVpc = new SegmentedVpc(this, 'NonPhiVpc', {
      cidr: net.nonPhiVpcCidr,
      azCount: net.azCount,
      internetEgress: nonPhiPublic ? net.internetEgress : 'none',
      flowLogKey: props.keys.operations,
      retention: config.retention,
      classification: 'NonPHI',
      publicSubnets: nonPhiPublic,
    });
    Tags.of(this.nonPhiVpc).add('DataClassification', 'NonPHI');

    new CfnOutput(this, 'PhiVpcId', { value: this.phiVpc.vpc.vpcId });
    new CfnOutput(this, 'NonPhiVpcId', { value: this.nonPhiVpc.vpc.vpcId });
  }

  /** The PHI VPC, for consuming stacks. */
  public get vpc(): IVpc {
    return this.phiVpc.vpc;
  }
}
