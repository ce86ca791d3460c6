import { RestoreTestingCoversPhiBackups } from '../../../../lib/compliance/gate/assembly/restore-testing-covers-phi-backups';
import { findingsOf, Mutable } from './assembly-fixture';

const data = (t: Record<string, Mutable>) => t.data.Resources;

describe('RestoreTestingCoversPhiBackups', () => {
  test('I1 the database and the PHI bucket restored by a scheduled restore testing plan pass', () => {
    expect(findingsOf(RestoreTestingCoversPhiBackups)).toEqual([]);
    // The plan named by reference instead of by name.
    expect(
      findingsOf(RestoreTestingCoversPhiBackups, (t) => {
        data(t).RestoreDb.Properties.RestoreTestingPlanName = { Ref: 'RestorePlan' };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the restore testing plan and its selections removed',
      (t) => {
        delete data(t).RestorePlan;
        delete data(t).RestoreDb;
        delete data(t).RestoreBucket;
      },
      ['[Db::no-restore-test] Db', '[PhiBucket::no-restore-test] PhiBucket'],
    ],
    ['the database selection removed', (t) => delete data(t).RestoreDb, ['[Db::no-restore-test] Db']],
    [
      'the bucket selection restoring another resource',
      (t) => (data(t).RestoreBucket.Properties.ProtectedResourceArns = ['arn:aws:s3:::somewhere-else']),
      ['[PhiBucket::no-restore-test] PhiBucket'],
    ],
    [
      'the database selection of the wrong type',
      (t) => (data(t).RestoreDb.Properties.ProtectedResourceType = 'EBS'),
      ['[Db::no-restore-test] Db'],
    ],
    [
      'the plan without a schedule',
      (t) => delete data(t).RestorePlan.Properties.ScheduleExpression,
      ['[Db::no-restore-test] Db', '[PhiBucket::no-restore-test] PhiBucket'],
    ],
    [
      'the plan picking from no vault',
      (t) => (data(t).RestorePlan.Properties.RecoveryPointSelection.IncludeVaults = []),
      ['[Db::no-restore-test] Db', '[PhiBucket::no-restore-test] PhiBucket'],
    ],
    [
      'a selection naming a plan that does not exist',
      (t) => (data(t).RestoreBucket.Properties.RestoreTestingPlanName = 'other_plan'),
      ['[PhiBucket::no-restore-test] PhiBucket'],
    ],
  ])('I1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(RestoreTestingCoversPhiBackups, mutate)).toEqual(expected);
  });

  test('I1 a store that is not backed up by ARN, or not a PHI store, needs no restore test', () => {
    expect(
      findingsOf(RestoreTestingCoversPhiBackups, (t) => {
        delete data(t).RestoreDb;
        data(t).Selection.Properties.BackupSelection.Resources = [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }];
      }),
    ).toEqual([]);
  });
});
