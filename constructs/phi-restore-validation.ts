import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, IAlarmAction, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { ISecurityGroup, IVpc, SecurityGroup, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RetentionPolicy, tagSafeguards } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';
import {
  deadLetterDepthAlarm,
  assertLocalEsbuild,
  endpointsOnlySecurityGroup,
  lambdaNetworkPolicy,
  ownResourceStatements,
  retainedDeadLetterQueue,
  vpcFunctionSafeguards,
} from './vpc-function-parts';
import { RestoreTestedType } from './phi-restore-testing';

/** Props of PhiRestoreValidation. */
export interface PhiRestoreValidationProps {
  /** The restore testing types validated (PhiRestoreTesting.selections' types): one pair of alarms per type. */
  readonly resourceTypes: readonly RestoreTestedType[];
  /** Recovery time objective in whole hours (1-72): a restore test that takes longer is FAILED and alarms. */
  readonly recoveryTimeObjectiveHours: number;
  /** ARN of the restore testing plan (PhiRestoreTesting.plan): the freshness check lists its restore jobs. */
  readonly restoreTestingPlanArn: string;
  /**
   * Hours between two runs of the restore testing plan (its schedule).
   * @default 168 - weekly, PhiRestoreTesting's default schedule
   */
  readonly scheduleIntervalHours?: number;
  /**
   * Hours after the scheduled time within which the plan starts its restore jobs (its startWindowHours).
   * @default 24 - PhiRestoreTesting's start window
   */
  readonly startWindowHours?: number;
  /** Key of the dead-letter queue and of the function's log group (the operations key). */
  readonly encryptionKey: IKey;
  /** The PHI VPC: the function reaches AWS Backup and CloudWatch through their interface endpoints. */
  readonly vpc: IVpc;
  /** Subnets of the function (the application tier). */
  readonly vpcSubnets: SubnetSelection;
  /** Retention of the function's log group (six years, U3). */
  readonly retention: RetentionPolicy;
  /** What the alarms do (the stage passes the alert formatter, D3). */
  readonly alarmAction: IAlarmAction;
  /** The PHI key: a restored database and bucket must be encrypted with it (its ARN is in the environment). */
  readonly phiKey: IKey;
  /** Name of the DB subnet group the restore testing plan restores the database into (PhiRestoreTesting.subnetGroup). */
  readonly restoreSubnetGroupName: string;
  /** The security group of the restored database (the restore testing selection's). */
  readonly restoreSecurityGroup: ISecurityGroup;
  /**
   * The region's S3 managed prefix list (`pl-...`): the function's S3 egress (the restored bucket's reads through the S3
   * gateway endpoint, which a security group names only by that prefix list).
   * @default - 443 to 0.0.0.0/0; what it reaches is decided by the route table (application tier: the VPC and the
   *   gateway endpoints only, unless config adds NAT)
   */
  readonly s3PrefixListId?: string;
}

/** Namespace of the restore test metrics (the function's METRIC_NAMESPACE). */
export const RESTORE_TESTING_NAMESPACE = 'HipaaBlueprint/RestoreTesting';
/** Hours of a restore test, from the job's creation to its completion (lambda/restore-validation). */
export const RESTORE_DURATION_METRIC = 'RestoreTestDurationHours';
/** 1 per restore test validated SUCCESSFUL, 0 per FAILED (lambda/restore-validation). */
export const RESTORE_SUCCEEDED_METRIC = 'RestoreTestSucceeded';
/** Hours since a restore test of the type was validated SUCCESSFUL, published by the freshness check. */
export const HOURS_SINCE_VALIDATED_METRIC = 'HoursSinceValidatedRestoreTest';
/** How far back the freshness check looks (lambda/restore-validation FRESHNESS_LOOKBACK_HOURS): the gauge's cap. */
export const FRESHNESS_LOOKBACK_HOURS = 14 * 24;
/** Hours between two runs of the freshness check. */
export const FRESHNESS_CHECK_INTERVAL_HOURS = 6;
/** The events that start a validation: AWS Backup restore job state changes (EventBridge detail-type). */
export const RESTORE_JOB_DETAIL_TYPE = 'Restore Job State Change';
/**
 * How AWS Backup restore testing names what it restores (a random value with this prefix, AWS Backup Developer Guide,
 * "Restore testing inferred metadata"): the inspection permissions are scoped to it.
 */
export const RESTORED_RESOURCE_PREFIX = 'awsbackup-restore-test';
/** The RDS actions that inspect a restored database. */
export const RESTORED_DATABASE_INSPECTION_ACTIONS = ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'];
/**
 * The S3 actions that inspect a restored bucket: GetBucketVersioning, GetPublicAccessBlock, ListObjectsV2 on the bucket,
 * and HeadObject of a few sampled objects (IAM names it s3:GetObject; without kms:Decrypt on the PHI key, which names
 * only its users, it reads no object body encrypted as a restored object must be).
 */
