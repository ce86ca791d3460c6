import { Json, one, Probe, remove, Templates } from './probe';

/** The replicated bucket of `stack` whose logical id starts with `prefix`. */
const bucket = (t: Templates, stack: string, prefix: string): [string, Json] =>
  one(
    t,
    stack,
    'AWS::S3::Bucket',
    (r, id) => id.startsWith(prefix) && r.Properties?.ReplicationConfiguration !== undefined,
  );
/** The failed-replication alarm whose SourceBucket is the bucket `id` of `stack`. */
const failedAlarm = (t: Templates, stack: string, id: string): [string, Json] =>
  one(
    t,
    stack,
    'AWS::CloudWatch::Alarm',
    (r) =>
      r.Properties.MetricName === 'OperationsFailedReplication' &&
      JSON.stringify(r.Properties.Dimensions ?? []).includes(`{"Ref":"${id}"}`),
  );
const phiAlarm = (t: Templates) => failedAlarm(t, 'data', bucket(t, 'data', 'PhiBucket')[0]);
const archiveAlarm = (t: Templates) => failedAlarm(t, 'audit', bucket(t, 'audit', 'AuditArchive')[0]);
/** The stall alarm (ReplicationLatency query) of `stack` whose logical id starts with `prefix`. */
const stallAlarm = (t: Templates, stack: string, prefix: string): [string, Json] =>
  one(
    t,
    stack,
    'AWS::CloudWatch::Alarm',
    (r, id) => id.startsWith(prefix) && JSON.stringify(r.Properties.Metrics ?? []).includes('ReplicationLatency'),
  );

/** Replication monitoring (I2, D1): metrics on every rule, an alarm on failed operations per replicated source. */
export const PROBES: readonly Probe[] = [
  {
    name: 'I2 replication metrics off on the PHI bucket',
    safeguards: ['I2', 'D1'],
    mutate: (t) =>
      delete bucket(t, 'data', 'PhiBucket')[1].Properties.ReplicationConfiguration.Rules[0].Destination.Metrics,
    caughtBy: /ReplicationMonitored\[metrics-off-/,
  },
  {
    name: 'I2 replication metrics disabled on the PHI replica (the failover direction)',
    safeguards: ['I2'],
    mutate: (t) =>
      (bucket(t, 'phiReplica', 'PhiReplicaBucket')[1].Properties.ReplicationConfiguration.Rules[0].Destination.Metrics =
        { Status: 'Disabled' }),
    caughtBy: /ReplicationMonitored\[metrics-off-/,
  },
  {
    name: 'I2 the PHI bucket failed-replication alarm removed',
    safeguards: ['I2', 'D1'],
    mutate: (t) => remove(t, 'data', [phiAlarm(t)[0]]),
    caughtBy: /ReplicationMonitored\[no-failed-alarm-/,
  },
  {
    name: 'I2 the audit archive failed-replication alarm removed',
    safeguards: ['I2', 'D1'],
    mutate: (t) => remove(t, 'audit', [archiveAlarm(t)[0]]),
    caughtBy: /ReplicationMonitored\[no-failed-alarm-/,
  },
  {
    name: 'I2 the findings archive failed-replication alarm without action',
    safeguards: ['I2', 'D1'],
    mutate: (t) => delete failedAlarm(t, 'audit', bucket(t, 'audit', 'FindingsArchive')[0])[1].Properties.AlarmActions,
    caughtBy: /ReplicationMonitored\[failed-alarm-no-action-/,
  },
  {
    name: 'I2 the access-audit bucket failed-replication alarm with actions disabled',
    safeguards: ['I2', 'D1'],
    mutate: (t) => (failedAlarm(t, 'audit', bucket(t, 'audit', 'AccessAudit')[0])[1].Properties.ActionsEnabled = false),
    caughtBy: /ReplicationMonitored\[failed-alarm-no-action-/,
  },
  {
    name: 'I2 the PHI bucket failed-replication alarm on the average',
    safeguards: ['I2', 'D1'],
    mutate: (t) => (phiAlarm(t)[1].Properties.Statistic = 'Average'),
    caughtBy: /ReplicationMonitored\[failed-alarm-statistic-Average-/,
  },
  {
    name: 'I2 the PHI bucket failed-replication alarm over a day',
    safeguards: ['I2'],
    mutate: (t) => (phiAlarm(t)[1].Properties.Period = 86400),
    caughtBy: /ReplicationMonitored\[failed-alarm-period-/,
  },
  {
    name: 'I2 the audit archive failed-replication alarm firing from ten failures',
    safeguards: ['I2'],
    mutate: (t) => (archiveAlarm(t)[1].Properties.Threshold = 10),
    caughtBy: /ReplicationMonitored\[failed-alarm-threshold-/,
  },
  {
    name: 'I2 the audit archive failed-replication alarm watching another bucket (the access-audit bucket)',
    safeguards: ['I2', 'D1'],
    mutate: (t) => {
      const [, alarm] = archiveAlarm(t);
      const other = bucket(t, 'audit', 'AccessAudit')[0];
      for (const d of alarm.Properties.Dimensions) if (d.Name === 'SourceBucket') d.Value = { Ref: other };
    },
    caughtBy: /ReplicationMonitored\[no-failed-alarm-/,
  },
  {
    name: 'I2 the stall alarm of replication into the PHI replica removed',
    safeguards: ['I2', 'D1'],
    mutate: (t) => remove(t, 'phiReplica', [stallAlarm(t, 'phiReplica', 'PhiReplicaReplicationStall')[0]]),
    caughtBy: /ReplicationMonitored\[no-stall-alarm-/,
  },
  {
    name: 'I2 the stall alarm of replication into the audit archive replica raised to a day',
    safeguards: ['I2'],
    mutate: (t) => (stallAlarm(t, 'phiReplica', 'AuditArchiveReplicaReplicationStall')[1].Properties.Threshold = 86400),
    caughtBy: /ReplicationMonitored\[stall-alarm-threshold-/,
  },
  {
    name: 'I2 the audit archive replica stall alarm not forwarded to the primary region',
    safeguards: ['I2', 'D1'],
    mutate: (t) => {
      const [alarm] = stallAlarm(t, 'phiReplica', 'AuditArchiveReplicaReplicationStall');
      const [rule] = one(t, 'phiReplica', 'AWS::Events::Rule', (r) =>
        JSON.stringify(r.Properties.EventPattern?.resources ?? []).includes(`"${alarm}"`),
      );
      delete t.phiReplica!.Resources[rule];
    },
    caughtBy: /ReplicationMonitored\[stall-alarm-silent-/,
  },
  {
    name: 'D3 the alert pipeline no longer routes the replica region alarm state changes',
    safeguards: ['I2', 'D3'],
    mutate: (t) =>
      remove(t, 'alerting', [
        one(t, 'alerting', 'AWS::Events::Rule', (_r, id) => id.startsWith('AlertPipelineForwardedAlarms'))[0],
      ]),
    caughtBy: /ReplicationMonitored\[stall-alarm-silent-/,
  },
  {
    name: 'I2 the stall alarm of replication back into the PHI bucket (data stack) without action',
    safeguards: ['I2', 'D1'],
    mutate: (t) => delete stallAlarm(t, 'data', 'PhiBucketReplicationStall')[1].Properties.AlarmActions,
    caughtBy: /ReplicationMonitored\[stall-alarm-silent-/,
  },
];
