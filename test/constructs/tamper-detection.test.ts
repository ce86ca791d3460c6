import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AlertPipeline } from '../../constructs/alert-pipeline';
import { HEARTBEAT_METRIC, TamperDetection } from '../../constructs/tamper-detection';
import {
  CLOUDTRAIL_API_CALL,
  HEARTBEAT_EVENT,
  HEARTBEAT_LOG_TERM,
  TAMPER_WATCHES,
} from '../../constructs/tamper-watches';
import { fixtureStack, importedKey, importedVpc, RETENTION } from '../support/construct-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const stack = fixtureStack('Alerting');
const pipeline = new AlertPipeline(stack, 'AlertPipeline', {
  encryptionKey: importedKey(stack),
  alertEmails: ['alerts@example.org'],
  vpc: importedVpc(stack),
  vpcSubnets: { subnetGroupName: 'Application' },
  retention: RETENTION,
});
const tamper = new TamperDetection(stack, 'TamperDetection', {
  formatter: pipeline.formatter,
  formatterLogGroup: pipeline.logGroup.logGroup,
  topic: pipeline.topic,
  deadLetterQueue: pipeline.deadLetterQueue,
});
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;
const idOf = (construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
const formatterId = idOf(pipeline.formatter);
const topicId = idOf(pipeline.topic);
const ruleOf = (watchId: string): Json => resources[idOf(tamper.rules[watchId]!)]!;
const isFormatter = (t: Json) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [formatterId, 'Arn'] });
const isTopic = (t: Json) => JSON.stringify(t.Arn) === JSON.stringify({ Ref: topicId });