export const RESTORED_BUCKET_INSPECTION_ACTIONS = [
  's3:GetBucketVersioning',
  's3:GetBucketPublicAccessBlock',
  's3:ListBucket',
  's3:GetObject',
];
/** The function's environment variable with the PHI key's ARN (the gate compares it with the PHI store's key). */
export const PHI_KEY_ARN_ENV = 'PHI_KEY_ARN';

/** The recovery time objective's bounds (hours): the HIPAA proposed rule restores critical systems within 72 hours. */
export const MAX_RECOVERY_TIME_OBJECTIVE_HOURS = 72;

const ENTRY = path.join(__dirname, '..', 'lambda', 'restore-validation', 'index.ts');
const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * I1, 164.308(a)(7)(ii)(D): the validation of the weekly restore tests (PhiRestoreTesting). An EventBridge rule on
 * AWS Backup "Restore Job State Change" events invokes a Lambda function (lambda/restore-validation) that reads the
 * restore job's metadata (never the restored data), records SUCCESSFUL or FAILED with AWS Backup
 * (PutRestoreValidationResult: the restore test's evidence in the restore job history) and publishes, per resource
 * type, the restore duration and the outcome. Every 6 hours a schedule runs the same function's freshness check, which
 * lists the plan's completed restore jobs (ListRestoreJobs) and publishes, per type, the hours since one was validated
 * SUCCESSFUL. Alarms, per restore tested type: the duration above the recovery time objective; no restore test
 * validated SUCCESSFUL within the schedule interval + start window + objective (missing data breaches); and for the
 * function: errors, and events in its dead-letter queue.
 *
 * For a completed restore test the function also inspects the restored copy through control-plane calls
 * (lambda/restore-validation/inspect.ts): a database must be available, encrypted with the PHI key, not publicly
 * accessible, in the restore subnet group with the restore security group; a bucket must have versioning, the four
 * public access block settings, at least one object, and each of up to 5 sampled objects encrypted aws:kms with the PHI
 * key (HeadObject; the bucket's default encryption is SSE-S3 after an AWS Backup restore and is not what protects the
 * restored objects). A failed check makes the validation FAILED, naming the check, never an object key.
 *
 * The function runs in the PHI VPC's application tier (HTTPS to the VPC: the backup, monitoring and rds interface
 * endpoints; HTTPS to S3 through the gateway endpoint: s3PrefixListId), with reserved concurrency 1, a KMS-encrypted dead-letter queue, a six-year encrypted log group and a
 * role holding three customer-managed policies: DescribeRestoreJob, ListRestoreJobs, PutRestoreValidationResult (none
 * supports a resource ARN in IAM), PutMetricData in its namespace only, its queue and its logs; the inspection reads
 * (RDS Describe on this account's and region's `awsbackup-restore-test*` databases, S3 configuration reads, a
 * listing and object headers on this account's `awsbackup-restore-test*` buckets); and the network interface actions Lambda needs in a VPC.
 */
export class PhiRestoreValidation extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;
  /** The EventBridge rule on restore job state changes. */
  public readonly rule: Rule;
  /** Per restore tested type: the restore duration exceeded the recovery time objective. */
  public readonly durationAlarms: Readonly<Partial<Record<RestoreTestedType, Alarm>>>;
  /** Per restore tested type: no restore test validated SUCCESSFUL within `freshnessHours`. */
  public readonly notValidatedAlarms: Readonly<Partial<Record<RestoreTestedType, Alarm>>>;
  /** Per restore tested type: a restore test validated FAILED (RestoreTestSucceeded below 1 that day). */
  public readonly failedAlarms: Readonly<Partial<Record<RestoreTestedType, Alarm>>>;
  /** The schedule of the freshness check. */
  public readonly freshnessSchedule: Rule;
  /**
   * Hours a restore tested type may go without a restore test validated SUCCESSFUL: the schedule interval, the start
   * window and the recovery time objective (the latest a weekly test can be validated).
   */
  public readonly freshnessHours: number;
  /** The function failed (a restore test left without a validation result). */
  public readonly errorsAlarm: Alarm;
  /** Events the function could not process are in the dead-letter queue. */
  public readonly deadLetterAlarm: Alarm;
  public readonly deadLetterQueue: Queue;
  public readonly logGroup: EncryptedLogGroup;
  public readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: PhiRestoreValidationProps) {
    super(scope, id);
    const where = `PhiRestoreValidation ${this.node.path}`;
    const rto = props.recoveryTimeObjectiveHours;
    if (!Number.isInteger(rto) || rto < 1 || rto > MAX_RECOVERY_TIME_OBJECTIVE_HOURS) {
      throw new Error(
        `${where}: recoveryTimeObjectiveHours = ${rto}: must be a whole number of hours from 1 to ${MAX_RECOVERY_TIME_OBJECTIVE_HOURS}`,
      );
    }
    const interval = props.scheduleIntervalHours ?? 168;
    const startWindow = props.startWindowHours ?? 24;
    for (const [field, value] of [
      ['scheduleIntervalHours', interval],
      ['startWindowHours', startWindow],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`${where}: ${field} = ${value}: must be a whole number of hours, at least 1`);
      }
    }
    this.freshnessHours = interval + startWindow + rto;
    if (this.freshnessHours >= FRESHNESS_LOOKBACK_HOURS) {
      throw new Error(
        `${where}: scheduleIntervalHours + startWindowHours + recoveryTimeObjectiveHours = ${this.freshnessHours}: must be under ${FRESHNESS_LOOKBACK_HOURS} hours (the freshness check looks back ${FRESHNESS_LOOKBACK_HOURS / 24} days)`,
      );
    }
    const types = [...new Set(props.resourceTypes)];
    if (types.length === 0) {
      throw new Error(`${where}: resourceTypes = []: must name at least one restore tested type (RDS, Aurora, S3)`);
    }
    assertLocalEsbuild(where);

    this.deadLetterQueue = retainedDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    this.logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });
    // The restored bucket is read through the S3 gateway endpoint: without S3 egress every S3 call times out.
    this.securityGroup = endpointsOnlySecurityGroup(this, 'SecurityGroup', props.vpc, 'Restore validation', {
      prefixListId: props.s3PrefixListId,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Restore validation: read restore jobs, record their validation, publish restore test metrics',
    });
    const own = ownResourceStatements({
      deadLetterQueue: this.deadLetterQueue,
      encryptionKey: props.encryptionKey,
      logGroup: this.logGroup.logGroup,
    });
    const scoped = new ManagedPolicy(this, 'Policy', {
      description: 'Restore validation: restore job metadata and results, its metrics, its queue and logs',
      roles: [this.role],
      statements: [
        new PolicyStatement({
          // No action supports a resource ARN or a condition key in IAM (Service Authorization Reference).
          sid: 'ValidateRestoreJobs',
          actions: ['backup:DescribeRestoreJob', 'backup:ListRestoreJobs', 'backup:PutRestoreValidationResult'],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'PublishRestoreTestMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': RESTORE_TESTING_NAMESPACE } },
        }),
        own.deadLetters,
        own.encryptDeadLetters,
        own.writeOwnLogs,
      ],
    });
    // Reads of the restored copy's configuration only: no connection to the database, no object body (HeadObject needs
    // s3:GetObject, but a restored object is under the PHI key and this role has no kms:Decrypt).
    const { partition, region, account } = Stack.of(this);
    const inspection = new ManagedPolicy(this, 'InspectionPolicy', {
      description: 'Restore validation: inspect the configuration of restored test copies (never their data)',
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'InspectRestoredDatabases',
          actions: RESTORED_DATABASE_INSPECTION_ACTIONS,
          resources: [
            `arn:${partition}:rds:${region}:${account}:db:${RESTORED_RESOURCE_PREFIX}*`,
            `arn:${partition}:rds:${region}:${account}:cluster:${RESTORED_RESOURCE_PREFIX}*`,
          ],
        }),
        new PolicyStatement({
          sid: 'InspectRestoredBuckets',
          actions: RESTORED_BUCKET_INSPECTION_ACTIONS.filter((a) => a !== 's3:GetObject'),
          resources: [`arn:${partition}:s3:::${RESTORED_RESOURCE_PREFIX}*`],
          conditions: { StringEquals: { 'aws:ResourceAccount': account } },
        }),
        new PolicyStatement({
          // HeadObject (encryption of a sampled object); no kms:Decrypt anywhere in this role.
          sid: 'InspectRestoredObjectHeaders',
          actions: ['s3:GetObject'],
          resources: [`arn:${partition}:s3:::${RESTORED_RESOURCE_PREFIX}*/*`],
          conditions: { StringEquals: { 'aws:ResourceAccount': account } },
        }),
      ],
    });
    const network = lambdaNetworkPolicy(
      this,
      'NetworkPolicy',
      'Restore validation: the network interface actions Lambda needs to run in the VPC',
      this.role,
    );

    this.function = new NodejsFunction(this, 'Function', {
      description: 'Validates each restore test against the recovery time objective and records the result (I1)',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {
        RTO_HOURS: String(rto),
        METRIC_NAMESPACE: RESTORE_TESTING_NAMESPACE,
        RESTORE_TESTING_PLAN_ARN: props.restoreTestingPlanArn,
        RESOURCE_TYPES: types.join(','),
        [PHI_KEY_ARN_ENV]: props.phiKey.keyArn,
        RESTORE_DB_SUBNET_GROUP: props.restoreSubnetGroupName,
        RESTORE_SECURITY_GROUP_ID: props.restoreSecurityGroup.securityGroupId,
        NODE_OPTIONS: '--enable-source-maps',
      },
      retryAttempts: 2,
      // Safeguards last. Immutable role: it holds only the three policies above.
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
    for (const policy of [scoped, inspection, network]) this.function.node.addDependency(policy);

    this.rule = new Rule(this, 'RestoreJobRule', {
      description: 'Validates every AWS Backup restore job of a restore test (I1)',
      eventPattern: { source: ['aws.backup'], detailType: [RESTORE_JOB_DETAIL_TYPE] },
      targets: [new LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });
    this.freshnessSchedule = new Rule(this, 'FreshnessSchedule', {
      description: 'Publishes the hours since each restore tested type was last validated (I1)',
      schedule: Schedule.rate(Duration.hours(FRESHNESS_CHECK_INTERVAL_HOURS)),
      targets: [new LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });

    const metric = (metricName: string, type: RestoreTestedType, statistic: string, period: Duration): Metric =>
      new Metric({
        namespace: RESTORE_TESTING_NAMESPACE,
        metricName,
        dimensionsMap: { ResourceType: type },
        statistic,
        period,
      });
    const durationAlarms: Partial<Record<RestoreTestedType, Alarm>> = {};
    const notValidatedAlarms: Partial<Record<RestoreTestedType, Alarm>> = {};
    const failedAlarms: Partial<Record<RestoreTestedType, Alarm>> = {};
    for (const type of types) {
      // A validation that recorded FAILED (a check of the restored copy, or the objective) alerts the day it happens,
      // not only when the not-validated alarm's window runs out. Missing data is not breaching: no test that day.
      failedAlarms[type] = new Alarm(this, `FailedAlarm${type}`, {
        alarmDescription: `I1: a ${type} restore test was validated FAILED (its message in AWS Backup > Restore testing names the check: property, expected, found).`,
        metric: metric(RESTORE_SUCCEEDED_METRIC, type, 'Minimum', Duration.days(1)),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      // Missing data is not breaching: a datapoint exists only when a restore test completed (the next alarm covers
      // the weeks without one).
      durationAlarms[type] = new Alarm(this, `DurationAlarm${type}`, {
        alarmDescription: `I1: a ${type} restore test took longer than the recovery time objective of ${rto} h (AWS Backup > Restore testing shows the job).`,
        metric: metric(RESTORE_DURATION_METRIC, type, 'Maximum', Duration.days(1)),
        threshold: rto,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      // CloudWatch evaluates at most 7 days back (period x evaluation periods <= 604,800 s), less than a weekly
      // plan's worst case; so the function's freshness check publishes the hours since the last SUCCESSFUL validation
      // every 6 hours, and this alarm compares that gauge with freshnessHours. Missing data breaches: a check that does
      // not run is as bad as a restore test that does not.
      notValidatedAlarms[type] = new Alarm(this, `NotValidatedAlarm${type}`, {
        alarmDescription: `I1: no ${type} restore test was validated SUCCESSFUL in the last ${this.freshnessHours} h (the restore testing plan runs every ${interval} h, starts within ${startWindow} h and must restore within ${rto} h; see AWS Backup > Restore testing), or the freshness check did not run.`,
        metric: metric(HOURS_SINCE_VALIDATED_METRIC, type, 'Maximum', Duration.days(1)),
        threshold: this.freshnessHours,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      });
    }
    this.durationAlarms = durationAlarms;
    this.notValidatedAlarms = notValidatedAlarms;
    this.failedAlarms = failedAlarms;
    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: 'I1: the restore validation failed (a restore test may be left without a validation result).',
      metric: this.function.metricErrors({ period: Duration.hours(1) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm = deadLetterDepthAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'I1: restore job events the restore validation could not process are in its dead-letter queue.',
      Duration.hours(1),
    );
    for (const alarm of [
      ...Object.values(durationAlarms),
      ...Object.values(notValidatedAlarms),
      ...Object.values(failedAlarms),
      this.errorsAlarm,
      this.deadLetterAlarm,
    ]) {
      alarm.addAlarmAction(props.alarmAction);
    }
    tagSafeguards(this, ['I1']);
  }
}
