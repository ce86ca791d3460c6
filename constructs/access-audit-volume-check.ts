import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, IAlarmAction, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { IVpc, SecurityGroup, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ACCESS_AUDIT_EVENTS_PREFIX } from './access-audit-channel';
import { ACCESS_AUDIT_TABLE } from './access-audit-search';
import { RetentionPolicy, tagSafeguards } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';
import {
  assertLocalEsbuild,
  endpointsOnlySecurityGroup,
  lambdaNetworkPolicy,
  ownResourceStatements,
  retainedDeadLetterQueue,
  vpcFunctionSafeguards,
} from './vpc-function-parts';

/** Props of AccessAuditVolumeCheck. */
export interface AccessAuditVolumeCheckProps {
  /** The access-audit bucket (AccessAuditChannel.bucket): the query reads its `events/` prefix. */
  readonly eventsBucket: IBucket;
  /** The workgroup's results bucket (AccessAuditSearch.resultsBucket): Athena writes the results there as the role. */
  readonly resultsBucket: IBucket;
  /** Physical name of the access-audit Athena workgroup (its configuration is enforced). */
  readonly workGroupName: string;
  /** Name of the Glue database of the access-audit table. */
  readonly databaseName: string;
  /** The audit key: the events and the query results are SSE-KMS with it (used through S3 only). */
  readonly auditKey: IKey;
  /** Key of the dead-letter queue and of the function's log group (the operations key). */
  readonly encryptionKey: IKey;
  /** The PHI VPC: the function reaches Athena and CloudWatch through its interface endpoints. */
  readonly vpc: IVpc;
  /** Subnets of the function (the application tier). */
  readonly vpcSubnets: SubnetSelection;
  /** Retention of the function's log group (six years, U3). */
  readonly retention: RetentionPolicy;
  /** Fixed name of the function's role: the audit key allow-lists it by ARN (lib/config/principals.ts). */
  readonly roleName: string;
  /** Events of one user in one hour above which the user counts as anomalous (1-1000000). */
  readonly threshold: number;
  /** What the anomaly and failure alarms do (the stage passes the alert formatter, D3). */
  readonly alarmAction: IAlarmAction;
}

/** Namespace of the published aggregates (lambda/access-audit-volume VOLUME_NAMESPACE). */
export const ACCESS_AUDIT_VOLUME_NAMESPACE = 'HipaaBlueprint/AccessAudit';

/** Minutes counted by each run; the schedule runs the check once per window. */
export const ACCESS_AUDIT_VOLUME_WINDOW_MINUTES = 60;

const ENTRY = path.join(__dirname, '..', 'lambda', 'access-audit-volume', 'index.ts');
const PROJECT_ROOT = path.join(__dirname, '..');
const DATABASE = /^[a-z0-9_]{1,255}$/;
const WORKGROUP = /^[a-zA-Z0-9._-]{1,128}$/;

/**
 * U5 D1: the per-user access volume check. Every hour an EventBridge schedule runs a Lambda function
 * (lambda/access-audit-volume) that counts each user's access-audit events of the last hour through the access-audit
 * Athena workgroup and publishes only aggregates (MaxEventsPerUser, UsersOverThreshold, ActiveUsers) to CloudWatch,
 * never a user id. An alarm fires when a user exceeded `threshold` events in the hour; a second one when a run failed
 * (query failed, timed out, or could not publish), so a broken check is not silent.
 *
 * The function runs in the PHI VPC's application tier (HTTPS to the VPC only: the athena and monitoring interface
 * endpoints; Athena reads the Glue catalog and S3 server-side with the role's credentials), with reserved concurrency
 * 1, a KMS-encrypted dead-letter queue, a six-year encrypted log group and a role holding two customer-managed
 * policies: one scoped to the workgroup, the database and table, the events prefix, the results bucket, the audit key
 * through S3 and its namespace in CloudWatch; one with the network interface actions Lambda needs in a VPC.
 */
