import { ANOMALY_ALARM_METRICS, CfnResource, estimateCost } from '../../lib/cost';
import { fixturePrices, stack } from './fixtures';

const prices = fixturePrices();
const H = 730;

function only(resource: CfnResource, region?: string) {
  return estimateCost([stack({ R: resource }, region)], prices);
}

describe('estimateCost on a small hand-written template (fixture prices, 730 h)', () => {
  const template: Record<string, CfnResource> = {
    Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } },
    Endpoint: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.kms',
        SubnetIds: ['a', 'b', 'c'],
      },
    },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Db: {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.medium',
        AllocatedStorage: '50',
        StorageType: 'gp3',
        MultiAZ: false,
      },
    },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 2192 } },
    Mystery: { Type: 'AWS::Foo::Bar', Properties: {} },
  };
  const e = estimateCost([stack(template)], prices);

  test('total is the exact sum of the fixed charges', () => {
    // NAT 0.05*730 = 36.50; its IPv4 0.005*730 = 3.65; endpoint 3 AZ * 0.01 * 730 = 21.90; key 1.00;
    // db 0.1*730 = 73.00; storage 50 * 0.1 = 5.00  => 141.05
    expect(e.totalUsd).toBeCloseTo(141.05, 9);
    expect(e.lines.map((l) => [l.logicalId, Number(l.monthlyUsd.toFixed(2))])).toEqual([
      ['Nat', 36.5],
      ['Nat', 3.65],
      ['Endpoint', 21.9],
      ['Key', 1],
      ['Db', 73],
      ['Db', 5],
    ]);
  });

  test('usage-dependent charges are listed with unit prices and never added to the total', () => {
    const ingestion = e.usage.find((u) => u.priceId === 'cloudwatch.logs.ingestionGb');
    expect(ingestion).toMatchObject({ unitUsd: 0.5, resources: [{ logicalId: 'Logs' }] });
    expect(e.usage.map((u) => u.priceId)).toEqual(
      expect.arrayContaining(['vpc.natGateway.dataGb', 'privatelink.interfaceEndpoint.dataGb', 'kms.requests.per10k']),
    );
  });

  test('an unknown resource type is listed as not priced, never silently zero', () => {
    expect(e.notPriced).toEqual([
      { stack: 'Test/Stack', logicalId: 'Mystery', type: 'AWS::Foo::Bar', reason: 'no pricing rule for AWS::Foo::Bar' },
    ]);
    expect(e.free.map((f) => f.logicalId)).toEqual(['Role']);
    expect(e.resourceCount).toBe(7);
  });
});

