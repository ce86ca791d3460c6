import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetMacieSessionCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyDetectionServices } from '../../../lib/deploy/verify/detection-services';
import { testConfig } from '../../support/blueprint';
import { deployedState, regionOf, sdkError } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const guardDuty = mockClient(GuardDutyClient);
const hub = mockClient(SecurityHubClient);
const macie = mockClient(Macie2Client);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => [guardDuty, hub, macie].forEach((m) => m.restore()));
beforeEach(() => [guardDuty, hub, macie].forEach((m) => m.reset()));

/** Every service on in these regions, off elsewhere. */
function onIn(...regions: string[]): void {
  guardDuty
    .on(ListDetectorsCommand)
    .callsFake(async (_i, c) => ({ DetectorIds: regions.includes(await regionOf(c)) ? ['det'] : [] }));
  guardDuty.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'r' });
  hub.on(DescribeHubCommand).callsFake(async (_i, c) => {
    if (regions.includes(await regionOf(c))) return { HubArn: 'arn:hub' };
    throw sdkError('InvalidAccessException', 'not subscribed', 401);
  });
  macie.on(GetMacieSessionCommand).callsFake(async (_i, c) => {
    if (regions.includes(await regionOf(c))) return { status: 'ENABLED' };
    throw sdkError('AccessDeniedException', 'Macie is not enabled.', 403);
  });
}

describe('verify D2: GuardDuty, Security Hub and Macie in every PHI region', () => {
  it('PASS for each service in config.region and the replica region', async () => {
    onIn('us-east-1', 'us-west-2');
    const rows = await verifyDetectionServices(verifyContext(testConfig('prod'), deployedState()));
    expect(rows.map((r) => `${r.check} ${r.status}`)).toEqual([
      'GuardDuty in us-east-1 PASS',
      'Security Hub in us-east-1 PASS',
      'Macie in us-east-1 PASS',
      'GuardDuty in us-west-2 PASS',
      'Security Hub in us-west-2 PASS',
      'Macie in us-west-2 PASS',
    ]);
  });

  it('FAIL in the replica region when the services are switched on but not running there', async () => {
    onIn('us-east-1');
    const rows = await verifyDetectionServices(verifyContext(testConfig('prod'), deployedState()));
    expect(rows.filter((r) => r.status === 'FAIL').map((r) => r.check)).toEqual([
      'GuardDuty in us-west-2',
      'Security Hub in us-west-2',
      'Macie in us-west-2',
    ]);
    expect(rows[3].detail).toBe(
      'no detector; stack hipaa-prod-replica-detection runs it in us-west-2, which holds the PHI replica: deploy it',
    );
    expect(rows[5].detail).toBe(
      'not enabled; the blueprint runs Macie only in us-east-1: enable it in us-west-2, which holds the PHI replica',
    );
  });

  it('a disabled detector or a paused Macie session is not "on"', async () => {
    onIn('us-east-1', 'us-west-2');
    guardDuty.on(GetDetectorCommand).resolves({ Status: 'DISABLED', ServiceRole: 'r' });
    macie.on(GetMacieSessionCommand).resolves({ status: 'PAUSED' });
    const rows = await verifyDetectionServices(verifyContext(testConfig('prod'), deployedState()));
    expect(rows.filter((r) => r.status === 'FAIL').map((r) => r.detail)).toEqual([
      'detector det DISABLED',
      'session PAUSED',
      expect.stringMatching(/^detector det DISABLED; stack hipaa-prod-replica-detection runs it in us-west-2/),
      expect.stringMatching(/^session PAUSED; the blueprint runs Macie only in us-east-1/),
    ]);
  });

  it('switched off in config: PASS if someone runs it, WARN (not FAIL) if nobody does', async () => {
    onIn('us-east-1');
    const off = testConfig('prod', { detection: { guardDuty: false, securityHub: false, macie: false } });
    const rows = await verifyDetectionServices(verifyContext(off, deployedState()));
    expect(rows.map((r) => r.status)).toEqual(['PASS', 'PASS', 'PASS', 'WARN', 'WARN', 'WARN']);
    expect(rows[0].detail).toBe('detector det ENABLED (run outside the blueprint: detection.guardDuty = false)');
  });
});
