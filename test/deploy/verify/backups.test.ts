import { BackupClient, ListBackupJobsCommand } from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyBackups } from '../../../lib/deploy/verify/backups';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const backup = mockClient(BackupClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => backup.restore());
beforeEach(() => backup.reset());

const config = testConfig('prod');
const NOW = new Date('2026-03-01T12:00:00Z');
const DB = 'arn:aws:rds:us-east-1:123456789012:db:hipaa-prod-phi-db';
const BUCKET = 'arn:aws:s3:::hipaa-prod-phi-data-123456789012-us-east-1';
function data(created = new Date('2026-01-01T00:00:00Z')) {
  return deployedState(
    deployedStack('hipaa-prod-data', 'us-east-1', [['DatabaseInstance', 'AWS::RDS::DBInstance', 'hipaa-prod-phi-db']], {
      outputs: { PhiBucketName: 'hipaa-prod-phi-data-123456789012-us-east-1' },
      creationTime: created,
    }),
  );
}

describe('verify I1: a completed backup job in the last 26 hours per protected resource', () => {
  it('PASS for the database and the PHI bucket', async () => {
    backup.on(ListBackupJobsCommand).resolves({
      BackupJobs: [{ BackupJobId: 'job-1', State: 'COMPLETED', CompletionDate: new Date('2026-03-01T05:30:00Z') }],
    });
    const rows = await verifyBackups(verifyContext(config, data(), NOW));
    expect(rows.map((r) => [r.check, r.status])).toEqual([
      [`backup of ${DB}`, 'PASS'],
      [`backup of ${BUCKET}`, 'PASS'],
    ]);
    expect(backup.commandCalls(ListBackupJobsCommand)[0].args[0].input).toEqual({
      ByResourceArn: DB,
      ByState: 'COMPLETED',
      ByCreatedAfter: new Date('2026-02-28T10:00:00Z'),
    });
  });

  it('FAIL without a completed job, listing the recent jobs', async () => {
    backup.on(ListBackupJobsCommand).callsFake(async (input) => ({
      BackupJobs:
        input.ByResourceArn === DB && input.ByState === undefined
          ? [{ State: 'FAILED', StatusMessage: 'Insufficient privileges' }]
          : [],
    }));
    const rows = await verifyBackups(verifyContext(config, data(), NOW));
    expect(rows[0]).toEqual({
      safeguard: 'I1',
      check: `backup of ${DB}`,
      status: 'FAIL',
      detail:
        'no completed backup job since 2026-02-28T10:00:00.000Z; jobs since then: FAILED (Insufficient privileges)',
    });
    expect(rows[1].detail).toBe('no completed backup job since 2026-02-28T10:00:00.000Z; no job since then');
  });

  it('WARN (not FAIL) within 26 hours of the data stack creation', async () => {
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
    const rows = await verifyBackups(verifyContext(config, data(new Date('2026-03-01T08:00:00Z')), NOW));
    expect(rows.map((r) => r.status)).toEqual(['WARN', 'WARN']);
    expect(rows[0].detail).toContain('the first daily window may not have come yet');
  });

  it('FAIL without the data stack', async () => {
    expect((await verifyBackups(verifyContext(config, deployedState(), NOW)))[0]).toMatchObject({ status: 'FAIL' });
  });
});
