import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  handleRestoreEvent,
  restoreJobIdOf,
  RESTORE_DURATION_METRIC,
  RESTORE_SUCCEEDED_METRIC,
  RestoreValidationDeps,
} from '../../lambda/restore-validation';
import { validateRestore } from '../../lambda/restore-validation/validate';
import { answerGood, inspectionDeps } from './restore-inspection-fixture';

const START = new Date('2026-01-04T07:00:00Z');
const at = (h: number) => new Date(START.getTime() + h * 3_600_000);
const TEST_PLAN = 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:app_prod_phi_restore_test-abc';
const JOB = {
  status: 'COMPLETED',
  resourceType: 'RDS',
  createdResourceArn: 'arn:aws:rds:us-east-1:123456789012:db:awsbackup-restore-test-rec-0001',
  creationDate: START,
  completionDate: at(2),
  restoreTestingPlanArn: TEST_PLAN,
};

describe('validateRestore', () => {
  it('I1 a restore test completed within the RTO is SUCCESSFUL, with its duration', () => {
    expect(validateRestore(JOB, 72)).toEqual({
      action: 'report',
      status: 'SUCCESSFUL',
      message: 'RDS restored in 2 h (recovery time objective 72 h)',
      durationHours: 2,
    });
  });

  it.each<[string, Partial<typeof JOB>, string]>([
    ['over the RTO', { completionDate: at(30) }, 'RDS restored in 30 h, over the recovery time objective of 24 h'],
    ['without a created resource', { createdResourceArn: undefined }, 'RDS restore created no resource'],
    ['without an end time', { completionDate: undefined }, 'RDS restore completed without start or end time'],
  ])('I1 a restore test %s is FAILED with the reason', (_name, change, message) => {
    expect(validateRestore({ ...JOB, ...change }, 24)).toMatchObject({ action: 'report', status: 'FAILED', message });
  });

  it('I1 restores that are not restore tests, or not completed, are skipped', () => {
    expect(validateRestore({ ...JOB, restoreTestingPlanArn: undefined }, 72)).toEqual({
      action: 'skip',
      reason: 'not a restore test',
    });
    expect(validateRestore({ ...JOB, status: 'FAILED' }, 72)).toEqual({ action: 'skip', reason: 'restore job FAILED' });
  });

  it('I1 a non-positive RTO is refused with the value and the rule', () => {
    expect(() => validateRestore(JOB, 0)).toThrow('rtoHours = 0: must be a positive number of hours');
  });
});

describe('restore validation handler', () => {
  const backup = mockClient(BackupClient);
  const cloudWatch = mockClient(CloudWatchClient);
  // The restored copies keep their safeguards here (test/lambda/restore-validation-inspection.test.ts fails them).
  const rds = mockClient(RDSClient);
  const s3 = mockClient(S3Client);
  // Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
  afterAll(() => [backup, cloudWatch, rds, s3].forEach((m) => m.restore()));
  const logs: unknown[] = [];
  const deps = (): RestoreValidationDeps => ({
    backup: new BackupClient({}),
    cloudWatch: new CloudWatchClient({}),
    inspection: inspectionDeps(),
    rtoHours: 24,
    namespace: 'HipaaBlueprint/RestoreTesting',
    log: (message, fields) => logs.push({ message, ...fields }),
  });
  const event = { source: 'aws.backup', detail: { restoreJobId: 'job-0001', status: 'COMPLETED' } };

  beforeEach(() => {
    backup.reset();
    cloudWatch.reset();
    rds.reset();
    s3.reset();
    answerGood(rds, s3);
    logs.length = 0;
  });

  it('I1 a completed restore test: the duration metric, then the validation result', async () => {
    backup.on(DescribeRestoreJobCommand).resolves({
      RestoreJobId: 'job-0001',
      Status: 'COMPLETED',
      ResourceType: 'S3',
      CreatedResourceArn: 'arn:aws:s3:::awsbackup-restore-test-0001',
      CreationDate: START,
      CompletionDate: at(1.5),
      CreatedBy: { RestoreTestingPlanArn: TEST_PLAN },
    });
    await expect(handleRestoreEvent(event, deps())).resolves.toMatchObject({ status: 'SUCCESSFUL' });
    expect(cloudWatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual({
      Namespace: 'HipaaBlueprint/RestoreTesting',
      MetricData: [
        {
          MetricName: RESTORE_DURATION_METRIC,
          Dimensions: [{ Name: 'ResourceType', Value: 'S3' }],
          Value: 1.5,
          Unit: 'None',
        },
        {
          MetricName: RESTORE_SUCCEEDED_METRIC,
          Dimensions: [{ Name: 'ResourceType', Value: 'S3' }],
          Value: 1,
          Unit: 'Count',
        },
      ],
    });
    expect(backup.commandCalls(PutRestoreValidationResultCommand)[0]!.args[0].input).toEqual({
      RestoreJobId: 'job-0001',
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: 'S3 restored in 1.5 h (recovery time objective 24 h)',
    });
    // Metadata only in the logs: no ARN of the restored resource.
    expect(JSON.stringify(logs)).not.toContain('arn:');
  });

  it('I1 a restore test over the RTO is reported FAILED', async () => {
    backup.on(DescribeRestoreJobCommand).resolves({
      Status: 'COMPLETED',
      ResourceType: 'RDS',
      CreatedResourceArn: JOB.createdResourceArn,
      CreationDate: START,
      CompletionDate: at(30),
      CreatedBy: { RestoreTestingPlanArn: TEST_PLAN },
    });
    await handleRestoreEvent(event, deps());
    expect(backup.commandCalls(PutRestoreValidationResultCommand)[0]!.args[0].input.ValidationStatus).toBe('FAILED');
    // The duration (for the RTO alarm) and a 0 outcome: a failed test does not count as a validated restore.
    const published = cloudWatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData ?? [];
    expect(published.map((d) => [d.MetricName, d.Value])).toEqual([
      [RESTORE_DURATION_METRIC, 30],
      [RESTORE_SUCCEEDED_METRIC, 0],
    ]);
  });

  it('I1 a restore test without start or end time has no duration metric but a 0 outcome', async () => {
    backup.on(DescribeRestoreJobCommand).resolves({
      Status: 'COMPLETED',
      ResourceType: 'RDS',
      CreatedBy: { RestoreTestingPlanArn: TEST_PLAN },
    });
    await expect(handleRestoreEvent(event, deps())).resolves.toMatchObject({ status: 'FAILED' });
    const published = cloudWatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData ?? [];
    expect(published.map((d) => [d.MetricName, d.Value])).toEqual([[RESTORE_SUCCEEDED_METRIC, 0]]);
  });

  it('I1 an event without a restore job id, or a job that is no restore test, reports nothing', async () => {
    expect(restoreJobIdOf({ detail: { restoreJobId: 'x y' } })).toBeUndefined();
    await expect(handleRestoreEvent({ detail: {} }, deps())).resolves.toEqual({
      action: 'skip',
      reason: 'not a restore job event',
    });
    backup.on(DescribeRestoreJobCommand).resolves({ Status: 'COMPLETED', ResourceType: 'RDS' });
    await expect(handleRestoreEvent(event, deps())).resolves.toMatchObject({ action: 'skip' });
    expect(backup.commandCalls(PutRestoreValidationResultCommand)).toHaveLength(0);
    expect(cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});
