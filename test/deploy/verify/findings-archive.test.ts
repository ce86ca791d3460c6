import {
  DescribePublishingDestinationCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListPublishingDestinationsCommand,
  PublishingStatus,
} from '@aws-sdk/client-guardduty';
import { GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyFindingsArchive } from '../../../lib/deploy/verify/findings-archive';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState, sdkError } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const s3 = mockClient(S3Client);
const guardDuty = mockClient(GuardDutyClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => [s3, guardDuty].forEach((m) => m.restore()));
beforeEach(() => [s3, guardDuty].forEach((m) => m.reset()));

const ARCHIVE = 'hipaa-prod-audit-findingsarchive-abc';
const audit = deployedState(
  deployedStack('hipaa-prod-audit', 'us-east-1', [], { outputs: { FindingsArchiveBucketName: ARCHIVE } }),
);
const lock = (mode: 'COMPLIANCE' | 'GOVERNANCE', days: number) =>
  s3.on(GetObjectLockConfigurationCommand, { Bucket: ARCHIVE }).resolves({
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: days } } },
  });
const destination = (arn: string, status: PublishingStatus = 'PUBLISHING') => {
  guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['det'] });
  guardDuty
    .on(ListPublishingDestinationsCommand, { DetectorId: 'det' })
    .resolves({ Destinations: [{ DestinationId: 'd1', DestinationType: 'S3', Status: status }] });
  guardDuty.on(DescribePublishingDestinationCommand, { DetectorId: 'det', DestinationId: 'd1' }).resolves({
    DestinationId: 'd1',
    DestinationType: 'S3',
    Status: status,
    PublishingFailureStartTimestamp: 0,
    DestinationProperties: { DestinationArn: arn },
  });
};
const run = (config = testConfig('prod'), deployed = audit) => verifyFindingsArchive(verifyContext(config, deployed));

describe('verify D2: the six-year findings archive', () => {
  it('PASS: COMPLIANCE >= 2192 days, and GuardDuty publishing into the archive', async () => {
    lock('COMPLIANCE', 2192);
    destination(`arn:aws:s3:::${ARCHIVE}`);
    expect(await run()).toEqual([
      {
        safeguard: 'D2',
        check: 'findings archive Object Lock',
        status: 'PASS',
        detail: `${ARCHIVE}: COMPLIANCE 2192 days`,
      },
      {
        safeguard: 'D2',
        check: 'GuardDuty findings export',
        status: 'PASS',
        detail: `detector det publishes to arn:aws:s3:::${ARCHIVE}`,
      },
    ]);
  });

  it('FAIL: GOVERNANCE or a short retention in production', async () => {
    lock('GOVERNANCE', 365);
    destination(`arn:aws:s3:::${ARCHIVE}`);
    expect((await run())[0]).toMatchObject({
      status: 'FAIL',
      detail: `${ARCHIVE}: mode GOVERNANCE, must be COMPLIANCE; default retention 365 days, must be >= 2192`,
    });
  });

  it('FAIL: no Object Lock configuration', async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(sdkError('ObjectLockConfigurationNotFoundError', 'none', 404));
    destination(`arn:aws:s3:::${ARCHIVE}`);
    expect((await run())[0]).toMatchObject({ status: 'FAIL', detail: `${ARCHIVE} has no Object Lock configuration` });
  });

  it('FAIL: the destination cannot publish, or publishes into another bucket', async () => {
    lock('COMPLIANCE', 2192);
    destination(`arn:aws:s3:::${ARCHIVE}`, 'UNABLE_TO_PUBLISH_FIX_DESTINATION_PROPERTY');
    expect((await run())[1]).toMatchObject({
      status: 'FAIL',
      detail: `detector det destination arn:aws:s3:::${ARCHIVE} is UNABLE_TO_PUBLISH_FIX_DESTINATION_PROPERTY`,
    });
    destination('arn:aws:s3:::someone-elses-bucket/');
    expect((await run())[1]).toMatchObject({
      status: 'FAIL',
      detail: `detector det has no S3 publishing destination into ${ARCHIVE} (1 other S3 destination(s)): findings last 90 days`,
    });
  });

  it('FAIL: the audit stack has no archive output', async () => {
    expect(await run(testConfig('prod'), deployedState())).toEqual([
      {
        safeguard: 'D2',
        check: 'findings archive Object Lock',
        status: 'FAIL',
        detail:
          'no findings archive: stack hipaa-prod-audit is not deployed or has no output FindingsArchiveBucketName',
      },
    ]);
  });

  it('WARN, nothing read: switched off in config (archived by the provider named)', async () => {
    const config = testConfig('prod', { detection: { findingsArchive: false, providedBy: 'the log archive account' } });
    expect(await run(config)).toEqual([
      {
        safeguard: 'D2',
        check: 'findings archive Object Lock',
        status: 'WARN',
        detail: 'detection.findingsArchive = false: findings are archived by the log archive account, not checked here',
      },
    ]);
    expect(s3.calls()).toHaveLength(0);
  });
});
