import {
  AdvancedFieldSelector,
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { dataEventCoverage, verifyTrail } from '../../../lib/deploy/verify/trail';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const trail = mockClient(CloudTrailClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => trail.restore());
beforeEach(() => trail.reset());

const config = testConfig('prod');
const TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/hipaa-prod-trail';
const PHI = 'hipaa-prod-phi-data-123456789012-us-east-1';
const REPLICA = 'hipaa-prod-phi-replica-123456789012-us-west-2';
const audit = deployedState(deployedStack('hipaa-prod-audit', 'us-east-1', [], { outputs: { TrailArn: TRAIL } }));
const basic = (values: string[], rw: 'All' | 'ReadOnly' | 'WriteOnly' = 'All') => ({
  EventSelectors: [
    { ReadWriteType: rw, IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: values }] },
  ],
});

describe('verify U1: CloudTrail logging and PHI data events', () => {
  it('basic selectors: a bucket prefix, or all buckets, covers; another bucket or a sub-prefix does not', () => {
    expect(dataEventCoverage(basic([`arn:aws:s3:::${PHI}/`]), 'aws', PHI)).toEqual({ read: true, write: true });
    expect(dataEventCoverage(basic(['arn:aws:s3']), 'aws', PHI)).toEqual({ read: true, write: true });
    expect(dataEventCoverage(basic([`arn:aws:s3:::${PHI}/some-prefix/`]), 'aws', PHI)).toEqual({
      read: false,
      write: false,
    });
    expect(dataEventCoverage(basic([`arn:aws:s3:::${PHI}-other/`]), 'aws', PHI)).toEqual({ read: false, write: false });
    expect(dataEventCoverage(basic([`arn:aws:s3:::${PHI}/`], 'WriteOnly'), 'aws', PHI)).toEqual({
      read: false,
      write: true,
    });
  });

  it('advanced selectors: Data + AWS::S3::Object with an ARN prefix of the bucket covers; extra narrowing does not', () => {
    const adv = (extra: AdvancedFieldSelector[]) => ({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            ...extra,
          ],
        },
      ],
    });
    expect(dataEventCoverage(adv([]), 'aws', PHI)).toEqual({ read: true, write: true });
    expect(
      dataEventCoverage(adv([{ Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${PHI}/`] }]), 'aws', PHI),
    ).toEqual({ read: true, write: true });
    expect(dataEventCoverage(adv([{ Field: 'readOnly', Equals: ['true'] }]), 'aws', PHI)).toEqual({
      read: true,
      write: false,
    });
    expect(dataEventCoverage(adv([{ Field: 'eventName', Equals: ['GetObject'] }]), 'aws', PHI)).toEqual({
      read: false,
      write: false,
    });
    expect(
      dataEventCoverage(adv([{ Field: 'resources.ARN', NotStartsWith: [`arn:aws:s3:::${PHI}/`] }]), 'aws', PHI),
    ).toEqual({
      read: false,
      write: false,
    });
  });

  it('PASS: logging, read and write data events on every PHI bucket', async () => {
    trail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    trail.on(GetEventSelectorsCommand).resolves(basic([`arn:aws:s3:::${PHI}/`, `arn:aws:s3:::${REPLICA}/`]));
    const rows = await verifyTrail(verifyContext(config, audit));
    expect(rows.map((r) => [r.check, r.status])).toEqual([
      ['CloudTrail logging', 'PASS'],
      [`S3 data events on ${PHI}`, 'PASS'],
      [`S3 data events on ${REPLICA}`, 'PASS'],
    ]);
    expect(trail.commandCalls(GetTrailStatusCommand)[0].args[0].input).toEqual({ Name: TRAIL });
  });

  it('FAIL: trail stopped, and a PHI bucket without data events', async () => {
    trail.on(GetTrailStatusCommand).resolves({ IsLogging: false, StopLoggingTime: new Date('2026-02-01T00:00:00Z') });
    trail.on(GetEventSelectorsCommand).resolves(basic([`arn:aws:s3:::${PHI}/`], 'ReadOnly'));
    const rows = await verifyTrail(verifyContext(config, audit));
    expect(rows).toEqual([
      {
        safeguard: 'U1',
        check: 'CloudTrail logging',
        status: 'FAIL',
        detail: `${TRAIL} is NOT logging (stopped at 2026-02-01T00:00:00.000Z): \`aws cloudtrail start-logging --name ${TRAIL}\``,
      },
      {
        safeguard: 'U1',
        check: `S3 data events on ${PHI}`,
        status: 'FAIL',
        detail: 'the trail records no write data events on every object of the PHI bucket',
      },
      {
        safeguard: 'U1',
        check: `S3 data events on ${REPLICA}`,
        status: 'FAIL',
        detail: 'the trail records no read and write data events on every object of the PHI bucket',
      },
    ]);
  });

  it('FAIL: no audit stack', async () => {
    expect(await verifyTrail(verifyContext(config, deployedState()))).toEqual([
      {
        safeguard: 'U1',
        check: 'CloudTrail logging',
        status: 'FAIL',
        detail: 'no trail: stack hipaa-prod-audit is not deployed or has no output TrailArn',
      },
    ]);
  });
});
