import { Json, one, Probe, Templates } from './probe';

/** The alarm of `stack` whose logical id starts with `prefix`. */
const alarm = (t: Templates, stack: string, prefix: string): Json =>
  one(t, stack, 'AWS::CloudWatch::Alarm', (_r, id) => id.startsWith(prefix))[1].Properties;
/** The PHI bucket's failed-replication alarm (data stack). */
const phiFailed = (t: Templates) => alarm(t, 'data', 'PhiBucketReplicationFailedReplication');
/** The stall alarm of replication into the PHI bucket (data stack: the failover direction's destination). */
const phiStall = (t: Templates) => alarm(t, 'data', 'PhiBucketReplicationStallAlarm');

/**
 * Alarms of ReplicationMonitored and FindingsArchivePresent kept but made mute the ways an auditor found them passing
 * before both rules judged their alarms with alarm-facts.ts: a Unit, ActionsEnabled the string "false", an extra
 * dimension, missing data breaching, a threshold in ALARM at 0, the DestinationBucket of another bucket, a Metrics
 * Insights query hidden behind an expression returning 0.
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'I2 the PHI bucket failed-replication alarm counts only datapoints published in Percent',
    safeguards: ['I2', 'D1'],
    mutate: (t) => (phiFailed(t).Unit = 'Percent'),
    caughtBy: /ReplicationMonitored\[failed-alarm-unit-/,
  },
  {
    name: 'I2 the PHI bucket failed-replication alarm with ActionsEnabled "false" (a string)',
    safeguards: ['I2', 'D1'],
    mutate: (t) => (phiFailed(t).ActionsEnabled = 'false'),
    caughtBy: /ReplicationMonitored\[failed-alarm-no-action-/,
  },
  {
    name: 'I2 the PHI bucket failed-replication alarm always in ALARM (missing data breaching, an extra dimension)',
    safeguards: ['I2', 'D1'],
    mutate: (t) => {
      phiFailed(t).TreatMissingData = 'breaching';
      phiFailed(t).Dimensions.push({ Name: 'StorageType', Value: 'AllStorageTypes' });
    },
    caughtBy: /ReplicationMonitored\[failed-alarm-(missing-data|dimensions)-/,
  },
  {
    name: 'I2 the PHI bucket failed-replication alarm with a negative threshold (in ALARM at 0 failures)',
    safeguards: ['I2', 'D1'],
    mutate: (t) => (phiFailed(t).Threshold = -1),
    caughtBy: /ReplicationMonitored\[failed-alarm-threshold-/,
  },
  {
    name: 'I2 the PHI bucket failed-replication alarm on another destination bucket',
    safeguards: ['I2', 'D1'],
    mutate: (t) => {
      const d = phiFailed(t).Dimensions.find((x: Json) => x.Name === 'DestinationBucket');
      d.Value = 'some-other-bucket';
    },
    caughtBy: /ReplicationMonitored\[no-failed-alarm-/,
  },
  {
    name: 'I2 the stall query no longer returned, expr_1*0 returned instead',
    safeguards: ['I2', 'D1'],
    mutate: (t) => {
      const p = phiStall(t);
      p.Metrics[0].ReturnData = false;
      p.Metrics.push({ Id: 'hide', Expression: `${String(p.Metrics[0].Id)}*0`, ReturnData: true, Period: 300 });
    },
    caughtBy: /ReplicationMonitored\[stall-alarm-evaluated-/,
  },
  {
    name: 'D2 the findings export failed-invocations alarm with ActionsEnabled "false" (a string)',
    safeguards: ['D2'],
    mutate: (t) => (alarm(t, 'audit', 'FindingsArchiveExportAlarm').ActionsEnabled = 'false'),
    caughtBy: /FindingsArchivePresent\[Export::export-alarm-cannot-fire\]/,
  },
  {
    name: 'D2 the findings dead-letter alarm on another series (an extra dimension)',
    safeguards: ['D2'],
    mutate: (t) => alarm(t, 'audit', 'FindingsArchiveDeadLetterAlarm').Dimensions.push({ Name: 'Extra', Value: 'x' }),
    caughtBy: /FindingsArchivePresent\[Export::dead-letter-alarm-cannot-fire\]/,
  },
  {
    name: 'D2 the findings delivery freshness alarm counts only datapoints published in Percent',
    safeguards: ['D2'],
    mutate: (t) => (alarm(t, 'audit', 'FindingsArchiveDeliveryAlarm').Unit = 'Percent'),
    caughtBy: /FindingsArchivePresent\[Stream::delivery-alarm-cannot-fire\]/,
  },
];
