import { App, Aspects, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnDBParameterGroup } from 'aws-cdk-lib/aws-rds';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { buildControlMatrix, CfnTemplate, ControlMatrix } from '../../../lib/compliance/evidence/control-matrix';
import { renderControlMatrixMarkdown } from '../../../lib/compliance/evidence/render-markdown';
import { resourceSafeguards, SafeguardMetadataAspect } from '../../../lib/compliance/evidence/safeguard-metadata';

/** One probe stack holding a compliant and a non-compliant resource per predicated row. */
const app = new App({ builtinCloudFormationValidation: false });
const stack = new Stack(app, 'Probe', { env: { account: '123456789012', region: 'us-east-1' } });
const key = new Key(stack, 'Key', { enableKeyRotation: true });
const kmsBucket = new Bucket(stack, 'KmsBucket', { encryption: BucketEncryption.KMS, encryptionKey: key });
const sseS3Bucket = new Bucket(stack, 'SseS3Bucket', { encryption: BucketEncryption.S3_MANAGED });
const forceSsl = (id: string, value: string): CfnDBParameterGroup =>
  new CfnDBParameterGroup(stack, id, {
    family: 'postgres16',
    description: id,
    parameters: { 'rds.force_ssl': value },
  });
const tlsGroup = forceSsl('TlsParams', '1');
const clearGroup = forceSsl('ClearParams', '0');
const metric = new Metric({ namespace: 'Probe', metricName: 'Count' });
const alarmed = new Alarm(stack, 'AlarmWithAction', { metric, threshold: 1, evaluationPeriods: 1 });
alarmed.addAlarmAction(new SnsAction(new Topic(stack, 'Topic', { masterKey: key })));
const silent = new Alarm(stack, 'AlarmWithoutAction', { metric, threshold: 1, evaluationPeriods: 1 });
const goodLogs = new LogGroup(stack, 'GoodLogs', {
  encryptionKey: key,
  retention: RetentionDays.SIX_YEARS,
  removalPolicy: RemovalPolicy.RETAIN,
});
const plainLogs = new LogGroup(stack, 'PlainLogs', { retention: RetentionDays.ONE_WEEK });
const workload = new Role(stack, 'WorkloadRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
const admin = new Role(stack, 'AdminRole', {
  assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
});
Aspects.of(app).add(new SafeguardMetadataAspect());

const cfn = (c: { node: { defaultChild?: unknown } }): CfnResource => c.node.defaultChild as CfnResource;
let matrix: ControlMatrix;
let logicalId: (c: CfnResource) => string;

beforeAll(() => {
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  logicalId = (c) => stack.getLogicalId(c);
  matrix = buildControlMatrix({
    stacks: [{ stackPath: 'Probe', templateFile: 'Probe.template.json', template }],
    evaluations: [],
    packs: [],
    tests: [],
  });
});

const entry = (id: string): ControlMatrix['safeguards'][number] => matrix.safeguards.find((g) => g.id === id)!;
const listed = (id: string, c: CfnResource): boolean => entry(id).resources.some((r) => r.logicalId === logicalId(c));
const notMet = (id: string, c: CfnResource): boolean =>
  entry(id).typeMatchedPropertyNotMet.some((r) => r.logicalId === logicalId(c));

describe('resource table: a safeguard that claims a property is listed only when the property holds', () => {
  test('V2 E2 an SSE-S3 bucket is not listed under E2; an SSE-KMS bucket with a customer key is', () => {
    expect(resourceSafeguards(cfn(sseS3Bucket))).not.toContain('E2');
    expect(listed('E2', cfn(sseS3Bucket))).toBe(false);
    expect(notMet('E2', cfn(sseS3Bucket))).toBe(true);
    expect(listed('E2', cfn(kmsBucket))).toBe(true);
    expect(notMet('E2', cfn(kmsBucket))).toBe(false);
  });

  test('V2 E3 a parameter group with rds.force_ssl 0 is not listed under E3; one with 1 is', () => {
    expect(resourceSafeguards(clearGroup)).not.toContain('E3');
    expect(listed('E3', clearGroup)).toBe(false);
    expect(notMet('E3', clearGroup)).toBe(true);
    expect(listed('E3', tlsGroup)).toBe(true);
  });

  test('V2 D1 an alarm without an action is not listed under D1; one with an action is', () => {
    expect(listed('D1', cfn(silent))).toBe(false);
    expect(notMet('D1', cfn(silent))).toBe(true);
    expect(listed('D1', cfn(alarmed))).toBe(true);
  });

  test('V2 U3 E2 a log group without KMS or six-year retention is listed under neither', () => {
    expect(resourceSafeguards(cfn(plainLogs) as CfnLogGroup)).not.toEqual(expect.arrayContaining(['E2']));
    expect(listed('E2', cfn(plainLogs))).toBe(false);
    expect(listed('U3', cfn(plainLogs))).toBe(false);
    expect(notMet('U3', cfn(plainLogs))).toBe(true);
    expect(listed('E2', cfn(goodLogs))).toBe(true);
    expect(listed('U3', cfn(goodLogs))).toBe(true);
  });

  test('V2 A3 a role with an AWS managed admin policy is not listed under A3; a workload role is', () => {
    expect(listed('A3', cfn(admin))).toBe(false);
    expect(notMet('A3', cfn(admin))).toBe(true);
    expect(listed('A3', cfn(workload))).toBe(true);
  });

  test('V2 a selective row (U2 Object Lock archive) lists no other bucket as "property not met"', () => {
    expect(listed('U2', cfn(kmsBucket))).toBe(false);
    expect(entry('U2').typeMatchedPropertyNotMet).toEqual([]);
    expect(entry('U4').typeMatchedPropertyNotMet).toEqual([]);
  });

  test('V2 the rendered matrix lists type-matched resources apart and says tests are named, not run', () => {
    const md = renderControlMatrixMarkdown(matrix);
    expect(md).toContain('Type matched, property not met (');
    expect(md).toContain("their results are `npm test`'s");
    const e2 = md.slice(md.indexOf('### E2'), md.indexOf('### E3'));
    expect(e2).toContain(`| Probe | ${logicalId(cfn(sseS3Bucket))} | AWS::S3::Bucket |`);
    expect(e2.indexOf(logicalId(cfn(sseS3Bucket)))).toBeGreaterThan(e2.indexOf('Type matched, property not met'));
  });
});
