import { Annotations, CfnOutput, Duration } from 'aws-cdk-lib';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { IVpc } from 'aws-cdk-lib/aws-ec2';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessAuditAlarms } from '../../constructs/access-audit-alarms';
import { AccessAuditAppendPolicy } from '../../constructs/access-audit-append-policy';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { AppCertificate, PLACEHOLDER_CERTIFICATE_ID } from '../../constructs/app-certificate';
import { AppUserPool } from '../../constructs/app-user-pool';
import { ImageRepository } from '../../constructs/image-repository';
import { PhiCluster } from '../../constructs/phi-cluster';
import { PhiService } from '../../constructs/phi-service';
import { SecureLoadBalancer } from '../../constructs/secure-load-balancer';
import { ServiceConfiguration } from '../../constructs/service-configuration';
import { SessionManagerPreferences } from '../../constructs/session-manager-preferences';
import {
  accessAuditStreamName,
  clusterName,
  loadBalancerName,
  phiDataBucketNameRef,
  PLACEHOLDER_HOST,
  serviceParameterPath,
  serviceTaskRoleName,
  signInDomainPrefix,
  userPoolName,
} from '../config';
import { resolveBuildDirectory } from '../config/build-directory';
import { guardDutyAgentRepository } from '../config/guard-duty-agent';
import { BlueprintStack, BlueprintStackProps } from './blueprint-stack';
import { KeyRing } from './keys-stack';
import { DataStack } from './data-stack';
import { serviceVariables } from './service-variables';

/** What the app tier uses of the data tier (DataStack satisfies it). */
export type AppDataAccess = Pick<
  DataStack,
  'appSecurityGroup' | 'databaseResourceId' | 'databaseEndpoint' | 'phiKey' | 'accessLogs'
>;

/** Props of the app stack. */
export interface AppStackProps extends BlueprintStackProps {
  /** Customer-managed keys: operations (images, logs, sessions), audit (the access-audit streams' encryption, U5). */
  readonly keys: Pick<KeyRing, 'operations' | 'audit'>;
  /** The PHI VPC (tiers 'Public' for the load balancer, 'Application' for tasks). */
  readonly vpc: IVpc;
  /**
   * The data tier: the tasks' security group, the database's resource id (IAM authentication) and endpoint
   * (the services' DB_HOST), the PHI key, its access log bucket. Not the master secret: no workload gets it (A3).
   */
  readonly data: AppDataAccess;
  /**
   * What the access-audit alarms do (the stage passes the alert formatter, D3).
   * @default - no access-audit alarms (the assembly rule AccessAuditChannel then fails the gate)
   */
  readonly alarmAction?: IAlarmAction;
}

/** One workload of the app stack. */
export interface AppService {
  readonly service: PhiService;
  /** The service's configuration as Parameter Store parameters (serviceVariables), injected as container secrets. */
  readonly configuration: ServiceConfiguration;
  /** U5: the task role's append-only right on the service's access-audit stream (AUDIT_STREAM_NAME). */
  readonly accessAudit: AccessAuditAppendPolicy;
  /**
   * U5 D1: the silence and delivery alarms of the service's access-audit stream.
   * @default - none when the stack has no alarmAction
   */
  readonly accessAuditAlarms?: AccessAuditAlarms;
  /**
   * The service's own ECR repository.
   * @default - none: the service is built from a directory (a CDK image asset in the bootstrap repository)
   */
  readonly images?: ImageRepository;
}

/**
 * The application tier (safeguards E3, A1-A4, N2, U3, U4): browser -> AWS WAF -> load balancer
 * (TLS terminates; Cognito sign-in with MFA, 15-minute sessions) -> HTTPS to the Fargate tasks in the
 * application tier (TLS again) -> the PHI database over TLS. Also: the load balancer's access log
 * bucket and the account's Session Manager preferences (15-minute idle timeout for operators).
 *
 * Without config.domain (the dev default) the stack synthesizes but cannot deploy: see AppCertificate
 * and the `DeployRequires` output.
 */
