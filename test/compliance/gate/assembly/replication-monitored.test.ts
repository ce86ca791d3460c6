/**
 * ReplicationMonitored (I2, D1) on the synthetic assembly: the findings archive replicates with metrics and an alarm on
 * its failed operations; a two-way PHI pair added here replicates with the alarm on the primary direction only.
 */
import { ReplicationMonitored } from '../../../../lib/compliance/gate/assembly/replication-monitored';
import { findingsOf, Mutable, PHI_BUCKET } from './assembly-fixture';

type T = Record<string, Mutable>;
const archive = (t: T) => t.audit.Resources.FindingsArchive.Properties;
const rule = (t: T) => archive(t).ReplicationConfiguration.Rules[0];
const alarm = (t: T) => t.audit.Resources.FindingsArchiveFailedReplication.Properties;
const REPLICA_BUCKET = 'app-prod-phi-replica-123456789012-us-west-2';
const ACTION = ['arn:aws:lambda:us-east-1:123456789012:function:formatter'];

const arnOf = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${name}`]] });
const replicationTo = (name: string, region: string) => ({
  Role: { 'Fn::GetAtt': ['ReplicationRole', 'Arn'] },
  Rules: [
    {
      Id: `ReplicateTo-${region}`,
      Status: 'Enabled',
      Priority: 1,
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: { Bucket: arnOf(name), Metrics: { Status: 'Enabled' } },
    },
  ],
});
const failedAlarm = (bucketId: string, destination: string, region: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Namespace: 'AWS/S3',
    MetricName: 'OperationsFailedReplication',
    Dimensions: [
      { Name: 'SourceBucket', Value: { Ref: bucketId } },
      { Name: 'DestinationBucket', Value: destination },
      { Name: 'RuleId', Value: `ReplicateTo-${region}` },
    ],
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    AlarmActions: ACTION,
  },
});

const stallAlarm = (destinationId: string, actions?: string[]) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 3,
    Threshold: 3600,
    ...(actions ? { AlarmActions: actions } : {}),
    Metrics: [
      {
        Id: 'q',
        Period: 300,
        Expression: {
          'Fn::Join': [
            '',
            [
              `SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = '`,
              { Ref: destinationId },
              "'",
            ],
          ],
        },
      },
    ],
  },
});

/**
 * The PHI bucket replicates to the PHI replica (failed-replication alarm), which replicates back (failover direction,
 * no failed-replication alarm); a stall alarm in each destination's stack (forwarded from the replica stack).
 */
function withPhiPair(t: T): void {
  const phi = Object.values(t.data.Resources as Record<string, Mutable>).find(
    (r) => r.Type === 'AWS::S3::Bucket' && r.Properties?.BucketName === PHI_BUCKET,
  );
  if (phi === undefined) throw new Error('fixture: no PHI bucket');
  const phiId = Object.keys(t.data.Resources).find((k) => t.data.Resources[k] === phi)!;
  phi.Properties.ReplicationConfiguration = replicationTo(REPLICA_BUCKET, 'us-west-2');
  t.data.Resources.PhiFailedReplication = failedAlarm(phiId, REPLICA_BUCKET, 'us-west-2');
  t.phiReplica.Resources.PhiReplica = {
    Type: 'AWS::S3::Bucket',
    Properties: { BucketName: REPLICA_BUCKET, ReplicationConfiguration: replicationTo(PHI_BUCKET, 'us-east-1') },
  };
  t.phiReplica.Resources.PhiReplicaStall = stallAlarm('PhiReplica');
  t.phiReplica.Resources.PhiReplicaStallForward = JSON.parse(
    JSON.stringify(t.phiReplica.Resources.AuditReplicaStallForward).replace(
      'AuditReplicaStallAlarm',
      'PhiReplicaStall',
    ),
  );
  t.data.Resources.PhiStall = stallAlarm(phiId, ACTION);
}
const phiAlarm = (t: T) => t.data.Resources.PhiFailedReplication.Properties;
const stall = (t: T) => t.phiReplica.Resources.AuditReplicaStallAlarm.Properties;
const forward = (t: T) => t.phiReplica.Resources.AuditReplicaStallForward.Properties;
const receive = (t: T) => t.alerting.Resources.ForwardedAlarms.Properties;