describe('TamperDetection', () => {
  test.each(TAMPER_WATCHES.map((w) => [w.id, w] as const))(
    'U6 %s: a rule on the CloudTrail API calls of every watched action, delivered through the formatter',
    (_id, watch) => {
      const rule = ruleOf(watch.id);
      expect(rule.Properties.State).toBe('ENABLED');
      const pattern = rule.Properties.EventPattern;
      expect(pattern['detail-type']).toEqual([CLOUDTRAIL_API_CALL]);
      expect(pattern.detail.eventSource).toEqual([watch.eventSource]);
      expect(pattern.detail.eventName).toEqual(
        watch.matchPrefix ? watch.eventNames.map((prefix) => ({ prefix })) : watch.eventNames,
      );
      const targets: Json[] = rule.Properties.Targets;
      expect(targets.filter(isFormatter)).toHaveLength(1);
      // The formatter receives the event as it is (it reads metadata only): no input override.
      expect(targets.find(isFormatter)!.Input).toBeUndefined();
      expect(targets.find(isFormatter)!.DeadLetterConfig).toBeDefined();
    },
  );

  test('U6 D3 rules about the alert path also publish to the topic directly, with a metadata-only message', () => {
    const alertPath = TAMPER_WATCHES.filter((w) => w.alertPath).map((w) => w.id);
    expect(alertPath).toEqual(['Alarms', 'EventRules', 'Functions', 'AlertTopic']);
    for (const watch of TAMPER_WATCHES) {
      const direct = (ruleOf(watch.id).Properties.Targets as Json[]).filter(isTopic);
      if (!watch.alertPath) {
        expect(direct).toEqual([]);
        continue;
      }
      expect(direct).toHaveLength(1);
      const transformer = direct[0]!.InputTransformer;
      const paths = Object.values(transformer.InputPathsMap as Record<string, string>).sort();
      // Actor, action, time and ids; the request parameters only where the watch names its resource parameter.
      const allowed = new Set([
        '$.account',
        '$.region',
        '$.time',
        '$.detail.eventName',
        '$.detail.eventSource',
        '$.detail.eventID',
        '$.detail.userIdentity.type',
        '$.detail.userIdentity.arn',
        ...(watch.resourceParameter ? [`$.detail.requestParameters.${watch.resourceParameter}`] : []),
      ]);
      expect(paths.filter((p) => !allowed.has(p))).toEqual([]);
      expect(paths).toEqual(expect.arrayContaining(['$.detail.userIdentity.arn', '$.detail.eventName']));
      expect(transformer.InputTemplate).toContain('[TAMPER]');
    }
  });

  test('U6 the Lambda rule watches every function of the account (the formatter and the checks), the topic rule this topic and its subscriptions', () => {
    const functions = ruleOf('Functions').Properties.EventPattern.detail;
    expect(functions.requestParameters).toBeUndefined();
    expect(functions.$or).toBeUndefined();
    const or = ruleOf('AlertTopic').Properties.EventPattern.detail.$or;
    expect(or[0]).toEqual({ requestParameters: { topicArn: [{ Ref: topicId }] } });
    expect(JSON.stringify(or[1])).toContain(`{"Ref":"${topicId}"}`);
    expect(or[1].requestParameters.subscriptionArn[0].prefix).toBeDefined();
  });

  test('U6 KMS grants alert only when a principal created them itself, not an AWS service on its behalf', () => {
    expect(ruleOf('KeyGrant').Properties.EventPattern.detail.userIdentity).toEqual({
      invokedBy: [{ exists: false }],
    });
    expect(ruleOf('KeyPolicy').Properties.EventPattern.detail.userIdentity).toBeUndefined();
  });

  test('D3 a scheduled heartbeat runs through the formatter; its alarm fires on missing data and tells the topic directly', () => {
    const rule = resources[idOf(tamper.heartbeatRule)]!;
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 hour)');
    const [target] = rule.Properties.Targets as Json[];
    expect(isFormatter(target!)).toBe(true);
    expect(target!.InputTransformer.InputTemplate).toContain(HEARTBEAT_EVENT.source);
    const filters = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');
    expect(filters).toHaveLength(1);
    expect(filters[0]!.Properties.FilterPattern).toBe(`"${HEARTBEAT_LOG_TERM}"`);
    expect(filters[0]!.Properties.LogGroupName).toEqual({ Ref: idOf(pipeline.logGroup.logGroup) });
    const alarm = resources[idOf(tamper.heartbeatAlarm)]!.Properties;
    expect(alarm).toMatchObject({
      MetricName: HEARTBEAT_METRIC.name,
      Namespace: HEARTBEAT_METRIC.namespace,
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 2,
      Period: 3600,
    });
    expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test('D3 the formatter throttle alarm tells the topic directly', () => {
    const alarm = resources[idOf(tamper.throttleAlarm)]!.Properties;
    expect(alarm).toMatchObject({ MetricName: 'Throttles', Namespace: 'AWS/Lambda', Threshold: 0 });
    expect(alarm.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: formatterId } }]);
    expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test.each([
    [{ watches: [TAMPER_WATCHES[0]!, TAMPER_WATCHES[0]!] }, "watches[].id = 'Trail': must be a unique PascalCase"],
    [{ watches: [{ ...TAMPER_WATCHES[0]!, eventNames: [] }] }, "watches['Trail'].eventNames = []"],
    [{ heartbeatInterval: Duration.minutes(1) }, 'heartbeatInterval = 1 minutes: must be whole minutes from 5 to 720'],
  ])('bad props are refused with the field, value and rule (%#)', (extra, message) => {
    const s = fixtureStack('Bad');
    const p = new AlertPipeline(s, 'AlertPipeline', {
      encryptionKey: importedKey(s),
      alertEmails: ['alerts@example.org'],
      vpc: importedVpc(s),
      vpcSubnets: { subnetGroupName: 'Application' },
      retention: RETENTION,
    });
    expect(
      () =>
        new TamperDetection(s, 'TamperDetection', {
          formatter: p.formatter,
          formatterLogGroup: p.logGroup.logGroup,
          topic: p.topic,
          ...extra,
        }),
    ).toThrow(message);
  });
});
