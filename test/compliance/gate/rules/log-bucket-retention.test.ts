import { CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { LOG_BUCKET_METADATA } from '../../../../constructs/core/markers';
import { LogBucketRetention } from '../../../../lib/compliance/gate/rules/log-bucket-retention';
import { archive, bucket, logBucket, sixYears } from '../../../support/bucket-rule-fixtures';
import { fixtureStack } from '../../../support/rule-fixtures';
import { findingsOf, RETAIN, template } from './rule-fixtures';

/** Marks any resource (a raw CfnResource too) as a log bucket, as markLogBucket marks a CfnBucket. */
const logBucketMarker = (r: CfnResource): void => r.addMetadata(LOG_BUCKET_METADATA, { safeguards: ['U3'] });

describe('U3 project rule LogBucketRetention', () => {
  test('passes on a log bucket expiring after 2192 days, retained', () => {
    const node = bucket(
      { lifecycleRules: [{ ...sixYears, noncurrentVersionExpiration: Duration.days(2192) }] },
      logBucket,
    );
    expect(LogBucketRetention(node)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('passes on a lifecycle with transitions and no expiration', () => {
    const node = bucket({ lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }] }, logBucket);
    expect(LogBucketRetention(node)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('fires on a 365-day expiration', () => {
    const node = bucket({ lifecycleRules: [{ id: 'short', expiration: Duration.days(365) }] }, logBucket);
    expect(LogBucketRetention(node)).toEqual(['Rule[short].ExpirationInDays::365']);
  });

  test('fires on a short noncurrent version expiration', () => {
    const node = bucket(
      { versioned: true, lifecycleRules: [{ id: 'nc', ...sixYears, noncurrentVersionExpiration: Duration.days(30) }] },
      logBucket,
    );
    expect(LogBucketRetention(node)).toEqual(['Rule[nc].NoncurrentVersionExpiration::30']);
  });

  test('fires on a fixed expiration date', () => {
    const node = bucket(
      { lifecycleRules: [{ id: 'date', expirationDate: new Date('2030-01-01T00:00:00Z') }] },
      logBucket,
    );
    expect(LogBucketRetention(node)).toEqual(['Rule[date].ExpirationDate::fixed-date']);
  });

  test('fires on a log bucket without a lifecycle', () => {
    expect(LogBucketRetention(bucket({}, logBucket))).toEqual(['LifecycleConfiguration::none']);
  });

  test('fires on a log bucket that is not retained', () => {
    const node = bucket({ lifecycleRules: [sixYears] }, logBucket, false);
    expect(LogBucketRetention(node)).toEqual(['DeletionPolicy::not-Retain', 'UpdateReplacePolicy::not-Retain']);
  });

  test('applies to the audit archive marker too', () => {
    const node = bucket({ lifecycleRules: [{ id: 'short', expiration: Duration.days(90) }] }, archive());
    expect(LogBucketRetention(node)).toEqual(['Rule[short].ExpirationInDays::90']);
  });

  test('does not apply to unmarked buckets', () => {
    expect(LogBucketRetention(bucket({}, () => undefined))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });
});

describe('U3 LogBucketRetention on the template as written (the template checker, a raw or overridden bucket)', () => {
  const MARKED = { 'HipaaBlueprint::LogBucket': { safeguards: ['U3'] } };
  /** A retained log bucket whose lifecycle rules are `rules`, in a template with a condition and a parameter. */
  const logBucketTemplate = (rules: unknown, marker: Record<string, unknown> = MARKED): unknown => ({
    Conditions: { Short: { 'Fn::Equals': ['short', 'long'] } },
    Parameters: { Days: { Type: 'Number' } },
    ...template({
      Logs: {
        Type: 'AWS::S3::Bucket',
        ...RETAIN,
        Metadata: marker,
        Properties: { LifecycleConfiguration: { Rules: rules } },
      },
    }),
  });
  const SIX_YEARS = { Id: 'keep', Status: 'Enabled', ExpirationInDays: 2192 };
  const SHORT = { Id: 'short', ExpirationInDays: 30 };

  test('U3 a rule expiring after six years passes, in CloudFormation string forms too', () => {
    expect(findingsOf('LogBucketRetention', logBucketTemplate([SIX_YEARS]))).toEqual([]);
    expect(findingsOf('LogBucketRetention', logBucketTemplate([{ ...SIX_YEARS, ExpirationInDays: '2192' }]))).toEqual(
      [],
    );
    // A disabled rule expires nothing.
    expect(findingsOf('LogBucketRetention', logBucketTemplate([SIX_YEARS, { ...SHORT, Status: 'Disabled' }]))).toEqual(
      [],
    );
  });

  test.each<[string, unknown, string[]]>([
    [
      'a 30-day rule whose Status only deploy resolves (it may be enabled)',
      [SIX_YEARS, { ...SHORT, Status: { 'Fn::If': ['Short', 'Enabled', 'Disabled'] } }],
      ['[Rule[short].ExpirationInDays::30] Logs'],
    ],
    [
      'the only rule s Status only deploy resolves (it may be disabled: no lifecycle)',
      [{ ...SIX_YEARS, Status: { 'Fn::If': ['Short', 'Disabled', 'Enabled'] } }],
      ['[LifecycleConfiguration::none] Logs'],
    ],
    [
      'a rule whose expiration only deploy resolves',
      [SIX_YEARS, { ...SHORT, Status: 'Enabled', ExpirationInDays: { Ref: 'Days' } }],
      ['[Rule[short].ExpirationInDays::{"Ref":"Days"}] Logs'],
    ],
    [
      'a 30-day rule in string form ("30")',
      [SIX_YEARS, { ...SHORT, Status: 'Enabled', ExpirationInDays: '30' }],
      ['[Rule[short].ExpirationInDays::30] Logs'],
    ],
    [
      'a rule only deploy resolves (a condition choosing a 30-day rule)',
      [SIX_YEARS, { 'Fn::If': ['Short', { ...SHORT, Status: 'Enabled' }, { Ref: 'AWS::NoValue' }] }],
      ['[Rule[1]::only-deploy-resolves] Logs'],
    ],
    [
      'the rules only deploy resolves (a condition choosing a 30-day rule)',
      { 'Fn::If': ['Short', [{ ...SHORT, Status: 'Enabled' }], [SIX_YEARS]] },
      ['[LifecycleConfiguration.Rules::only-deploy-resolves] Logs'],
    ],
    [
      'a 1-day NoncurrentVersionExpirationInDays beside a six-year NoncurrentVersionExpiration (the shortest applies)',
      [
        {
          ...SIX_YEARS,
          NoncurrentVersionExpiration: { NoncurrentDays: 2192 },
          NoncurrentVersionExpirationInDays: 1,
        },
      ],
      ['[Rule[keep].NoncurrentVersionExpirationInDays::1] Logs'],
    ],
    [
      'a 1-day NoncurrentVersionExpiration beside a six-year NoncurrentVersionExpirationInDays',
      [
        {
          ...SIX_YEARS,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          NoncurrentVersionExpirationInDays: 2192,
        },
      ],
      ['[Rule[keep].NoncurrentVersionExpiration::1] Logs'],
    ],
  ])('U3 %s is a finding', (_name, rules, expected) => {
    expect(findingsOf('LogBucketRetention', logBucketTemplate(rules))).toEqual(expected);
  });

  test('U3 a raw AWS::S3::Bucket (a CfnResource, not a CfnBucket) marked as a log bucket is held to the rule', () => {
    const stack = fixtureStack();
    const raw = new CfnResource(stack, 'Raw', {
      type: 'AWS::S3::Bucket',
      properties: { LifecycleConfiguration: { Rules: [{ ...SHORT, Status: 'Enabled' }] } },
    });
    raw.applyRemovalPolicy(RemovalPolicy.RETAIN);
    logBucketMarker(raw);
    expect(LogBucketRetention(raw)).toEqual(['Rule[short].ExpirationInDays::30']);
  });

  test('U3 a property override shortening the expiration is read (what deploys, not the L1 field)', () => {
    const node = bucket({ lifecycleRules: [{ id: 'keep', ...sixYears }] }, logBucket) as CfnBucket;
    node.addPropertyOverride('LifecycleConfiguration.Rules.0.ExpirationInDays', 30);
    expect(LogBucketRetention(node)).toEqual(['Rule[keep].ExpirationInDays::30']);
  });
});

describe('U3 LogBucketRetention on a bucket that receives logs, its marker removed (H1)', () => {
  const SHORT_LIFECYCLE = {
    LifecycleConfiguration: { Rules: [{ Id: 'short', Status: 'Enabled', ExpirationInDays: 30 }] },
  };
  /** An unmarked, retained bucket `Logs` with a 30-day lifecycle (named app-prod-logs), beside `writer`. */
  const withWriter = (writer: Record<string, unknown> | undefined): unknown => ({
    Conditions: { C: { 'Fn::Equals': ['a', 'b'] } },
    ...template({
      Logs: { Type: 'AWS::S3::Bucket', ...RETAIN, Properties: { BucketName: 'app-prod-logs', ...SHORT_LIFECYCLE } },
      ...(writer === undefined ? {} : { Writer: writer }),
    }),
  });
  const bucketLoggingTo = (destination: unknown) => ({
    Type: 'AWS::S3::Bucket',
    ...RETAIN,
    Properties: { LoggingConfiguration: { DestinationBucketName: destination } },
  });

  test.each<[string, Record<string, unknown>]>([
    ['another bucket s access log destination (Ref)', bucketLoggingTo({ Ref: 'Logs' })],
    ['another bucket s access log destination (its literal name)', bucketLoggingTo('app-prod-logs')],
    [
      'another bucket s access log destination chosen by a condition',
      bucketLoggingTo({ 'Fn::If': ['C', { Ref: 'Logs' }, { Ref: 'AWS::NoValue' }] }),
    ],
    [
      'a trail s S3BucketName',
      { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: { Ref: 'Logs' } } },
    ],
    [
      'a load balancer s access log bucket',
      {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: {
          Subnets: ['subnet-1', 'subnet-2'],
          LoadBalancerAttributes: [
            { Key: 'access_logs.s3.enabled', Value: 'true' },
            { Key: 'access_logs.s3.bucket', Value: { Ref: 'Logs' } },
          ],
        },
      },
    ],
    [
      'an AWS Config delivery channel s bucket',
      { Type: 'AWS::Config::DeliveryChannel', Properties: { S3BucketName: 'app-prod-logs' } },
    ],
    [
      'a VPC flow log destination (its Arn)',
      {
        Type: 'AWS::EC2::FlowLog',
        Properties: {
          ResourceId: 'vpc-1',
          ResourceType: 'VPC',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: { 'Fn::Sub': '${Logs.Arn}/flow/' },
        },
      },
    ],
  ])('U3 an unmarked bucket that is %s is a log bucket (a 30-day rule is a finding)', (_name, writer) => {
    expect(findingsOf('LogBucketRetention', withWriter(writer))).toEqual(['[Rule[short].ExpirationInDays::30] Logs']);
  });

  test('U3 an unmarked bucket nothing delivers logs to is not a log bucket', () => {
    expect(findingsOf('LogBucketRetention', withWriter(undefined))).toEqual([]);
    expect(findingsOf('LogBucketRetention', withWriter(bucketLoggingTo('app-prod-other')))).toEqual([]);
  });
});
