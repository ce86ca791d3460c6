import {
  alarmFacts,
  AlarmExpectation,
  alarmFires,
  judgeAlarms,
  mutedText,
  notifies,
  readsMetric,
  whyAlarmCannotFire,
} from '../../../../lib/compliance/gate/assembly/alarm-facts';
import { AssemblyStack, JsonResource } from '../../../../lib/compliance/gate/core/template-json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

/** A metric-filter count alarm as SecurityAlarms deploys it (one event raises it). */
const countAlarm = (): Mutable => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Namespace: 'HipaaBlueprint/Security',
    MetricName: 'RootAccountUsage',
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: 'Topic' }],
  },
});
const FIRES_ON_ONE: AlarmExpectation = {
  metric: { namespace: 'HipaaBlueprint/Security', name: 'RootAccountUsage' },
  statistics: ['Sum', 'Maximum'],
  maxPeriodSeconds: 300,
  trigger: { atLeast: 1 },
  quietAt: 0,
};

const mutate = (base: () => Mutable, change: (p: Mutable) => void): JsonResource => {
  const r = base();
  change(r.Properties);
  return r as JsonResource;
};

describe('alarmFacts', () => {
  test('a single-metric alarm: its metric, statistic, period, defaults for datapoints and missing data', () => {
    const r = mutate(countAlarm, (p) => delete p.TreatMissingData);
    const facts = alarmFacts(r);
    expect(facts).toMatchObject({
      kind: 'metric',
      period: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      treatMissingData: 'missing',
      actions: 1,
      actionsEnabled: true,
    });
    expect(facts.metrics).toEqual([
      {
        namespace: 'HipaaBlueprint/Security',
        name: 'RootAccountUsage',
        dimensions: {},
        statistic: 'Sum',
        period: 300,
        unit: undefined,
      },
    ]);
  });

  test('an extended statistic is the statistic', () => {
    const r = mutate(countAlarm, (p) => {
      delete p.Statistic;
      p.ExtendedStatistic = 'p99';
    });
    expect(alarmFacts(r).metrics[0]!.statistic).toBe('p99');
  });

  test('an anomaly alarm: the band, its standard deviations and the evaluated metric', () => {
    const facts = alarmFacts(anomalyAlarm() as JsonResource);
    expect(facts.kind).toBe('anomaly');
    expect(facts.bandStdDevs).toBe(3);
    expect(facts.bandMetricId).toBe('m0');
    expect(facts.returned?.metric?.name).toBe('PhiObjectAccess');
    expect(facts.datapointsToAlarm).toBe(2);
  });
});

