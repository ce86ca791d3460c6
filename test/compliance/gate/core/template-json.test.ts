import { alarmFacts } from '../../../../lib/compliance/gate/assembly/alarm-facts';
import {
  inStackEnvironment,
  assemblyResources,
  cfnAbsent,
  cfnAlternatives,
  cfnBoolean,
  cfnListAlways,
  cfnListForms,
  cfnNumber,
  cfnSwitchStaysOn,
  concreteAccount,
  concreteRegion,
  inRegionsText,
  isIntrinsic,
  memo,
  resourcesOf,
  stacksInRegion,
  TemplateJson,
  regionsLacking,
  withRunMemo,
} from '../../../../lib/compliance/gate/core/template-json';

describe("CloudFormation's string forms of property values", () => {
  test.each([
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['False', false],
    ['yes', undefined],
    [1, undefined],
    [undefined, undefined],
    [{ Ref: 'Enabled' }, undefined],
  ])('cfnBoolean(%j) is %j', (value, expected) => {
    expect(cfnBoolean(value)).toBe(expected);
  });

  test.each([
    [undefined, true],
    [true, true],
    ['true', true],
    ['True', true],
    [false, false],
    ['false', false],
    [{ 'Fn::If': ['Quiet', false, true] }, false],
    [{ Ref: 'AlarmsOn' }, false],
    [{ Ref: 'AWS::NoValue' }, true],
    ['yes', false],
  ])(
    'cfnSwitchStaysOn(%j) is %j (a switch on by default stays on only when it cannot resolve to false)',
    (value, expected) => {
      expect(cfnSwitchStaysOn(value)).toBe(expected);
    },
  );

  test.each([
    [undefined, true, false],
    [{ Ref: 'AWS::NoValue' }, true, true],
    [{ Ref: 'Param' }, false, true],
    [{ 'Fn::If': ['C', 1, 2] }, false, true],
    [{ Ref: 'Param', Other: 1 }, false, false],
    [{ Status: 'Enabled' }, false, false],
    ['Enabled', false, false],
    [0, false, false],
  ])('cfnAbsent(%j) is %j, isIntrinsic %j', (value, absent, intrinsic) => {
    expect(cfnAbsent(value)).toBe(absent);
    expect(isIntrinsic(value)).toBe(intrinsic);
  });

  const NO_VALUE = { Ref: 'AWS::NoValue' };
  const TOPIC = { Ref: 'Topic' };
  test.each<[unknown, unknown[]]>([
    ['a', ['a']],
    [undefined, [undefined]],
    [NO_VALUE, [undefined]],
    [{ Ref: 'Param' }, [{ Ref: 'Param' }]],
    [{ 'Fn::If': ['C', 'a', NO_VALUE] }, ['a', undefined]],
    [{ 'Fn::If': ['C', { 'Fn::If': ['D', 1, 2] }, 3] }, [1, 2, 3]],
  ])('cfnAlternatives(%j) is %j (each branch of a condition; AWS::NoValue is absent)', (value, expected) => {
    expect(cfnAlternatives(value)).toEqual(expected);
  });

  test.each<[unknown, unknown[][] | undefined]>([
    [undefined, [[]]],
    [[], [[]]],
    [[TOPIC], [[TOPIC]]],
    [[NO_VALUE], [[]]],
    [[TOPIC, NO_VALUE], [[TOPIC]]],
    [[{ 'Fn::If': ['C', TOPIC, NO_VALUE] }], [[TOPIC], []]],
    [[{ 'Fn::If': ['C', 'a', 'b'] }], [['a'], ['b']]],
    [{ 'Fn::If': ['C', [TOPIC], []] }, [[TOPIC], []]],
    [{ 'Fn::If': ['C', [TOPIC], NO_VALUE] }, [[TOPIC], []]],
    [{ Ref: 'Topics' }, undefined],
    [{ 'Fn::Split': [',', { Ref: 'Topics' }] }, undefined],
  ])('cfnListForms(%j) is %j (the lists it may be when deployed)', (value, expected) => {
    expect(cfnListForms(value)).toEqual(expected);
  });

  test('cfnListForms gives up on more forms than it spells out; cfnListAlways is then false', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ 'Fn::If': [`C${i}`, 'a', 'b'] }));
    expect(cfnListForms(many)).toBeUndefined();
    expect(cfnListAlways(many, (l) => l.length > 0)).toBe(false);
    expect(cfnListAlways([{ 'Fn::If': ['C', 'a', 'b'] }], (l) => l.length > 0)).toBe(true);
    expect(cfnListAlways([{ 'Fn::If': ['C', 'a', NO_VALUE] }], (l) => l.length > 0)).toBe(false);
  });

  test.each([
    [30, 30],
    ['30', 30],
    [' 7 ', 7],
    ['2.5', 2.5],
    ['-1', -1],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['thirty', undefined],
    ['1abc', undefined],
    ['', undefined],
    [undefined, undefined],
    [{ 'Fn::GetAtt': ['R', 'Days'] }, undefined],
  ])('cfnNumber(%j) is %j', (value, expected) => {
    expect(cfnNumber(value)).toBe(expected);
  });
});

