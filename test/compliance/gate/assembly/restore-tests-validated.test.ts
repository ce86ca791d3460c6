import { RestoreTestsValidated } from '../../../../lib/compliance/gate/assembly/restore-tests-validated';
import { findingsOf, Mutable } from './assembly-fixture';

const data = (t: Record<string, Mutable>) => t.data.Resources;
const declared = (t: Record<string, Mutable>) => t.data.Metadata.HipaaBlueprint;

describe('RestoreTestsValidated', () => {
  test('I1 restore tests validated by a function on restore job events, with duration and no-validated-test alarms per type, pass', () => {
    expect(findingsOf(RestoreTestsValidated)).toEqual([]);
    // An alarm at exactly the objective, and >= instead of >, still pass.
    expect(
      findingsOf(RestoreTestsValidated, (t) => {
        data(t).RestoreDurationAlarmRDS.Properties.ComparisonOperator = 'GreaterThanOrEqualToThreshold';
        data(t).RestoreDurationAlarmS3.Properties.Threshold = 12;
        data(t).RestoreNotValidatedAlarmS3.Properties.Threshold = 100;
      }),
    ).toEqual([]);
  });

  test('I1 a stack without restore testing plan is not judged', () => {
    expect(
      findingsOf(RestoreTestsValidated, (t) => {
        delete data(t).RestorePlan;
        delete data(t).RestoreValidationRule;
        delete data(t).RestoreFreshnessSchedule;
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the rule on restore job events removed',
      (t) => delete data(t).RestoreValidationRule,
      ['[Validation::missing] (template)'],
    ],
    [
      'the rule disabled',
      (t) => (data(t).RestoreValidationRule.Properties.State = 'DISABLED'),
      ['[Validation::missing] (template)'],
    ],
    [
      'the rule s state a condition only deploy resolves',
      (t) => (data(t).RestoreValidationRule.Properties.State = { 'Fn::If': ['Quiet', 'DISABLED', 'ENABLED'] }),
      ['[Validation::missing] (template)'],
    ],
    [
      'the rule on backup job events instead',
      (t) => (data(t).RestoreValidationRule.Properties.EventPattern['detail-type'] = ['Backup Job State Change']),
      ['[Validation::missing] (template)'],
    ],
    [
      'the rule targeting something other than a function',
      (t) => (data(t).RestoreValidationRule.Properties.Targets = [{ Id: 'T', Arn: 'arn:aws:sns:us-east-1:1:x' }]),
      ['[Validation::missing] (template)'],
    ],
    [
      'no recovery time objective declared',
      (t) => delete declared(t).recoveryTimeObjectiveHours,
      ['[RTO::undeclared] (template)'],
    ],
    [
      'a recovery time objective over 72 hours declared',
      (t) => (declared(t).recoveryTimeObjectiveHours = 96),
      ['[RTO::undeclared] (template)'],
    ],
    [
      'the function validating against a longer RTO than declared',
      (t) => (data(t).RestoreValidationFunction.Properties.Environment.Variables.RTO_HOURS = '48'),
      ['[RestoreValidationFunction::rto-over-declared] RestoreValidationFunction'],
    ],
    [
      'the function without RTO',
      (t) => delete data(t).RestoreValidationFunction.Properties.Environment.Variables.RTO_HOURS,
      ['[RestoreValidationFunction::rto-over-declared] RestoreValidationFunction'],
    ],
    [
      'the RDS duration alarm removed',
      (t) => delete data(t).RestoreDurationAlarmRDS,
      ['[RDS::no-duration-alarm] (template)'],
    ],
    [
      'the S3 duration alarm without actions',
      (t) => (data(t).RestoreDurationAlarmS3.Properties.AlarmActions = []),
      ['[S3::no-duration-alarm] (template)'],
    ],
    [
      'the S3 duration alarm for another resource type',
      (t) => (data(t).RestoreDurationAlarmS3.Properties.Dimensions = [{ Name: 'ResourceType', Value: 'EBS' }]),
      ['[S3::no-duration-alarm] (template)'],
    ],
    [
      'the RDS duration alarm threshold above the declared RTO',
      (t) => (data(t).RestoreDurationAlarmRDS.Properties.Threshold = 25),
      ['[RDS::duration-over-rto] RestoreDurationAlarmRDS'],
    ],
    [
      'the RDS duration alarm firing below its threshold',
      (t) => (data(t).RestoreDurationAlarmRDS.Properties.ComparisonOperator = 'LessThanThreshold'),
      ['[RDS::duration-over-rto] RestoreDurationAlarmRDS'],
    ],
    [
      'the freshness schedule removed',
      (t) => delete data(t).RestoreFreshnessSchedule,
      ['[RestoreValidationFunction::no-freshness-check] RestoreValidationFunction'],
    ],
    [
      'the freshness schedule disabled',
      (t) => (data(t).RestoreFreshnessSchedule.Properties.State = 'DISABLED'),
      ['[RestoreValidationFunction::no-freshness-check] RestoreValidationFunction'],
    ],
    [
      'the RDS no-validated-test alarm allowing a month without a validated restore',
      (t) => (data(t).RestoreNotValidatedAlarmRDS.Properties.Threshold = 720),
      ['[RDS::no-not-validated-alarm] (template)'],
    ],
    [
      'the S3 no-validated-test alarm removed',
      (t) => delete data(t).RestoreNotValidatedAlarmS3,
      ['[S3::no-not-validated-alarm] (template)'],
    ],
    [
      'the RDS no-validated-test alarm treating missing data as not breaching',
      (t) => (data(t).RestoreNotValidatedAlarmRDS.Properties.TreatMissingData = 'notBreaching'),
      ['[RDS::no-not-validated-alarm] (template)'],
    ],
    [
      'the S3 failed-test alarm removed',
      (t) => delete data(t).RestoreFailedAlarmS3,
      ['[S3::no-failed-alarm] (template)'],
    ],
    [
      'the RDS failed-test alarm on the average (one FAILED test among SUCCESSFUL ones goes unnoticed)',
      (t) => (data(t).RestoreFailedAlarmRDS.Properties.Statistic = 'Average'),
      ['[RDS::no-failed-alarm] (template)'],
    ],
    [
      'the RDS no-validated-test alarm with its actions disabled',
      (t) => (data(t).RestoreNotValidatedAlarmRDS.Properties.ActionsEnabled = false),
      ['[RDS::no-not-validated-alarm] (template)'],
    ],
  ])('I1 fires when %s', (_name, mutate, expected) => {
    expect(findingsOf(RestoreTestsValidated, mutate)).toEqual(expected);
  });
});