describe('whyAlarmCannotFire: a count alarm that must fire on one event', () => {
  test('the alarm as deployed fires', () => {
    expect(whyAlarmCannotFire(countAlarm() as JsonResource, FIRES_ON_ONE)).toEqual([]);
    expect(alarmFires(countAlarm() as JsonResource, FIRES_ON_ONE)).toBe(true);
  });

  test('> 0 is the same as >= 1 on a count, and Maximum is accepted where the expectation allows it', () => {
    const r = mutate(countAlarm, (p) => {
      p.ComparisonOperator = 'GreaterThanThreshold';
      p.Threshold = 0;
      p.Statistic = 'Maximum';
    });
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual([]);
  });

  test.each<[string, (p: Mutable) => void, RegExp]>([
    ['Statistic SampleCount', (p) => (p.Statistic = 'SampleCount'), /^Statistic SampleCount: must be Sum or Maximum$/],
    ['Statistic Minimum', (p) => (p.Statistic = 'Minimum'), /^Statistic Minimum: must be Sum or Maximum$/],
    ['Statistic Average', (p) => (p.Statistic = 'Average'), /^Statistic Average: must be Sum or Maximum$/],
    [
      'an extended statistic p10',
      (p) => {
        delete p.Statistic;
        p.ExtendedStatistic = 'p10';
      },
      /^Statistic p10: must be Sum or Maximum$/,
    ],
    ['a period of one day', (p) => (p.Period = 86400), /^Period 86400 s: must be at most 300 s$/],
    ['no period', (p) => delete p.Period, /^Period absent: must be a number of seconds$/],
    [
      'DatapointsToAlarm above EvaluationPeriods',
      (p) => (p.DatapointsToAlarm = 3),
      /^DatapointsToAlarm 3 is above EvaluationPeriods 1: the alarm can never fire$/,
    ],
    [
      'more evaluation periods than the time allowed',
      (p) => (p.EvaluationPeriods = 12),
      /^Period x DatapointsToAlarm = 300 s x 12 = 3600 s to alarm: must be at most 300 s$/,
    ],
    ['EvaluationPeriods 0', (p) => (p.EvaluationPeriods = 0), /^EvaluationPeriods 0: must be a whole number/],
    [
      'a threshold it never reaches',
      (p) => (p.Threshold = 1000000),
      /^ComparisonOperator GreaterThanOrEqualToThreshold with Threshold 1000000: must breach on every value >= 1$/,
    ],
    [
      '> 1 (two events needed)',
      (p) => (p.ComparisonOperator = 'GreaterThanThreshold'),
      /^ComparisonOperator GreaterThanThreshold with Threshold 1: must breach on every value >= 1$/,
    ],
    [
      'the comparison reversed',
      (p) => (p.ComparisonOperator = 'LessThanThreshold'),
      /^ComparisonOperator LessThanThreshold with Threshold 1: must breach on every value >= 1$/,
    ],
    [
      'a threshold that is always breached (stuck in ALARM)',
      (p) => {
        p.ComparisonOperator = 'GreaterThanOrEqualToThreshold';
        p.Threshold = 0;
      },
      /breaches at 0 too: the alarm would stay in ALARM and notify once only$/,
    ],
    [
      'the threshold as a reference',
      (p) => (p.Threshold = { Ref: 'Param' }),
      /^Threshold \{"Ref":"Param"\}: must be a literal number$/,
    ],
    [
      'ActionsEnabled false',
      (p) => (p.ActionsEnabled = false),
      /^ActionsEnabled is false: must be true \(or absent\)$/,
    ],
    [
      'ActionsEnabled a condition only deploy resolves',
      (p) => (p.ActionsEnabled = { 'Fn::If': ['Quiet', false, true] }),
      /^ActionsEnabled \{"Fn::If":\["Quiet",false,true\]\} is resolved only at deploy and may be false: must be true \(or absent\)$/,
    ],
    ['no AlarmActions', (p) => (p.AlarmActions = []), /^AlarmActions is empty: must notify/],
    [
      'an action that is AWS::NoValue (no action)',
      (p) => (p.AlarmActions = [{ Ref: 'AWS::NoValue' }]),
      /^AlarmActions \[\{"Ref":"AWS::NoValue"\}\] is empty when deployed \(AWS::NoValue is no action\): must notify/,
    ],
    [
      'an action a condition may remove',
      (p) => (p.AlarmActions = [{ 'Fn::If': ['Quiet', { Ref: 'Topic' }, { Ref: 'AWS::NoValue' }] }]),
      /^AlarmActions \[\{"Fn::If":.*\}\] may be empty when deployed \(a condition, or a value only deploy resolves\): must notify/,
    ],
    [
      'a list of actions a condition chooses (one of them empty)',
      (p) => (p.AlarmActions = { 'Fn::If': ['Quiet', [], [{ Ref: 'Topic' }]] }),
      /^AlarmActions \{"Fn::If":.*\} may be empty when deployed/,
    ],
    [
      'a list of actions only deploy resolves (a parameter)',
      (p) => (p.AlarmActions = { Ref: 'AlarmTopics' }),
      /^AlarmActions \{"Ref":"AlarmTopics"\} may be empty when deployed/,
    ],
    [
      'a period a condition chooses',
      (p) => (p.Period = { 'Fn::If': ['Long', 86400, 300] }),
      /^Period \{"Fn::If":\["Long",86400,300\]\}: must be a number of seconds$/,
    ],
    ['a period in words', (p) => (p.Period = 'five minutes'), /^Period five minutes: must be a number of seconds$/],
    ['a day-long period in its string form', (p) => (p.Period = '86400'), /^Period 86400 s: must be at most 300 s$/],
    [
      'a unit the metric is not published with',
      (p) => (p.Unit = 'Seconds'),
      /^Unit Seconds: must be absent \(only datapoints published with that unit count\)$/,
    ],
    [
      'an extra dimension (another series)',
      (p) => (p.Dimensions = [{ Name: 'ProductName', Value: 'Inspector' }]),
      /^Dimensions ProductName=Inspector: must be exactly none \(another dimension selects another series\)$/,
    ],
  ])('%s is a reason', (_name, change, reason) => {
    const reasons = whyAlarmCannotFire(mutate(countAlarm, change), FIRES_ON_ONE);
    expect(reasons.some((r) => reason.test(r))).toBe(true);
  });

  test('extra dimensions are accepted where the expectation allows them (one vault of several)', () => {
    const r = mutate(countAlarm, (p) => (p.Dimensions = [{ Name: 'BackupVaultName', Value: 'vault' }]));
    expect(
      whyAlarmCannotFire(r, { ...FIRES_ON_ONE, metric: { ...FIRES_ON_ONE.metric, extraDimensions: true } }),
    ).toEqual([]);
  });

  test('notifies: an action that is enabled', () => {
    expect(notifies(countAlarm() as JsonResource)).toBe(true);
    expect(notifies(mutate(countAlarm, (p) => (p.ActionsEnabled = false)))).toBe(false);
    expect(notifies(mutate(countAlarm, (p) => (p.ActionsEnabled = 'true')))).toBe(true);
    expect(notifies(mutate(countAlarm, (p) => (p.ActionsEnabled = { 'Fn::If': ['Quiet', false, true] })))).toBe(false);
    expect(notifies(mutate(countAlarm, (p) => (p.ActionsEnabled = { Ref: 'AlarmsOn' })))).toBe(false);
    expect(notifies(mutate(countAlarm, (p) => delete p.AlarmActions))).toBe(false);
  });

  test.each<[string, unknown, boolean]>([
    ['an action', [{ Ref: 'Topic' }], true],
    ['an action beside one that is AWS::NoValue', [{ Ref: 'AWS::NoValue' }, { Ref: 'Topic' }], true],
    ['an action a condition chooses between two topics', [{ 'Fn::If': ['Quiet', 'arn:a', 'arn:b'] }], true],
    ['an action that is AWS::NoValue', [{ Ref: 'AWS::NoValue' }], false],
    ['an action a condition may remove', [{ 'Fn::If': ['Quiet', { Ref: 'AWS::NoValue' }, { Ref: 'Topic' }] }], false],
    ['a list of actions a condition may empty', { 'Fn::If': ['Quiet', [], [{ Ref: 'Topic' }]] }, false],
    ['a list of actions only deploy resolves', { Ref: 'AlarmTopics' }, false],
  ])('notifies: only actions that surely exist count (%s: %j)', (_name, actions, expected) => {
    expect(notifies(mutate(countAlarm, (p) => (p.AlarmActions = actions)))).toBe(expected);
  });

  test('numbers in their string forms read as CloudFormation reads them ("300" is 300)', () => {
    const r = mutate(countAlarm, (p) => {
      p.Period = '300';
      p.Threshold = '1';
      p.EvaluationPeriods = '1';
      p.DatapointsToAlarm = '1';
    });
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual([]);
    expect(alarmFacts(r)).toMatchObject({ period: 300, threshold: 1, evaluationPeriods: 1, datapointsToAlarm: 1 });
    const defaulted = mutate(countAlarm, (p) => {
      p.EvaluationPeriods = '1';
      p.DatapointsToAlarm = { Ref: 'AWS::NoValue' };
      p.TreatMissingData = { Ref: 'AWS::NoValue' };
    });
    expect(alarmFacts(defaulted)).toMatchObject({ datapointsToAlarm: 1, treatMissingData: 'missing' });
  });

  test('another metric is not read at all', () => {
    const r = mutate(countAlarm, (p) => (p.MetricName = 'Other'));
    expect(readsMetric(r, FIRES_ON_ONE.metric)).toBe(false);
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual(['reads no HipaaBlueprint/Security RootAccountUsage']);
  });

  test('the missing data treatment a rule relies on', () => {
    const expectation: AlarmExpectation = { ...FIRES_ON_ONE, missingData: ['breaching'] };
    expect(whyAlarmCannotFire(countAlarm() as JsonResource, expectation)).toEqual([
      'TreatMissingData notBreaching: must be breaching',
    ]);
    const absent = mutate(countAlarm, (p) => delete p.TreatMissingData);
    expect(whyAlarmCannotFire(absent, expectation)).toEqual(['TreatMissingData missing: must be breaching']);
    const breaching = mutate(countAlarm, (p) => (p.TreatMissingData = 'breaching'));
    expect(whyAlarmCannotFire(breaching, expectation)).toEqual([]);
  });

  test('an allowed M of N within the time to alarm', () => {
    const expectation: AlarmExpectation = { ...FIRES_ON_ONE, maxTimeToAlarmSeconds: 900 };
    const r = mutate(countAlarm, (p) => {
      p.EvaluationPeriods = 5;
      p.DatapointsToAlarm = 3;
    });
    expect(whyAlarmCannotFire(r, expectation)).toEqual([]);
    const slow = mutate(countAlarm, (p) => {
      p.EvaluationPeriods = 5;
      p.DatapointsToAlarm = 4;
    });
    expect(whyAlarmCannotFire(slow, expectation)).toEqual([
      'Period x DatapointsToAlarm = 300 s x 4 = 1200 s to alarm: must be at most 900 s',
    ]);
  });

  test('several mutes are each named', () => {
    const r = mutate(countAlarm, (p) => {
      p.Statistic = 'SampleCount';
      p.Period = 86400;
      p.ActionsEnabled = false;
    });
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toHaveLength(3);
  });
});

