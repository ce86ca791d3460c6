import { CfnOutput } from 'aws-cdk-lib';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { IVpc, Peer, Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { Grant, IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { DatabaseCluster, DatabaseInstance } from 'aws-cdk-lib/aws-rds';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { DatabaseUsers } from '../../constructs/database-users';
import { PHI_BACKUP_TAG, PhiBackup } from '../../constructs/phi-backup';
import { PhiBucket } from '../../constructs/phi-bucket';
import { PhiDatabase } from '../../constructs/phi-database';
import { PhiRestoreTesting, RestoreTestedType } from '../../constructs/phi-restore-testing';
import { ReplicationStallAlarm } from '../../constructs/replication-stall-alarm';
import { MAX_RECOVERY_TIME_OBJECTIVE_HOURS, PhiRestoreValidation } from '../../constructs/phi-restore-validation';
import { TIER } from '../../constructs/segmented-vpc';
import { tagSafeguards } from '../../constructs/core';
import {
  backupReplicaVaultArn,
  backupRoleName,
  backupVaultName,
  BlueprintConfig,
  databaseIdentifier,
  keyAliasArn,
  phiBucketPrincipals,
  phiDataBucketName,
  phiReplicaBucketNameRef,
  phiReplicaKeyAlias,
  phiReplicationRoleName,
  restoreTestingPlanName,
} from '../config';
import { assertDeploymentRole, BlueprintStack, BlueprintStackProps } from './blueprint-stack';
import { KeyRing } from './keys-stack';

/** Props of the data stack. */
export interface DataStackProps extends BlueprintStackProps {
  /** Customer-managed keys: PHI data (and the database's log groups), backups, operations (secrets, other logs). */
  readonly keys: Pick<KeyRing, 'phi' | 'backup' | 'operations'>;
  /** The PHI VPC, with the 'Application' and 'Data' tiers (TIER in constructs/segmented-vpc.ts). */
  readonly vpc: IVpc;
  /** Where alarms go (AlertingStack.alarmAction). */
  readonly alarmAction: IAlarmAction;
}

/** Options of DataStack.grantPhiAccess. */
export interface PhiAccessOptions {
  /** Key prefix of the PHI bucket the grantee may read and write, e.g. 'records/' (no wildcards). */
  readonly bucketPrefix: string;
}

/**
 * The PHI data tier (safeguards E1-E3, I1-I3): the PHI database in the data tier, the PHI bucket
 * (replicating to the PHI replica bucket of PhiReplicaStack, which replicates back), their server
 * access log bucket, and AWS Backup of both into a locked vault.
 *
 * The application tier's security group is created here (`appSecurityGroup`) so that the database
 * security group can admit exactly it, on exactly the database port, without a reference from this
 * stack to the app stack (references flow data -> app). The app stack puts its tasks in it.
 */
export class DataStack extends BlueprintStack {
  public readonly phiDatabase: PhiDatabase;
  /** The Aurora cluster or the RDS instance. */
  public readonly database: DatabaseCluster | DatabaseInstance;
  /**
   * The master user secret (RDS-managed, rotated by RDS, operations key): read only by the database
   * users provisioner (`databaseUsers`) and in an emergency; no workload is granted it (A3: workloads use IAM database
   * authentication as their own user, see grantPhiAccess and PhiService.grantPhiAccess).
   */
  public readonly databaseSecret: ISecret;
  /** Resource id of the database for IAM database authentication (`rds-db:connect` on `dbuser:<id>/<user>`). */
  public readonly databaseResourceId: string;
  /** Endpoint hostname of the database writer. */
  public readonly databaseEndpoint: string;
  public readonly databaseSecurityGroup: SecurityGroup;
  /** Security group of the application tier's tasks: the only one the database admits. */
  public readonly appSecurityGroup: SecurityGroup;
  public readonly phiBucket: IBucket;
  public readonly phiKey: IKey;
  /** Replication into the PHI bucket (from the PHI replica, after a failover) stalled (I2, D1). */
  public readonly replicationStallAlarm: ReplicationStallAlarm;
  public readonly accessLogs: AccessLogBucket;
  public readonly backup: PhiBackup;
  /** Weekly restore tests of the PHI database and bucket from the PHI vault (I1). */
  public readonly restoreTesting: PhiRestoreTesting;
  /** The validation of each restore test against the recovery time objective, and its alarms (I1). */
  public readonly restoreValidation: PhiRestoreValidation;
  /** The deploy-time provisioner of the services' database users (none when config has no services). */
  public readonly databaseUsers?: DatabaseUsers;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, keys, vpc } = props;
    const port = config.network.databasePort;
    this.phiKey = keys.phi;

    this.appSecurityGroup = new SecurityGroup(this, 'AppSecurityGroup', {
      vpc,
      description: 'Application tier tasks that may reach the PHI database',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup = new SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc,
      description: 'PHI database: the application tier only, on the database port',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup.addIngressRule(this.appSecurityGroup, Port.tcp(port), 'Application tier to database');
    this.appSecurityGroup.addEgressRule(this.databaseSecurityGroup, Port.tcp(port), 'Application tier to database');
    // N3: an explicit INLINE egress rule. The SG-to-SG rule above is a separate AWS::EC2::SecurityGroupEgress
    // (CDK then drops its inline 'disallow all' placeholder), and a group created without inline egress
    // gets EC2's default allow-all egress. A CIDR peer renders inline and replaces that default; the
    // tasks need it anyway for the interface endpoints (project rule SecurityGroupEgressExplicit).
    this.appSecurityGroup.addEgressRule(
      Peer.ipv4(vpc.vpcCidrBlock),
      Port.tcp(443),
      'HTTPS to the interface endpoints in the VPC',
    );

    this.phiDatabase = new PhiDatabase(this, 'Database', {
      vpc,
      subnets: { subnetGroupName: TIER.data },
      securityGroup: this.databaseSecurityGroup,
      engine: config.database.engine,
      instanceClass: config.database.instanceClass,
      identifier: databaseIdentifier(config),
      port,
      monitoringRole: PhiDatabase.createMonitoringRole(this, 'DatabaseMonitoringRole'),
      storageKey: keys.phi,
      operationsKey: keys.operations,
      retention: config.retention,
      backupRetentionDays: config.database.backupRetentionDays,
      multiAz: config.database.multiAz,
      allocatedStorageGiB: config.database.allocatedStorageGiB,
    });
    this.database = (this.phiDatabase.cluster ?? this.phiDatabase.instance) as DatabaseCluster | DatabaseInstance;
    this.databaseSecret = this.phiDatabase.secret;
    this.databaseResourceId = this.phiDatabase.resourceId;
    this.databaseEndpoint = this.phiDatabase.endpoint;

    this.databaseUsers = this.provisionDatabaseUsers(config, keys.operations, vpc);

    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', { retention: config.retention });
    // E1 A3: objects only for the named principals, the task roles only from the PHI VPC (lib/config/principals.ts).
    const principals = phiBucketPrincipals(config, 'data');
    assertDeploymentRole(this, principals.policyAdministratorArns);
    const phiBucket = new PhiBucket(this, 'PhiBucket', {
      access: {
        objectPrincipalArns: principals.objectPrincipalArns,
        policyAdministratorArns: principals.policyAdministratorArns,
        vpcOnly:
          principals.vpcOnlyPrincipalArns.length > 0
            ? { principalArns: principals.vpcOnlyPrincipalArns, vpcId: vpc.vpcId }
            : undefined,
      },
      replicationRoleName: phiReplicationRoleName(config, 'data'),
      // I2 D1: failed replication to the replica alarms.
      replicationAlarmAction: props.alarmAction,
      bucketName: phiDataBucketName(config),
      encryptionKey: keys.phi,
      accessLogs: this.accessLogs,
      accessLogPrefix: 'phi-data/',
      noncurrentVersionExpirationDays: config.phiBucket.noncurrentVersionExpirationDays,
      // Two-way with the PHI replica bucket (PhiReplicaStack), named: no cross-region reference.
      replication: {
        destinationBucketName: phiReplicaBucketNameRef(config),
        destinationRegion: config.phiBucket.replicaRegion,
        destinationKeyAliasArn: keyAliasArn(config.phiBucket.replicaRegion, phiReplicaKeyAlias(config)),
      },
    });
    this.phiBucket = phiBucket.bucket;
    // I2 D1: the PHI replica's replication back (the failover direction) publishes its latency here, in the PHI
    // bucket's region, where the alert path runs.
    this.replicationStallAlarm = new ReplicationStallAlarm(this, 'PhiBucketReplicationStall', {
      destinationBucketName: this.phiBucket.bucketName,
      alarmAction: props.alarmAction,
    });

    this.backup = new PhiBackup(this, 'Backup', {
      roleName: backupRoleName(config),
      encryptionKey: keys.backup,
      vaultName: backupVaultName(config),
      resourceArns: [this.phiDatabase.arn, this.phiBucket.bucketArn],
      tag: PHI_BACKUP_TAG,
      dailyRetentionDays: config.backup.dailyRetentionDays,
      monthlyRetentionDays: config.backup.monthlyRetentionDays,
      vaultMinRetentionDays: config.backup.vaultMinRetentionDays,
      immutableLock: config.production,
      alarmAction: props.alarmAction,
      // I1: every recovery point also in the replica region's locked vault (PhiReplicaStack), and in the isolated
      // vault config names, if any.
      copyDestinationVaultArns: [
        backupReplicaVaultArn(config),
        ...(config.backup.isolatedCopyVaultArn !== undefined ? [config.backup.isolatedCopyVaultArn] : []),
      ],
    });

    // I1: the backups restore. The restored database gets a security group that admits nothing.
    const restoreSecurityGroup = new SecurityGroup(this, 'RestoreTestSecurityGroup', {
      vpc,
      description: 'Restore tests of the PHI database: no ingress, no egress',
      allowAllOutbound: false,
    });
    this.restoreTesting = new PhiRestoreTesting(this, 'RestoreTesting', {
      planName: restoreTestingPlanName(config),
      vault: this.backup.vault,
      role: this.backup.role,
      databaseArn: this.phiDatabase.arn,
      databaseIsCluster: this.phiDatabase.cluster !== undefined,
      bucketArn: this.phiBucket.bucketArn,
      vpc,
      subnets: { subnetGroupName: TIER.data },
      securityGroup: restoreSecurityGroup,
      phiKey: keys.phi,
    });
    // I1: each restore test validated against the recovery time objective, which the template declares for the gate.
    const recoveryTimeObjectiveHours = config.backup.recoveryTimeObjectiveHours ?? MAX_RECOVERY_TIME_OBJECTIVE_HOURS;
    this.restoreValidation = new PhiRestoreValidation(this, 'RestoreValidation', {
      resourceTypes: Object.values(this.restoreTesting.selections).map(
        (s) => s.protectedResourceType as RestoreTestedType,
      ),
      recoveryTimeObjectiveHours,
      restoreTestingPlanArn: this.restoreTesting.plan.attrRestoreTestingPlanArn,
      encryptionKey: keys.operations,
      vpc,
      vpcSubnets: { subnetGroupName: TIER.application },
      retention: config.retention,
      alarmAction: props.alarmAction,
      // I1: the restored copy is inspected: the PHI key, the restore subnet group and security group.
      phiKey: keys.phi,
      restoreSubnetGroupName: this.restoreTesting.subnetGroup.subnetGroupName,
      restoreSecurityGroup: restoreSecurityGroup,
    });
    this.declare({ recoveryTimeObjectiveHours });

    // Where workloads connect, as their own user with IAM database authentication (README, Deploy).
    new CfnOutput(this, 'DatabaseEndpoint', { value: this.phiDatabase.endpoint });
    new CfnOutput(this, 'DatabasePort', { value: String(port) });
    new CfnOutput(this, 'DatabaseSecretArn', { value: this.databaseSecret.secretArn });
    new CfnOutput(this, 'PhiBucketName', { value: this.phiBucket.bucketName });
    new CfnOutput(this, 'AppSecurityGroupId', { value: this.appSecurityGroup.securityGroupId });
  }

  /**
   * Database users (A1, A3): one IAM-authenticated user and schema per config.services[] entry, named
   * like the service (PhiService connects as it), created at deploy time by the DatabaseUsers custom
   * resource in the application tier (README, Deploy step 8). Nothing without services.
   */
  private provisionDatabaseUsers(config: BlueprintConfig, operationsKey: IKey, vpc: IVpc): DatabaseUsers | undefined {
    const users = config.services.map((s) => s.name);
    if (users.length === 0) return undefined;
    // It reads the master secret through the Secrets Manager endpoint: without it (and without NAT)
    // every deploy would wait for a response that never comes.
    if (config.network.internetEgress === 'none' && !config.network.interfaceEndpoints.includes('secretsmanager')) {
      throw new Error(
        `DataStack: network.interfaceEndpoints = ${JSON.stringify(config.network.interfaceEndpoints)}: must include 'secretsmanager' when services[] is not empty (the database users provisioner reads the master secret through it)`,
      );
    }
    const databaseUsers = new DatabaseUsers(this, 'DatabaseUsers', {
      vpc,
      vpcSubnets: { subnetGroupName: TIER.application },
      databaseEndpoint: this.phiDatabase.endpoint,
      databasePort: config.network.databasePort,
      databaseSecurityGroup: this.databaseSecurityGroup,
      masterSecret: this.databaseSecret,
      masterSecretKey: operationsKey,
      users,
      encryptionKey: operationsKey,
      retention: config.retention,
    });
    tagSafeguards(databaseUsers, ['A1', 'A3', 'E3']);
    return databaseUsers;
  }

  /**
   * Least-privilege access of one workload to PHI: connect with IAM database authentication as
   * `dbUser` if given (never the master secret: A3), read and write objects under `bucketPrefix` of
   * the PHI bucket, and use the PHI key through S3 only.
   */
  public grantPhiAccess(grantee: IGrantable, options: PhiAccessOptions & { readonly dbUser?: string }): Grant[] {
    const prefix = options.bucketPrefix;
    if (!/^[a-zA-Z0-9!_.'()-]+(\/[a-zA-Z0-9!_.'()-]+)*\/$/.test(prefix)) {
      throw new Error(
        `DataStack.grantPhiAccess: bucketPrefix = '${prefix}': must be a key prefix ending in '/', without wildcards`,
      );
    }
    // Principal policy only: a key-policy grant would make the keys stack depend on the grantee's stack.
    const grants: Grant[] = [
      Grant.addToPrincipal({
        grantee,
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        resourceArns: [this.phiBucket.arnForObjects(`${prefix}*`)],
      }),
    ];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.phiBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.phiKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
    if (options.dbUser !== undefined) {
      grants.push(
        Grant.addToPrincipal({
          grantee,
          actions: ['rds-db:connect'],
          resourceArns: [PhiDatabase.dbUserArn(this, this.databaseResourceId, options.dbUser)],
        }),
      );
    }
    return grants;
  }
}
