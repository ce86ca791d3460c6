import { BackupClient, ListRestoreJobsCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import {
  checkFreshness,
  FRESHNESS_LOOKBACK_HOURS,
  HOURS_SINCE_VALIDATED_METRIC,
  isScheduledEvent,
  RestoreValidationDeps,
} from '../../lambda/restore-validation';
import { hoursSinceValidated } from '../../lambda/restore-validation/freshness';

const NOW = new Date('2026-01-13T07:00:00Z');
const ago = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const PLAN = 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:app_prod_phi_restore_test-0001';

describe('hoursSinceValidated', () => {
  it('I1 the hours since the latest SUCCESSFUL restore test of each type', () => {
    expect(
      hoursSinceValidated(
        [
          { resourceType: 'RDS', completionDate: ago(200), validationStatus: 'SUCCESSFUL' },
          { resourceType: 'RDS', completionDate: ago(30.5), validationStatus: 'SUCCESSFUL' },
          { resourceType: 'S3', completionDate: ago(2), validationStatus: 'FAILED' },
          { resourceType: 'S3', completionDate: ago(50), validationStatus: 'SUCCESSFUL' },
        ],
        ['RDS', 'S3'],
        NOW,
        336,
      ),
    ).toEqual({ RDS: 30.5, S3: 50 });
  });

  it('I1 a type without a SUCCESSFUL restore test gets the whole look-back (failed, timed out, unvalidated do not count)', () => {
    expect(
      hoursSinceValidated(
        [
          { resourceType: 'RDS', completionDate: ago(3), validationStatus: 'FAILED' },
          { resourceType: 'RDS', completionDate: ago(4), validationStatus: 'TIMED_OUT' },
          { resourceType: 'RDS', completionDate: ago(5) },
          { resourceType: 'S3', validationStatus: 'SUCCESSFUL' },
        ],
        ['RDS', 'S3'],
        NOW,
        336,
      ),
    ).toEqual({ RDS: 336, S3: 336 });
  });

  it('I1 a non-positive look-back is refused with the value and the rule', () => {
    expect(() => hoursSinceValidated([], ['RDS'], NOW, 0)).toThrow('lookbackHours = 0: must be a positive number');
  });
});

describe('restore validation freshness check', () => {
  const backup = mockClient(BackupClient);
  const cloudWatch = mockClient(CloudWatchClient);
  // Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
  afterAll(() => [backup, cloudWatch].forEach((m) => m.restore()));
  const logs: unknown[] = [];
  const deps = (): RestoreValidationDeps => ({
    backup: new BackupClient({}),
    cloudWatch: new CloudWatchClient({}),
    rtoHours: 24,
    namespace: 'HipaaBlueprint/RestoreTesting',
    log: (message, fields) => logs.push({ message, ...fields }),
    freshness: { planArn: PLAN, resourceTypes: ['RDS', 'S3'], now: () => NOW },
  });

  beforeEach(() => {
    backup.reset();
    cloudWatch.reset();
    logs.length = 0;
  });

  it('I1 scheduled events are the freshness check, restore job events are not', () => {
    expect(isScheduledEvent({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).toBe(true);
    expect(isScheduledEvent({ source: 'aws.backup', 'detail-type': 'Restore Job State Change' })).toBe(false);
    expect(isScheduledEvent(null)).toBe(false);
  });

  it('I1 lists the plan completed jobs of the look-back, all pages, and publishes the hours per type', async () => {
    backup
      .on(ListRestoreJobsCommand)
      .resolvesOnce({
        RestoreJobs: [{ ResourceType: 'RDS', CompletionDate: ago(20), ValidationStatus: 'SUCCESSFUL' }],
        NextToken: 'page-2',
      })
      .resolvesOnce({ RestoreJobs: [{ ResourceType: 'S3', CompletionDate: ago(10), ValidationStatus: 'FAILED' }] });
    await expect(checkFreshness(deps())).resolves.toEqual({ RDS: 20, S3: FRESHNESS_LOOKBACK_HOURS });
    const calls = backup.commandCalls(ListRestoreJobsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    // The paginator reuses one input object, so both calls show the final NextToken.
    for (const call of calls) {
      expect(call).toMatchObject({
        ByRestoreTestingPlanArn: PLAN,
        ByStatus: 'COMPLETED',
        ByCompleteAfter: ago(FRESHNESS_LOOKBACK_HOURS),
      });
    }
    expect(calls[1]!.NextToken).toBe('page-2');
    expect(cloudWatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual({
      Namespace: 'HipaaBlueprint/RestoreTesting',
      MetricData: [
        {
          MetricName: HOURS_SINCE_VALIDATED_METRIC,
          Dimensions: [{ Name: 'ResourceType', Value: 'RDS' }],
          Value: 20,
          Unit: 'None',
        },
        {
          MetricName: HOURS_SINCE_VALIDATED_METRIC,
          Dimensions: [{ Name: 'ResourceType', Value: 'S3' }],
          Value: FRESHNESS_LOOKBACK_HOURS,
          Unit: 'None',
        },
      ],
    });
    // Counts and hours only in the logs.
    expect(JSON.stringify(logs)).not.toContain('arn:');
  });

  it('I1 a failed listing publishes nothing and fails the invocation (the missing gauge breaches the alarm)', async () => {
    backup.on(ListRestoreJobsCommand).rejects(new Error('AccessDeniedException'));
    await expect(checkFreshness(deps())).rejects.toThrow('AccessDeniedException');
    expect(cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it('I1 without freshness settings the check refuses to run, naming the setting', async () => {
    await expect(checkFreshness({ ...deps(), freshness: undefined })).rejects.toThrow('RESTORE_TESTING_PLAN_ARN');
  });
});