describe('whyAlarmCannotFire: a metric math expression that hides the metric', () => {
  const asMath = (expression: string): JsonResource =>
    mutate(countAlarm, (p) => {
      const metric = { Namespace: p.Namespace, MetricName: p.MetricName };
      for (const k of ['Namespace', 'MetricName', 'Statistic', 'Period']) delete p[k];
      p.Metrics = [
        { Id: 'm0', MetricStat: { Metric: metric, Stat: 'Sum', Period: 300 }, ReturnData: false },
        { Id: 'e1', Expression: expression, ReturnData: true },
      ];
    });

  test('the metric returned through an identity expression fires', () => {
    expect(whyAlarmCannotFire(asMath('m0'), FIRES_ON_ONE)).toEqual([]);
  });

  test.each(['m0 * 0', 'm0 - 1', '0', 'FILL(m0, 0) / 1000'])('%s hides it', (expression) => {
    const reasons = whyAlarmCannotFire(asMath(expression), FIRES_ON_ONE);
    expect(reasons).toEqual([
      `Metrics return ${expression}: the alarm must evaluate HipaaBlueprint/Security RootAccountUsage (another expression can hide the metric)`,
    ]);
  });

  test('a day-long period on the evaluated expression is a reason', () => {
    const r = asMath('m0');
    (r.Properties!.Metrics as Mutable[])[1]!.Period = 86400;
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual([
      'Period 86400 s of the evaluated query: must be at most 300 s',
    ]);
  });

  test('the metric and its period in string forms fire as the numbers do', () => {
    const r = asMath('m0');
    (r.Properties!.Metrics as Mutable[])[0]!.MetricStat.Period = '300';
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual([]);
    expect(alarmFacts(r).period).toBe(300);
  });

  test.each<[string, (metrics: Mutable[]) => void, string]>([
    [
      'the evaluated expression s ReturnData a condition',
      (m) => (m[1]!.ReturnData = { 'Fn::If': ['Quiet', false, true] }),
      'ReturnData {"Fn::If":["Quiet",false,true]} of query e1',
    ],
    [
      'the metric s ReturnData a parameter (and the expression returning none)',
      (m) => {
        m[0]!.ReturnData = { Ref: 'ShowMetric' };
        m[1]!.ReturnData = false;
      },
      'ReturnData {"Ref":"ShowMetric"} of query m0',
    ],
    [
      'a query a condition chooses',
      (m) => (m[1] = { 'Fn::If': ['Quiet', { Id: 'e1', Expression: 'm0 * 0' }, m[1]] }),
      'query {"Fn::If":["Quiet",{"Id":"e1","Expression":"m0 * 0"},{"Id":"e1","Expression":"m0","ReturnData":true}]}',
    ],
  ])('%s: the query the alarm evaluates only deploy knows, a reason', (_name, change, what) => {
    const r = asMath('m0');
    change(r.Properties!.Metrics as Mutable[]);
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual([
      `${what} only deploy resolves: which query the alarm evaluates must be known (ReturnData true or false)`,
    ]);
  });

  test('ReturnData in its string form, or AWS::NoValue (the default, true), is known', () => {
    const r = asMath('m0');
    (r.Properties!.Metrics as Mutable[])[0]!.ReturnData = 'false';
    (r.Properties!.Metrics as Mutable[])[1]!.ReturnData = { Ref: 'AWS::NoValue' };
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual([]);
  });

  test('two queries returning data is not an alarm CloudWatch evaluates', () => {
    const r = asMath('m0');
    (r.Properties!.Metrics as Mutable[])[0]!.ReturnData = true;
    expect(whyAlarmCannotFire(r, FIRES_ON_ONE)).toEqual([
      'Metrics return data from 2 queries: an alarm evaluates exactly one query',
    ]);
  });

  const SILENCE = 'IF($AWS/ApplicationELB/RequestCount > 0 AND FILL($AWS/Firehose/IncomingRecords, 0) == 0, 1, 0)';
  const silence = (expression: string, ids = ['requests', 'records']): JsonResource =>
    ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmActions: ['topic'],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Metrics: [
          { Id: 'expr_1', Expression: expression, ReturnData: true },
          {
            Id: ids[0],
            MetricStat: {
              Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' },
              Stat: 'Sum',
              Period: 300,
            },
            ReturnData: false,
          },
          {
            Id: ids[1],
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Firehose',
                MetricName: 'IncomingRecords',
                Dimensions: [{ Name: 'DeliveryStreamName', Value: 'app-prod-api-access-audit' }],
              },
              Stat: 'Sum',
              Period: 300,
            },
            ReturnData: false,
          },
        ],
      },
    }) as JsonResource;
  const SILENCE_EXPECTED: AlarmExpectation = {
    metric: {
      namespace: 'AWS/Firehose',
      name: 'IncomingRecords',
      dimensions: { DeliveryStreamName: 'app-prod-api-access-audit' },
    },
    statistics: ['Sum'],
    maxPeriodSeconds: 300,
    trigger: { atLeast: 1 },
    quietAt: 0,
    maxTimeToAlarmSeconds: 900,
    expressions: [SILENCE],
  };

  test('an allowed expression fires, whatever its query ids', () => {
    expect(whyAlarmCannotFire(silence('IF(requests > 0 AND FILL(records, 0) == 0, 1, 0)'), SILENCE_EXPECTED)).toEqual(
      [],
    );
    expect(whyAlarmCannotFire(silence('IF(a>0 AND FILL(b,0)==0,1,0)', ['a', 'b']), SILENCE_EXPECTED)).toEqual([]);
  });

  test('the expression weakened (never 1) is a reason', () => {
    expect(whyAlarmCannotFire(silence('IF(requests > 0 AND FILL(records, 0) == 0, 0, 0)'), SILENCE_EXPECTED)).toEqual([
      `Metrics return IF(requests > 0 AND FILL(records, 0) == 0, 0, 0): the alarm must evaluate AWS/Firehose IncomingRecords or ${SILENCE} (another expression can hide the metric)`,
    ]);
  });

  test('the stream metric of another stream is not read', () => {
    const other: AlarmExpectation = {
      ...SILENCE_EXPECTED,
      metric: { ...SILENCE_EXPECTED.metric, dimensions: { DeliveryStreamName: 'other' } },
    };
    expect(readsMetric(silence('IF(requests > 0 AND FILL(records, 0) == 0, 1, 0)'), other.metric)).toBe(false);
  });

  test('a math alarm without a period on the evaluated query takes its metrics period', () => {
    expect(alarmFacts(silence('IF(requests > 0 AND FILL(records, 0) == 0, 1, 0)')).period).toBe(300);
  });
});

