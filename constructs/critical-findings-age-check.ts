import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, IAlarmAction, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { IVpc, SecurityGroup, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
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
  assertLocalEsbuild,
  endpointsOnlySecurityGroup,
  lambdaNetworkPolicy,
  ownResourceStatements,
  retainedDeadLetterQueue,
  vpcFunctionSafeguards,
} from './vpc-function-parts';

/** Props of CriticalFindingsAgeCheck. */
export interface CriticalFindingsAgeCheckProps {
  /** Whole days a CRITICAL Security Hub finding may stay NEW or NOTIFIED before it counts (1-90). */
  readonly maxAgeDays: number;
  /** Key of the dead-letter queue and of the function's log group (the operations key). */
  readonly encryptionKey: IKey;
  /** The PHI VPC: the function reaches Security Hub and CloudWatch through its interface endpoints. */
  readonly vpc: IVpc;
  /** Subnets of the function (the application tier). */
  readonly vpcSubnets: SubnetSelection;
  /** Retention of the function's log group (six years, U3). */
  readonly retention: RetentionPolicy;
  /** What the age, not-run and failure alarms do (the stage passes the alert formatter, D3). */
  readonly alarmAction: IAlarmAction;
  /**
   * Hours between two runs (1-12).
   * @default 6
   */
  readonly scheduleHours?: number;
}

/** Namespace of the published counts (lambda/findings-age FINDINGS_AGE_NAMESPACE). */
export const CRITICAL_FINDINGS_AGE_NAMESPACE = 'HipaaBlueprint/Findings';
/** The count the alarms read (lambda/findings-age FINDINGS_AGE_METRIC). */
export const CRITICAL_FINDINGS_AGE_METRIC = 'CriticalFindingsOverAge';
/** The function's environment variable holding maxAgeDays (the gate recognises the check by it). */
export const CRITICAL_FINDINGS_AGE_ENV = 'MAX_AGE_DAYS';
/** Default hours between runs. */
export const CRITICAL_FINDINGS_AGE_SCHEDULE_HOURS = 6;

const ENTRY = path.join(__dirname, '..', 'lambda', 'findings-age', 'index.ts');
const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * V2 D2: the critical findings age check. Every `scheduleHours` an EventBridge schedule runs a Lambda function
 * (lambda/findings-age) that pages through Security Hub GetFindings for ACTIVE CRITICAL findings still NEW or NOTIFIED
 * and created more than `maxAgeDays` ago (Security Hub aggregates Inspector ECR and Lambda, GuardDuty and Macie
 * findings) and publishes only their count (total, and per ProductName), never a title, description or resource.
 * Three alarms: a critical finding is older than the limit (count > 0); the check did not publish for two runs
 * (missing data breaching: it ran not at all or failed); a run failed (function errors).
 *
 * The function runs in the PHI VPC's application tier (HTTPS to the VPC only: the securityhub and monitoring interface
 * endpoints), with reserved concurrency 1, a KMS-encrypted dead-letter queue, a six-year encrypted log group and a role
 * holding two customer-managed policies: GetFindings on this region's hub only and PutMetricData in its namespace
 * only; the network interface actions Lambda needs in a VPC.
 */
