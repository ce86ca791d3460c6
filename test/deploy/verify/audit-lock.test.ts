import { GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyAuditLock } from '../../../lib/deploy/verify/audit-lock';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState, sdkError } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const s3 = mockClient(S3Client);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => s3.restore());
beforeEach(() => s3.reset());

const ARCHIVE = 'hipaa-prod-audit-auditarchive-abc';
const audit = deployedState(
  deployedStack('hipaa-prod-audit', 'us-east-1', [], { outputs: { AuditArchiveBucketName: ARCHIVE } }),
);
function lock(mode: 'COMPLIANCE' | 'GOVERNANCE', retention: { Days?: number; Years?: number }): void {
  s3.on(GetObjectLockConfigurationCommand, { Bucket: ARCHIVE }).resolves({
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, ...retention } } },
  });
}

describe('verify U2: Object Lock on the audit archive', () => {
  it('PASS: COMPLIANCE >= 2192 days in production', async () => {
    lock('COMPLIANCE', { Days: 2192 });
    expect(await verifyAuditLock(verifyContext(testConfig('prod'), audit))).toEqual([
      {
        safeguard: 'U2',
        check: 'audit archive Object Lock',
        status: 'PASS',
        detail: `${ARCHIVE}: COMPLIANCE 2192 days`,
      },
    ]);
  });

  it('FAIL: GOVERNANCE in production, and a retention below 2192 days', async () => {
    lock('GOVERNANCE', { Days: 365 });
    expect((await verifyAuditLock(verifyContext(testConfig('prod'), audit)))[0]).toMatchObject({
      status: 'FAIL',
      detail: `${ARCHIVE}: mode GOVERNANCE, must be COMPLIANCE; default retention 365 days, must be >= 2192`,
    });
    lock('COMPLIANCE', { Years: 6 });
    expect((await verifyAuditLock(verifyContext(testConfig('prod'), audit)))[0].detail).toBe(
      `${ARCHIVE}: default retention 2190 days, must be >= 2192`,
    );
  });

  it('GOVERNANCE passes only where a non-production config says so', async () => {
    lock('GOVERNANCE', { Days: 2192 });
    const dev = deployedState(
      deployedStack('hipaa-dev-audit', 'us-east-1', [], { outputs: { AuditArchiveBucketName: ARCHIVE } }),
    );
    expect((await verifyAuditLock(verifyContext(testConfig('dev'), dev)))[0].status).toBe('PASS');
  });

  it('FAIL: no Object Lock configuration, or no default retention', async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(sdkError('ObjectLockConfigurationNotFoundError', 'none', 404));
    expect((await verifyAuditLock(verifyContext(testConfig('prod'), audit)))[0]).toMatchObject({
      status: 'FAIL',
      detail: `${ARCHIVE} has no Object Lock configuration`,
    });
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } });
    expect((await verifyAuditLock(verifyContext(testConfig('prod'), audit)))[0].detail).toBe(
      `${ARCHIVE}: Object Lock has no default retention, so new audit records are not locked`,
    );
  });
});