function anomalyAlarm(): Mutable {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmActions: ['topic'],
      ComparisonOperator: 'GreaterThanUpperThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ThresholdMetricId: 'expr_1',
      TreatMissingData: 'notBreaching',
      Metrics: [
        { Id: 'expr_1', Expression: 'ANOMALY_DETECTION_BAND(m0, 3)', ReturnData: true },
        {
          Id: 'm0',
          MetricStat: { Metric: { MetricName: 'PhiObjectAccess', Namespace: 'Security' }, Period: 300, Stat: 'Sum' },
          ReturnData: true,
        },
      ],
    },
  };
}

describe('whyAlarmCannotFire: an anomaly detection alarm', () => {
  const ABOVE_BAND: AlarmExpectation = {
    metric: { namespace: 'Security', name: 'PhiObjectAccess' },
    statistics: ['Sum'],
    maxPeriodSeconds: 300,
    trigger: { anomalyAbove: { maxStdDevs: 3 } },
    maxTimeToAlarmSeconds: 900,
  };

  test('the alarm as deployed fires', () => {
    expect(whyAlarmCannotFire(anomalyAlarm() as JsonResource, ABOVE_BAND)).toEqual([]);
  });

  test.each<[string, (p: Mutable) => void, string]>([
    [
      'a band of 50 standard deviations',
      (p) => (p.Metrics[0].Expression = 'ANOMALY_DETECTION_BAND(m0, 50)'),
      'the anomaly band is 50 standard deviations: must be at most 3',
    ],
    [
      'alarming below the band only',
      (p) => (p.ComparisonOperator = 'LessThanLowerThreshold'),
      'ComparisonOperator LessThanLowerThreshold: must be GreaterThanUpperThreshold or LessThanLowerOrGreaterThanUpperThreshold',
    ],
    [
      'SampleCount',
      (p) => (p.Metrics[1].MetricStat.Stat = 'SampleCount'),
      'Statistic (metric m0) SampleCount: must be Sum',
    ],
    [
      'a band on another metric',
      (p) => {
        p.Metrics.push({
          Id: 'm1',
          MetricStat: { Metric: { MetricName: 'Other', Namespace: 'Security' }, Period: 300, Stat: 'Sum' },
          ReturnData: false,
        });
        p.Metrics[0].Expression = 'ANOMALY_DETECTION_BAND(m1, 3)';
      },
      'the anomaly band is not on Security PhiObjectAccess as the alarm evaluates it',
    ],
    [
      'datapoints above evaluation periods',
      (p) => (p.DatapointsToAlarm = 4),
      'DatapointsToAlarm 4 is above EvaluationPeriods 3: the alarm can never fire',
    ],
  ])('%s is a reason', (_name, change, reason) => {
    expect(whyAlarmCannotFire(mutate(anomalyAlarm, change), ABOVE_BAND)).toContain(reason);
  });

  test('a fixed threshold where a band is required, and a band where a fixed threshold is required', () => {
    expect(
      whyAlarmCannotFire(
        mutate(countAlarm, (p) => (p.Namespace = 'Security')),
        {
          ...ABOVE_BAND,
          metric: { namespace: 'Security', name: 'RootAccountUsage' },
          statistics: ['Sum'],
        },
      ),
    ).toContain('no anomaly band (ThresholdMetricId): must alarm above the band of the metric');
    expect(whyAlarmCannotFire(anomalyAlarm() as JsonResource, { ...ABOVE_BAND, trigger: { atLeast: 1 } })).toContain(
      'ThresholdMetricId: an anomaly band where a fixed threshold is required',
    );
  });
});