export class AccessAuditVolumeCheck extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;
  public readonly schedule: Rule;
  /** A user exceeded the threshold in the last hour. */
  public readonly anomalyAlarm: Alarm;
  /** A run of the check failed. */
  public readonly failureAlarm: Alarm;
  public readonly deadLetterQueue: Queue;
  public readonly logGroup: EncryptedLogGroup;
  public readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: AccessAuditVolumeCheckProps) {
    super(scope, id);
    const where = `AccessAuditVolumeCheck ${this.node.path}`;
    if (!Number.isInteger(props.threshold) || props.threshold < 1 || props.threshold > 1_000_000) {
      throw new Error(
        `${where}: threshold = ${props.threshold}: must be an integer from 1 to 1000000 (events per hour)`,
      );
    }
    if (!DATABASE.test(props.databaseName)) {
      throw new Error(
        `${where}: databaseName = '${props.databaseName}': must be 1-255 lower-case letters, digits and underscores`,
      );
    }
    if (!WORKGROUP.test(props.workGroupName)) {
      throw new Error(`${where}: workGroupName = '${props.workGroupName}': must be 1-128 of [a-zA-Z0-9._-]`);
    }
    assertLocalEsbuild(where);
    const { account, region, partition } = Stack.of(this);

    this.deadLetterQueue = retainedDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    this.logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });
    this.securityGroup = endpointsOnlySecurityGroup(this, 'SecurityGroup', props.vpc, 'Access-audit volume check');

    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Access-audit volume check: query the access-audit events through Athena, publish aggregates',
    });
    const workGroupArn = `arn:${partition}:athena:${region}:${account}:workgroup/${props.workGroupName}`;
    const glue = (suffix: string) => `arn:${partition}:glue:${region}:${account}:${suffix}`;
    const eventsPrefix = `${ACCESS_AUDIT_EVENTS_PREFIX}*`;
    const own = ownResourceStatements({
      deadLetterQueue: this.deadLetterQueue,
      encryptionKey: props.encryptionKey,
      logGroup: this.logGroup.logGroup,
    });
    const scoped = new ManagedPolicy(this, 'Policy', {
      description: 'Access-audit volume check: the workgroup, the table, read the events, write results, its metrics',
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'QueryThroughWorkGroup',
          actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
          resources: [workGroupArn],
        }),
        new PolicyStatement({
          sid: 'ReadTableDefinition',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
          resources: [
            glue('catalog'),
            glue(`database/${props.databaseName}`),
            glue(`table/${props.databaseName}/${ACCESS_AUDIT_TABLE}`),
          ],
        }),
        new PolicyStatement({
          sid: 'ListEvents',
          actions: ['s3:ListBucket'],
          resources: [props.eventsBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [ACCESS_AUDIT_EVENTS_PREFIX, eventsPrefix] } },
        }),
        new PolicyStatement({
          sid: 'LocateBuckets',
          actions: ['s3:GetBucketLocation'],
          resources: [props.eventsBucket.bucketArn, props.resultsBucket.bucketArn],
        }),
        new PolicyStatement({
          sid: 'ReadEvents',
          actions: ['s3:GetObject'],
          resources: [props.eventsBucket.arnForObjects(eventsPrefix)],
        }),
        new PolicyStatement({
          sid: 'WriteAndReadResults',
          actions: ['s3:PutObject', 's3:GetObject'],
          resources: [props.resultsBucket.arnForObjects('results/*')],
        }),
        new PolicyStatement({
          sid: 'AuditKeyThroughS3',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.auditKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
        new PolicyStatement({
          sid: 'PublishAggregates',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': ACCESS_AUDIT_VOLUME_NAMESPACE } },
        }),
        own.deadLetters,
        own.encryptDeadLetters,
        own.writeOwnLogs,
      ],
    });
    const network = lambdaNetworkPolicy(
      this,
      'NetworkPolicy',
      'Access-audit volume check: the network interface actions Lambda needs to run in the VPC',
      this.role,
    );

    this.function = new NodejsFunction(this, 'Function', {
      description: 'Counts access-audit events per user each hour and publishes aggregates only (U5, D1)',
      memorySize: 256,
      // The handler polls the query up to 100 times, 2 s apart.
      timeout: Duration.minutes(5),
      environment: {
        ATHENA_WORKGROUP: props.workGroupName,
        GLUE_DATABASE: props.databaseName,
        WINDOW_MINUTES: String(ACCESS_AUDIT_VOLUME_WINDOW_MINUTES),
        THRESHOLD: String(props.threshold),
        NODE_OPTIONS: '--enable-source-maps',
      },
      retryAttempts: 0,
      // Safeguards last. Immutable role: it holds only the two policies above.
      ...vpcFunctionSafeguards({
        entry: ENTRY,
        projectRoot: PROJECT_ROOT,
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
        securityGroup: this.securityGroup,
        role: this.role,
        logGroup: this.logGroup.logGroup,
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
    for (const policy of [scoped, network]) this.function.node.addDependency(policy);

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the access-audit volume check once per window (U5, D1)',
      schedule: Schedule.rate(Duration.minutes(ACCESS_AUDIT_VOLUME_WINDOW_MINUTES)),
      targets: [new LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });

    // Missing data is not breaching: the check publishes a datapoint on every successful run (0 when nobody
    // exceeded the threshold); a run that publishes nothing has failed, and failureAlarm reports that instead.
    this.anomalyAlarm = new Alarm(this, 'AnomalyAlarm', {
      alarmDescription: `U5 D1: at least one user recorded more than ${props.threshold} access-audit events in the last hour (search the access-audit workgroup ${props.workGroupName}).`,
      metric: new Metric({
        namespace: ACCESS_AUDIT_VOLUME_NAMESPACE,
        metricName: 'UsersOverThreshold',
        statistic: 'Maximum',
        period: Duration.minutes(ACCESS_AUDIT_VOLUME_WINDOW_MINUTES),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm = new Alarm(this, 'FailureAlarm', {
      alarmDescription: 'U5 D1: the access-audit volume check failed (the per-user volume was not evaluated).',
      metric: this.function.metricErrors({ period: Duration.minutes(ACCESS_AUDIT_VOLUME_WINDOW_MINUTES) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.anomalyAlarm, this.failureAlarm]) alarm.addAlarmAction(props.alarmAction);
    tagSafeguards(this, ['U5', 'D1']);
  }
}