describe('the run memo (withRunMemo, memo) and the lookups it serves', () => {
  const template = (): TemplateJson => ({
    Resources: {
      A: { Type: 'AWS::S3::Bucket' },
      T: { Type: 'AWS::SNS::Topic' },
      B: { Type: 'AWS::S3::Bucket' },
    },
  });

  test('outside a run, memo computes on every call; inside, once per name and key, until the run ends', () => {
    const key = {};
    let computed = 0;
    const compute = (): number => ++computed;
    expect([memo('n', key, compute), memo('n', key, compute)]).toEqual([1, 2]);
    const inRun = withRunMemo(() => [memo('n', key, compute), memo('n', key, compute), memo('other', key, compute)]);
    expect(inRun).toEqual([3, 3, 4]);
    // A nested run shares the outer run's memo.
    expect(withRunMemo(() => [memo('n', key, compute), withRunMemo(() => memo('n', key, compute))])).toEqual([5, 5]);
    expect(memo('n', key, compute)).toBe(6);
  });

  test('a run that throws ends its memo', () => {
    const key = {};
    let computed = 0;
    expect(() =>
      withRunMemo(() => {
        memo('n', key, () => ++computed);
        throw new Error('rule failed');
      }),
    ).toThrow('rule failed');
    expect(withRunMemo(() => memo('n', key, () => ++computed))).toBe(2);
  });

  test('resourcesOf and assemblyResources answer the same inside a run as outside, frozen inside', () => {
    const t = template();
    const stacks = [{ stackName: 's', file: 's.template.json', template: t }];
    const outside = [resourcesOf(t), resourcesOf(t, 'AWS::S3::Bucket'), resourcesOf(t, 'AWS::EC2::VPC')];
    const outsideAssembly = assemblyResources(stacks, 'AWS::SNS::Topic');
    expect(outside[1]!.map(([id]) => id)).toEqual(['A', 'B']);
    withRunMemo(() => {
      const inside = [resourcesOf(t), resourcesOf(t, 'AWS::S3::Bucket'), resourcesOf(t, 'AWS::EC2::VPC')];
      expect(inside).toEqual(outside);
      expect(assemblyResources(stacks, 'AWS::SNS::Topic')).toEqual(outsideAssembly);
      expect(resourcesOf(t, 'AWS::S3::Bucket')).toBe(inside[1]);
      expect(assemblyResources(stacks, 'AWS::SNS::Topic')).toBe(assemblyResources(stacks, 'AWS::SNS::Topic'));
      // Shared answers cannot be changed by one rule for the next.
      expect(() => (inside[1] as unknown as unknown[]).push(['X', {}])).toThrow(TypeError);
      expect(() => (assemblyResources(stacks) as unknown as unknown[]).pop()).toThrow(TypeError);
    });
  });

  test('a resource without a Type is among all resources and of no type, inside a run as outside', () => {
    const t = { Resources: { ...template().Resources, NoType: {} } } as unknown as TemplateJson;
    const lookups = (): unknown[] => [
      resourcesOf(t).map(([id]) => id),
      resourcesOf(t, 'AWS::S3::Bucket').map(([id]) => id),
      resourcesOf(t, undefined as unknown as string).length,
    ];
    const outside = lookups();
    expect(outside).toEqual([['A', 'T', 'B', 'NoType'], ['A', 'B'], 4]);
    expect(withRunMemo(lookups)).toEqual(outside);
    expect(Object.isFrozen(resourcesOf(t, 'AWS::S3::Bucket'))).toBe(true);
  });

  test('alarmFacts reads an alarm once per run', () => {
    const alarm = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Namespace: 'N', MetricName: 'M', Threshold: 1, EvaluationPeriods: 1 },
    };
    expect(alarmFacts(alarm)).not.toBe(alarmFacts(alarm));
    withRunMemo(() => {
      expect(alarmFacts(alarm)).toBe(alarmFacts(alarm));
      expect(Object.isFrozen(alarmFacts(alarm).metrics[0])).toBe(true);
    });
  });
});