describe('whyAlarmCannotFire: alarms that fire on low values', () => {
  /** The restore validation's FAILED alarm: RestoreTestSucceeded Minimum < 1 over a day. */
  const failed = (): Mutable => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmActions: ['topic'],
      Namespace: 'HipaaBlueprint/RestoreTesting',
      MetricName: 'RestoreTestSucceeded',
      Dimensions: [{ Name: 'ResourceType', Value: 'RDS' }],
      Statistic: 'Minimum',
      Period: 86400,
      EvaluationPeriods: 1,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    },
  });
  const FIRES_ON_FAILED: AlarmExpectation = {
    metric: {
      namespace: 'HipaaBlueprint/RestoreTesting',
      name: 'RestoreTestSucceeded',
      dimensions: { ResourceType: 'RDS' },
    },
    statistics: ['Minimum'],
    maxPeriodSeconds: 86400,
    trigger: { atMost: 0 },
    quietAt: 1,
  };

  test('the alarm as deployed fires', () => {
    expect(whyAlarmCannotFire(failed() as JsonResource, FIRES_ON_FAILED)).toEqual([]);
  });

  test.each<[string, (p: Mutable) => void, string]>([
    ['Average (one success hides a failure)', (p) => (p.Statistic = 'Average'), 'Statistic Average: must be Minimum'],
    [
      'a threshold of 0 (< 0 never holds)',
      (p) => (p.Threshold = 0),
      'ComparisonOperator LessThanThreshold with Threshold 0: must breach on every value <= 0',
    ],
    [
      'a threshold of 2 (always in ALARM)',
      (p) => (p.Threshold = 2),
      'ComparisonOperator LessThanThreshold with Threshold 2 breaches at 1 too: the alarm would stay in ALARM and notify once only',
    ],
    [
      'another resource type',
      (p) => (p.Dimensions = [{ Name: 'ResourceType', Value: 'S3' }]),
      'reads no HipaaBlueprint/RestoreTesting RestoreTestSucceeded with the required dimensions',
    ],
  ])('%s is a reason', (_name, change, reason) => {
    expect(whyAlarmCannotFire(mutate(failed, change), FIRES_ON_FAILED)).toContain(reason);
  });

  test('below: the heartbeat alarm (Sum < 1)', () => {
    const heartbeat = mutate(failed, (p) => {
      p.Statistic = 'Sum';
      delete p.Dimensions;
    });
    const expectation: AlarmExpectation = {
      ...FIRES_ON_FAILED,
      metric: { namespace: 'HipaaBlueprint/RestoreTesting', name: 'RestoreTestSucceeded' },
      statistics: ['Sum'],
      trigger: { below: 1 },
    };
    expect(whyAlarmCannotFire(heartbeat, expectation)).toEqual([]);
    expect(
      whyAlarmCannotFire(
        mutate(
          () => heartbeat as Mutable,
          (p) => (p.Threshold = 0.5),
        ),
        expectation,
      ),
    ).toEqual(['ComparisonOperator LessThanThreshold with Threshold 0.5: must breach on every value < 1']);
  });

  test('above: a duration over the objective', () => {
    const duration = mutate(failed, (p) => {
      p.MetricName = 'RestoreTestDurationHours';
      p.Statistic = 'Maximum';
      p.ComparisonOperator = 'GreaterThanThreshold';
      p.Threshold = 24;
    });
    const expectation: AlarmExpectation = {
      ...FIRES_ON_FAILED,
      metric: { ...FIRES_ON_FAILED.metric, name: 'RestoreTestDurationHours' },
      statistics: ['Maximum'],
      trigger: { above: 24 },
      quietAt: 0,
    };
    expect(whyAlarmCannotFire(duration, expectation)).toEqual([]);
    expect(
      whyAlarmCannotFire(
        mutate(
          () => duration as Mutable,
          (p) => (p.Threshold = 25),
        ),
        expectation,
      ),
    ).toEqual(['ComparisonOperator GreaterThanThreshold with Threshold 25: must breach on every value > 24']);
  });
});

