import { CfnResource, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { InstanceType, ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { IRole, ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import {
  AuroraPostgresEngineVersion,
  CaCertificate,
  CfnDBCluster,
  CfnDBInstance,
  ClusterInstance,
  IClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
  DatabaseInstance,
  DatabaseInstanceEngine,
  IClusterEngine,
  IInstanceEngine,
  ParameterGroup,
  PostgresEngineVersion,
  StorageType,
} from 'aws-cdk-lib/aws-rds';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  markPhiLogGroup,
  markPhiStore,
  MIN_PITR_DAYS,
  RDS_MAX_BACKUP_RETENTION_DAYS,
  RetentionPolicy,
  tagSafeguards,
} from './core';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { EncryptedLogGroup } from './encrypted-log-group';
import { phiDataProtectionPolicy } from './phi-log-group';
import { PHI_BACKUP_TAG } from './phi-backup';

/** Engine of the PHI database: an Aurora PostgreSQL cluster or a Multi-AZ RDS PostgreSQL instance. */
export type DatabaseEngine = 'aurora-postgresql' | 'postgresql';

/** Props of a PhiDatabase. */
export interface PhiDatabaseProps {
  /** The PHI VPC. */
  readonly vpc: IVpc;
  /** Subnets of the data tier (isolated, at least two AZs). */
  readonly subnets: SubnetSelection;
  /** Security group of the database; the caller decides who may connect. */
  readonly securityGroup: ISecurityGroup;
  /** 'aurora-postgresql' (writer, plus a reader when multiAz) or 'postgresql' (one instance). */
  readonly engine: DatabaseEngine;
  /** Instance class without `db.`, e.g. 'r6g.large'. */
  readonly instanceClass: string;
  /**
   * Cluster or instance identifier, lower-case; it names the log groups RDS writes to, so they can
   * be created encrypted before the database exists.
   */
  readonly identifier: string;
  /** Port the database listens on (must match the data-tier network ACL). */
  readonly port: number;
  /**
   * PHI key: storage, Performance Insights and the RDS log groups (E1, E2: the exports may hold PHI).
   * Its key policy must admit CloudWatch Logs for `/aws/rds/*` (KEY_DOMAINS.phi).
   */
  readonly storageKey: IKey;
  /**
   * Operations key: the master user secret and the findings group of the log groups' data protection
   * policy (findings name identifier types and character offsets, never the values) (E2).
   */
  readonly operationsKey: IKey;
  /**
   * Role RDS enhanced monitoring assumes; create it with PhiDatabase.createMonitoringRole outside this
   * construct, so that its acknowledged AWS managed policy finding never sits inside a PHI store.
   */
  readonly monitoringRole: IRole;
  /** Retention of the log groups (U3). */
  readonly retention: RetentionPolicy;
  /** Days of automated backups; exactly 35 (at least 35 for I1, at most 35 in RDS). */
  readonly backupRetentionDays: number;
  /** Aurora: a reader in another AZ; instance: a Multi-AZ standby (I3). */
  readonly multiAz: boolean;
  /**
   * Allocated storage of an RDS instance in GiB.
   * @default 100
   */
  readonly allocatedStorageGiB?: number;
  /**
   * Name of the master user (its password is generated and rotated by RDS, never seen by anyone).
   * @default 'dbadmin'
   */
  readonly masterUsername?: string;
}

/**
 * PostgreSQL parameters every PHI database gets (E3, U1, U4): TLS only, pgaudit for DDL and role
 * changes, connections logged. pgaudit does not log statement parameters or read/write statements:
 * their literals could be PHI, and safeguard U4 keeps PHI out of logs. Record access is audited by the
 * application (who read which record), not by logging the records.
 *
 * U4 also rules out PostgreSQL's own statement logging, whose defaults would write PHI to the
 * postgresql log: the text of every failing statement (log_min_error_statement defaults to ERROR: a
 * failed INSERT logs its literals) and DETAIL lines with values (`Key (ssn)=(...) already exists`).
 * So: no statement text with errors (panic: only on a server crash), terse errors (no DETAIL, HINT,
 * QUERY, CONTEXT), no statement logging (log_statement none; DDL is logged by pgaudit) and no slow
 * statement text (log_min_duration_statement -1). The RDS log groups also mask identifiers (PhiDatabase).
 */
export const PHI_DATABASE_PARAMETERS: Readonly<Record<string, string>> = {
  'rds.force_ssl': '1',
  shared_preload_libraries: 'pg_stat_statements,pgaudit',
  'pgaudit.log': 'ddl,role',
  'pgaudit.log_parameter': '0',
  'pgaudit.log_catalog': '0',
  log_connections: '1',
  log_disconnections: '1',
  log_min_error_statement: 'panic',
  log_error_verbosity: 'terse',
  log_statement: 'none',
  log_min_duration_statement: '-1',
};

/** Enhanced monitoring interval (seconds). */
const MONITORING_INTERVAL = Duration.seconds(60);
/** RDS exports for each engine (the packs' RDSLoggingEnabled wants both for an instance). */
const LOG_EXPORTS: Readonly<Record<DatabaseEngine, readonly string[]>> = {
  'aurora-postgresql': ['postgresql'],
  postgresql: ['postgresql', 'upgrade'],
};
const IDENTIFIER = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const DB_USER = /^[a-z][a-z0-9_-]{0,62}$/;

/**
 * The PHI database with the blueprint's safeguards built in: PHI-key storage and Performance
 * Insights encryption (E2), TLS forced and the current CA (E3), IAM authentication and an
 * RDS-managed master password in Secrets Manager under the operations key, rotated by RDS without
 * a Lambda (A1), 35 days of PITR (I1), deletion protection and Snapshot policies (I2), Multi-AZ (I3),
 * six-year log groups under the PHI key created before the database (U3), enhanced monitoring, minor
 * version upgrades, never publicly accessible. The whole construct is a PHI store.
 */
export class PhiDatabase extends Construct {
  /** The Aurora cluster, when engine is 'aurora-postgresql'. */
  public readonly cluster?: DatabaseCluster;
  /** The RDS instance, when engine is 'postgresql'. */
  public readonly instance?: DatabaseInstance;
  /** The master user secret, managed and rotated by RDS, encrypted with the operations key. */
  public readonly secret: ISecret;
  /** ARN of the cluster or instance (for AWS Backup selections). */
  public readonly arn: string;
  /** Endpoint hostname of the writer. */
  public readonly endpoint: string;
  /** The log groups RDS exports to, by log type (each with the PHI data protection policy, U4). */
  public readonly logGroups: Readonly<Record<string, EncryptedLogGroup>>;
  /** Where the data protection policy of the RDS log groups reports the identifiers it masked. */
  public readonly logFindingsGroup: LogGroup;
  /**
   * The resource id IAM database authentication names (`rds-db:connect` on
   * `dbuser:<resourceId>/<user>`): the instance's DbiResourceId or the cluster's resource id.
   */
  public readonly resourceId: string;
  /** The enhanced monitoring role. */
  public readonly monitoringRole: IRole;
  /** The parameter group carrying PHI_DATABASE_PARAMETERS. */
  public readonly parameterGroup: ParameterGroup;

  constructor(scope: Construct, id: string, props: PhiDatabaseProps) {
    super(scope, id);
    const where = `PhiDatabase ${this.node.path}`;
    if (!IDENTIFIER.test(props.identifier)) {
      throw new Error(
        `${where}: identifier = '${props.identifier}': must be lower-case letters, digits and dashes, 2-63 characters`,
      );
    }
    if (
      !Number.isInteger(props.backupRetentionDays) ||
      props.backupRetentionDays < MIN_PITR_DAYS ||
      props.backupRetentionDays > RDS_MAX_BACKUP_RETENTION_DAYS
    ) {
      throw new Error(`${where}: backupRetentionDays = ${props.backupRetentionDays}: must be ${MIN_PITR_DAYS} (I1)`);
    }
    if (!Number.isInteger(props.port) || props.port < 1150 || props.port > 65535 || props.port === 5432) {
      throw new Error(
        `${where}: port = ${props.port}: must be 1150-65535 and not the PostgreSQL default 5432 (AwsSolutions-RDS11)`,
      );
    }

    const kind = props.engine === 'aurora-postgresql' ? 'cluster' : 'instance';
    // U4: the RDS log groups mask identifiers like the application's (PhiLogGroup), in case a value
    // still reaches them (e.g. a connection log line or an extension's message). The findings group
    // stays under the operations key: its name is generated (outside `/aws/rds/`, which is all the PHI
    // key admits CloudWatch Logs for; naming it would replace it), and findings hold no values.
    this.logFindingsGroup = new EncryptedLogGroup(this, 'LogFindings', {
      encryptionKey: props.operationsKey,
      retention: props.retention,
    }).logGroup;
    const logGroups: Record<string, EncryptedLogGroup> = {};
    for (const type of LOG_EXPORTS[props.engine]) {
      logGroups[type] = new EncryptedLogGroup(this, `LogGroup-${type}`, {
        logGroupName: `/aws/rds/${kind}/${props.identifier}/${type}`,
        // E1: PHI domain (the exports may hold PHI). Changing a log group's key is an in-place update;
        // events ingested before stay under the previous key, which CloudWatch Logs still uses to read them.
        encryptionKey: props.storageKey,
        retention: props.retention,
        dataProtectionPolicy: phiDataProtectionPolicy(this.logFindingsGroup),
      });
      markPhiLogGroup(logGroups[type].logGroup.node.defaultChild as CfnResource);
    }
    this.logGroups = logGroups;
    this.monitoringRole = props.monitoringRole;

    // The RDS-managed master password: RDS creates the secret under the operations key and rotates
    // it itself (every 7 days by default), with no rotation Lambda and no Serverless Application Repository app.
    const credentials = Credentials.fromUsername(props.masterUsername ?? 'dbadmin', {
      encryptionKey: props.operationsKey,
    });

    if (props.engine === 'aurora-postgresql') {
      const engine = DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_13 });
      this.parameterGroup = this.parameters(engine);
      this.cluster = this.createCluster(props, engine, credentials);
      this.secret = this.cluster.secret as ISecret;
      this.arn = this.cluster.clusterArn;
      this.endpoint = this.cluster.clusterEndpoint.hostname;
      this.resourceId = this.cluster.clusterResourceIdentifier;
      for (const group of Object.values(logGroups)) this.cluster.node.addDependency(group);
    } else {
      const engine = DatabaseInstanceEngine.postgres({ version: PostgresEngineVersion.VER_16_13 });
      this.parameterGroup = this.parameters(engine);
      this.instance = this.createInstance(props, engine, credentials);
      this.secret = this.instance.secret as ISecret;
      this.arn = this.instance.instanceArn;
      this.endpoint = this.instance.dbInstanceEndpointAddress;
      this.resourceId = (this.instance.node.defaultChild as CfnDBInstance).attrDbiResourceId;
      for (const group of Object.values(logGroups)) this.instance.node.addDependency(group);
    }
    Tags.of(this.cluster ?? this.instance!).add(PHI_BACKUP_TAG.key, PHI_BACKUP_TAG.value);
    // The construct and every DB cluster/instance resource: no acknowledgement may match any of them.
    markPhiStore(this);
    tagSafeguards(this, ['E2', 'E3', 'I1', 'I2', 'I3', 'U3', 'U4']);
    for (const c of this.node.findAll()) {
      if (c instanceof CfnDBCluster || c instanceof CfnDBInstance) markPhiStore(c);
    }
  }

  /**
   * The enhanced monitoring role: trusted by monitoring.rds.amazonaws.com for this account only, with
   * the AWS managed AmazonRDSEnhancedMonitoringRole policy (it writes OS metrics to the RDSOSMetrics
   * log group; no data access). AwsSolutions-IAM4 on it is acknowledged in the register.
   */
  public static createMonitoringRole(scope: Construct, id: string): Role {
    return new Role(scope, id, {
      assumedBy: new ServicePrincipal('monitoring.rds.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
      }),
      description: 'RDS enhanced monitoring of the PHI database (OS metrics only, no data)',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
    });
  }

  /**
   * ARN IAM database authentication authorizes (`rds-db:connect`): the database user `user` of the
   * database whose resource id is `resourceId` (PhiDatabase.resourceId), in `scope`'s region and account.
   */
  public static dbUserArn(scope: Construct, resourceId: string, user: string): string {
    if (!DB_USER.test(user)) {
      throw new Error(
        `PhiDatabase.dbUserArn: user = '${user}': must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter (no wildcards)`,
      );
    }
    const { partition, region, account } = Stack.of(scope);
    return `arn:${partition}:rds-db:${region}:${account}:dbuser:${resourceId}/${user}`;
  }

  private parameters(engine: IClusterEngine | IInstanceEngine): ParameterGroup {
    return new ParameterGroup(this, 'Parameters', {
      engine,
      // Description unchanged on purpose: a new description replaces the parameter group (CloudFormation).
      description: 'PHI database: TLS only, pgaudit, connection logging',
      parameters: { ...PHI_DATABASE_PARAMETERS },
    });
  }

  private createCluster(props: PhiDatabaseProps, engine: IClusterEngine, credentials: Credentials): DatabaseCluster {
    const instanceType = new InstanceType(props.instanceClass);
    const instance = (name: string): IClusterInstance =>
      ClusterInstance.provisioned(name, {
        instanceType,
        // Safeguards of every instance.
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        caCertificate: CaCertificate.RDS_CA_RSA2048_G1,
        enablePerformanceInsights: true,
        performanceInsightEncryptionKey: props.storageKey,
      });
    const cluster = new DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: props.identifier,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      port: props.port,
      writer: instance('Writer'),
      readers: props.multiAz ? [instance('Reader')] : [],
      parameterGroup: this.parameterGroup,
      credentials,
      monitoringInterval: MONITORING_INTERVAL,
      monitoringRole: this.monitoringRole,
      // Safeguards last.
      manageMasterUserPassword: true,
      storageEncrypted: true,
      storageEncryptionKey: props.storageKey,
      iamAuthentication: true,
      backup: { retention: Duration.days(props.backupRetentionDays) },
      cloudwatchLogsExports: [...LOG_EXPORTS['aurora-postgresql']],
      // Always on, in every environment: a PHI store (the packs' RDS10 / RDSInstanceDeletionProtectionEnabled).
      deletionProtection: true,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    const cfn = cluster.node.defaultChild as CfnDBCluster;
    cfn.applyRemovalPolicy(RemovalPolicy.SNAPSHOT, { applyToUpdateReplacePolicy: true });
    // The automated backups (the point-in-time window) outlive the cluster (the L2 has no prop for it).
    cfn.deleteAutomatedBackups = false;
    return cluster;
  }

  private createInstance(props: PhiDatabaseProps, engine: IInstanceEngine, credentials: Credentials): DatabaseInstance {
    const instance = new DatabaseInstance(this, 'Instance', {
      engine,
      instanceIdentifier: props.identifier,
      instanceType: new InstanceType(props.instanceClass),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      port: props.port,
      parameterGroup: this.parameterGroup,
      credentials,
      allocatedStorage: props.allocatedStorageGiB ?? 100,
      storageType: StorageType.GP3,
      monitoringInterval: MONITORING_INTERVAL,
      monitoringRole: this.monitoringRole,
      // Safeguards last.
      manageMasterUserPassword: true,
      storageEncrypted: true,
      storageEncryptionKey: props.storageKey,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.storageKey,
      iamAuthentication: true,
      caCertificate: CaCertificate.RDS_CA_RSA2048_G1,
      multiAz: props.multiAz,
      publiclyAccessible: false,
      backupRetention: Duration.days(props.backupRetentionDays),
      cloudwatchLogsExports: [...LOG_EXPORTS.postgresql],
      // Always on, in every environment: a PHI store (the packs' RDS10 / RDSInstanceDeletionProtectionEnabled).
      deletionProtection: true,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      deleteAutomatedBackups: false,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    const cfn = instance.node.defaultChild as CfnDBInstance;
    cfn.applyRemovalPolicy(RemovalPolicy.SNAPSHOT, { applyToUpdateReplacePolicy: true });
    return instance;
  }
}
