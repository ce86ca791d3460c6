/**
 * ReplicationMonitored (I2, D1): a failed-replication or stall alarm kept but muted is a finding (alarm-facts.ts), with
 * the finding id of the aspect and the text naming the alarm, the property, its value and the rule.
 */
import { ReplicationMonitored } from '../../../../lib/compliance/gate/assembly/replication-monitored';
import { Mutable } from './assembly-fixture';
import { describedFindingsOf } from './muted-alarm-fixture';

type T = Record<string, Mutable>;
const failed = (t: T) => t.audit.Resources.FindingsArchiveFailedReplication.Properties;
const stall = (t: T) => t.phiReplica.Resources.AuditReplicaStallAlarm.Properties;
const RULE = 'ReplicateTo-us-west-2';

describe('ReplicationMonitored: a muted failed-replication alarm is a finding', () => {
  test.each<[string, (t: T) => void, string, string]>([
    [
      'Unit Percent (S3 publishes the count without it)',
      (t) => (failed(t).Unit = 'Percent'),
      'unit',
      'Unit Percent: must be absent (only datapoints published with that unit count)',
    ],
    [
      'ActionsEnabled the string "false"',
      (t) => (failed(t).ActionsEnabled = 'false'),
      'no-action',
      'ActionsEnabled is false: must be true (or absent)',
    ],
    [
      'missing data breaching (in ALARM whenever nothing fails: notifies once)',
      (t) => (failed(t).TreatMissingData = 'breaching'),
      'missing-data',
      'TreatMissingData breaching: must be notBreaching or missing',
    ],
    [
      'an extra dimension (another series, never published)',
      (t) => failed(t).Dimensions.push({ Name: 'StorageType', Value: 'AllStorageTypes' }),
      'dimensions',
      'Dimensions StorageType=AllStorageTypes: must be exactly SourceBucket, DestinationBucket, RuleId',
    ],
    [
      'a negative threshold (always in ALARM)',
      (t) => (failed(t).Threshold = -1),
      'threshold',
      'ComparisonOperator GreaterThanOrEqualToThreshold with Threshold -1 breaches at 0 too',
    ],
  ])('I2 D1 %s', (_name, mutate, id, reason) => {
    const found = describedFindingsOf(ReplicationMonitored, mutate);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^\\[failed-alarm-${id}-${RULE}\\] FindingsArchive: `));
    expect(found[0]).toContain('FindingsArchiveFailedReplication, that cannot fire on one failure: ');
    expect(found[0]).toContain(reason);
  });

  test('I2 D1 the DestinationBucket dimension naming another bucket: no alarm on the rule', () => {
    expect(
      describedFindingsOf(ReplicationMonitored, (t) => {
        failed(t).Dimensions.find((d: Mutable) => d.Name === 'DestinationBucket').Value = 'some-other-bucket';
      }),
    ).toEqual([expect.stringMatching(new RegExp(`^\\[no-failed-alarm-${RULE}\\] FindingsArchive: `))]);
  });

  test('I2 D1 several mutes of one alarm: one finding per aspect', () => {
    const found = describedFindingsOf(ReplicationMonitored, (t) => {
      failed(t).Unit = 'Percent';
      failed(t).ActionsEnabled = 'false';
    }).map((f) => f.split(']')[0]);
    expect(found).toEqual([`[failed-alarm-no-action-${RULE}`, `[failed-alarm-unit-${RULE}`]);
  });

  test('I2 D1 a muted alarm beside one that fires: no finding', () => {
    expect(
      describedFindingsOf(ReplicationMonitored, (t) => {
        t.audit.Resources.Muted = JSON.parse(JSON.stringify(t.audit.Resources.FindingsArchiveFailedReplication));
        t.audit.Resources.Muted.Properties.Unit = 'Percent';
      }),
    ).toEqual([]);
  });
});

describe('ReplicationMonitored: a muted stall alarm (Metrics Insights query) is a finding', () => {
  const join = (t: T) => stall(t).Metrics[0].Expression['Fn::Join'][1];
  test.each<[string, (t: T) => void, string, string]>([
    [
      'the query not returning, expr_1*0 returning instead',
      (t) => {
        stall(t).Metrics[0].ReturnData = false;
        stall(t).Metrics.push({ Id: 'hide', Expression: 'expr_1*0', ReturnData: true });
      },
      'evaluated',
      'Metrics return expr_1*0: the alarm must evaluate AWS/S3 ReplicationLatency',
    ],
    [
      'the query not returning (the string "false")',
      (t) => (stall(t).Metrics[0].ReturnData = 'false'),
      'evaluated',
      'Metrics return data from 0 queries',
    ],
    [
      'an extra equality in the WHERE',
      (t) => (join(t)[2] = "' AND RuleId = 'none'"),
      'dimensions',
      'Dimensions (metric expr_1) RuleId=none: must be exactly DestinationBucket',
    ],
    [
      'missing data breaching',
      (t) => (stall(t).TreatMissingData = 'breaching'),
      'missing-data',
      'TreatMissingData breaching: must be notBreaching or missing',
    ],
    [
      'a day-long period',
      (t) => (stall(t).Metrics[0].Period = 86400),
      'period',
      'Period (metric expr_1) 86400 s: must be at most 3600 s',
    ],
    [
      'a negative threshold (always in ALARM)',
      (t) => (stall(t).Threshold = -1),
      'threshold',
      'Threshold -1 breaches at 0 too',
    ],
  ])('I2 D1 %s', (_name, mutate, id, reason) => {
    const found = describedFindingsOf(ReplicationMonitored, mutate);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^\\[stall-alarm-${id}-${RULE}\\] FindingsArchive: `));
    expect(found[0]).toContain('AuditReplicaStallAlarm, that cannot fire on a stalled replication: ');
    expect(found[0]).toContain(reason);
  });

  test.each<[string, (t: T) => void]>([
    ['a GROUP BY added', (t) => (join(t)[2] = "' GROUP BY SourceBucket")],
    ['another schema', (t) => (join(t)[0] = String(join(t)[0]).replace(', SourceBucket', ''))],
  ])('I2 D1 %s: not the stall query (no stall alarm)', (_name, mutate) => {
    expect(describedFindingsOf(ReplicationMonitored, mutate)).toEqual([
      expect.stringMatching(new RegExp(`^\\[no-stall-alarm-${RULE}\\] FindingsArchive: `)),
    ]);
  });
});
