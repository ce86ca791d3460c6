/**
 * alarm-facts on CloudWatch Metrics Insights query alarms (the replication stall alarm: `SELECT MAX(ReplicationLatency)
 * FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = '<bucket>'`), and the aspect
 * each reason is about (alarmProblems).
 */
import {
  alarmFacts,
  AlarmExpectation,
  alarmProblems,
  QUIET_WITHOUT_DATA,
  readsMetric,
  whyAlarmCannotFire,
} from '../../../../lib/compliance/gate/assembly/alarm-facts';
import { JsonResource, localTarget } from '../../../../lib/compliance/gate/core/template-json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

const QUERY_START =
  'SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE DestinationBucket = \'';

/** The stall alarm as ReplicationStallAlarm deploys it. */
const stallAlarm = (): Mutable => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 3,
    Threshold: 3600,
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: 'Topic' }],
    Metrics: [
      {
        Id: 'expr_1',
        ReturnData: true,
        Period: 300,
        Expression: { 'Fn::Join': ['', [QUERY_START, { Ref: 'Replica' }, "'"]] },
      },
    ],
  },
});

const STALL: AlarmExpectation = {
  metric: {
    namespace: 'AWS/S3',
    name: 'ReplicationLatency',
    dimensions: { DestinationBucket: (v) => localTarget(v) === 'Replica' },
    insights: { aggregation: 'MAX', schema: ['DestinationBucket', 'RuleId', 'SourceBucket'] },
  },
  statistics: ['Maximum'],
  maxPeriodSeconds: 3600,
  maxTimeToAlarmSeconds: 3600,
  trigger: { above: 3600 },
  quietAt: 0,
  missingData: QUIET_WITHOUT_DATA,
};

const mutate = (change: (p: Mutable) => void): JsonResource => {
  const r = stallAlarm();
  change(r.Properties);
  return r as JsonResource;
};
/** Sets the query text (a literal string). */
const query = (text: string) => (p: Mutable) => (p.Metrics[0].Expression = text);

describe('alarmFacts: a Metrics Insights query', () => {
  test('is a metric read: namespace, metric, the WHERE equalities as dimensions, the aggregation as statistic', () => {
    const facts = alarmFacts(stallAlarm() as JsonResource);
    expect(facts.kind).toBe('math');
    expect(facts.metrics).toEqual([
      {
        id: 'expr_1',
        namespace: 'AWS/S3',
        name: 'ReplicationLatency',
        dimensions: { DestinationBucket: { Ref: 'Replica' } },
        statistic: 'Maximum',
        period: 300,
        unit: undefined,
        insights: { aggregation: 'MAX', schema: ['DestinationBucket', 'RuleId', 'SourceBucket'] },
      },
    ]);
    expect(facts.returned?.metric?.id).toBe('expr_1');
    expect(facts.period).toBe(300);
  });

  test('a literal bucket name, quoted keys, lower-case keywords and a value joined of parts', () => {
    const literal = alarmFacts(
      mutate(
        query(
          `select max("ReplicationLatency") from schema("AWS/S3", "DestinationBucket", RuleId, SourceBucket) where "DestinationBucket" = 'b-1'`,
        ),
      ),
    );
    expect(literal.metrics[0]).toMatchObject({
      name: 'ReplicationLatency',
      dimensions: { DestinationBucket: 'b-1' },
      insights: { aggregation: 'MAX' },
    });
    const joined = alarmFacts(
      mutate(
        (p) =>
          (p.Metrics[0].Expression = {
            'Fn::Join': ['', [QUERY_START, 'replica-', { Ref: 'AWS::AccountId' }, "'"]],
          }),
      ),
    );
    expect(joined.metrics[0]!.dimensions).toEqual({
      DestinationBucket: { 'Fn::Join': ['', ['replica-', { Ref: 'AWS::AccountId' }]] },
    });
  });
});

