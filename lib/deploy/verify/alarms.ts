import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { liveResources } from '../core/deployed-state';
import { allStackRefs } from '../core/stacks';
import { VerifyCheck, VerifyRow } from './context';

/** DescribeAlarms accepts at most 100 alarm names per call. */
const NAMES_PER_CALL = 100;

/** One alarm as CloudWatch reports it (metric or composite). */
interface AlarmState {
  readonly actionsEnabled: boolean;
  readonly actions: number;
  readonly state: string;
  readonly reason: string;
}

/**
 * D1: every alarm of the environment (the AWS::CloudWatch::Alarm resources of its stacks) exists, has
 * actions enabled with at least one action, and is OK or ALARM; INSUFFICIENT_DATA is a WARN with its reason.
 */
export const verifyAlarms: VerifyCheck = async (ctx) => {
  const rows: VerifyRow[] = [];
  let total = 0;
  for (const ref of allStackRefs(ctx.config)) {
    const names = liveResources(ctx.deployed.get(ref.stackName), 'AWS::CloudWatch::Alarm').map(
      (r) => r.physicalId as string,
    );
    total += names.length;
    const found = new Map<string, AlarmState>();
    for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
      let nextToken: string | undefined;
      do {
        const page = await ctx.clients.cloudWatch(ref.region).send(
          new DescribeAlarmsCommand({
            AlarmNames: names.slice(i, i + NAMES_PER_CALL),
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken: nextToken,
          }),
        );
        for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          if (!a.AlarmName) continue;
          found.set(a.AlarmName, {
            actionsEnabled: a.ActionsEnabled ?? false,
            actions: (a.AlarmActions ?? []).length,
            state: a.StateValue ?? 'UNKNOWN',
            reason: a.StateReason ?? '',
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
    for (const name of names) {
      const check = `alarm ${name}`;
      const a = found.get(name);
      if (!a) {
        rows.push({
          safeguard: 'D1',
          check,
          status: 'FAIL',
          detail: `in stack ${ref.stackName} but not in CloudWatch (${ref.region})`,
        });
      } else if (!a.actionsEnabled || a.actions === 0) {
        rows.push({
          safeguard: 'D1',
          check,
          status: 'FAIL',
          detail: !a.actionsEnabled
            ? `actions disabled: \`aws cloudwatch enable-alarm-actions --alarm-names ${name} --region ${ref.region}\``
            : 'no alarm action: nobody is told when it fires',
        });
      } else if (a.state === 'INSUFFICIENT_DATA') {
        rows.push({ safeguard: 'D1', check, status: 'WARN', detail: `INSUFFICIENT_DATA: ${a.reason}` });
      } else if (a.state === 'OK' || a.state === 'ALARM') {
        rows.push({
          safeguard: 'D1',
          check,
          status: 'PASS',
          detail: `${a.state}, ${a.actions} action(s)${a.state === 'ALARM' ? `: ${a.reason}` : ''}`,
        });
      } else {
        rows.push({ safeguard: 'D1', check, status: 'FAIL', detail: `state ${a.state}: ${a.reason}` });
      }
    }
  }
  if (total === 0) {
    rows.push({
      safeguard: 'D1',
      check: 'alarms',
      status: 'FAIL',
      detail: 'no alarm found in any stack of the environment: is it deployed?',
    });
  }
  return rows;
};