describe('pricing rules', () => {
  test('RDS Multi-AZ doubles the instance and the storage', () => {
    const props = { Engine: 'postgres', DBInstanceClass: 'db.t4g.medium', AllocatedStorage: 100, StorageType: 'gp3' };
    const single = only({ Type: 'AWS::RDS::DBInstance', Properties: { ...props, MultiAZ: false } });
    const multi = only({ Type: 'AWS::RDS::DBInstance', Properties: { ...props, MultiAZ: true } });
    expect(single.totalUsd).toBeCloseTo(0.1 * H + 100 * 0.1, 9);
    expect(multi.totalUsd).toBeCloseTo(2 * (0.1 * H + 100 * 0.1), 9);
    expect(multi.lines.map((l) => l.quantityText)).toEqual([`2 x ${H} h`, '2 x 100 GB-month']);
  });

  test('RDS: an instance class missing from the table is not priced (named in the reason)', () => {
    const e = only({
      Type: 'AWS::RDS::DBInstance',
      Properties: { Engine: 'postgres', DBInstanceClass: 'db.x9.huge', AllocatedStorage: 20 },
    });
    expect(e.lines).toEqual([]);
    expect(e.notPriced[0]!.reason).toMatch(/DBInstanceClass = "db.x9.huge": no price 'rds.postgres.db.x9.huge.hour'/);
  });

  test('RDS: Performance Insights within the free 7 days is $0; longer retention is not priced', () => {
    const base = {
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.medium',
      AllocatedStorage: 20,
      StorageType: 'gp3',
      EnablePerformanceInsights: true,
    };
    const free = only({ Type: 'AWS::RDS::DBInstance', Properties: { ...base, PerformanceInsightsRetentionPeriod: 7 } });
    expect(free.lines.find((l) => l.category === 'RDS Performance Insights')).toMatchObject({ monthlyUsd: 0 });
    const paid = only({
      Type: 'AWS::RDS::DBInstance',
      Properties: { ...base, PerformanceInsightsRetentionPeriod: 731 },
    });
    expect(paid.lines).toEqual([]);
    expect(paid.notPriced[0]!.reason).toMatch(/PerformanceInsightsRetentionPeriod = 731/);
  });

  test('RDS: the RDS-managed master secret counts as a Secrets Manager secret; monitoring and exports are usage', () => {
    const e = only({
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.medium',
        AllocatedStorage: 20,
        StorageType: 'gp3',
        ManageMasterUserPassword: true,
        MonitoringInterval: 60,
        EnableCloudwatchLogsExports: ['postgresql'],
      },
    });
    expect(e.lines.find((l) => l.category === 'Secrets Manager secrets')).toMatchObject({ monthlyUsd: 0.4 });
    expect(e.usage.find((u) => u.priceId === 'cloudwatch.logs.ingestionGb')!.drivers).toMatch(
      /enhanced monitoring every 60 s.*log exports \(postgresql\)/,
    );
  });

  test('interface endpoints bill per endpoint per AZ (subnet count); gateway endpoints are free', () => {
    const endpoint = (subnets: string[]) =>
      only({
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: { VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.us-east-1.sts', SubnetIds: subnets },
      });
    expect(endpoint(['a', 'b']).totalUsd).toBeCloseTo(2 * 0.01 * H, 9);
    expect(endpoint(['a', 'b', 'c']).totalUsd).toBeCloseTo(3 * 0.01 * H, 9);
    const gateway = only({
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcEndpointType: 'Gateway', ServiceName: 'com.amazonaws.us-east-1.s3' },
    });
    expect(gateway.totalUsd).toBe(0);
    expect(gateway.free[0]!.reason).toMatch(/gateway endpoint/);
  });

  test('an interface endpoint whose subnets are not a literal list is not priced', () => {
    const e = only({
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcEndpointType: 'Interface', SubnetIds: { 'Fn::Split': [',', 'x'] } },
    });
    expect(e.notPriced[0]!.reason).toMatch(/^SubnetIds = .*need a literal list/);
  });

  test('ALB: hourly charge, 0 LCU at idle, a reserved LCU floor is billed, one public IPv4 per AZ', () => {
    const idle = only({
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Subnets: ['a', 'b'] },
    });
    expect(idle.totalUsd).toBeCloseTo(0.02 * H + 2 * 0.005 * H, 9);
    expect(idle.usage.map((u) => u.priceId)).toEqual(['elb.alb.lcuHour']);
    const floor = only({
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internal', Subnets: ['a', 'b'], MinimumLoadBalancerCapacity: { CapacityUnits: 100 } },
    });
    expect(floor.totalUsd).toBeCloseTo(0.02 * H + 100 * 0.01 * H, 9);
  });

  test('NAT gateway: hourly plus its public IPv4 address; a private NAT has no address', () => {
    expect(only({ Type: 'AWS::EC2::NatGateway', Properties: {} }).totalUsd).toBeCloseTo(0.05 * H + 0.005 * H, 9);
    expect(only({ Type: 'AWS::EC2::NatGateway', Properties: { ConnectivityType: 'private' } }).totalUsd).toBeCloseTo(
      0.05 * H,
      9,
    );
  });

  test("NAT gateway: its address is the template's Elastic IP when AllocationId names one, counted once", () => {
    // The newcomer review of 2026-12-03: with internetEgress nat, each AZ's address was priced on the EIP and the NAT.
    const withEip = estimateCost(
      [
        stack({
          Eip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
          Nat: {
            Type: 'AWS::EC2::NatGateway',
            Properties: { SubnetId: 'subnet-1', AllocationId: { 'Fn::GetAtt': ['Eip', 'AllocationId'] } },
          },
        }),
      ],
      prices,
    );
    expect(withEip.totalUsd).toBeCloseTo(0.05 * H + 0.005 * H, 9);
    expect(withEip.lines.map((l) => `${l.logicalId} ${l.billed}`)).toEqual([
      'Eip Elastic IP address',
      'Nat NAT gateway',
    ]);
    // An Elastic IP outside the template (its allocation id written out) is priced on the NAT gateway.
    expect(
      only({ Type: 'AWS::EC2::NatGateway', Properties: { AllocationId: 'eipalloc-0123456789abcdef0' } }).totalUsd,
    ).toBeCloseTo(0.05 * H + 0.005 * H, 9);
  });

  const service = (desired: unknown, platform?: Record<string, string>): Record<string, CfnResource> => ({
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Cpu: '512', Memory: '1024', ...(platform ? { RuntimePlatform: platform } : {}) },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: { LaunchType: 'FARGATE', DesiredCount: desired, TaskDefinition: { Ref: 'Task' } },
    },
  });

  test('Fargate: ARM64 and x86 prices by RuntimePlatform, times desiredCount', () => {
    const x86 = estimateCost([stack(service(2))], prices);
    const arm = estimateCost([stack(service(2, { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' }))], prices);
    expect(x86.totalUsd).toBeCloseTo(2 * (0.5 * 0.04 + 1 * 0.004) * H, 9);
    expect(arm.totalUsd).toBeCloseTo(2 * (0.5 * 0.03 + 1 * 0.003) * H, 9);
    expect(arm.lines[0]!.billed).toMatch(/ARM64/);
  });

  test('Fargate: DesiredCount 0 (awaiting the first image) is a $0 line, not a gap', () => {
    const e = estimateCost([stack(service(0))], prices);
    expect(e.totalUsd).toBe(0);
    expect(e.notPriced).toEqual([]);
    expect(e.lines[0]).toMatchObject({ monthlyUsd: 0, note: expect.stringMatching(/awaiting the first image/) });
  });

  test('Fargate: a DesiredCount that is not a literal is not priced', () => {
    const e = estimateCost([stack(service({ Ref: 'Count' }))], prices);
    expect(e.notPriced.map((n) => n.reason)).toEqual([expect.stringMatching(/^DesiredCount = \{"Ref":"Count"\}/)]);
  });

  test('CloudWatch alarms: an anomaly detection alarm bills 3 metrics, a high-resolution one the high price', () => {
    const anomaly = only({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        ThresholdMetricId: 'band',
        Metrics: [
          { Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' },
          { Id: 'm0', MetricStat: { Metric: { MetricName: 'X', Namespace: 'N' }, Period: 300, Stat: 'Sum' } },
        ],
      },
    });
    expect(ANOMALY_ALARM_METRICS).toBe(3);
    expect(anomaly.totalUsd).toBeCloseTo(3 * 0.1, 9);
    expect(only({ Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'X', Period: 300 } }).totalUsd).toBeCloseTo(
      0.1,
      9,
    );
    expect(only({ Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'X', Period: 10 } }).totalUsd).toBeCloseTo(
      0.3,
      9,
    );
    const math = only({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Metrics: [
          { Id: 'e', Expression: 'a / b' },
          { Id: 'a', MetricStat: { Period: 60 } },
          { Id: 'b', MetricStat: { Period: 60 } },
        ],
      },
    });
    expect(math.totalUsd).toBeCloseTo(2 * 0.1, 9);
  });

  test('metric filters: a DefaultValue metric is billed all month, one without it is usage', () => {
    const e = estimateCost(
      [
        stack({
          WithDefault: {
            Type: 'AWS::Logs::MetricFilter',
            Properties: { MetricTransformations: [{ MetricName: 'A', DefaultValue: 0 }] },
          },
          Sparse: { Type: 'AWS::Logs::MetricFilter', Properties: { MetricTransformations: [{ MetricName: 'B' }] } },
        }),
      ],
      prices,
    );
    expect(e.lines.map((l) => [l.logicalId, l.monthlyUsd])).toEqual([['WithDefault', 0.3]]);
    expect(
      e.usage.find((u) => u.priceId === 'cloudwatch.customMetric.month')!.resources.map((r) => r.logicalId),
    ).toEqual(['Sparse']);
  });

  test('KMS: each key $1/month, including a key in the replica region (noted as priced at us-east-1 prices)', () => {
    const e = estimateCost(
      [stack({ K: { Type: 'AWS::KMS::Key' } }), stack({ R: { Type: 'AWS::KMS::Key' } }, 'us-west-2', 'Test/Replica')],
      prices,
    );
    expect(e.totalUsd).toBe(2);
    expect(e.lines[1]!.note).toMatch(/stack in us-west-2, priced at us-east-1 list prices/);
    expect(only({ Type: 'AWS::KMS::ReplicaKey', Properties: {} }).totalUsd).toBe(1);
  });

  test('WAF: web ACL plus one rule-month per rule; a paid managed group is not priced', () => {
    const rules = [
      { Name: 'A', Statement: { ManagedRuleGroupStatement: { Name: 'AWSManagedRulesCommonRuleSet' } } },
      { Name: 'B', Statement: {} },
    ];
    expect(only({ Type: 'AWS::WAFv2::WebACL', Properties: { Rules: rules } }).totalUsd).toBe(5 + 2);
    const bot = only({
      Type: 'AWS::WAFv2::WebACL',
      Properties: {
        Rules: [
          { Name: 'Bots', Statement: { ManagedRuleGroupStatement: { Name: 'AWSManagedRulesBotControlRuleSet' } } },
        ],
      },
    });
    expect(bot.notPriced[0]!.reason).toMatch(/AWSManagedRulesBotControlRuleSet/);
  });

  test('AWS Config: rule evaluations are usage, one resource per rule in the template', () => {
    const e = estimateCost(
      [
        stack({
          Rec: { Type: 'AWS::Config::ConfigurationRecorder' },
          R1: { Type: 'AWS::Config::ConfigRule' },
          R2: { Type: 'AWS::Config::ConfigRule' },
        }),
      ],
      prices,
    );
    expect(e.totalUsd).toBe(0);
    expect(e.usage.find((u) => u.priceId === 'config.ruleEvaluation')).toMatchObject({
      unitUsd: 0.001,
      resources: [{ logicalId: 'R1' }, { logicalId: 'R2' }],
    });
  });

  test('Cognito threat protection is priced per MAU at the Plus tier, as usage', () => {
    const e = only({
      Type: 'AWS::Cognito::UserPool',
      Properties: { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } },
    });
    expect(e.totalUsd).toBe(0);
    expect(e.usage.map((u) => u.priceId)).toEqual(['cognito.plus.mau']);
  });

  test('GuardDuty, Security Hub and Macie are usage only, with what drives them', () => {
    const e = estimateCost(
      [
        stack({
          Gd: {
            Type: 'AWS::GuardDuty::Detector',
            Properties: { Enable: true, Features: [{ Name: 'S3_DATA_EVENTS', Status: 'ENABLED' }] },
          },
          Hub: { Type: 'AWS::SecurityHub::Hub' },
          Std: { Type: 'AWS::SecurityHub::Standard' },
          Macie: { Type: 'AWS::Macie::Session', Properties: { Status: 'ENABLED' } },
        }),
      ],
      prices,
    );
    expect(e.totalUsd).toBe(0);
    expect(e.lines).toEqual([]);
    expect(e.usage.map((u) => u.priceId)).toEqual([
      'guardduty.cloudTrailEvents.perMillion',
      'guardduty.flowAndDnsLogs.gb',
      'guardduty.s3DataEvents.perMillion',
      'securityhub.check',
      'securityhub.findingIngestion',
      'macie.bucket.month',
      'macie.automatedDiscovery.per100kObjects',
      'macie.inspected.gb',
    ]);
    expect(e.usage.find((u) => u.priceId === 'securityhub.check')!.drivers).toMatch(/1 standards/);
  });

  test('a custom resource is reported as deploy-time only, not as a silent zero', () => {
    const e = only({ Type: 'Custom::Anything', Properties: {} });
    expect(e.free[0]!.reason).toMatch(/custom resource/);
  });
});