describe('regions of the stacks of an assembly (the alert rules that must be where their events happen)', () => {
  test.each([
    'us-east-1',
    'us-gov-west-1',
    'cn-north-1',
    'cn-northwest-1',
    'ap-southeast-5',
    'mx-central-1',
    'il-central-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'eusc-de-east-1',
  ])('I1 D2 %s is a region', (name) => {
    expect(concreteRegion(name)).toBe(name);
  });

  test.each<[string, unknown]>([
    ["CDK's placeholder of an environment-agnostic stack", 'unknown-region'],
    ['a token', '${Token[AWS.Region.9]}'],
    ['with a space', 'us-east-1 '],
    ['in capitals', 'US-EAST-1'],
    ['empty', ''],
    ['not a string', { Ref: 'AWS::Region' }],
  ])('I1 D2 %s is no region', (_name, value) => {
    expect(concreteRegion(value)).toBeUndefined();
  });

  test('V2 an account is twelve digits', () => {
    expect(concreteAccount('123456789012')).toBe('123456789012');
    for (const value of ['unknown-account', '12345678901', '1234567890123', ' 123456789012', 123456789012])
      expect(concreteAccount(value)).toBeUndefined();
  });

  test('I1 D2 the regions lacking a rule, each once, named in order; a region not known matches every stack', () => {
    const routedIn = new Set(['us-east-1']);
    expect(regionsLacking(['eu-west-1', 'us-east-1', 'eu-west-1', 'ap-south-1'], (r) => routedIn.has(r!))).toEqual([
      'eu-west-1',
      'ap-south-1',
    ]);
    expect(inRegionsText(['eu-west-1', 'ap-south-1'])).toBe(' in eu-west-1 and ap-south-1 (where the events happen)');
    expect(inRegionsText([undefined])).toBe('');
    expect(regionsLacking(['us-east-1'], (r) => routedIn.has(r!))).toEqual([]);
    const stack = (region?: string) => ({
      stackName: `s-${region}`,
      file: 'f',
      ...(region ? { region } : {}),
      template: { Resources: {} },
    });
    const stacks = [stack('us-east-1'), stack('us-west-2'), stack()];
    expect(stacksInRegion(stacks, 'us-west-2').map((s) => s.stackName)).toEqual(['s-us-west-2', 's-undefined']);
    expect(stacksInRegion(stacks, undefined)).toHaveLength(3);
  });
});

describe('a string form in the environment of its stack (inStackEnvironment)', () => {
  test("the stack's account, region and partition are written in; what the stack does not state stays a pseudo parameter", () => {
    const form = 'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/x-<AWS::Region>';
    expect(inStackEnvironment(form, { account: '123456789012', region: 'us-east-1' })).toBe(
      'arn:aws:iam::123456789012:role/x-us-east-1',
    );
    expect(inStackEnvironment(form, { account: '123456789012', region: 'cn-north-1' })).toBe(
      'arn:aws-cn:iam::123456789012:role/x-cn-north-1',
    );
    expect(inStackEnvironment(form, { region: 'us-gov-west-1' })).toBe(
      'arn:aws-us-gov:iam::<AWS::AccountId>:role/x-us-gov-west-1',
    );
    expect(inStackEnvironment(form, {})).toBe(form);
  });
});
