/**
 * The parts every in-VPC Lambda function of the blueprint shares (the alert formatter, the database users
 * provisioner, the access-audit volume check, the critical findings age check, the restore validation): local esbuild
 * bundling named by a hash of its inputs, an encrypted and retained dead-letter queue, the statements a function needs
 * for its own queue and log group, the network-interface policy, and the function's safeguard properties. Each owner
 * keeps its own construct ids, so templates do not change when an owner adopts a part.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { ISecurityGroup, IVpc, Peer, Port, SecurityGroup, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { AnyPrincipal, Effect, IRole, ManagedPolicy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnQueue, IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { esbuildCode } from './core/esbuild-code';

/** The actions Lambda needs to attach a function to a VPC (what AWSLambdaVPCAccessExecutionRole grants). */
export const LAMBDA_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * Bundling runs esbuild from node_modules; without it CDK would fall back to Docker, which the blueprint never uses.
 * Throws naming `where` when esbuild is not installed.
 */
export function assertLocalEsbuild(where: string): void {
  try {
    require.resolve('esbuild');
  } catch {
    throw new Error(
      `${where}: esbuild is not installed locally (npm ci): Lambda bundling must not fall back to Docker`,
    );
  }
}

/** A dead-letter queue encrypted with `key`, TLS-only, kept 14 days, retained on delete and on replacement. */
export function retainedDeadLetterQueue(scope: Construct, id: string, key: IKey): Queue {
  const queue = new Queue(scope, id, {
    retentionPeriod: Duration.days(14),
    // Safeguards last.
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  (queue.node.defaultChild as CfnQueue).applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
  return queue;
}

/** Actions that read, purge or hide a dead-letter queue's messages (denied outside this account). */
export const DEAD_LETTER_READ_ACTIONS: readonly string[] = [
  'sqs:ReceiveMessage',
  'sqs:PurgeQueue',
  'sqs:ChangeMessageVisibility',
];

/**
 * A dead letter can be a raw event (a finding's detail names S3 object keys): nobody outside `account` reads, purges or
 * hides the queue's messages. Plain StringNotEquals on purpose: a service principal (no aws:PrincipalAccount) is denied
 * too; Lambda and EventBridge only send.
 */
export function denyDeadLetterReadsOutsideAccount(queue: Queue, account: string): void {
  queue.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyThisAccountReadsDeadLetters',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: [...DEAD_LETTER_READ_ACTIONS],
      resources: [queue.queueArn],
      conditions: { StringNotEquals: { 'aws:PrincipalAccount': account } },
    }),
  );
}

/**
 * An alarm on a dead-letter queue holding anything (ApproximateNumberOfMessagesVisible, Maximum > 0 in one period,
 * missing data not breaching: an empty queue publishes nothing once idle). The caller adds its action.
 */
export function deadLetterDepthAlarm(
  scope: Construct,
  id: string,
  queue: IQueue,
  alarmDescription: string,
  period: Duration = Duration.minutes(5),
): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/**
 * An alarm on an EventBridge rule's FailedInvocations (any in 5 minutes): events the rule could not deliver to its
 * target after retries (they then wait in the target's dead-letter queue).
 */
