/**
 * S3 Replication metrics (I2, D1) in the cost estimate: billed as CloudWatch custom metrics, three fixed per rule with
 * metrics enabled (bytes pending, latency, operations pending), the failed-operations metric as usage.
 */
import { alarmMetrics, CfnResource, estimateCost } from '../../lib/cost';
import { fixturePrices, stack } from './fixtures';

const prices = fixturePrices();
const bucket = (rules: unknown[]): CfnResource => ({
  Type: 'AWS::S3::Bucket',
  Properties: { ReplicationConfiguration: { Role: 'arn:aws:iam::123456789012:role/r', Rules: rules } },
});
const rule = (metrics: string | undefined, status = 'Enabled') => ({
  Id: 'ReplicateTo-us-west-2',
  Status: status,
  Destination: { Bucket: 'arn:aws:s3:::b', ...(metrics ? { Metrics: { Status: metrics } } : {}) },
});

describe('S3 Replication metrics pricing', () => {
  test('I2 a rule with metrics enabled: 3 custom metric-months fixed, the failed-operations metric as usage', () => {
    const e = estimateCost([stack({ B: bucket([rule('Enabled')]) })], prices);
    expect(e.lines.map((l) => [l.logicalId, l.category, l.quantity])).toEqual([['B', 'CloudWatch custom metrics', 3]]);
    expect(e.totalUsd).toBeCloseTo(0.9, 9);
    const failed = e.usage.find((u) => u.what === 'S3 Replication metric OperationsFailedReplication');
    expect(failed?.resources.map((r) => r.logicalId)).toEqual(['B']);
  });

  test('I2 two metered rules are 6 metric-months', () => {
    const e = estimateCost([stack({ B: bucket([rule('Enabled'), { ...rule('Enabled'), Id: 'Second' }]) })], prices);
    expect(e.totalUsd).toBeCloseTo(1.8, 9);
  });

  test('I2 no metrics, metrics disabled, a disabled rule, or no replication: storage usage only, no fixed line', () => {
    for (const b of [
      bucket([rule(undefined)]),
      bucket([rule('Disabled')]),
      bucket([rule('Enabled', 'Disabled')]),
      { Type: 'AWS::S3::Bucket', Properties: {} },
    ]) {
      const e = estimateCost([stack({ B: b })], prices);
      expect(e.lines).toEqual([]);
      expect(e.usage.map((u) => u.priceId)).toEqual(['s3.standard.gbMonth']);
    }
  });

  test('I2 a Metrics Insights query alarm (the stall alarm) is priced as one alarm metric, not left unpriced', () => {
    const query = {
      'Fn::Join': [
        '',
        [
          'SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = \'',
          { Ref: 'B' },
          "'",
        ],
      ],
    };
    const alarm: CfnResource = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Metrics: [{ Id: 'q', Expression: query, Period: 300, ReturnData: true }] },
    };
    expect(alarmMetrics(alarm.Properties!)).toMatchObject({ count: 1, highResolution: false });
    const e = estimateCost([stack({ A: alarm })], prices);
    expect(e.notPriced).toEqual([]);
    expect(e.totalUsd).toBeCloseTo(0.1, 9);
    expect(alarmMetrics({ Metrics: [{ Id: 'e', Expression: 'm1 + m2' }] }).count).toBe(0);
  });
});
