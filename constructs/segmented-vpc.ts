import {
  AclCidr,
  AclTraffic,
  Action,
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpoint,
  GatewayVpcEndpointAwsService,
  IpAddresses,
  NetworkAcl,
  Peer,
  Port,
  SecurityGroup,
  SubnetConfiguration,
  SubnetSelection,
  SubnetType,
  TrafficDirection,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { AnyPrincipal, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Aws, CfnResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { interfaceEndpointStatements } from './interface-endpoint-policies';
import { INTERFACE_ENDPOINT_SERVICES } from './interface-endpoint-services';
import { markSubnetTier, markVpc, RetentionPolicy, SubnetTierName } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';

/** Construct id of the stack-wide provider CDK creates for `restrictDefaultSecurityGroup` (one per stack). */
export const RESTRICT_DEFAULT_SG_PROVIDER_ID = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';

/** Construct id (in the stack) of the provider handler's encrypted log group. */
export const RESTRICT_DEFAULT_SG_LOG_GROUP_ID = 'VpcRestrictDefaultSgProviderLogGroup';

/** Whether subnets that run workloads may reach the internet: 'none' (VPC endpoints only) or 'nat' (one NAT gateway per AZ). */
export type InternetEgress = 'none' | 'nat';

/** Subnet group names: the tiers of a segmented VPC. */
export const TIER = { public: 'Public', application: 'Application', data: 'Data' } as const;

/** Props of a SegmentedVpc. */
export interface SegmentedVpcProps {
  /** IPv4 CIDR of the VPC, /16 to /20. */
  readonly cidr: string;
  /** Number of availability zones (2 or 3); the stack decides which (see BlueprintStack). */
  readonly azCount: number;
  /** 'none': no NAT gateway, the application tier is isolated and reaches AWS through endpoints. */
  readonly internetEgress: InternetEgress;
  /**
   * A data tier (isolated) whose network ACL admits only the application tier on this port.
   * @default - no data tier
   */
  readonly databasePort?: number;
  /**
   * Interface endpoints (names from INTERFACE_ENDPOINT_SERVICES) in the application tier.
   * @default - none
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * In how many of the VPC's AZs each interface endpoint has a network interface (1 to azCount). Each endpoint costs
   * an hourly fee per AZ; with fewer AZs than the VPC, callers in the other AZs reach the endpoint across AZs (private
   * DNS resolves to its interfaces), and lose it when its AZ fails. A low-cost choice for environments without an
   * availability objective.
   * @default azCount (every AZ)
   */
  readonly interfaceEndpointAzCount?: number;
  /** Key for the flow log group. */
  readonly flowLogKey: IKey;
  /** Retention of the flow log group. */
  readonly retention: RetentionPolicy;
  /**
   * What the VPC may carry, written into the VPC's template metadata (`HipaaBlueprint::Vpc`): the gate keeps a
   * 'NonPHI' VPC from being peered, attached or routed to a 'PHI' one (N1).
   * @default 'PHI'
   */
  readonly classification?: 'PHI' | 'NonPHI';
  /**
   * A public tier (subnets with a route to an internet gateway, for an internet-facing load balancer). Without it
   * the VPC has no internet gateway; `internetEgress` must then be 'none' (a NAT gateway lives in a public subnet).
   * @default true
   */
  readonly publicSubnets?: boolean;
  /**
   * ARN of GuardDuty's Fargate agent repository in this region (guardDutyAgentRepositoryArn), D2: the ecr.api and
   * ecr.dkr endpoint policies admit image pulls by this account's principals from exactly that repository, so
   * ECS can pull GuardDuty's runtime monitoring sidecar into the tasks. Its layers come from the region's ECR
   * layer bucket, which the S3 gateway endpoint already admits. The endpoint GuardDuty creates itself for
   * the agent's telemetry (guardduty-data, with its own security group admitting HTTPS from the VPC) is not part
   * of this construct.
   * @default - the ECR endpoints admit this account's repositories only
   */
  readonly guardDutyAgentRepositoryArn?: string;
}

/**
 * A VPC segmented into tiers with the network safeguards built in (N2-N4): public tier for load
 * balancers only (no auto-assigned public IPs), application tier, optional isolated data tier behind
 * a network ACL, S3 and DynamoDB gateway endpoints (policies: this account only, plus ECR image layers),
 * interface endpoints (policies: this account's principals on this account's resources), no NAT unless asked, flow logs of all traffic to an encrypted six-year log
 * group, and the default security group closed.
 */
export class SegmentedVpc extends Construct {
  public readonly vpc: Vpc;
  public readonly flowLogGroup: EncryptedLogGroup;
  /** S3 gateway endpoint: this account's buckets and the regional ECR image-layer bucket only. */
  public readonly s3Endpoint: GatewayVpcEndpoint;
  /** DynamoDB gateway endpoint: this account's tables only. */
  public readonly dynamoDbEndpoint: GatewayVpcEndpoint;
  /** Security group of the interface endpoints (HTTPS from inside the VPC). */
  public readonly endpointSecurityGroup?: SecurityGroup;
  /** Network ACL of the data tier, if there is one. */
  public readonly dataAcl?: NetworkAcl;
  /**
   * Log group of the stack's default-security-group provider Lambda (shared by every SegmentedVpc
   * of the stack; the first one creates it with its flow log key).
   */
  public readonly providerLogGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: SegmentedVpcProps) {
    super(scope, id);
    if (!Number.isInteger(props.azCount) || props.azCount < 2 || props.azCount > 3) {
      throw new Error(`SegmentedVpc ${this.node.path}: azCount = ${props.azCount}: must be 2 or 3 (Multi-AZ)`);
    }
    const endpointAzs = props.interfaceEndpointAzCount;
    if (
      endpointAzs !== undefined &&
      (!Number.isInteger(endpointAzs) || endpointAzs < 1 || endpointAzs > props.azCount)
    ) {
      throw new Error(
        `SegmentedVpc ${this.node.path}: interfaceEndpointAzCount = ${endpointAzs}: must be a whole number from 1 to azCount (${props.azCount})`,
      );
    }
    const unknown = (props.interfaceEndpoints ?? []).filter((n) => !(n in INTERFACE_ENDPOINT_SERVICES));
    if (unknown.length > 0) {
      throw new Error(
        `SegmentedVpc ${this.node.path}: interfaceEndpoints = ${JSON.stringify(unknown)}: unknown endpoint names`,
      );
    }
    const withEgress = props.internetEgress === 'nat';
    const withPublic = props.publicSubnets ?? true;
    if (withEgress && !withPublic) {
      throw new Error(
        `SegmentedVpc ${this.node.path}: publicSubnets = false with internetEgress = 'nat': a NAT gateway needs a public subnet`,
      );
    }
    const subnets: SubnetConfiguration[] = [
      ...(withPublic
        ? [{ name: TIER.public, subnetType: SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false }]
        : []),
      {
        name: TIER.application,
        subnetType: withEgress ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED,
        cidrMask: 24,
      },
    ];
    if (props.databasePort !== undefined) {
      subnets.push({ name: TIER.data, subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 });
    }

    this.flowLogGroup = new EncryptedLogGroup(this, 'FlowLogGroup', {
      encryptionKey: props.flowLogKey,
      retention: props.retention,
    });
    const flowLogRole = this.flowLogRole();

    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr(props.cidr),
      maxAzs: props.azCount,
      subnetConfiguration: subnets,
      // Safeguards last.
      natGateways: withEgress ? props.azCount : 0,
      restrictDefaultSecurityGroup: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      flowLogs: {
        All: {
          // The role is passed immutable: its only permissions are the managed policy scoped to this log group.
          destination: FlowLogDestination.toCloudWatchLogs(
            this.flowLogGroup.logGroup,
            flowLogRole.withoutPolicyUpdates(),
          ),
          trafficType: FlowLogTrafficType.ALL,
        },
      },
    });

    this.providerLogGroup = this.logProviderToManagedGroup(props);
    // Same construct ids as the Vpc's `gatewayEndpoints` option ('S3', 'DynamoDB'): same logical ids.
    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', { service: GatewayVpcEndpointAwsService.S3 });
    this.dynamoDbEndpoint = this.vpc.addGatewayEndpoint('DynamoDB', {
      service: GatewayVpcEndpointAwsService.DYNAMODB,
    });
    this.restrictGatewayEndpoints();

    const endpointNames = props.interfaceEndpoints ?? [];
    if (endpointNames.length > 0) {
      this.endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface endpoints: HTTPS from inside the VPC only',
        allowAllOutbound: false,
      });
      this.endpointSecurityGroup.addIngressRule(Peer.ipv4(props.cidr), Port.tcp(443), 'HTTPS from the VPC');
      const account = Stack.of(this).account;
      // One application subnet per AZ, in the VPC's AZ order: the first `interfaceEndpointAzCount` of them.
      const endpointSubnets = this.vpc
        .selectSubnets({ subnetGroupName: TIER.application })
        .subnets.slice(0, props.interfaceEndpointAzCount ?? props.azCount);
      for (const name of endpointNames) {
        const endpoint = this.vpc.addInterfaceEndpoint(`Endpoint-${name}`, {
          service: INTERFACE_ENDPOINT_SERVICES[name],
          subnets: { subnets: endpointSubnets },
          securityGroups: [this.endpointSecurityGroup],
          privateDnsEnabled: true,
          open: false,
        });
        // N3 U6: this account's principals on this account's resources only (no exfiltration through it).
        const foreign = props.guardDutyAgentRepositoryArn !== undefined ? [props.guardDutyAgentRepositoryArn] : [];
        for (const statement of interfaceEndpointStatements(name, account, foreign)) endpoint.addToPolicy(statement);
      }
    }

    if (props.databasePort !== undefined) {
      this.dataAcl = this.restrictDataTier(props.databasePort);
    }
    this.markForTheGate(props);
  }

  /**
   * Template markers the gate reads (constructs/core/markers.ts): the VPC's classification, its interface endpoints
   * and database port, and each subnet's tier.
   */
  private markForTheGate(props: SegmentedVpcProps): void {
    markVpc(this.vpc.node.defaultChild as CfnResource, {
      classification: props.classification ?? 'PHI',
      interfaceEndpoints: [...(props.interfaceEndpoints ?? [])],
      ...(props.databasePort !== undefined ? { databasePort: props.databasePort } : {}),
    });
    const tiers: Array<[string, SubnetTierName]> = [
      [TIER.public, 'public'],
      [TIER.application, 'application'],
      [TIER.data, 'data'],
    ];
    for (const [groupName, tier] of tiers) {
      if (!this.vpc.node.tryFindChild(`${groupName}Subnet1`)) continue;
      for (const subnet of this.vpc.selectSubnets({ subnetGroupName: groupName }).subnets) {
        const cfn = subnet.node.defaultChild;
        if (CfnResource.isCfnResource(cfn)) markSubnetTier(cfn, tier);
      }
    }
  }

  /**
   * The role VPC Flow Logs assumes: trusted only for this account's flow logs, allowed only to write
   * to this VPC's flow log group (a customer-managed policy, not an inline one).
   */
  private flowLogRole(): Role {
    const { account, region } = Stack.of(this);
    const role = new Role(this, 'FlowLogRole', {
      assumedBy: new ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ec2:${region}:${account}:vpc-flow-log/*` },
        },
      }),
      description: 'VPC Flow Logs delivery to its encrypted log group',
    });
    role.addManagedPolicy(
      new ManagedPolicy(this, 'FlowLogPolicy', {
        statements: [
          new PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            resources: [this.flowLogGroup.logGroup.logGroupArn],
          }),
        ],
      }),
    );
    return role;
  }

  /**
   * U3/E2: the provider Lambda behind `restrictDefaultSecurityGroup` (a raw AWS::Lambda::Function
   * CfnResource, one per stack) has no LoggingConfig, so Lambda would create its log group on the
   * first run without KMS and without retention. Point it at an EncryptedLogGroup (flow log key,
   * config retention, retained) created once in the stack.
   * @throws Error when the provider's handler is not where CDK puts it (a CDK change: fail, never skip).
   */
  private logProviderToManagedGroup(props: SegmentedVpcProps): EncryptedLogGroup {
    const stack = Stack.of(this);
    const handler = stack.node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER_ID)?.node.tryFindChild('Handler');
    if (
      handler === undefined ||
      !CfnResource.isCfnResource(handler) ||
      handler.cfnResourceType !== 'AWS::Lambda::Function'
    ) {
      throw new Error(
        `SegmentedVpc ${this.node.path}: ${stack.node.path}/${RESTRICT_DEFAULT_SG_PROVIDER_ID}/Handler is not an ` +
          'AWS::Lambda::Function: its log group cannot be made encrypted and retained (U3/E2)',
      );
    }
    const existing = stack.node.tryFindChild(RESTRICT_DEFAULT_SG_LOG_GROUP_ID);
    if (existing instanceof EncryptedLogGroup) return existing;
    const group = new EncryptedLogGroup(stack, RESTRICT_DEFAULT_SG_LOG_GROUP_ID, {
      encryptionKey: props.flowLogKey,
      retention: props.retention,
    });
    handler.addPropertyOverride('LoggingConfig.LogGroup', group.logGroup.logGroupName);
    return group;
  }

  /**
   * N3: endpoint policies on the gateway endpoints (the default policy allows everything), so nothing in
   * the VPC can write PHI to another account's bucket or table through them. S3: any S3 action on
   * resources of this account (aws:ResourceAccount), plus s3:GetObject on the AWS-owned bucket ECR serves
   * image layers from in this region (`prod-<region>-starport-layer-bucket`, named in the ECR guide's
   * VPC endpoint page, "Minimum Amazon S3 bucket permissions for Amazon ECR"): tasks pull their images
   * through this endpoint; and s3:PutObject on CloudFormation's custom resource response bucket of this
   * region (a provisioner in the VPC answers CloudFormation there). DynamoDB: any action on tables of this account.
   */
  private restrictGatewayEndpoints(): void {
    const { account, region, partition } = Stack.of(this);
    const inThisAccount = { StringEquals: { 'aws:ResourceAccount': account } };
    this.s3Endpoint.addToPolicy(
      new PolicyStatement({
        sid: 'ThisAccountBucketsOnly',
        principals: [new AnyPrincipal()],
        actions: ['s3:*'],
        resources: ['*'],
        conditions: inThisAccount,
      }),
    );
    this.s3Endpoint.addToPolicy(
      new PolicyStatement({
        sid: 'EcrImageLayers',
        principals: [new AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [`arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`],
      }),
    );
    // CloudFormation reads custom resource responses (e.g. the database users provisioner's) from a
    // pre-signed URL of its own bucket in this region, named with the region without dashes
    // ("Access CloudFormation using an interface endpoint", AWS CloudFormation User Guide). Only
    // s3:PutObject there: writes succeed only with CloudFormation's own pre-signed request.
    this.s3Endpoint.addToPolicy(
      new PolicyStatement({
        sid: 'CloudFormationCustomResourceResponses',
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [`arn:${partition}:s3:::cloudformation-custom-resource-response-${region.replace(/-/g, '')}/*`],
      }),
    );
    this.dynamoDbEndpoint.addToPolicy(
      new PolicyStatement({
        sid: 'ThisAccountTablesOnly',
        principals: [new AnyPrincipal()],
        actions: ['dynamodb:*'],
        resources: ['*'],
        conditions: inThisAccount,
      }),
    );
  }

  /** Subnets of one tier. */
  public tier(name: (typeof TIER)[keyof typeof TIER]): SubnetSelection {
    return { subnetGroupName: name };
  }

  /** Network ACL: the data tier talks only to the application tier, inbound only on the database port. */
  private restrictDataTier(port: number): NetworkAcl {
    const acl = new NetworkAcl(this, 'DataAcl', { vpc: this.vpc, subnetSelection: { subnetGroupName: TIER.data } });
    const appSubnets = this.vpc.selectSubnets({ subnetGroupName: TIER.application }).subnets;
    appSubnets.forEach((subnet, i) => {
      const cidr = AclCidr.ipv4(subnet.ipv4CidrBlock);
      acl.addEntry(`DatabaseFromApplication${i + 1}`, {
        cidr,
        ruleNumber: 100 + i,
        traffic: AclTraffic.tcpPort(port),
        direction: TrafficDirection.INGRESS,
        ruleAction: Action.ALLOW,
      });
      acl.addEntry(`RepliesToApplication${i + 1}`, {
        cidr,
        ruleNumber: 100 + i,
        traffic: AclTraffic.tcpPortRange(1024, 65535),
        direction: TrafficDirection.EGRESS,
        ruleAction: Action.ALLOW,
      });
    });
    return acl;
  }
}