export class CriticalFindingsAgeCheck extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;
  public readonly schedule: Rule;
  /** A critical finding has been open longer than maxAgeDays. */
  public readonly ageAlarm: Alarm;
  /** The check published no count for two schedules (did not run, or failed). */
  public readonly notRunAlarm: Alarm;
  /** A run of the check failed. */
  public readonly failureAlarm: Alarm;
  public readonly deadLetterQueue: Queue;
  public readonly logGroup: EncryptedLogGroup;
  public readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: CriticalFindingsAgeCheckProps) {
    super(scope, id);
    const where = `CriticalFindingsAgeCheck ${this.node.path}`;
    if (!Number.isInteger(props.maxAgeDays) || props.maxAgeDays < 1 || props.maxAgeDays > 90) {
      throw new Error(`${where}: maxAgeDays = ${props.maxAgeDays}: must be a whole number of days from 1 to 90`);
    }
    const hours = props.scheduleHours ?? CRITICAL_FINDINGS_AGE_SCHEDULE_HOURS;
    if (!Number.isInteger(hours) || hours < 1 || hours > 12) {
      throw new Error(
        `${where}: scheduleHours = ${hours}: must be a whole number of hours from 1 to 12 (the not-run alarm spans two runs: a critical finding waits at most a day to be counted)`,
      );
    }
    assertLocalEsbuild(where);
    const { account, region, partition } = Stack.of(this);

    this.deadLetterQueue = retainedDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    this.logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });
    this.securityGroup = endpointsOnlySecurityGroup(this, 'SecurityGroup', props.vpc, 'Critical findings age check');

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Critical findings age check: read Security Hub findings, publish their count',
    });
    const own = ownResourceStatements({
      deadLetterQueue: this.deadLetterQueue,
      encryptionKey: props.encryptionKey,
      logGroup: this.logGroup.logGroup,
    });
    const scoped = new ManagedPolicy(this, 'Policy', {
      description: 'Critical findings age check: GetFindings on this hub, its metric namespace, its queue and logs',
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'ReadFindingsOfThisHub',
          actions: ['securityhub:GetFindings'],
          resources: [`arn:${partition}:securityhub:${region}:${account}:hub/default`],
        }),
        new PolicyStatement({
          sid: 'PublishCounts',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': CRITICAL_FINDINGS_AGE_NAMESPACE } },
        }),
        own.deadLetters,
        own.encryptDeadLetters,
        own.writeOwnLogs,
      ],
    });
    const network = lambdaNetworkPolicy(
      this,
      'NetworkPolicy',
      'Critical findings age check: the network interface actions Lambda needs to run in the VPC',
      this.role,
    );

    this.function = new NodejsFunction(this, 'Function', {
      description: `Counts CRITICAL Security Hub findings open more than ${props.maxAgeDays} days; publishes the count only (V2, D2)`,
      memorySize: 256,
      // Up to 100 pages of 100 findings.
      timeout: Duration.minutes(5),
      environment: {
        [CRITICAL_FINDINGS_AGE_ENV]: String(props.maxAgeDays),
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
      description: `Runs the critical findings age check every ${hours} hours (V2, D2)`,
      schedule: Schedule.rate(Duration.hours(hours)),
      targets: [new LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });

    const count = (period: Duration, statistic: string) =>
      new Metric({
        namespace: CRITICAL_FINDINGS_AGE_NAMESPACE,
        metricName: CRITICAL_FINDINGS_AGE_METRIC,
        statistic,
        period,
      });
    // Missing data is not breaching here: notRunAlarm reports a check that publishes nothing.
    this.ageAlarm = new Alarm(this, 'AgeAlarm', {
      alarmDescription: `V2 D2: at least one CRITICAL Security Hub finding (Inspector, GuardDuty, Macie, controls) has been open (NEW or NOTIFIED) more than ${props.maxAgeDays} days: remediate it, or set its workflow status (RESOLVED, or SUPPRESSED with a documented reason).`,
      metric: count(Duration.hours(hours), 'Maximum'),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // Every successful run publishes the total (0 included): no datapoint over two runs means it did not run.
    this.notRunAlarm = new Alarm(this, 'NotRunAlarm', {
      alarmDescription: `V2 D2: the critical findings age check published no count in ${2 * hours} hours (it did not run, or failed): the age of critical findings is not watched.`,
      metric: count(Duration.hours(2 * hours), 'SampleCount'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.failureAlarm = new Alarm(this, 'FailureAlarm', {
      alarmDescription: 'V2 D2: a run of the critical findings age check failed (Security Hub or CloudWatch refused).',
      metric: this.function.metricErrors({ period: Duration.hours(hours) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.ageAlarm, this.notRunAlarm, this.failureAlarm]) alarm.addAlarmAction(props.alarmAction);
    tagSafeguards(this, ['V2', 'D2']);
  }
}