describe('whyAlarmCannotFire: the stall alarm (a Metrics Insights query)', () => {
  test('the alarm as deployed fires (ReturnData absent is CloudFormation default true)', () => {
    expect(whyAlarmCannotFire(stallAlarm() as JsonResource, STALL)).toEqual([]);
    expect(
      whyAlarmCannotFire(
        mutate((p) => delete p.Metrics[0].ReturnData),
        STALL,
      ),
    ).toEqual([]);
  });

  test.each<[string, (p: Mutable) => void]>([
    ['another aggregation (AVG)', query(`${QUERY_START}x'`.replace('MAX(', 'AVG('))],
    ['another destination bucket', (p) => (p.Metrics[0].Expression['Fn::Join'][1][1] = { Ref: 'Other' })],
    [
      'another schema (one key dropped)',
      (p) => (p.Metrics[0].Expression['Fn::Join'][1][0] = QUERY_START.replace(', SourceBucket', '')),
    ],
    [
      'the namespace without SCHEMA (every series of the metric)',
      (p) =>
        (p.Metrics[0].Expression['Fn::Join'][1][0] = QUERY_START.replace(
          'SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket)',
          '"AWS/S3"',
        )),
    ],
    ['a GROUP BY after the WHERE', (p) => (p.Metrics[0].Expression['Fn::Join'][1][2] = "' GROUP BY RuleId")],
    ['a LIMIT after the WHERE', (p) => (p.Metrics[0].Expression['Fn::Join'][1][2] = "' LIMIT 0")],
    [
      'another operator in the WHERE',
      (p) => (p.Metrics[0].Expression['Fn::Join'][1][0] = QUERY_START.replace("= '", "!= '")),
    ],
    ['an OR in the WHERE', (p) => (p.Metrics[0].Expression['Fn::Join'][1][2] = "' OR DestinationBucket = 'other'")],
    ['another metric', (p) => (p.Metrics[0].Expression['Fn::Join'][1][0] = QUERY_START.replace('Latency', 'Lag'))],
  ])('%s: the alarm does not read the metric', (_name, change) => {
    const alarm = mutate(change);
    expect(readsMetric(alarm, STALL.metric)).toBe(false);
    expect(whyAlarmCannotFire(alarm, STALL)).toEqual([
      'reads no AWS/S3 ReplicationLatency with the required dimensions',
    ]);
  });

  test('the query is not the metric itself, nor the metric the query', () => {
    const metric = { namespace: 'AWS/S3', name: 'ReplicationLatency', dimensions: STALL.metric.dimensions };
    expect(readsMetric(stallAlarm() as JsonResource, metric)).toBe(false);
    const plain = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/S3',
        MetricName: 'ReplicationLatency',
        Dimensions: [{ Name: 'DestinationBucket', Value: { Ref: 'Replica' } }],
        Statistic: 'Maximum',
        Period: 300,
      },
    };
    expect(readsMetric(plain, metric)).toBe(true);
    expect(readsMetric(plain, STALL.metric)).toBe(false);
  });

  test.each<[string, (p: Mutable) => void, string]>([
    [
      'the query not returning, an expression multiplying it by 0 returning instead',
      (p) => {
        p.Metrics[0].ReturnData = false;
        p.Metrics.push({ Id: 'hide', Expression: 'expr_1*0', ReturnData: true });
      },
      'Metrics return expr_1*0: the alarm must evaluate AWS/S3 ReplicationLatency (another expression can hide the metric)',
    ],
    [
      'the query not returning (the string "false"), nothing else returning',
      (p) => (p.Metrics[0].ReturnData = 'false'),
      'Metrics return data from 0 queries: an alarm evaluates exactly one query',
    ],
    [
      'another query returning data besides',
      (p) => p.Metrics.push({ Id: 'other', Expression: 'expr_1', Period: 300 }),
      'Metrics return data from 2 queries: an alarm evaluates exactly one query',
    ],
    [
      'an extra equality in the WHERE (another series)',
      (p) => (p.Metrics[0].Expression['Fn::Join'][1][2] = "' AND RuleId = 'none'"),
      'Dimensions (metric expr_1) RuleId=none: must be exactly DestinationBucket (another dimension selects another series)',
    ],
    [
      'a day-long period',
      (p) => (p.Metrics[0].Period = 86400),
      'Period (metric expr_1) 86400 s: must be at most 3600 s',
    ],
    ['no period', (p) => delete p.Metrics[0].Period, 'Period (metric expr_1) absent: must be a number of seconds'],
    [
      'missing data breaching (always in ALARM while nothing replicates)',
      (p) => (p.TreatMissingData = 'breaching'),
      'TreatMissingData breaching: must be notBreaching or missing',
    ],
    [
      'missing data ignored (ALARM kept through the silence after one breach)',
      (p) => (p.TreatMissingData = 'ignore'),
      'TreatMissingData ignore: must be notBreaching or missing',
    ],
    [
      'a negative threshold (in ALARM at a latency of 0)',
      (p) => (p.Threshold = -1),
      'ComparisonOperator GreaterThanThreshold with Threshold -1 breaches at 0 too: the alarm would stay in ALARM and notify once only',
    ],
    [
      'a day of breaching periods',
      (p) => (p.EvaluationPeriods = 288),
      'Period x DatapointsToAlarm = 300 s x 288 = 86400 s to alarm: must be at most 3600 s',
    ],
    [
      'actions disabled (the string "false")',
      (p) => (p.ActionsEnabled = 'false'),
      'ActionsEnabled is false: must be true (or absent)',
    ],
  ])('%s is a reason', (_name, change, reason) => {
    expect(whyAlarmCannotFire(mutate(change), STALL)).toEqual([reason]);
  });
});

