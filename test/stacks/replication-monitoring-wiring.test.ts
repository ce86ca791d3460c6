/**
 * Replication monitoring wired across the stacks (I2, D1): every replication rule publishes S3 Replication metrics; the
 * failed-operations alarms sit in the source stacks (data, audit) with the formatter action; the stall alarms sit in
 * the destination stacks (S3 publishes ReplicationLatency there): the PHI replica and the audit archive replica in the
 * replica stack, forwarded to the primary region's bus; the PHI bucket (the direction back) in the data stack, with the
 * action; the alerting stack routes the replica region's alarm state changes to the formatter.
 */
import { testConfig } from '../support/blueprint';
import { templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const resources = (template: Json, type: string): [string, Json][] =>
  Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
const refOf = (template: Json, prefix: string): Json => ({
  Ref: resources(template, 'AWS::S3::Bucket').find(([id]) => id.startsWith(prefix))![0],
});
const queryOf = (alarm: Json): string => JSON.stringify(alarm.Properties.Metrics[0].Expression);

describe.each(['dev', 'prod'] as const)('replication monitoring (%s)', (env) => {
  const config = testConfig(env);
  const data = templateJson(env, 'Data');
  const audit = templateJson(env, 'Audit');
  const replica = templateJson(env, 'PhiReplica');
  const alerting = templateJson(env, 'Alerting');

  test('I2 every replication rule of every stack publishes S3 Replication metrics', () => {
    const rules = [data, audit, replica]
      .flatMap((t) => resources(t, 'AWS::S3::Bucket'))
      .flatMap(([, b]) => b.Properties.ReplicationConfiguration?.Rules ?? []);
    expect(rules).toHaveLength(5);
    for (const rule of rules) expect(rule.Destination.Metrics).toEqual({ Status: 'Enabled' });
  });

  test.each([
    ['Data', 'PhiBucket'],
    ['Audit', 'AuditArchiveBucket'],
    ['Audit', 'AccessAuditBucket'],
    ['Audit', 'FindingsArchiveBucket'],
  ])('I2 D1 %s %s: a failed-replication alarm with the formatter action', (stack, prefix) => {
    const template = stack === 'Data' ? data : audit;
    const source = refOf(template, prefix);
    const alarms = resources(template, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) =>
        a.Properties.MetricName === 'OperationsFailedReplication' &&
        JSON.stringify(a.Properties.Dimensions).includes(JSON.stringify(source)),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties.AlarmActions).toHaveLength(1);
  });

  test('I2 D1 the replica stack: two stall alarms (PHI replica, audit archive replica), each forwarded to the primary bus', () => {
    const alarms = resources(replica, 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AuditArchiveReplicaReplicationStallAlarm',
      'PhiReplicaReplicationStallAlarm',
    ]);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
      expect(queryOf(alarm)).toContain('SELECT MAX(ReplicationLatency)');
      const forward = resources(replica, 'AWS::Events::Rule').find(([, r]) =>
        JSON.stringify(r.Properties.EventPattern.resources ?? []).includes(`"${id}"`),
      );
      expect(forward).toBeDefined();
      expect(JSON.stringify(forward![1].Properties.Targets[0].Arn)).toContain(`:events:${config.region}:`);
    }
    expect(queryOf(alarms.find(([id]) => id.startsWith('PhiReplica'))![1])).toContain(
      JSON.stringify(refOf(replica, 'PhiReplicaBucket')),
    );
  });

  test('I2 D1 the data stack: the stall alarm of replication into the PHI bucket (the direction back), with the action', () => {
    const stall = resources(data, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('ReplicationLatency'),
    );
    expect(stall).toHaveLength(1);
    expect(queryOf(stall[0]![1])).toContain(JSON.stringify(refOf(data, 'PhiBucket')));
    expect(stall[0]![1].Properties.AlarmActions).toHaveLength(1);
  });

  test('D3 the alerting stack routes the replica region alarm state changes to the formatter', () => {
    const rule = resources(alerting, 'AWS::Events::Rule').find(([id]) => id.startsWith('AlertPipelineForwardedAlarms'));
    expect(rule![1].Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      region: [config.phiBucket.replicaRegion],
    });
    expect(rule![1].Properties.Targets[0].Arn['Fn::GetAtt'][0]).toMatch(/^AlertPipelineFormatter/);
  });
});