describe('ReplicationMonitored', () => {
  test('I2 D1 the findings archive with metrics and its failed-replication alarm: no finding', () => {
    expect(findingsOf(ReplicationMonitored)).toEqual([]);
  });

  test('I2 D1 a two-way pair alarmed in the primary direction: the failover direction needs metrics only', () => {
    expect(findingsOf(ReplicationMonitored, withPhiPair)).toEqual([]);
  });

  test.each<[string, (t: T) => void, string[]]>([
    ['metrics off', (t) => delete rule(t).Destination.Metrics, ['[metrics-off-ReplicateTo-us-west-2] FindingsArchive']],
    [
      'metrics disabled',
      (t) => (rule(t).Destination.Metrics.Status = 'Disabled'),
      ['[metrics-off-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm removed',
      (t) => delete t.audit.Resources.FindingsArchiveFailedReplication,
      ['[no-failed-alarm-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm on another bucket',
      (t) => (alarm(t).Dimensions[2].Value = { Ref: 'SomeOtherBucket' }),
      ['[no-failed-alarm-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm on another rule',
      (t) => (alarm(t).Dimensions[1].Value = 'ReplicateTo-eu-west-1'),
      ['[no-failed-alarm-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm without its DestinationBucket dimension (no such metric)',
      (t) => alarm(t).Dimensions.splice(0, 1),
      ['[no-failed-alarm-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm on another metric',
      (t) => (alarm(t).MetricName = 'OperationsPendingReplication'),
      ['[no-failed-alarm-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm in another stack (another region)',
      (t) => {
        t.detection.Resources.Moved = t.audit.Resources.FindingsArchiveFailedReplication;
        delete t.audit.Resources.FindingsArchiveFailedReplication;
      },
      ['[no-failed-alarm-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm without action',
      (t) => delete alarm(t).AlarmActions,
      ['[failed-alarm-no-action-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm with actions disabled',
      (t) => (alarm(t).ActionsEnabled = false),
      ['[failed-alarm-no-action-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm on the average',
      (t) => (alarm(t).Statistic = 'Average'),
      ['[failed-alarm-statistic-Average-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm over an hour',
      (t) => (alarm(t).Period = 3600),
      ['[failed-alarm-period-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm firing from two failures',
      (t) => (alarm(t).Threshold = 2),
      ['[failed-alarm-threshold-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm firing above one failure',
      (t) => (alarm(t).ComparisonOperator = 'GreaterThanThreshold'),
      ['[failed-alarm-threshold-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm firing below the threshold',
      (t) => (alarm(t).ComparisonOperator = 'LessThanThreshold'),
      ['[failed-alarm-threshold-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm needing three breaching periods',
      (t) => (alarm(t).EvaluationPeriods = 3),
      ['[failed-alarm-datapoints-ReplicateTo-us-west-2] FindingsArchive'],
    ],
    [
      'the alarm needing two datapoints',
      (t) => {
        alarm(t).EvaluationPeriods = 3;
        alarm(t).DatapointsToAlarm = 2;
      },
      ['[failed-alarm-datapoints-ReplicateTo-us-west-2] FindingsArchive'],
    ],
  ])('I2 D1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(ReplicationMonitored, mutate)).toEqual(expected);
  });

  test('I2 D1 a two-way pair with the primary alarm removed: both directions are findings', () => {
    expect(
      findingsOf(ReplicationMonitored, (t) => {
        withPhiPair(t);
        delete t.data.Resources.PhiFailedReplication;
      }),
    ).toEqual([
      '[no-failed-alarm-ReplicateTo-us-east-1] PhiReplica',
      expect.stringMatching(/^\[no-failed-alarm-ReplicateTo-us-west-2\] /),
    ]);
  });

  test('I2 D1 a two-way pair whose primary alarm has no action: the failover direction is not exempt', () => {
    const found = findingsOf(ReplicationMonitored, (t) => {
      withPhiPair(t);
      delete phiAlarm(t).AlarmActions;
    });
    expect(found).toContain('[no-failed-alarm-ReplicateTo-us-east-1] PhiReplica');
    expect(found.some((f) => f.startsWith('[failed-alarm-no-action-ReplicateTo-us-west-2]'))).toBe(true);
  });

  test.each<[string, (t: T) => void, string]>([
    ['the stall alarm removed', (t) => delete t.phiReplica.Resources.AuditReplicaStallAlarm, 'no-stall-alarm'],
    [
      'the stall alarm on another destination bucket',
      (t) => (stall(t).Metrics[0].Expression['Fn::Join'][1][1] = { Ref: 'SomeOtherBucket' }),
      'no-stall-alarm',
    ],
    [
      'the stall alarm on the average latency',
      (t) =>
        (stall(t).Metrics[0].Expression['Fn::Join'][1][0] = stall(t).Metrics[0].Expression['Fn::Join'][1][0].replace(
          'MAX(',
          'AVG(',
        )),
      'no-stall-alarm',
    ],
    ['the stall alarm after a day', (t) => (stall(t).Threshold = 86400), 'stall-alarm-threshold'],
    [
      'the stall alarm firing below the bound',
      (t) => (stall(t).ComparisonOperator = 'LessThanThreshold'),
      'stall-alarm-threshold',
    ],
    ['the stall alarm needing a day of breaches', (t) => (stall(t).EvaluationPeriods = 288), 'stall-alarm-window'],
    [
      'the forwarding rule removed',
      (t) => delete t.phiReplica.Resources.AuditReplicaStallForward,
      'stall-alarm-silent',
    ],
    ['the forwarding rule disabled', (t) => (forward(t).State = 'DISABLED'), 'stall-alarm-silent'],
    [
      'the forwarding rule forwarding another alarm',
      (t) => (forward(t).EventPattern.resources = [{ 'Fn::GetAtt': ['OtherAlarm', 'Arn'] }]),
      'stall-alarm-silent',
    ],
    [
      'the forwarding rule targeting a queue, not an event bus',
      (t) => (forward(t).Targets[0].Arn = 'arn:aws:sqs:us-west-2:123456789012:q'),
      'stall-alarm-silent',
    ],
    ['the receiving rule removed', (t) => delete t.alerting.Resources.ForwardedAlarms, 'stall-alarm-silent'],
    [
      'the receiving rule limited to its own region (forwarded events keep theirs)',
      (t) => (receive(t).EventPattern.region = ['us-east-1']),
      'stall-alarm-silent',
    ],
    [
      'the receiving rule targeting no function',
      (t) => (receive(t).Targets[0].Arn = 'arn:aws:sns:us-east-1:123456789012:topic'),
      'stall-alarm-silent',
    ],
  ])('I2 D1 %s is a finding on the source replicating into the audit replica', (_name, mutate, id) => {
    expect(findingsOf(ReplicationMonitored, mutate)).toEqual([`[${id}-ReplicateTo-us-west-2] FindingsArchive`]);
  });

  test('I2 D1 a stall alarm with its own action needs no forwarding', () => {
    expect(
      findingsOf(ReplicationMonitored, (t) => {
        delete t.phiReplica.Resources.AuditReplicaStallForward;
        stall(t).AlarmActions = ACTION;
      }),
    ).toEqual([]);
  });

  test('I2 D1 the two-way pair without the stall alarm of the direction back (in the primary stack)', () => {
    expect(
      findingsOf(ReplicationMonitored, (t) => {
        withPhiPair(t);
        delete t.data.Resources.PhiStall;
      }),
    ).toEqual(['[no-stall-alarm-ReplicateTo-us-east-1] PhiReplica']);
  });

  test('I2 D1 the failover direction still needs its metrics', () => {
    expect(
      findingsOf(ReplicationMonitored, (t) => {
        withPhiPair(t);
        delete t.phiReplica.Resources.PhiReplica.Properties.ReplicationConfiguration.Rules[0].Destination.Metrics;
      }),
    ).toEqual(['[metrics-off-ReplicateTo-us-east-1] PhiReplica']);
  });

  test.each<[string, (t: T) => void]>([
    ['an empty Filter', (t) => (rule(t).Filter = {})],
    ['an And of an empty prefix and no tags', (t) => (rule(t).Filter = { And: { Prefix: '', Tags: [] } })],
    ['no DeleteMarkerReplication under a Filter (V2: not replicated)', (t) => delete rule(t).DeleteMarkerReplication],
    [
      'another rule into a bucket outside the assembly (S3 copies to each destination apart)',
      (t) =>
        archive(t).ReplicationConfiguration.Rules.push({
          ...rule(t),
          Id: 'Elsewhere',
          Priority: 2,
          Filter: { Prefix: 'x/' },
          Destination: { Bucket: 'arn:aws:s3:::not-in-the-assembly' },
        }),
    ],
  ])('I1 I2 a replication rule copying every object: %s is no coverage finding', (_name, mutate) => {
    expect(findingsOf(ReplicationMonitored, mutate).filter((f) => f.includes('::'))).toEqual([]);
  });

  test.each<[string, (t: T) => void, string]>([
    ['a prefix filter', (t) => (rule(t).Filter = { Prefix: 'archive-never/' }), 'partial'],
    ['a tag filter', (t) => (rule(t).Filter = { TagFilter: { Key: 'replicate', Value: 'yes' } }), 'partial'],
    [
      'an And of a prefix and tags',
      (t) => (rule(t).Filter = { And: { Prefix: 'a/', Tags: [{ Key: 'k', Value: 'v' }] } }),
      'partial',
    ],
    [
      'a filter only deploy resolves',
      (t) => (rule(t).Filter = { 'Fn::If': ['C', { Prefix: '' }, { Prefix: 'a/' }] }),
      'partial',
    ],
    [
      'a top-level prefix without Filter (V1)',
      (t) => {
        delete rule(t).Filter;
        delete rule(t).DeleteMarkerReplication;
        rule(t).Prefix = 'a/';
      },
      'partial',
    ],
    ['delete markers replicated', (t) => (rule(t).DeleteMarkerReplication = { Status: 'Enabled' }), 'delete-markers'],
    [
      'no Filter (V1 replicates delete markers)',
      (t) => {
        delete rule(t).Filter;
        delete rule(t).DeleteMarkerReplication;
      },
      'delete-markers',
    ],
    ['the rule disabled', (t) => (rule(t).Status = 'Disabled'), 'rule-disabled'],
    ['SSE-KMS objects not selected', (t) => delete rule(t).SourceSelectionCriteria, 'kms-objects-skipped'],
    [
      'SSE-KMS objects disabled',
      (t) => (rule(t).SourceSelectionCriteria.SseKmsEncryptedObjects.Status = 'Disabled'),
      'kms-objects-skipped',
    ],
  ])('I1 I2 a replication rule into the replica with %s is a finding', (_name, mutate, kind) => {
    expect(findingsOf(ReplicationMonitored, mutate)).toContain(`[ReplicateTo-us-west-2::${kind}] FindingsArchive`);
  });

  test('I1 I2 a narrowed PHI bucket rule in a two-way pair is a finding on the PHI bucket', () => {
    const found = findingsOf(ReplicationMonitored, (t) => {
      withPhiPair(t);
      const phi = Object.values(t.data.Resources as Record<string, Mutable>).find(
        (r) => r.Properties?.BucketName === PHI_BUCKET,
      )!;
      phi.Properties.ReplicationConfiguration.Rules[0].Filter = { Prefix: 'archive-never/' };
    });
    expect(found).toEqual([expect.stringMatching(/^\[ReplicateTo-us-west-2::partial\] /)]);
  });
});