describe('alarmProblems: the aspect of each reason', () => {
  const FAILED: AlarmExpectation = {
    metric: { namespace: 'AWS/Events', name: 'FailedInvocations', dimensions: { RuleName: 'r' } },
    statistics: ['Sum'],
    maxPeriodSeconds: 300,
    trigger: { atLeast: 1 },
    quietAt: 0,
    missingData: QUIET_WITHOUT_DATA,
  };
  const failed = (change: (p: Mutable) => void = () => undefined): JsonResource => {
    const p: Mutable = {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: 'r' }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:t'],
    };
    change(p);
    return { Type: 'AWS::CloudWatch::Alarm', Properties: p };
  };

  test('the alarm as deployed has none', () => {
    expect(alarmProblems(failed(), FAILED)).toEqual([]);
  });

  test.each<[string, (p: Mutable) => void, string, unknown]>([
    ['Unit Percent', (p) => (p.Unit = 'Percent'), 'unit', 'Percent'],
    ['ActionsEnabled "false"', (p) => (p.ActionsEnabled = 'false'), 'actions', false],
    ['no action', (p) => delete p.AlarmActions, 'actions', undefined],
    ['missing data breaching', (p) => (p.TreatMissingData = 'breaching'), 'missing-data', 'breaching'],
    [
      'an extra dimension',
      (p) => p.Dimensions.push({ Name: 'EventBusName', Value: 'x' }),
      'dimensions',
      ['EventBusName'],
    ],
    ['a negative threshold', (p) => (p.Threshold = -1), 'quiet', undefined],
    ['a threshold of 5', (p) => (p.Threshold = 5), 'trigger', undefined],
    ['Average', (p) => (p.Statistic = 'Average'), 'statistic', 'Average'],
    ['a day-long period', (p) => (p.Period = 86400), 'period', 86400],
    ['two datapoints', (p) => (p.EvaluationPeriods = 2), 'time-to-alarm', undefined],
    ['more datapoints than periods', (p) => (p.DatapointsToAlarm = 2), 'datapoints', undefined],
  ])('%s', (_name, change, aspect, value) => {
    const problems = alarmProblems(failed(change), FAILED);
    expect(problems.map((p) => p.aspect)).toEqual([aspect]);
    expect(problems[0]!.value).toEqual(value);
  });
});
