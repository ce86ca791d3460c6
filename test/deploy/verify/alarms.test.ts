import { CloudWatchClient, DescribeAlarmsCommand, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyAlarms } from '../../../lib/deploy/verify/alarms';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const cloudWatch = mockClient(CloudWatchClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => cloudWatch.restore());
beforeEach(() => cloudWatch.reset());

const config = testConfig('prod');
const stacks = deployedState(
  deployedStack('hipaa-prod-audit', 'us-east-1', [
    ['RootUsage', 'AWS::CloudWatch::Alarm', 'hipaa-prod-audit-RootUsage-1'],
    ['BreakGlass', 'AWS::CloudWatch::Alarm', 'hipaa-prod-audit-BreakGlass-2'],
  ]),
  deployedStack('hipaa-prod-data', 'us-east-1', [
    ['BackupFailed', 'AWS::CloudWatch::Alarm', 'hipaa-prod-data-BackupFailed-3'],
  ]),
);
const TOPIC = 'arn:aws:lambda:us-east-1:123456789012:function:formatter';
function alarms(list: MetricAlarm[]): void {
  cloudWatch.on(DescribeAlarmsCommand).callsFake(async (input) => ({
    MetricAlarms: list.filter((a) => (input.AlarmNames as string[]).includes(a.AlarmName!)),
  }));
}
const ok = (name: string, extra: Partial<MetricAlarm> = {}): MetricAlarm => ({
  AlarmName: name,
  ActionsEnabled: true,
  AlarmActions: [TOPIC],
  StateValue: 'OK',
  StateReason: 'Threshold Crossed: no datapoints were breaching',
  ...extra,
});

describe('verify D1: every alarm of the environment has an action and a state', () => {
  it('PASS for OK and ALARM alarms with enabled actions', async () => {
    alarms([
      ok('hipaa-prod-audit-RootUsage-1'),
      ok('hipaa-prod-audit-BreakGlass-2', { StateValue: 'ALARM', StateReason: '1 datapoint >= 1' }),
      ok('hipaa-prod-data-BackupFailed-3'),
    ]);
    const rows = await verifyAlarms(verifyContext(config, stacks));
    expect(rows.map((r) => r.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(rows.find((r) => r.check === 'alarm hipaa-prod-audit-BreakGlass-2')?.detail).toBe(
      'ALARM, 1 action(s): 1 datapoint >= 1',
    );
  });

  it('FAIL for disabled actions, no action, and an alarm missing from CloudWatch; WARN for INSUFFICIENT_DATA', async () => {
    alarms([
      ok('hipaa-prod-audit-RootUsage-1', { ActionsEnabled: false }),
      ok('hipaa-prod-audit-BreakGlass-2', {
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Insufficient Data: 1 datapoint was unknown',
      }),
    ]);
    const byCheck = (rows: { check: string }[]) => [...rows].sort((a, b) => a.check.localeCompare(b.check));
    expect(byCheck(await verifyAlarms(verifyContext(config, stacks)))).toEqual([
      {
        safeguard: 'D1',
        check: 'alarm hipaa-prod-audit-BreakGlass-2',
        status: 'WARN',
        detail: 'INSUFFICIENT_DATA: Insufficient Data: 1 datapoint was unknown',
      },
      {
        safeguard: 'D1',
        check: 'alarm hipaa-prod-audit-RootUsage-1',
        status: 'FAIL',
        detail:
          'actions disabled: `aws cloudwatch enable-alarm-actions --alarm-names hipaa-prod-audit-RootUsage-1 --region us-east-1`',
      },
      {
        safeguard: 'D1',
        check: 'alarm hipaa-prod-data-BackupFailed-3',
        status: 'FAIL',
        detail: 'in stack hipaa-prod-data but not in CloudWatch (us-east-1)',
      },
    ]);
    alarms([
      ok('hipaa-prod-audit-RootUsage-1', { AlarmActions: [] }),
      ok('hipaa-prod-audit-BreakGlass-2'),
      ok('hipaa-prod-data-BackupFailed-3'),
    ]);
    expect(
      (await verifyAlarms(verifyContext(config, stacks))).find((r) => r.check.endsWith('RootUsage-1')),
    ).toMatchObject({
      status: 'FAIL',
      detail: 'no alarm action: nobody is told when it fires',
    });
  });

  it('FAIL when the environment has no alarm at all', async () => {
    expect(await verifyAlarms(verifyContext(config, deployedState()))).toEqual([
      {
        safeguard: 'D1',
        check: 'alarms',
        status: 'FAIL',
        detail: 'no alarm found in any stack of the environment: is it deployed?',
      },
    ]);
  });
});
