import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { IConnectable, ISecurityGroup, Peer, Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { IRepository } from 'aws-cdk-lib/aws-ecr';
import {
  AwsLogDriverMode,
  Capability,
  ContainerDefinition,
  ContainerImage,
  CfnService,
  CfnTaskDefinition,
  FargatePlatformVersion,
  FargateService,
  FargateTaskDefinition,
  LinuxParameters,
  LogDrivers,
  PropagatedTagSource,
  Protocol,
  ScalableTaskCount,
  Secret as ContainerSecret,
} from 'aws-cdk-lib/aws-ecs';
import {
  IApplicationLoadBalancerTarget,
  IApplicationTargetGroup,
  LoadBalancerTargetProps,
  TargetType,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IGrantable, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { IParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { RetentionPolicy, tagSafeguards } from './core';
import { ECR_IMAGE_PULL_ACTIONS } from './guard-duty-agent-repository';
import { ManagedPolicyGrantee } from './managed-policy-grantee';
import { PhiCluster } from './phi-cluster';
import { PhiDatabase } from './phi-database';
import { PhiLogGroup } from './phi-log-group';
import { TIER } from './segmented-vpc';

/** Path the container answers health checks on, over HTTPS (the target group uses it too). */
export const HEALTH_CHECK_PATH = '/health';
/** The non-root user (uid:gid) every container runs as. */
export const CONTAINER_USER = '1000:1000';
/** Template metadata key on a PhiService's task definition: where its container image comes from. */
export const CONTAINER_IMAGE_METADATA = 'HipaaBlueprint::ContainerImage';
/** Autoscaling maximum as a multiple of the desired count. */
export const MAX_CAPACITY_FACTOR = 4;
/** Autoscaling target: average CPU utilisation of the service's tasks, in percent. */
export const CPU_TARGET_PERCENT = 60;

/** Valid Fargate memory sizes (MiB) for each CPU size (units). */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Workload names: lower-case kebab, starting with a letter, 2-24 characters. */
export const WORKLOAD_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,23}$/;
/** Image tags ECR accepts (tags are immutable: a new release is a new tag). */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** The lowest port a non-root process can bind. */
export const MIN_CONTAINER_PORT = 1024;

/** What runs: one containerised PHI workload. */
export interface PhiWorkload {
  /** Lower-case kebab name, 2-24 characters; names the container, its log stream prefix and its database user. */
  readonly name: string;
  /**
   * Image tag to run from `repository` (PhiServiceProps); required with it, refused with `imageDirectory`.
   * @default - none: the image is built from PhiServiceProps.imageDirectory
   */
  readonly imageTag?: string;
  /** Port the container serves HTTPS on, 1024-65535 (the container runs as a non-root user). */
  readonly containerPort: number;
  /** Fargate task CPU units (a key of FARGATE_MEMORY_BY_CPU). */
  readonly cpu: number;
  /** Fargate task memory in MiB; a valid size for `cpu`. */
  readonly memoryMiB: number;
  /** Tasks to run (the autoscaling minimum), at least 1. */
  readonly desiredCount: number;
  /**
   * The image tag is not in the repository yet: zero tasks and autoscaling 0-0 (see the class comment).
   * @default false
   */
  readonly awaitingFirstImage?: boolean;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

/**
 * Problems of a workload, each `<field> = <value>: <rule>` with `field` under `prefix` (empty when valid).
 * Config validation reports the same rules under `services[i].`.
 */
export function phiWorkloadProblems(workload: PhiWorkload, prefix = 'service.'): string[] {
  const problems: string[] = [];
  const add = (field: string, value: unknown, rule: string): void => {
    problems.push(`${prefix}${field} = ${show(value)}: ${rule}`);
  };
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  if (typeof workload.name !== 'string' || !WORKLOAD_NAME.test(workload.name)) {
    add('name', workload.name, 'must be 2-24 lower-case letters, digits or single dashes, starting with a letter');
  }
  if (
    workload.imageTag !== undefined &&
    (typeof workload.imageTag !== 'string' || !IMAGE_TAG.test(workload.imageTag) || workload.imageTag === 'latest')
  ) {
    add(
      'imageTag',
      workload.imageTag,
      "must be an image tag (1-128 of [A-Za-z0-9_.-]), not 'latest' (tags are immutable)",
    );
  }
  if (!isInt(workload.containerPort) || workload.containerPort < MIN_CONTAINER_PORT || workload.containerPort > 65535) {
    add(
      'containerPort',
      workload.containerPort,
      `must be ${MIN_CONTAINER_PORT}-65535: the container runs as a non-root user, which cannot bind lower ports`,
    );
  }
  const memories = isInt(workload.cpu) ? FARGATE_MEMORY_BY_CPU[workload.cpu] : undefined;
  if (!memories) {
    add('cpu', workload.cpu, `must be a Fargate CPU size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`);
  } else if (!memories.includes(workload.memoryMiB)) {
    add(
      'memoryMiB',
      workload.memoryMiB,
      `is not a valid Fargate memory size for cpu ${workload.cpu}: ${memories[0]}-${memories[memories.length - 1]} in steps of ${memories.length > 1 ? memories[1]! - memories[0]! : 0}`,
    );
  }
  if (!isInt(workload.desiredCount) || workload.desiredCount < 1) {
    add(
      'desiredCount',
      workload.desiredCount,
      'must be an integer of at least 1 (use awaitingFirstImage for zero tasks)',
    );
  }
  if (workload.awaitingFirstImage !== undefined && typeof workload.awaitingFirstImage !== 'boolean') {
    add('awaitingFirstImage', workload.awaitingFirstImage, 'must be true or false');
  }
  return problems;
}

/** A value injected into the container at start: a Secrets Manager secret (or one JSON field of it). */
export interface PhiServiceSecretValue {
  readonly secret: ISecret;
  /**
   * A JSON field of the secret.
   * @default - the whole secret
   */
  readonly field?: string;
}

/**
 * A value injected into the container at start: an SSM Parameter Store parameter (configuration that is
 * not secret, e.g. the database endpoint). String parameters; a SecureString under a customer-managed key
 * would also need kms:Decrypt, which is not granted here.
 */
export interface PhiServiceParameterValue {
  readonly parameter: IParameter;
}

/** What PhiServiceProps.secrets maps a variable name to. */
export type PhiServiceContainerValue = PhiServiceSecretValue | PhiServiceParameterValue;

/** Props of a PhiService. */
export interface PhiServiceProps {
  /** The cluster (its VPC's 'Application' tier runs the tasks; its ECS Exec configuration is used). */
  readonly cluster: PhiCluster;
  /**
   * The service's private image repository (ImageRepository.repository), from which `service.imageTag` runs.
   * Exactly one of `repository` and `imageDirectory`.
   * @default - none: the image is built from `imageDirectory`
   */
  readonly repository?: IRepository;
  /**
   * Absolute path of a directory holding a `Dockerfile`: the image is a CDK image asset, built by `cdk deploy`
   * (Docker needed then; synth only fingerprints and copies the directory) for linux/amd64 and pushed to the
   * CDK bootstrap container assets repository of the account and region (cdk-<qualifier>-container-assets-...),
   * which the bootstrap template creates with immutable tags and ECR's default AES-256 encryption (not a
   * customer-managed key: an image holds code, not PHI; E2 covers stores of PHI and logs). The execution role
   * may pull from that repository only. Exactly one of `repository` and `imageDirectory`.
   * @default - none: the image runs from `repository`
   */
  readonly imageDirectory?: string;
  /** What runs: name, image tag, port, size, count. */
  readonly service: PhiWorkload;
  /** Customer-managed key of the container log groups (operations key, E2). */
  readonly logKey: IKey;
  /** The blueprint's retention policy (>= 2192 days, U3). */
  readonly retention: RetentionPolicy;
  /**
   * Security groups the tasks join in addition to their own, e.g. DataStack.appSecurityGroup (the
   * only group the database admits). No rule is added to them here.
   * @default - none
   */
  readonly joinSecurityGroups?: readonly ISecurityGroup[];
  /**
   * Allow ECS Exec into the tasks (the environment's ecsExec). Sessions are encrypted with the cluster's key
   * and logged to its exec log group.
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * Values injected into the container at start, by variable name: Secrets Manager secrets (a JSON `field`
   * of the secret, or the whole secret) and SSM Parameter Store parameters. The execution role may read
   * exactly these (GetSecretValue on each secret, ssm:GetParameters on each parameter). Plain environment
   * variables are not accepted (AwsSolutions-ECS2: they show in the task definition).
   * @default - none
   */
  readonly secrets?: Readonly<Record<string, PhiServiceContainerValue>>;
  /**
   * ID of the region's AWS-managed S3 prefix list (`com.amazonaws.<region>.s3`, `pl-...`; `aws ec2
   * describe-managed-prefix-lists`). When given, HTTPS egress is limited to the VPC CIDR (interface
   * endpoints) and this prefix list (S3 through the gateway endpoint: its traffic passes the security
   * group too, so the VPC CIDR alone would cut the tasks off from the PHI bucket). The ID differs per
   * region and cannot be resolved offline without a lookup, hence a prop.
   * @default - HTTPS to 0.0.0.0/0, bounded by the route table (see "N2 N3 network" in the class comment)
   */
  readonly s3PrefixListId?: string;
  /**
   * Physical name of the task role: fixed, so that the PHI key and the PHI bucket policy (deployed before this
   * stack) can allow-list it by ARN (lib/config/names.ts serviceTaskRoleName).
   * @default - generated by CloudFormation (then the PHI key and bucket admit the role nothing)
   */
  readonly taskRoleName?: string;
  /**
   * ARN of GuardDuty's Fargate agent repository in this region (guardDutyAgentRepositoryArn), when GuardDuty
   * runtime monitoring with its managed agent may watch these tasks (D2): GuardDuty adds its security agent as a
   * sidecar to each new task, and ECS pulls the sidecar image with this task's execution role, from that
   * GuardDuty-owned repository (another account). The execution role may then pull from that repository (image
   * pull actions on it, nothing else); without it the sidecar is not pulled and coverage is unhealthy.
   * @default - no pull from GuardDuty's repository (runtime monitoring cannot cover the tasks)
   */
  readonly guardDutyAgentRepositoryArn?: string;
}

/** What PhiService.grantPhiAccess grants. */
export interface PhiServiceAccess {
  /**
   * A secret of the application's own (e.g. a third-party API key): GetSecretValue and DescribeSecret
   * on it, and decrypt through Secrets Manager if it has a customer-managed key. Never the database
   * master secret: a workload connects as its own database user (`database`), not as rds_superuser.
   * @default - none
   */
  readonly secret?: ISecret;
  /**
   * The PHI database, by resource id (PhiDatabase.resourceId / DataStack.databaseResourceId):
   * `rds-db:connect` as the database user `user` only (IAM database authentication; the user is
   * created once with `CREATE USER <user>; GRANT rds_iam TO <user>;`, see the README's Deploy steps).
   * @default - none
   */
  readonly database?: { readonly resourceId: string; readonly user: string };
  /**
   * The PHI bucket and the key prefix this service owns, e.g. 'api/' (no wildcards): Get and Put
   * objects under the prefix, List only the prefix, and the bucket's key through S3 only. Pass the
   * bucket by name, `Bucket.fromBucketName(scope, id, phiDataBucketNameRef(config))`: no cross-stack
   * export, and the policy's finding id is the one the register acknowledges (appServiceAcknowledgements).
   * @default - none
   */
  readonly phiObjects?: { readonly bucket: IBucket; readonly key: IKey; readonly prefix: string };
}

/**
 * A PHI workload on Fargate with the safeguards built in:
 * - A3 least privilege: a task role with no permissions until `grantPhiAccess` adds exactly the
 *   database user (IAM authentication), the bucket prefix and the key through S3, in one customer-managed policy; an execution
 *   role that may pull only from its image's repository (the service's own, or the CDK bootstrap assets
 *   repository for an image built from `imageDirectory`), read only its container secrets and parameters, and
 *   write only to its log group.
 * - Hardened container: non-root user 1000:1000, read-only root filesystem with a writable /tmp
 *   volume, not privileged, all Linux capabilities dropped, init process, no environment variables.
 * - E3 end to end TLS: the container serves HTTPS on containerPort (the only port mapping); the
 *   image terminates TLS itself (e.g. a self-signed certificate generated into /tmp at start: the
 *   load balancer encrypts to targets but does not validate their certificates) and answers
 *   GET /health over HTTPS; the container health check calls it with curl, which the image must carry.
 *   The target group (part B) must use protocol HTTPS on containerPort with an HTTPS health check.
 * - N2 N3 network: tasks in the application tier, no public IP; their own security group admits only
 *   what `allowFrom` or the load balancer attachment names, on containerPort; egress HTTPS only, to
 *   the VPC and S3's prefix list when `s3PrefixListId` is given, else to 0.0.0.0/0 bounded by the
 *   route table (the tier reaches AWS through VPC endpoints; no internet route unless config adds
 *   NAT); the database port only through the joined data-tier group (its egress rule to the database).
 * - U3/U4 logs: awslogs (blocking mode, nothing dropped) to a PhiLogGroup (operations key, six
 *   years, data protection policy masking health and identity identifiers, findings log group).
 * - I3 availability: desiredCount tasks spread across the tier's AZs (at least 2 in production,
 *   enforced by config validation), rolling deployments with minHealthyPercent 100, the deployment
 *   circuit breaker with rollback, CPU target tracking from desiredCount to 4x.
 *
 * Before the first image exists: a service whose image tag cannot be pulled never stabilises, so
 * CloudFormation would fail (and roll back) the stack. With `service.awaitingFirstImage` the service
 * is created with zero tasks and autoscaling 0-0; push the image, set it false, deploy again. The
 * circuit breaker is not that answer: on a first create it fails the stack instead of waiting.
 */
export class PhiService extends Construct implements IApplicationLoadBalancerTarget {
  public readonly service: FargateService;
  public readonly taskDefinition: FargateTaskDefinition;
  public readonly container: ContainerDefinition;
  /** The application's role: no permissions until grantPhiAccess. */
  public readonly taskRole: Role;
  /** ECS's role for starting the task: pull the image, write this log group, read `secrets`. */
  public readonly executionRole: Role;
  /** The execution role's only policy. */
  public readonly executionPolicy: ManagedPolicy;
  /** The tasks' own security group (ingress only from allowFrom peers, on containerPort). */
  public readonly securityGroup: SecurityGroup;
  /** Where the container logs (with the PHI data protection policy). */
  public readonly logGroup: LogGroup;
  /** Where the data protection policy reports identifiers it masked. */
  public readonly logFindingsGroup: LogGroup;
  public readonly scaling: ScalableTaskCount;
  /** Port the container serves HTTPS on. */
  public readonly containerPort: number;
  /** The image asset, when the image is built from `imageDirectory`. */
  public readonly imageAsset?: DockerImageAsset;
  /** The task role's customer-managed policy, created by the first grantPhiAccess. */
  private phiAccessPolicy?: ManagedPolicy;
  private readonly attachedTargetGroups: IApplicationTargetGroup[] = [];

  constructor(scope: Construct, id: string, props: PhiServiceProps) {
    super(scope, id);
    tagSafeguards(this, ['A3', 'E3', 'N2', 'I3', 'U4']);
    const workload = props.service;
    const where = `PhiService ${this.node.path}`;
    const problems = phiWorkloadProblems(workload);
    if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
    const env = props.secrets ? Object.keys(props.secrets).filter((k) => !/^[A-Z_][A-Z0-9_]*$/.test(k)) : [];
    if (env.length > 0) {
      throw new Error(`${where}: secrets = ${JSON.stringify(env)}: names must be UPPER_SNAKE_CASE variable names`);
    }
    if (props.s3PrefixListId !== undefined && !/^pl-[0-9a-f]{8,17}$/.test(props.s3PrefixListId)) {
      throw new Error(
        `${where}: s3PrefixListId = '${props.s3PrefixListId}': must be a managed prefix list ID, pl- and 8-17 hex digits`,
      );
    }
    validateImageSource(where, props);
    const agentRepo = props.guardDutyAgentRepositoryArn;
    if (
      agentRepo !== undefined &&
      !Token.isUnresolved(agentRepo) &&
      !/^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/[a-z0-9._/-]+$/.test(agentRepo)
    ) {
      throw new Error(
        `${where}: guardDutyAgentRepositoryArn = '${agentRepo}': must be an ECR repository ARN without wildcards (guardDutyAgentRepositoryArn(region))`,
      );
    }
    this.containerPort = workload.containerPort;
    const execOn = props.enableExecuteCommand ?? false;
    const cluster = props.cluster.cluster;
    const { account, region } = Stack.of(this);

    const logs = new PhiLogGroup(this, 'Logs', { encryptionKey: props.logKey, retention: props.retention });
    this.logGroup = logs.logGroup;
    this.logFindingsGroup = logs.findingsLogGroup;

    // Trusted only by ECS tasks of this account in this region (confused deputy protection).
    const assumedBy = (): ServicePrincipal =>
      new ServicePrincipal('ecs-tasks.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ecs:${region}:${account}:*` },
        },
      });
    this.taskRole = new Role(this, 'TaskRole', {
      roleName: props.taskRoleName,
      assumedBy: assumedBy(),
      description: `${workload.name}: application permissions (none until granted)`,
    });
    this.executionRole = new Role(this, 'ExecutionRole', {
      assumedBy: assumedBy(),
      description: `${workload.name}: ECS pulls the image and writes logs`,
    });

    // ECS and CDK add grants to these roles as they see fit; the roles are handed over immutable,
    // and every permission is written below, explicitly, into customer-managed policies.
    this.taskDefinition = new FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: workload.cpu,
      memoryLimitMiB: workload.memoryMiB,
      taskRole: this.taskRole.withoutPolicyUpdates(),
      executionRole: this.executionRole.withoutPolicyUpdates(),
      volumes: [{ name: 'tmp' }],
    });

    // The image: a tag of the service's repository, or an image asset built from a directory at deploy.
    if (props.imageDirectory !== undefined) {
      this.imageAsset = new DockerImageAsset(this, 'Image', {
        directory: props.imageDirectory,
        // Fargate runs x86_64 unless the task definition says otherwise: build for it on any machine.
        platform: Platform.LINUX_AMD64,
      });
    }
    const image = this.imageAsset
      ? ContainerImage.fromDockerImageAsset(this.imageAsset)
      : ContainerImage.fromEcrRepository(props.repository!, workload.imageTag);
    // For reviewers reading the template: where the image lives and how that store is protected.
    (this.taskDefinition.node.defaultChild as CfnTaskDefinition).addMetadata(
      CONTAINER_IMAGE_METADATA,
      this.imageAsset
        ? {
            source: 'CDK image asset built from a directory at deploy time',
            repository: 'the CDK bootstrap container assets repository of this account and region',
            encryption: 'ECR default AES-256 (images hold code, not PHI: E2 covers stores of PHI and logs)',
            tags: 'immutable (the bootstrap template sets it); the tag is the asset hash of the directory',
          }
        : {
            source: 'an image tag of an ECR repository',
            // The construct path (a literal: no intrinsic function in metadata).
            repository: props.repository!.node.path,
            tag: workload.imageTag,
          },
    );

    const linuxParameters = new LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true });
    // The SSM agent that ECS Exec injects needs the default capabilities; without Exec, none.
    if (!execOn) linuxParameters.dropCapabilities(Capability.ALL);

    this.container = this.taskDefinition.addContainer('App', {
      containerName: workload.name,
      image,
      portMappings: [{ containerPort: workload.containerPort, protocol: Protocol.TCP, name: 'https' }],
      // Blocking, whatever the account's default mode: a log event is never dropped (U3).
      logging: LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: workload.name,
        mode: AwsLogDriverMode.BLOCKING,
      }),
      healthCheck: {
        command: ['CMD-SHELL', `curl -fsk https://localhost:${workload.containerPort}${HEALTH_CHECK_PATH} || exit 1`],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      secrets: props.secrets
        ? Object.fromEntries(
            Object.entries(props.secrets).map(([name, v]) => [
              name,
              'parameter' in v
                ? ContainerSecret.fromSsmParameter(v.parameter)
                : // Referenced by ARN without its key: ECS's own grant would add the execution role to
                  // the key policy in the keys stack; the statements below grant the read instead.
                  ContainerSecret.fromSecretsManager(
                    Secret.fromSecretAttributes(this, `SecretRef${name}`, { secretCompleteArn: v.secret.secretArn }),
                    v.field,
                  ),
            ]),
          )
        : undefined,
      // Safeguards last.
      essential: true,
      user: CONTAINER_USER,
      readonlyRootFilesystem: true,
      privileged: false,
      linuxParameters,
    });
    this.container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });

    this.executionPolicy = new ManagedPolicy(this, 'ExecutionPolicy', {
      description: `${workload.name}: pull its image, write its log group, read its container secrets and parameters`,
      roles: [this.executionRole],
    });
    // ECS's own grants on the immutable execution role are dropped: every permission is written here.
    (this.imageAsset?.repository ?? props.repository!).grantPull(
      new ManagedPolicyGrantee(this.executionRole, this.executionPolicy),
    );
    this.executionPolicy.addStatements(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    if (props.guardDutyAgentRepositoryArn !== undefined) {
      // D2: GuardDuty's runtime agent sidecar, pulled by ECS with this role from GuardDuty's own repository
      // ("Prerequisites for AWS Fargate (Amazon ECS only) support", GuardDuty User Guide). Its layers come from
      // the region's ECR layer bucket, which the S3 gateway endpoint admits (SegmentedVpc).
      this.executionPolicy.addStatements(
        new PolicyStatement({
          sid: 'GuardDutyAgentPull',
          actions: [...ECR_IMAGE_PULL_ACTIONS],
          resources: [props.guardDutyAgentRepositoryArn],
        }),
      );
    }
    const values = Object.values(props.secrets ?? {});
    for (const v of values) {
      if ('secret' in v) this.executionPolicy.addStatements(...secretReadStatements(v.secret, region));
    }
    const parameters = values.flatMap((v) => ('parameter' in v ? [v.parameter.parameterArn] : []));
    if (parameters.length > 0) {
      // What ECS calls to resolve `secrets` from Parameter Store: GetParameters, on exactly these parameters.
      this.executionPolicy.addStatements(
        new PolicyStatement({ actions: ['ssm:GetParameters'], resources: parameters }),
      );
    }

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: `${workload.name} tasks: HTTPS on ${workload.containerPort} from the load balancer only`,
      allowAllOutbound: false,
    });
    // N3: HTTPS out only. With an S3 prefix list: the VPC (interface endpoints) and S3 (gateway
    // endpoint), nothing else. Without one: 0.0.0.0/0 on 443, because S3 gateway endpoint traffic is
    // filtered by this group and an SG can only name it by the region's prefix list ID (no offline,
    // lookup-free way to resolve it). What 0.0.0.0/0 reaches is then decided by the route table: with
    // network.internetEgress 'none' the application tier has only the local route and the gateway
    // endpoints (S3, DynamoDB), so the tasks reach interface endpoints and S3/DynamoDB, nothing on the
    // internet; with 'nat' config has asked for internet egress, and 443 is what it gets.
    if (props.s3PrefixListId !== undefined) {
      this.securityGroup.addEgressRule(
        Peer.ipv4(cluster.vpc.vpcCidrBlock),
        Port.tcp(443),
        'HTTPS to the interface endpoints in the VPC',
      );
      this.securityGroup.addEgressRule(
        Peer.prefixList(props.s3PrefixListId),
        Port.tcp(443),
        'HTTPS to S3 through the gateway endpoint',
      );
    } else {
      this.securityGroup.addEgressRule(
        Peer.anyIpv4(),
        Port.tcp(443),
        'HTTPS to AWS APIs through VPC endpoints (the application tier has no internet route unless config adds NAT)',
      );
    }

    const awaiting = workload.awaitingFirstImage === true;
    const desiredCount = awaiting ? 0 : workload.desiredCount;
    this.service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      propagateTags: PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      // Safeguards last.
      platformVersion: FargatePlatformVersion.LATEST,
      vpcSubnets: { subnetGroupName: TIER.application },
      assignPublicIp: false,
      securityGroups: [this.securityGroup, ...(props.joinSecurityGroups ?? [])],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: execOn,
    });
    this.service.node.addDependency(this.executionPolicy);
    if (execOn) this.grantExecuteCommand(props.cluster);

    this.scaling = this.service.autoScaleTaskCount({
      minCapacity: desiredCount,
      maxCapacity: desiredCount * MAX_CAPACITY_FACTOR,
    });
    this.scaling.scaleOnCpuUtilization('CpuTarget', { targetUtilizationPercent: CPU_TARGET_PERCENT });
  }

  /**
   * Admits `peer` (e.g. the load balancer) to the container port, on this service's own security
   * group only (never on joined groups such as the data stack's application group).
   */
  public allowFrom(peer: IConnectable, description = 'Load balancer to tasks (HTTPS)'): void {
    this.securityGroup.connections.allowFrom(peer, Port.tcp(this.containerPort), description);
  }

  /**
   * Registers the service's tasks with an application target group (use the PhiService itself as
   * the target: `listener.addTargets(id, { targets: [phiService], protocol: HTTPS, port: containerPort })`).
   * Unlike FargateService's own attachment, the load balancer is admitted on this service's security
   * group only, not on the joined groups.
   */
  public attachToApplicationTargetGroup(targetGroup: IApplicationTargetGroup): LoadBalancerTargetProps {
    this.attachedTargetGroups.push(targetGroup);
    // The L1's typed properties, not raw overrides: the rule packs judge what deploys, and the assembly gate has no
    // override to check the stack for again (PacksSeeOverrides).
    const cfn = this.service.node.defaultChild as CfnService;
    cfn.loadBalancers = this.attachedTargetGroups.map((tg) => ({
      targetGroupArn: tg.targetGroupArn,
      containerName: this.container.containerName,
      containerPort: this.containerPort,
    }));
    cfn.healthCheckGracePeriodSeconds = 60;
    cfn.node.addDependency(targetGroup.loadBalancerAttached);
    targetGroup.registerConnectable(this.securityGroup, Port.tcp(this.containerPort));
    return { targetType: TargetType.IP };
  }

  /**
   * Grants the application exactly what it needs of PHI, in one customer-managed policy on the
   * task role (A3). Call once per resource; each call adds statements, never wildcards of actions.
   */
  public grantPhiAccess(access: PhiServiceAccess): void {
    const policy = this.ensurePhiAccessPolicy();
    const region = Stack.of(this).region;
    if (access.secret) policy.addStatements(...secretReadStatements(access.secret, region));
    if (access.database) {
      policy.addStatements(
        new PolicyStatement({
          actions: ['rds-db:connect'],
          resources: [PhiDatabase.dbUserArn(this, access.database.resourceId, access.database.user)],
        }),
      );
    }
    if (access.phiObjects) {
      const { bucket, key, prefix } = access.phiObjects;
      if (!/^[a-zA-Z0-9!_.'()-]+(\/[a-zA-Z0-9!_.'()-]+)*\/$/.test(prefix)) {
        throw new Error(
          `PhiService ${this.node.path}: phiObjects.prefix = '${prefix}': must be a key prefix ending in '/', without wildcards`,
        );
      }
      policy.addStatements(
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
          resources: [bucket.arnForObjects(`${prefix}*`)],
        }),
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
        }),
        new PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
      );
    }
  }

  /**
   * The task role as a grantee whose grants land in its customer-managed PhiAccessPolicy (never an
   * inline policy), for helpers that take an IGrantable, e.g.
   * `data.grantPhiAccess(service.phiGrantee(), { bucketPrefix: 'api/' })`.
   */
  public phiGrantee(): IGrantable {
    return new ManagedPolicyGrantee(this.taskRole, this.ensurePhiAccessPolicy());
  }

  private ensurePhiAccessPolicy(): ManagedPolicy {
    if (!this.phiAccessPolicy) {
      this.phiAccessPolicy = new ManagedPolicy(this, 'PhiAccessPolicy', {
        description: `${this.container.containerName}: the PHI this workload may read and write`,
        roles: [this.taskRole],
      });
      this.service.node.addDependency(this.phiAccessPolicy);
    }
    return this.phiAccessPolicy;
  }

  /**
   * ECS Exec: the Session Manager channels (ssmmessages supports no resource-level permissions),
   * writing session logs to the cluster's exec log group, and the session key.
   */
  private grantExecuteCommand(cluster: PhiCluster): void {
    const policy = new ManagedPolicy(this, 'ExecPolicy', {
      description: `${this.container.containerName}: ECS Exec sessions, encrypted and logged`,
      roles: [this.taskRole],
      statements: [
        new PolicyStatement({
          actions: [
            'ssmmessages:CreateControlChannel',
            'ssmmessages:CreateDataChannel',
            'ssmmessages:OpenControlChannel',
            'ssmmessages:OpenDataChannel',
          ],
          resources: ['*'],
        }),
        new PolicyStatement({
          actions: ['logs:DescribeLogGroups'],
          // Pseudo-parameters (same values at deploy time) keep the finding id account-free for the register.
          resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`],
        }),
        new PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [cluster.execLogGroup.logGroupArn],
        }),
        new PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [cluster.execKey.keyArn],
        }),
      ],
    });
    this.service.node.addDependency(policy);
  }
}

/** Exactly one image source: `repository` with `service.imageTag`, or `imageDirectory` holding a Dockerfile. */
function validateImageSource(where: string, props: PhiServiceProps): void {
  const { repository, imageDirectory, service } = props;
  if ((repository === undefined) === (imageDirectory === undefined)) {
    throw new Error(
      `${where}: repository and imageDirectory = ${repository === undefined ? 'neither' : 'both'} given: give exactly one (an image repository and service.imageTag, or a directory with a Dockerfile built at deploy)`,
    );
  }
  if (repository !== undefined && service.imageTag === undefined) {
    throw new Error(`${where}: service.imageTag = undefined: required with repository (the tag to run)`);
  }
  if (imageDirectory === undefined) return;
  if (service.imageTag !== undefined) {
    throw new Error(
      `${where}: service.imageTag = '${service.imageTag}': must be absent with imageDirectory (the image is built from the directory)`,
    );
  }
  if (service.awaitingFirstImage !== undefined) {
    throw new Error(
      `${where}: service.awaitingFirstImage = ${service.awaitingFirstImage}: must be absent with imageDirectory (the image is built and pushed by the deploy itself)`,
    );
  }
  if (!isAbsolute(imageDirectory) || !existsSync(imageDirectory) || !statSync(imageDirectory).isDirectory()) {
    throw new Error(
      `${where}: imageDirectory = '${imageDirectory}': must be the absolute path of an existing directory`,
    );
  }
  if (!existsSync(join(imageDirectory, 'Dockerfile'))) {
    throw new Error(`${where}: imageDirectory = '${imageDirectory}': has no Dockerfile`);
  }
}

/**
 * Read one secret: GetSecretValue and DescribeSecret on it, and its key (if customer-managed) only
 * through Secrets Manager. Written as statements rather than `secret.grantRead()`, which also adds
 * the grantee to the key's policy in the keys stack (a dependency cycle, and a key policy this
 * stack should not edit).
 */
function secretReadStatements(secret: ISecret, region: string): PolicyStatement[] {
  const statements = [
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [secret.secretArn],
    }),
  ];
  if (secret.encryptionKey) {
    statements.push(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
      }),
    );
  }
  return statements;
}