export class AppStack extends BlueprintStack {
  public readonly loadBalancer: SecureLoadBalancer;
  public readonly users: AppUserPool;
  public readonly accessLogs: AccessLogBucket;
  /** The account's Session Manager preferences; absent when config.sharesAccountWith names the environment that owns them. */
  public readonly sessionManager?: SessionManagerPreferences;
  public readonly certificate: AppCertificate;
  public readonly cluster: PhiCluster;
  /**
   * Each service of config.services, by name: the Fargate service, its configuration parameters, and its image
   * repository (absent for a service built from services[].buildDirectory: its image is a CDK image asset).
   */
  public readonly services: Readonly<Record<string, AppService>>;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, keys, vpc } = props;

    // The load balancer's access logs (SSE-S3: ALB log delivery cannot use SSE-KMS); the bucket's own
    // S3 server access logs go to the data tier's access log bucket.
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', { retention: config.retention });
    props.data.accessLogs.receiveServerAccessLogsFrom(this.accessLogs.bucket, 'app-access-logs/');
    this.certificate = new AppCertificate(this, 'Certificate', { domain: config.domain });
    const host = this.certificate.domainName ?? PLACEHOLDER_HOST;

    this.users = new AppUserPool(this, 'Users', {
      userPoolName: userPoolName(config),
      domainPrefix: signInDomainPrefix(config),
      applicationHost: host,
      sessionTimeoutMinutes: config.app.sessionTimeoutMinutes,
    });

    this.loadBalancer = new SecureLoadBalancer(this, 'LoadBalancer', {
      vpc,
      name: loadBalancerName(config),
      certificate: this.certificate.certificate,
      accessLogs: this.accessLogs,
      logsKey: keys.operations,
      retention: config.retention,
      authentication: {
        userPool: this.users.userPool,
        userPoolClient: this.users.client,
        userPoolDomain: this.users.domain,
        sessionTimeout: Duration.minutes(config.app.sessionTimeoutMinutes),
      },
      routes: config.services.map((s) => ({
        name: s.name,
        port: s.containerPort,
        priority: s.routing.priority,
        pathPatterns: s.routing.pathPattern !== undefined ? [s.routing.pathPattern] : undefined,
        hostHeaders: s.routing.hostHeader !== undefined ? [s.routing.hostHeader] : undefined,
      })),
    });

    // The workloads: one private image repository and one Fargate service per config.services entry,
    // in the application tier, joined to the data tier's application security group (the only one the
    // database admits), registered with their HTTPS target group, with least-privilege PHI access.
    this.cluster = new PhiCluster(this, 'Cluster', {
      vpc,
      key: keys.operations,
      ephemeralStorageKey: props.data.phiKey,
      retention: config.retention,
      clusterName: clusterName(config),
    });
    const services: Record<string, AppService> = {};
    const phiBucket = Bucket.fromBucketName(this, 'PhiBucket', phiDataBucketNameRef(config));
    for (const s of config.services) {
      const id = pascalCase(s.name);
      // Its own repository for a service that runs an image tag. No physical name: CloudFormation names it,
      // so a retried first create does not collide with the repository a failed one retained; the
      // `<Id>RepositoryUri` output says where to push.
      const images =
        s.buildDirectory === undefined
          ? new ImageRepository(this, `${id}Repository`, { encryptionKey: keys.operations })
          : undefined;
      if (images) {
        new CfnOutput(this, `${id}RepositoryUri`, {
          description: `Where to push the images of service '${s.name}' (tag ${s.imageTag})`,
          value: images.repository.repositoryUri,
        });
      }
      // Its configuration: Parameter Store parameters, read by the execution role when a task starts.
      const configuration = new ServiceConfiguration(this, `${id}Configuration`, {
        path: serviceParameterPath(config, s.name),
        values: serviceVariables(config, s, props.data.databaseEndpoint),
      });
      const service = new PhiService(this, `${id}Service`, {
        cluster: this.cluster,
        repository: images?.repository,
        imageDirectory: s.buildDirectory !== undefined ? resolveBuildDirectory(s.buildDirectory) : undefined,
        service: s,
        secrets: configuration.containerSecrets(),
        logKey: keys.operations,
        retention: config.retention,
        joinSecurityGroups: [props.data.appSecurityGroup],
        enableExecuteCommand: config.ecsExec,
        // E1 A3: the name the PHI key and the PHI bucket policy allow-list (lib/config/principals.ts).
        taskRoleName: serviceTaskRoleName(config, s.name),
        // D2: ECS pulls GuardDuty's runtime monitoring sidecar with the execution role.
        guardDutyAgentRepositoryArn: guardDutyAgentRepository(config),
      });
      this.loadBalancer.targetGroups[s.name].addTarget(service);
      // The PHI bucket by its config-derived name (as the register's prefix entry names it), not
      // through a cross-stack export; its key from the data stack. The database as the service's own
      // user through IAM authentication (A3): never the master secret, which would make every
      // workload rds_superuser. The data stack's DatabaseUsers creates that user at deploy (README, Deploy).
      service.grantPhiAccess({
        database: { resourceId: props.data.databaseResourceId, user: s.name },
        phiObjects: { bucket: phiBucket, key: props.data.phiKey, prefix: `${s.name}/` },
      });
      // U5: append-only on its own access-audit stream (the audit stack's AccessAuditChannel), nothing on its bucket.
      const accessAudit = new AccessAuditAppendPolicy(this, `${id}AccessAudit`, {
        role: service.taskRole,
        streamName: accessAuditStreamName(config, s.name),
        streamKey: keys.audit,
      });
      const accessAuditAlarms = props.alarmAction
        ? new AccessAuditAlarms(this, `${id}AccessAuditAlarms`, {
            service: s.name,
            targetGroup: this.loadBalancer.targetGroups[s.name]!,
            streamName: accessAuditStreamName(config, s.name),
            alarmAction: props.alarmAction,
          })
        : undefined;
      services[s.name] = {
        service,
        configuration,
        accessAudit,
        ...(accessAuditAlarms ? { accessAuditAlarms } : {}),
        ...(images ? { images } : {}),
      };
    }
    this.services = services;

    // One per account and region (the SSM-SessionManagerRunShell document): created by the environment that
    // owns the account-level services, not by one that shares the account with it.
    if (config.sharesAccountWith === undefined) {
      this.sessionManager = new SessionManagerPreferences(this, 'SessionManager', {
        encryptionKey: keys.operations,
        retention: config.retention,
      });
    }

    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.loadBalancer.loadBalancer.loadBalancerDnsName });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'ApplicationUrl', { value: `https://${host}/` });
    if (!this.certificate.deployable) {
      const needs = `config.domain (name, and certificateArn or hostedZoneId + hostedZoneName) for environment '${config.envName}': the HTTPS listener uses the placeholder certificate '${PLACEHOLDER_CERTIFICATE_ID}', which deploy rejects`;
      new CfnOutput(this, 'DeployRequires', {
        description: 'Why this stack cannot be deployed as configured',
        value: needs,
      });
      // Info, not a warning: synth of the dev default stays green; the message shows on `cdk synth`.
      Annotations.of(this).addInfo(`Deploy requires ${needs}`);
    }
  }
}

function pascalCase(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