export function ruleFailedInvocationsAlarm(
  scope: Construct,
  id: string,
  ruleName: string,
  alarmDescription: string,
): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric: new Metric({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensionsMap: { RuleName: ruleName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** S3 egress of an endpoints-only security group: the function also reads S3 through the VPC's gateway endpoint. */
export interface S3GatewayEgress {
  /**
   * The region's S3 managed prefix list (`pl-...`): a security group names gateway endpoint traffic only by it.
   * @default - 443 to 0.0.0.0/0; what it reaches is decided by the route table (the VPC and the gateway endpoints
   *   only, in a tier without a NAT route)
   */
  readonly prefixListId?: string;
}

/**
 * A security group with no inbound rule and one outbound rule: HTTPS to the VPC's CIDR (its interface endpoints).
 * `what` starts the description ('<what>: HTTPS to VPC interface endpoints only'). With `s3`, a second outbound rule:
 * HTTPS to S3 through the gateway endpoint, whose addresses are S3's public ranges, not the VPC's (the description then
 * says so).
 */
export function endpointsOnlySecurityGroup(
  scope: Construct,
  id: string,
  vpc: IVpc,
  what: string,
  s3?: S3GatewayEgress,
): SecurityGroup {
  const prefixList = s3?.prefixListId;
  if (prefixList !== undefined && !/^pl-[0-9a-f]{8,17}$/.test(prefixList)) {
    throw new Error(
      `${what} ${scope.node.path}: s3PrefixListId = '${prefixList}': must be a managed prefix list ID, pl- and 8-17 hex digits`,
    );
  }
  const group = new SecurityGroup(scope, id, {
    vpc,
    description:
      s3 === undefined
        ? `${what}: HTTPS to VPC interface endpoints only`
        : `${what}: HTTPS to VPC interface endpoints and to S3 through the gateway endpoint only`,
    allowAllOutbound: false,
  });
  group.addEgressRule(Peer.ipv4(vpc.vpcCidrBlock), Port.tcp(443), 'HTTPS to VPC endpoints');
  if (s3 !== undefined) {
    group.addEgressRule(
      prefixList === undefined ? Peer.anyIpv4() : Peer.prefixList(prefixList),
      Port.tcp(443),
      prefixList === undefined
        ? 'HTTPS to S3 through the gateway endpoint (no internet route in the tier)'
        : 'HTTPS to S3 through the gateway endpoint',
    );
  }
  return group;
}

/** What a function's own statements name. */
export interface OwnResources {
  readonly deadLetterQueue: IQueue;
  /** The key of the dead-letter queue. */
  readonly encryptionKey: IKey;
  readonly logGroup: ILogGroup;
}

/**
 * The statements of a function's own resources, each by its sid: send to its dead-letter queue, use the queue's key
 * through SQS only, write its own log group's streams (the log group's Arn attribute ends in ':*', which covers its
 * log streams and nothing else).
 */
export function ownResourceStatements(own: OwnResources): {
  readonly deadLetters: PolicyStatement;
  readonly encryptDeadLetters: PolicyStatement;
  readonly writeOwnLogs: PolicyStatement;
} {
  return {
    deadLetters: new PolicyStatement({
      sid: 'DeadLetterFailedInvocations',
      actions: ['sqs:SendMessage'],
      resources: [own.deadLetterQueue.queueArn],
    }),
    encryptDeadLetters: new PolicyStatement({
      sid: 'EncryptDeadLetters',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [own.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
    }),
    writeOwnLogs: new PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [own.logGroup.logGroupArn],
    }),
  };
}

/**
 * The managed policy with the network interface actions Lambda needs to run in a VPC (resource '*': EC2 names no
 * resource for them), attached to `role`.
 */
export function lambdaNetworkPolicy(scope: Construct, id: string, description: string, role: IRole): ManagedPolicy {
  return new ManagedPolicy(scope, id, {
    description,
    roles: [role],
    statements: [
      new PolicyStatement({ sid: 'LambdaVpcNetworkInterfaces', actions: LAMBDA_ENI_ACTIONS, resources: ['*'] }),
    ],
  });
}

/** What vpcFunctionSafeguards sets. */
export interface VpcFunctionSafeguardsOptions {
  /** The handler's TypeScript entry file. */
  readonly entry: string;
  /** The repository root (esbuild's working directory and the lock file's folder). */
  readonly projectRoot: string;
  readonly vpc: IVpc;
  readonly vpcSubnets: SubnetSelection;
  readonly securityGroup: ISecurityGroup;
  /** The function's role: used as is (`withoutPolicyUpdates`), so it holds only the policies its owner attaches. */
  readonly role: Role;
  readonly logGroup: ILogGroup;
  readonly deadLetterQueue: IQueue;
  /**
   * Reserved concurrency.
   * @default 1
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The properties every in-VPC function takes last (spread after its own): Node.js 24 on arm64, its code bundled by
 * local esbuild (minified, source-mapped, the SDK external) and named by a hash of its inputs (a synth into an assembly
 * that holds it already skips esbuild), the handler `index.handler`, private subnets only, the owner's role unchanged,
 * its log group and dead-letter queue, reserved concurrency.
 */
export function vpcFunctionSafeguards(options: VpcFunctionSafeguardsOptions): Partial<NodejsFunctionProps> {
  const runtime = Runtime.NODEJS_24_X;
  return {
    runtime,
    architecture: Architecture.ARM_64,
    code: esbuildCode({
      entry: options.entry,
      projectRoot: options.projectRoot,
      runtime,
      minify: true,
      sourceMap: true,
      externalModules: ['@aws-sdk/*'],
    }),
    handler: 'index.handler',
    vpc: options.vpc,
    vpcSubnets: options.vpcSubnets,
    securityGroups: [options.securityGroup],
    allowPublicSubnet: false,
    role: options.role.withoutPolicyUpdates(),
    logGroup: options.logGroup,
    deadLetterQueue: options.deadLetterQueue,
    reservedConcurrentExecutions: options.reservedConcurrentExecutions ?? 1,
  };
}
