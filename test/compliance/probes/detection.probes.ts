import { Json, one, Probe, remove } from './probe';

const detection = (t: Parameters<Probe['mutate']>[0], type: string) =>
  remove(t, 'detection', [one(t, 'detection', type)[0]]);
const alarmOf = (metric: string) => (r: Json) => r.Properties.MetricName === metric;

/** Detection and response: D1 alarms, D2 services, D3 alert path. */
export const PROBES: readonly Probe[] = [
  {
    name: "D1 D3 every alarm's permission to invoke the formatter limited to another account (CloudWatch refused)",
    safeguards: ['D1', 'D3'],
    mutate: (t) => {
      for (const stack of ['audit', 'data', 'detection', 'app']) {
        for (const r of Object.values(t[stack]!.Resources as Record<string, Json>)) {
          if (
            r.Type === 'AWS::Lambda::Permission' &&
            r.Properties.Principal === 'lambda.alarms.cloudwatch.amazonaws.com'
          ) {
            r.Properties.SourceAccount = '999999999999';
          }
        }
      }
    },
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 the formatter's environment names an unsubscribed topic as its alert topic (the subscribed one moved aside)",
    safeguards: ['D1', 'D3'],
    mutate: (t) => {
      const [, fn] = one(t, 'alerting', 'AWS::Lambda::Function', (r) =>
        JSON.stringify(r.Properties.Environment ?? {}).includes('ALERT_TOPIC_ARN'),
      );
      t.alerting!.Resources.ProbeDecoyTopic = { Type: 'AWS::SNS::Topic', Properties: {} };
      fn.Properties.Environment.Variables.ALERT_TOPIC_PRIMARY = fn.Properties.Environment.Variables.ALERT_TOPIC_ARN;
      fn.Properties.Environment.Variables.ALERT_TOPIC_ARN = { Ref: 'ProbeDecoyTopic' };
    },
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 the alert topic's e-mail subscription removed (every alarm fires into an empty topic)",
    safeguards: ['D1', 'D3'],
    mutate: (t) => remove(t, 'alerting', [one(t, 'alerting', 'AWS::SNS::Subscription')[0]]),
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 the alert topic's subscription pointed at another address than config's",
    safeguards: ['D1', 'D3'],
    mutate: (t) => (one(t, 'alerting', 'AWS::SNS::Subscription')[1].Properties.Endpoint = 'someone-else@example.net'),
    caughtBy: /AlarmsReachSubscribers\[\w+::subscriber-missing\]/,
  },
  {
    name: 'D1 D3 the root-use alarm sent to a decoy topic ARN',
    safeguards: ['D1', 'D3'],
    mutate: (t) =>
      (one(t, 'audit', 'AWS::CloudWatch::Alarm', alarmOf('RootAccountUsage'))[1].Properties.AlarmActions = [
        'arn:aws:sns:us-east-1:123456789012:decoy',
      ]),
    caughtBy: /AlarmsReachSubscribers\[\w+::reaches-no-subscriber\]/,
  },
  {
    name: "D1 D3 the root-use alarm's permission to invoke the formatter removed",
    safeguards: ['D1', 'D3'],
    mutate: (t) =>
      remove(t, 'audit', [
        one(t, 'audit', 'AWS::Lambda::Permission', (r) =>
          JSON.stringify(r.Properties.SourceArn ?? '').includes('RootAccountUsage'),
        )[0],
      ]),
    caughtBy: /AlarmsReachSubscribers\[\w*RootAccountUsage\w*::reaches-no-subscriber\]/,
  },
  {
    name: 'D1 the root-use alarm removed',
    safeguards: ['D1'],
    mutate: (t) => remove(t, 'audit', [one(t, 'audit', 'AWS::CloudWatch::Alarm', alarmOf('RootAccountUsage'))[0]]),
    caughtBy: /SecurityAlarmsPresent\[RootAccountUsage::no-alarm\]/,
  },
  {
    name: 'D1 the IAM policy change alarm without an action',
    safeguards: ['D1'],
    mutate: (t) => {
      const alarm = one(t, 'audit', 'AWS::CloudWatch::Alarm', alarmOf('IamPolicyChanges'))[1];
      delete alarm.Properties.AlarmActions;
      alarm.Properties.ActionsEnabled = false;
    },
    caughtBy: /CloudWatchAlarmAction|SecurityAlarmsPresent\[IamPolicyChanges::no-action\]/,
  },
  {
    name: 'D1 the console sign-in without MFA filter pattern edited',
    safeguards: ['D1'],
    mutate: (t) =>
      (one(
        t,
        'audit',
        'AWS::Logs::MetricFilter',
        (r) => r.Properties.MetricTransformations[0].MetricName === 'ConsoleSignInWithoutMfa',
      )[1].Properties.FilterPattern = '{ $.eventName = "ConsoleLogin" }'),
    caughtBy: /SecurityAlarmsPresent\[ConsoleSignInWithoutMfa::no-metric-filter\]/,
  },
  {
    name: 'D2 the GuardDuty detector removed',
    safeguards: ['D2'],
    mutate: (t) => detection(t, 'AWS::GuardDuty::Detector'),
    caughtBy: /DetectionServicesPresent\[GuardDuty::absent\]/,
  },
  {
    name: 'D2 GuardDuty RDS protection off',
    safeguards: ['D2'],
    mutate: (t) => {
      for (const f of one(t, 'detection', 'AWS::GuardDuty::Detector')[1].Properties.Features) {
        if (f.Name === 'RDS_LOGIN_EVENTS') f.Status = 'DISABLED';
      }
    },
    caughtBy: /DetectionServicesPresent\[GuardDuty::RDS_LOGIN_EVENTS-off\]/,
  },
  {
    name: 'D2 Security Hub removed',
    safeguards: ['D2'],
    mutate: (t) => detection(t, 'AWS::SecurityHub::Hub'),
    caughtBy: /DetectionServicesPresent\[SecurityHub::absent\]/,
  },
  {
    name: 'D2 Macie removed',
    safeguards: ['D2'],
    mutate: (t) => detection(t, 'AWS::Macie::Session'),
    caughtBy: /DetectionServicesPresent\[Macie::absent\]/,
  },
  {
    name: 'D2 the GuardDuty detector of the PHI replica region removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'replicaDetection', [one(t, 'replicaDetection', 'AWS::GuardDuty::Detector')[0]]),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::GuardDuty::absent\]/,
  },
  {
    name: 'D2 Security Hub of the PHI replica region removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'replicaDetection', [one(t, 'replicaDetection', 'AWS::SecurityHub::Hub')[0]]),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::SecurityHub::absent\]/,
  },
  {
    name: 'D2 the AWS Config recorder of the PHI replica region removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'replicaDetection', [one(t, 'replicaDetection', 'AWS::Config::ConfigurationRecorder')[0]]),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::Config::recorder-absent\]/,
  },
  {
    name: 'D3 the replica region forwards GuardDuty findings to its own bus instead of the primary region',
    safeguards: ['D3'],
    mutate: (t) => {
      const rule = one(t, 'replicaDetection', 'AWS::Events::Rule', (r) =>
        (r.Properties.EventPattern.source ?? []).includes('aws.guardduty'),
      )[1];
      rule.Properties.Targets[0].Arn = {
        'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default',
      };
    },
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::guardDuty-findings-not-forwarded\]/,
  },
  {
    name: 'D3 the replica region Security Hub forwarding rule removed',
    safeguards: ['D3'],
    mutate: (t) =>
      remove(t, 'replicaDetection', [
        one(t, 'replicaDetection', 'AWS::Events::Rule', (r) =>
          (r.Properties.EventPattern.source ?? []).includes('aws.securityhub'),
        )[0],
      ]),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::securityHub-findings-not-forwarded\]/,
  },
  {
    name: 'D2 the AWS Config recorder removed',
    safeguards: ['D2'],
    mutate: (t) => detection(t, 'AWS::Config::ConfigurationRecorder'),
    caughtBy: /DetectionServicesPresent\[Config::recorder-absent\]/,
  },
  {
    name: 'D2 a HIPAA Config rule removed',
    safeguards: ['D2'],
    mutate: (t) => detection(t, 'AWS::Config::ConfigRule'),
    caughtBy: /DetectionServicesPresent\[Config::rule-.*-absent\]/,
  },
  {
    name: 'D2 GuardDuty declared off without naming who provides it',
    safeguards: ['D2'],
    mutate: (t) => {
      detection(t, 'AWS::GuardDuty::Detector');
      const declaration = (t.detection as Json).Metadata.HipaaBlueprint.detection;
      declaration.services.guardDuty = false;
      delete declaration.providedBy;
    },
    caughtBy: /DetectionServicesPresent\[guardDuty::off-without-provider\]/,
  },
];
