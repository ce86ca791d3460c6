import {
  bucketNameOf,
  bucketsNamed,
  literalForms,
  resourcesNamed,
  sameBucketName,
  STREAMS,
  STREAMS_BY_NAME,
} from '../../../../lib/compliance/gate/core/bucket-names';
import { AssemblyStack, TemplateJson } from '../../../../lib/compliance/gate/core/template-json';

const bucket = (BucketName?: unknown) => ({ Type: 'AWS::S3::Bucket', Properties: BucketName ? { BucketName } : {} });
const stack = (stackName: string, template: TemplateJson): AssemblyStack => ({
  stackName,
  file: `${stackName}.template.json`,
  template,
});
const ids = (value: unknown, from: AssemblyStack, stacks: AssemblyStack[]): string[] =>
  bucketsNamed(value, from, stacks)
    .map((b) => `${b.stack.stackName}/${b.logicalId}`)
    .sort();

describe('bucket names as the gate reads them', () => {
  test('a literal name, an S3 ARN with a key, a domain name (global, regional, China, URLSuffix)', () => {
    expect(bucketNameOf('logs')).toBe('logs');
    expect(bucketNameOf('arn:aws:s3:::logs/flow/')).toBe('logs');
    expect(bucketNameOf('arn:<AWS::Partition>:s3:::logs')).toBe('logs');
    expect(bucketNameOf('logs.s3.amazonaws.com')).toBe('logs');
    expect(bucketNameOf('logs.s3.eu-west-1.amazonaws.com')).toBe('logs');
    expect(bucketNameOf('logs.s3.cn-north-1.amazonaws.com.cn')).toBe('logs');
    expect(bucketNameOf('logs.s3.<AWS::URLSuffix>')).toBe('logs');
    expect(bucketNameOf('logs.s3.<AWS::Region>.<AWS::URLSuffix>')).toBe('logs');
    expect(bucketNameOf('logs.s3.dualstack.eu-west-1.amazonaws.com')).toBe('logs');
    // A name holding ".s3-" or ".s3." that is not a domain name stays whole.
    expect(bucketNameOf('corp.s3-logs')).toBe('corp.s3-logs');
    expect(bucketNameOf('arn:aws:s3:::corp.s3.logs')).toBe('corp.s3.logs');
  });

  test('a pseudo parameter on either side matches its value, nothing longer or shorter', () => {
    expect(sameBucketName('logs-<AWS::AccountId>', 'logs-123456789012')).toBe(true);
    expect(sameBucketName('logs-123456789012', 'logs-<AWS::AccountId>')).toBe(true);
    expect(sameBucketName('logs-<AWS::AccountId>-<AWS::Region>', 'logs-123456789012-us-west-2')).toBe(true);
    expect(sameBucketName('logs-<AWS::AccountId>', 'logs-123456789012-extra')).toBe(false);
    expect(sameBucketName('logs-<AWS::AccountId>', 'logs-12345')).toBe(false);
    expect(sameBucketName('logs.x', 'logsax')).toBe(false);
  });

  test("a bucket's own name: literal, Fn::Join, Fn::Sub of pseudo parameters; not one naming another resource", () => {
    const own = (value: unknown) => literalForms(value, { Resources: {} });
    expect(own('logs')).toEqual(['logs']);
    expect(own({ 'Fn::Join': ['-', ['logs', { Ref: 'AWS::AccountId' }]] })).toEqual(['logs-<AWS::AccountId>']);
    expect(own({ 'Fn::Sub': 'logs-${AWS::AccountId}-${AWS::Region}' })).toEqual([
      'logs-<AWS::AccountId>-<AWS::Region>',
    ]);
    expect(own({ 'Fn::Sub': 'logs-${Suffix}' })).toEqual([]);
    expect(own({ Ref: 'Name' })).toEqual([]);
  });

  test('follows references, joins, subs, selects and condition branches, across stacks', () => {
    const a = stack('a', {
      Resources: {
        Plain: bucket(),
        Joined: bucket({ 'Fn::Join': ['', ['joined-', { Ref: 'AWS::AccountId' }]] }),
        Subbed: bucket({ 'Fn::Sub': 'subbed-${AWS::AccountId}' }),
      },
      Outputs: { PlainName: { Value: { Ref: 'Plain' } } },
    });
    const b = stack('b', { Resources: { Literal: bucket('literal-123456789012'), UseLogs: bucket('UseLogs') } });
    const stacks = [a, b];
    expect(ids({ Ref: 'Plain' }, a, stacks)).toEqual(['a/Plain']);
    expect(ids({ 'Fn::GetAtt': ['Plain', 'RegionalDomainName'] }, a, stacks)).toEqual(['a/Plain']);
    expect(ids({ 'Fn::GetStackOutput': { StackName: 'a', OutputName: 'PlainName' } }, b, stacks)).toEqual(['a/Plain']);
    expect(ids({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Plain}/logs' }, a, stacks)).toEqual(['a/Plain']);
    // The bucket's name joined or substituted from the account, the writer's literal; and the other way round.
    expect(ids('joined-123456789012', b, stacks)).toEqual(['a/Joined']);
    expect(ids('subbed-123456789012.s3.amazonaws.com', b, stacks)).toEqual(['a/Subbed']);
    expect(ids({ 'Fn::Sub': 'literal-${AWS::AccountId}' }, a, stacks)).toEqual(['b/Literal']);
    expect(
      ids(
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::literal-', { Ref: 'AWS::AccountId' }]] },
        a,
        stacks,
      ),
    ).toEqual(['b/Literal']);
    expect(ids({ 'Fn::Select': [0, [{ Ref: 'Plain' }]] }, a, stacks)).toEqual(['a/Plain']);
    // Each branch of a condition (fail closed), but not the condition's name.
    expect(ids({ 'Fn::If': ['UseLogs', { Ref: 'Plain' }, { Ref: 'AWS::NoValue' }] }, a, stacks)).toEqual(['a/Plain']);
    // What Fn::Select and Fn::Split are applied to; a mapping's values; an output that is not a plain Ref.
    expect(ids({ 'Fn::Select': [0, { 'Fn::Split': [',', { Ref: 'Plain' }] }] }, a, stacks)).toEqual(['a/Plain']);
    const mapped = stack('m', {
      Mappings: { Names: { Prod: { Logs: 'literal-123456789012' } } },
      Resources: {},
    });
    expect(ids({ 'Fn::FindInMap': ['Names', 'Prod', 'Logs'] }, mapped, [mapped, b])).toEqual(['b/Literal']);
    expect(ids({ 'Fn::FindInMap': ['Names', { Ref: 'Env' }, 'Logs'] }, mapped, [mapped, b])).toEqual(['b/Literal']);
    const producer = stack('p', {
      Resources: { Joined: bucket() },
      Outputs: { Name: { Value: { 'Fn::Join': ['', [{ Ref: 'Joined' }]] } } },
    });
    expect(ids({ 'Fn::GetStackOutput': { StackName: 'p', OutputName: 'Name' } }, a, [a, producer])).toEqual([
      'p/Joined',
    ]);
    // A value only deploy resolves, or a bucket outside the assembly, names none of these.
    expect(ids({ Ref: 'BucketParameter' }, a, stacks)).toEqual([]);
    expect(ids('elsewhere-123456789012', a, stacks)).toEqual([]);
  });
});

describe('cross-stack references name a stack in a region', () => {
  test('U3 Fn::GetStackOutput reads the stack of that name in its Region (else the referring stack’s), not the first of that name', () => {
    const producer = (region: string, id: string): AssemblyStack => ({
      ...stack('hipaa-logs', {
        Resources: { [id]: bucket() },
        Outputs: { Logs: { Value: { Ref: id } } },
      }),
      file: `${region}.template.json`,
      region,
    });
    const east = producer('us-east-1', 'EastLogs');
    const west = producer('us-west-2', 'WestLogs');
    const writer = { ...stack('writer', { Resources: {} }), region: 'us-east-1' };
    const stacks = [east, west, writer];
    const ref = (region?: string) => ({
      'Fn::GetStackOutput': { StackName: 'hipaa-logs', OutputName: 'Logs', ...(region ? { Region: region } : {}) },
    });
    expect(ids(ref('us-west-2'), writer, stacks)).toEqual(['hipaa-logs/WestLogs']);
    expect(ids(ref(), writer, stacks)).toEqual(['hipaa-logs/EastLogs']);
    expect(ids(ref('eu-west-1'), writer, stacks)).toEqual([]);
    // Exports are per region: an export name read in the writer's region.
    const exporting = (p: AssemblyStack): AssemblyStack => ({
      ...p,
      template: {
        ...p.template,
        Outputs: { Logs: { Value: p.template.Outputs!.Logs!.Value, Export: { Name: 'logb' } } },
      },
    });
    const westWriter = { ...writer, region: 'us-west-2' };
    expect(ids({ 'Fn::ImportValue': 'logb' }, westWriter, [exporting(east), exporting(west), westWriter])).toEqual([
      'hipaa-logs/WestLogs',
    ]);
    // A single template file has no region: the stack of that name.
    expect(ids(ref('us-west-2'), { ...writer, region: undefined }, [west, { ...writer, region: undefined }])).toEqual([
      'hipaa-logs/WestLogs',
    ]);
  });
});

describe('names assembled from the template’s own values', () => {
  test('U3 an Fn::Sub variable map substituted into its body, and an Fn::Select of a literal list joined, name the bucket', () => {
    const logs = stack('logs', { Resources: { Logs: bucket('app-prod-logs'), Other: bucket('other') } });
    expect(ids({ 'Fn::Sub': ['arn:aws:s3:::${Env}-logs', { Env: 'app-prod' }] }, logs, [logs])).toEqual(['logs/Logs']);
    expect(
      ids({ 'Fn::Sub': ['${ Env }-logs', { Env: { 'Fn::Select': [1, ['x', 'app-prod']] } }] }, logs, [logs]),
    ).toEqual(['logs/Logs']);
    expect(ids({ 'Fn::Join': ['', ['app-', { 'Fn::Select': [0, ['prod-logs']] }]] }, logs, [logs])).toEqual([
      'logs/Logs',
    ]);
    expect(ids({ 'Fn::Join': ['-', { 'Fn::Split': [',', 'app,prod,logs'] }] }, logs, [logs])).toEqual(['logs/Logs']);
  });
});

describe('regional names: delivery streams', () => {
  test('U3 a stream named literally is looked for in the writer’s account and region only', () => {
    const streamStack = (region: string): AssemblyStack => ({
      ...stack(`logs-${region}`, {
        Resources: {
          Stream: {
            Type: 'AWS::KinesisFirehose::DeliveryStream',
            Properties: { DeliveryStreamName: 'aws-waf-logs-app' },
          },
        },
      }),
      region,
      account: '123456789012',
    });
    const east = streamStack('us-east-1');
    const west = streamStack('us-west-2');
    const writer = { ...stack('writer', { Resources: {} }), region: 'us-east-1', account: '123456789012' };
    const named = (value: string, kind = STREAMS_BY_NAME) =>
      resourcesNamed(value, writer, [east, west, writer], kind).map((r) => r.stack.stackName);
    expect(named('aws-waf-logs-app')).toEqual(['logs-us-east-1']);
    expect(named('arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-app', STREAMS)).toEqual([
      'logs-us-east-1',
    ]);
    // Where an ARN is expected, a bare name or an S3 ARN names no stream.
    expect(named('aws-waf-logs-app', STREAMS)).toEqual([]);
    expect(named('arn:aws:s3:::aws-waf-logs-app', STREAMS_BY_NAME)).toEqual([]);
  });
});