describe('judgeAlarms', () => {
  const stack: AssemblyStack = { stackName: 's', file: 's.json', template: { Resources: {} } };
  const at = (logicalId: string, resource: JsonResource) => ({ stack, logicalId, resource });

  test('splits the alarms reading the metric into those that fire and those that cannot, with reasons', () => {
    const verdict = judgeAlarms(
      [
        at('Good', countAlarm() as JsonResource),
        at(
          'Muted',
          mutate(countAlarm, (p) => (p.Statistic = 'SampleCount')),
        ),
        at(
          'Other',
          mutate(countAlarm, (p) => (p.MetricName = 'Other')),
        ),
      ],
      FIRES_ON_ONE,
    );
    expect(verdict.watching.map((a) => a.logicalId)).toEqual(['Good', 'Muted']);
    expect(verdict.firing.map((a) => a.logicalId)).toEqual(['Good']);
    expect(mutedText(verdict)).toBe(
      'alarm Muted cannot fire as required: Statistic SampleCount: must be Sum or Maximum',
    );
  });

  test('no alarm on the metric', () => {
    const verdict = judgeAlarms([], FIRES_ON_ONE);
    expect(verdict.watching).toEqual([]);
    expect(mutedText(verdict)).toBe('no alarm reads the metric');
  });
});
